"""Cells and page set-up for the streamed (write-only) Standing Committee workbook.

Every text cell is written as a string cell (data type "s"), whatever it starts with: a unit
name or a narrative typed as "=HYPERLINK(...)" stays the text it was and is never a formula.
Numbers stay numbers with a number format, so the committee can compute with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from rollup.arithmetic import Status

from .workbook_stream import Out, Rows, Style, row_stream

COUNT = "#,##0"
PERCENT = "0.0%"
RATIO = "0.00"
PERCENT_CHANGE = "+0.0%;-0.0%;0.0%"
RATIO_CHANGE = "+0.00;-0.00;0.00"
COUNT_CHANGE = "+#,##0;-#,##0;0"
EXCEL_MAX_CHARS = 32767

THIN = Side(style="thin", color="9AA6B2")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E2EC")
SECTION_FILL = PatternFill("solid", fgColor="EEF2F6")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
STATUS_FILL = {
    Status.ACHIEVED: PatternFill("solid", fgColor="C6EFCE"),
    Status.ON_TRACK: PatternFill("solid", fgColor="DDEBF7"),
    Status.AT_RISK: PatternFill("solid", fgColor="FFEB9C"),
    Status.NOT_ACHIEVED: PatternFill("solid", fgColor="FFC7CE"),
    Status.NOT_YET_DUE: PatternFill("solid", fgColor="EDEDED"),
}
# Statuses that judge nothing: no colour, and no symbol before a number.
UNJUDGED = frozenset({Status.NO_TARGET, Status.NOTHING_TO_MEASURE, Status.NO_DATA})


def clean(text: object) -> str:
    """Text Excel accepts: no control characters, no more than a cell can hold."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return cleaned[:EXCEL_MAX_CHARS]


FONT_NAME = "Arial"  # on every office PC; LibreOffice maps it to Liberation Sans
LINE_HEIGHT = 13.0  # points per line of 10-point text
CHARS_PER_WIDTH = 1.4  # characters of 10-point Arial per unit of Excel column width


@cache
def font(*, bold: bool = False, italic: bool = False, size: int = 10, color: str = "") -> Font:
    """One Font object per style: openpyxl styles are immutable, and building one per cell
    costs more than writing the cell."""
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color or None)


@dataclass
class Sheet:
    """A write-only worksheet with the cells this workbook writes.

    Rows are given a height for their wrapped text, since a streamed row cannot be measured
    afterwards and LibreOffice does not grow rows when it opens a file.
    """

    ws: WriteOnlyWorksheet
    widths: Sequence[float]
    demo: bool = False  # demo data: every sheet says so under its title and in its header
    rows: int = 0  # rows written so far (a write-only sheet does not count them)
    # The styles of the cells, by what was asked for: a national breakdown sheet has tens of
    # thousands of cells in a handful of styles, so each combination is made once and shared
    # (`workbook_stream.Style`). The style objects are kept with the entry, so the ids in the
    # key stay theirs (`_identities`).
    _styles: dict[tuple[Any, ...], tuple[Style, tuple[Any, ...]]] = field(default_factory=dict)
    _stream: Rows | None = None

    def _style(self, key: tuple[Any, ...], settings: dict[str, Any]) -> Style:
        cell = WriteOnlyCell(self.ws)
        for name, setting in settings.items():
            setattr(cell, name, setting)
        style = Style(copy(cell._style), bool(cell.alignment.wrap_text))
        self._styles[key] = (style, tuple(settings.values()))
        return style

    def text(self, value: object, *, bold: bool = False, wrap: bool = False, **style: Any) -> Out:
        # Written as a string whatever it starts with: "=..." stays text, never a formula.
        key = ("text", bold, wrap, *_identities(style))
        known = self._styles.get(key)
        if known is None:
            settings = {"font": font(bold=bold), "alignment": WRAP if wrap else TOP, **style}
            return Out(clean(value), "s", self._style(key, settings))
        return Out(clean(value), "s", known[0])

    def number(self, value: Decimal | int | float | None, fmt: str = COUNT, **style: Any) -> Out:
        found = None if value is None else _plain(value)
        key = ("number", fmt, *_identities(style))
        known = self._styles.get(key)
        if known is None:
            settings = {"number_format": fmt, "alignment": TOP, "font": font(), **style}
            return Out(found, "n", self._style(key, settings))
        return Out(found, "n", known[0])

    def header(self, labels: Sequence[str]) -> None:
        self.append([self.head(label) for label in labels])

    def head(self, label: str) -> Out:
        return self.text(label, bold=True, fill=HEAD_FILL, border=BOX, alignment=CENTRE)

    def title(self, text: str, subtitle: str = "") -> None:
        self.note(text, font=font(bold=True, size=13), line=18)
        if self.demo:
            subtitle = f"{demo_words()} · {subtitle}" if subtitle else demo_words()
            self.note(subtitle, font=font(bold=True, color=DEMO_COLOUR))
            return
        self.note(subtitle, font=font(italic=True, color="4A5568"))

    def note(self, text: str, *, line: float = LINE_HEIGHT, **style: Any) -> None:
        """Text across the whole width of the sheet, wrapped."""
        style.setdefault("font", font(italic=True))
        lines = text_lines(text, sum(self.widths))
        self.ws.row_dimensions[self.rows + 1].height = max(15.0, lines * line + 3)
        self.append([self.text(text, alignment=WRAP, **style)], measure=False)
        self.ws.merged_cells.add(f"A{self.rows}:{get_column_letter(len(self.widths))}{self.rows}")

    def section(self, text: str) -> None:
        cells = [self.text(text, bold=True, fill=SECTION_FILL)]
        cells += [self.text("", fill=SECTION_FILL) for _ in range(len(self.widths) - 1)]
        self.append(cells, measure=False)

    def blank(self) -> None:
        self.append([])

    def append(self, cells: Sequence[Out], *, measure: bool = True) -> None:
        if measure:
            lines = max([1, *(self._lines(i, c) for i, c in enumerate(cells))])
            if lines > 1:
                self.ws.row_dimensions[self.rows + 1].height = lines * LINE_HEIGHT + 3
        self._write(cells)
        self.rows += 1

    def _write(self, cells: Sequence[Out]) -> None:
        if self._stream is None:
            self._stream = row_stream(self.ws)
        self._stream.send(cells)

    def _lines(self, index: int, cell: Out) -> int:
        if cell.data_type != "s" or not cell.style.wrap or index >= len(self.widths):
            return 1
        return text_lines(str(cell.value), self.widths[index] - 1.5)


def _identities(style: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The style asked for, as a key: a style object is known by its id (kept alive with the
    entry), a number format by its text, which is often built afresh."""
    if not style:
        return ()
    return tuple((name, v if isinstance(v, str) else id(v)) for name, v in style.items())


def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` wide (an estimate)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def _plain(value: Decimal | int | float) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def sheet_setup(
    ws: WriteOnlyWorksheet,
    widths: Sequence[float],
    *,
    header_row: int,
    last_header_row: int | None = None,
    freeze: str | None = None,
    demo: bool = False,
) -> Sheet:
    """A4 landscape, fit to the page width, the header repeated on every page, page numbers.

    Write-only sheets write their views and columns with the first row, so this comes first.
    """
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_row}:{last_header_row or header_row}"
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.right.text = "&A"
    if demo:
        ws.oddHeader.center.text = demo_words()
        ws.oddHeader.center.color = DEMO_COLOUR
    if freeze:
        ws.freeze_panes = freeze
    return Sheet(ws, widths, demo)


DEMO_COLOUR = "9B1C1C"


def demo_words() -> str:
    return _("DEMO DATA: synthetic units and figures, for trying the portal out")


def status_style(status: str) -> dict[str, Any]:
    if status in UNJUDGED:
        return {}
    return {"fill": STATUS_FILL[Status(status)], "border": BOX}
