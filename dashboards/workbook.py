"""The Standing Committee workbook: cover, summary, breakdown by reporting unit, narratives and
members, streamed with openpyxl's write-only mode.

The figures come from the dashboards' selectors (see `workbook_data`), so the workbook says
what the pages say. Text is Vietnamese whatever the requester's language; numbers are stored
as numbers (percentages as fractions with a percent format) so the committee can compute.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lib.formats import day, day_time
from unions.models import demo_data_loaded

from . import selectors as sel
from .templatetags.figures import status_word, symbol
from .workbook_briefing import BriefRow, brief_rows, most_at_risk, risk_line
from .workbook_cells import DEMO_COLOUR, Sheet, demo_words, font, sheet_setup, status_style
from .workbook_data import Contents, WorkbookRequest, workbook_contents
from .workbook_labels import (
    annual_scope,
    change_cell,
    data_label,
    legend,
    period_key,
    period_label,
    quarter_label,
    subtitle,
    target_cell,
    term_scope,
    tree_label,
    value_cell,
)
from .workbook_sheets import breakdown_sheets, members_sheet, narratives_sheet

SHEET_BRIEFING = "Tóm tắt"
SHEET_COVER = "Thông tin chung"
SHEET_SUMMARY = "Tổng hợp"


def workbook_write(req: WorkbookRequest, stream: IO[bytes]) -> None:
    """Writes the workbook for `req` to `stream` (a file or a BytesIO)."""
    with translation.override("vi"):
        contents = workbook_contents(req)
        book = Workbook(write_only=True)
        book.properties.title = _("Progress on the programme's targets")
        book.properties.creator = req.author or "chitieu"
        contents.demo = demo_data_loaded()
        rows = brief_rows(contents)
        briefing_sheet(book, contents, rows)
        summary_sheet(book, contents, {r.result.code: r for r in rows})
        breakdown_sheets(book, contents)
        narratives_sheet(book, contents)
        members_sheet(book, contents)
        cover_sheet(book, contents)
        book.save(stream)


def workbook_filename(req: WorkbookRequest) -> str:
    period = f"{req.year}" + (f"-Q{req.quarter}" if req.quarter else "")
    extra = "-tam-tinh" if req.provisional else ""
    return f"tien-do-chi-tieu-{req.programme.code}-{period}{extra}.xlsx"


# --- briefing: the first printed page ---------------------------------------------------

BRIEFING_WIDTHS = [6, 44, 8, 19, 20, 24, 9, 28]


def briefing_sheet(book: Workbook, contents: Contents, rows: list[BriefRow]) -> None:
    """One page, whatever the rest: it prints fitted to a single A4 landscape sheet."""
    risky = most_at_risk(rows)
    header = 2 + 1 + max(1, len(risky)) + 1  # title, subtitle, the risks, then the header
    sheet = sheet_setup(
        book.create_sheet(SHEET_BRIEFING), BRIEFING_WIDTHS, header_row=header, demo=contents.demo
    )
    sheet.ws.page_setup.fitToHeight = 1
    programme = contents.request.programme
    sheet.title(
        _("BRIEFING: TARGETS OF PROGRAMME %(number)s, %(period)s")
        % {"number": programme.number, "period": period_label(contents).upper()},
        " · ".join([contents.province.name, data_label(contents), tree_label(contents)]),
    )
    sheet.note(_("Most at risk:"), font=font(bold=True))
    for row in risky:
        sheet.note("• " + risk_line(row), font=font())
    if not risky:
        sheet.note(_("No target is missed or at risk."), font=font())
    sheet.header(
        [
            _("Code"),
            _("Indicator"),
            _("Target"),
            _("Result"),
            _("Status"),
            _("Change since the last complete quarter"),
            _("Reports"),
            _("Forecast for the end of the term"),
        ]
    )
    sheet.section("I. " + annual_scope(contents))
    for row in rows:
        if row.kind == "annual":
            sheet.append(_brief_cells(sheet, row))
    sheet.section("II. " + term_scope(contents))
    for row in rows:
        if row.kind == "term":
            sheet.append(_brief_cells(sheet, row))
    sheet.note(legend() + ". " + _brief_note())


def _brief_cells(sheet: Sheet, row: BriefRow) -> list[Any]:
    r = row.result
    return [
        sheet.text(r.code, bold=True),
        sheet.text(r.indicator.name, wrap=True),
        sheet.text(row.target_text),
        sheet.text(row.result_text, bold=True),
        sheet.text(row.status_text, **status_style(r.status)),
        sheet.text(row.change_text, wrap=True),
        sheet.text(f"{r.coverage.reported}/{r.coverage.expected}"),
        sheet.text(row.forecast_text, wrap=True),
    ]


def _brief_note() -> str:
    return _(
        "Result: the value with its numerator and denominator. Change: annual targets "
        "against the same quarter of the year before, term targets against the complete "
        "quarter before; only between quarters whose reports are all in. Forecast: the "
        "straight line through the complete quarters, read at the end of the term. Reports: "
        "received of expected. Details of this workbook are on its last sheet."
    )


# --- cover --------------------------------------------------------------------------------


def cover_sheet(book: Workbook, contents: Contents) -> None:
    sheet = sheet_setup(book.create_sheet(SHEET_COVER), [34, 100], header_row=1, demo=contents.demo)
    sheet.note(contents.province.name.upper(), font=font(bold=True))
    if contents.demo:
        sheet.note(demo_words(), font=font(bold=True, color=DEMO_COLOUR))
    sheet.blank()
    title = _("PROGRESS ON THE TARGETS OF THE ACTION PROGRAMME")
    sheet.note(title, font=font(bold=True, size=16), line=22)
    sheet.note(_("For the Standing Committee"))
    sheet.blank()
    for label, cell in _cover_rows(sheet, contents):
        sheet.append([sheet.text(label, bold=True), cell])
    sheet.blank()
    sheet.note(
        _(
            "Percentages are stored as numbers with a percent format; every ratio is the "
            "sum of numerators over the sum of denominators (never an average of "
            "percentages). A blank figure means not reported, not zero."
        )
    )


def _cover_rows(sheet: Sheet, contents: Contents) -> list[tuple[str, Any]]:
    """The cover's facts: what the workbook covers, and who made it when."""
    req, programme = contents.request, contents.request.programme
    generated = timezone.localtime(req.generated or timezone.now())
    last, annual = contents.last_period, contents.annual
    return [
        (_("Programme"), sheet.text(f"{programme.number}: {programme.title}", wrap=True)),
        (_("Term"), sheet.text(_term(programme))),
        (_("Period"), sheet.text(period_label(contents), bold=True)),
        (_("Annual indicators"), sheet.text(annual_scope(contents), wrap=True)),
        (_("Term indicators"), sheet.text(term_scope(contents), wrap=True)),
        (_("Data included"), sheet.text(data_label(contents))),
        (_("Tree of units"), sheet.text(tree_label(contents), wrap=True)),
        (
            _("Reports received for %(quarter)s") % {"quarter": quarter_label(period_key(last))},
            sheet.text(
                _("%(received)s of %(expected)s expected reporting units")
                % {"received": annual.received_reports, "expected": annual.expected_reports}
            ),
        ),
        (_("Generated at"), sheet.text(day_time(generated) + " (GMT+7)")),
        (_("Generated by"), sheet.text(req.author or "–")),
        (_("Sheets"), sheet.text(_sheet_list(), wrap=True)),
    ]


def _term(programme: Any) -> str:
    return f"{day(programme.term_start)} – {day(programme.term_end)}"


def _sheet_list() -> str:
    return _(
        "Briefing on one page; summary of every indicator; each group of indicators by "
        "reporting unit; narratives for task groups 3.1–3.8; members by quarter with a chart"
    )


# --- summary ------------------------------------------------------------------------------

SUMMARY_WIDTHS = [6, 50, 10, 10, 10, 10, 21, 12, 10, 16]


def summary_sheet(book: Workbook, contents: Contents, brief: dict[str, BriefRow]) -> None:
    """Every indicator with its counts as numbers; the change is the briefing's."""
    sheet = sheet_setup(
        book.create_sheet(SHEET_SUMMARY), SUMMARY_WIDTHS, header_row=3, freeze="C4",
        demo=contents.demo,
    )  # fmt: skip
    sheet.title(_("SUMMARY OF THE INDICATORS"), subtitle(contents))
    sheet.header(
        [
            _("Code"),
            _("Indicator"),
            _("Target"),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("Status"),
            _("Change since the last complete quarter"),
            _("Reports"),
            _("Figures of"),
        ]
    )
    sheet.section("I. " + annual_scope(contents))
    for row in contents.annual_rows:
        sheet.append(summary_row(sheet, row, brief[row.result.code]))
    sheet.section("II. " + term_scope(contents))
    for row in contents.term_rows:
        sheet.append(summary_row(sheet, row, brief[row.result.code]))
    sheet.blank()
    sheet.note(_change_note(contents))
    sheet.note(legend())


def summary_row(sheet: Sheet, row: sel.Row, brief: BriefRow) -> list[Any]:
    r = row.result
    display = r.indicator.display
    word = f"{symbol(r.status)} {status_word(r.status)}"
    note = quarter_label(r.quarter) if r.quarter else ""
    if r.provisional:
        provisional = _("provisional")
        note = f"{note}; {provisional}" if note else provisional
    return [
        sheet.text(r.code, bold=True),
        sheet.text(r.indicator.name, wrap=True),
        target_cell(sheet, r),
        value_cell(sheet, r, marked=False),  # the status column says it
        sheet.number(r.numerator),
        sheet.number(r.denominator),
        sheet.text(word, **status_style(r.status)),
        change_cell(sheet, brief.change, display),
        sheet.text(f"{r.coverage.reported}/{r.coverage.expected}"),
        sheet.text(note, wrap=True),
    ]


def _change_note(contents: Contents) -> str:
    return _(
        "Change: annual indicators against the same quarter of the year before, term "
        "indicators against the complete quarter before, only between quarters whose reports "
        "are all in (the briefing names the quarters). Percentages change in percentage points."
    )
