"""The workbook's rows are written straight into the sheets' XML (`dashboards.workbook_stream`);
the file must be the one openpyxl's own write-only `append` makes of the same cells, byte for
byte: every sheet, the styles, and so every value, type, number format and style index."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from copy import copy
from functools import partial

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from dashboards.workbook import workbook_write
from dashboards.workbook_cells import (
    BOX,
    HEAD_FILL,
    PERCENT,
    RATIO_CHANGE,
    Sheet,
    font,
    sheet_setup,
)
from dashboards.workbook_data import WorkbookRequest
from dashboards.workbook_stream import Out
from reports.assignments import assignments_apply_proposal
from tests.conftest import approved
from unions.services import unit_update

TODAY = dt.date(2026, 2, 1)
GENERATED = dt.datetime(2026, 2, 1, 3, 0, tzinfo=dt.UTC)


def _openpyxl_write(sheet: Sheet, cells: Sequence[Out]) -> None:
    """The same cells through openpyxl's own write-only path: its cells, its writer."""
    row = []
    for cell in cells:
        found = WriteOnlyCell(sheet.ws)
        found._value = cell.value
        found.data_type = cell.data_type
        found._style = copy(cell.style.array)
        row.append(found)
    sheet.ws.append(row)


def _parts(book: Workbook) -> dict[str, bytes]:
    stream = io.BytesIO()
    book.save(stream)
    with zipfile.ZipFile(stream) as archive:
        # The file's creation time is the one part that differs between two saves.
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def _cells_of_every_kind(sheet: Sheet) -> None:
    sheet.title("A TITLE", "a subtitle")
    sheet.header(["Code", "Indicator", "Value", "Change"])
    sheet.section("I. Section")
    sheet.append(
        [
            sheet.text("A01", bold=True),
            sheet.text('=HYPERLINK("http://x","y")', wrap=True),
            sheet.number(0.853, PERCENT, fill=HEAD_FILL, border=BOX),
            sheet.number(-0.05, RATIO_CHANGE),
        ]
    )
    sheet.append(
        [
            sheet.text("  spaces kept  "),
            sheet.text("a long text that wraps over several lines " * 6, wrap=True),
            sheet.number(None),
            sheet.number(6_568_026, font=font(bold=True)),
        ]
    )
    sheet.append([sheet.text(""), sheet.text("tab\tand\nnew line\x07"), sheet.number(0)])
    sheet.blank()
    sheet.note("A note across the sheet.")


def _sheet_pair(write_reference: bool) -> dict[str, bytes]:
    book = Workbook(write_only=True)
    for name in ("one", "two"):
        sheet = sheet_setup(book.create_sheet(name), [6, 30, 10, 10], header_row=3, freeze="C4")
        if write_reference:
            sheet._write = partial(_openpyxl_write, sheet)  # type: ignore[method-assign]
        _cells_of_every_kind(sheet)
    return _parts(book)


def test_streamed_rows_are_the_xml_openpyxl_writes_for_the_same_cells():
    streamed, reference = _sheet_pair(False), _sheet_pair(True)
    assert streamed.keys() == reference.keys()
    for name in streamed:
        assert streamed[name] == reference[name], name


def test_streamed_cells_read_back_as_written():
    stream = io.BytesIO()
    book = Workbook(write_only=True)
    _cells_of_every_kind(sheet_setup(book.create_sheet("one"), [6, 30, 10, 10], header_row=3))
    book.save(stream)
    ws = load_workbook(stream)["one"]
    assert ws["B5"].value == '=HYPERLINK("http://x","y")' and ws["B5"].data_type == "s"
    assert ws["C5"].value == 0.853 and ws["C5"].number_format == PERCENT
    assert ws["C5"].fill.fgColor.rgb.endswith("D9E2EC") and ws["C5"].border.left.style == "thin"
    assert ws["A6"].value == "  spaces kept  " and ws["C6"].value is None
    assert ws["D6"].value == 6_568_026 and ws["D6"].font.b
    assert ws["B7"].value == "tab\tand\nnew line" and ws["C7"].value == 0
    assert ws.row_dimensions[6].height > 15 and ws.freeze_panes is None


@pytest.fixture
def committee_data(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    unit_update(t.d2, name=" =SUM(A1) ", sector=t.d2.sector, budget_paid=t.d2.budget_paid)
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(
        t.d2, programme, "2025Q4",
        narratives={"3.1": ("+1+1", "  @SUM(A1)", "-2")},
        members=210, workers_union_units=230, informed_ytd=220,
    )  # fmt: skip
    t.refresh()
    return t


def _workbook(programme, **kw) -> dict[str, bytes]:
    req = WorkbookRequest(
        programme=programme, year=2025, today=TODAY, author="Người lập", generated=GENERATED, **kw
    )
    stream = io.BytesIO()
    workbook_write(req, stream)
    with zipfile.ZipFile(stream) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("options", [{}, {"provisional": True}, {"tree": "as_now"}])
def test_the_whole_workbook_is_the_one_openpyxl_writes(
    committee_data, programme, monkeypatch, options
):
    streamed = _workbook(programme, **options)
    monkeypatch.setattr(Sheet, "_write", _openpyxl_write)
    reference = _workbook(programme, **options)
    assert streamed.keys() == reference.keys()
    assert len([n for n in streamed if n.startswith("xl/worksheets/sheet")]) >= 8
    for name in streamed:
        assert streamed[name] == reference[name], name
