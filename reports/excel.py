"""The Excel round trip of one report: a protected, pre-filled template out, a checked upload in.

The file carries the report's id, unit, period and version in a header block so an upload can
be matched to the report it was made for. Uploads are never trusted: the zip container is
checked before openpyxl sees it, formulas are refused rather than evaluated, and every cell
goes through `parse_entry` (digits grouped the Vietnamese way, whoever uploads the file) and then
the same validation as the web form.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lib.formats import day, day_kept
from targets.models import Field, TaskGroup
from targets.programmes import programmes_in_force

from .models import Report, ValueState
from .numbers import Entry
from .registry import registry_counts
from .services import previous_report, report_fields, report_task_groups

SHEET_REPORT = "Báo cáo"
SHEET_NARRATIVE = "Thuyết minh"
# Machine-readable keys in the hidden column A; "#" cannot start a field code (a slug).
KEY_UNIT, KEY_PERIOD, KEY_CUTOFF = "#unit", "#period", "#cutoff"
KEY_REPORT, KEY_REVISION, KEY_VERSION = "#report", "#revision", "#version"
INPUT_COLUMN = 5  # E
NARRATIVE_COLUMNS = (3, 4, 5)  # C, D, E: results, shortfalls, next steps
NARRATIVE_MAX_CHARS = 5000


INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="D9E2EC")
THIN = Side(style="thin", color="9AA6B2")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER_FORMAT = "#,##0"


def _entries(report: Report) -> dict[str, Entry]:
    return {v.field.code: Entry(v.state, v.number) for v in report.values.select_related("field")}


def narrative_texts(report: Report, groups: list[TaskGroup]) -> dict[str, tuple[str, str, str]]:
    key_of = {g.pk: g.key for g in groups}
    return {
        key_of[n.task_group_id]: (n.results, n.shortfalls, n.next_steps)
        for n in report.narratives.all()
        if n.task_group_id in key_of
    }


def _is_province(report: Report) -> bool:
    return report.unit.kind == "province"


def _cell_value(entry: Entry | None) -> int | str | None:
    if entry is None or entry.state == ValueState.BLANK:
        return None
    return entry.number if entry.state == ValueState.NUMBER else "NA"


def _time_wording(field: Field, report: Report) -> str:
    if field.time_kind == "stock":
        return _("As of %(date)s") % {"date": day(report.period.cutoff)}
    if field.time_kind == "ytd":
        return _("Cumulative since 1 January %(year)s") % {"year": report.period.year}
    return _("In this quarter")


# ---------------------------------------------------------------- writing the template


def report_workbook(report: Report) -> bytes:
    """The report as a protected XLSX with only the input cells unlocked, in Vietnamese."""
    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        assert isinstance(sheet, Worksheet)
        sheet.title = SHEET_REPORT
        _write_values_sheet(sheet, report)
        _write_narrative_sheet(book.create_sheet(SHEET_NARRATIVE), report)
        book.security = WorkbookProtection(lockStructure=True)
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def _put(sheet: Worksheet, row: int, col: int, value: object) -> Cell:
    """Writes a cell; text a user typed (a unit name, a narrative, a code) stays text even when
    it starts with "=", which openpyxl would otherwise store as a formula, and loses the
    control characters a workbook cannot hold (openpyxl would refuse the whole file)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row, col, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _write_values_sheet(sheet: Worksheet, report: Report) -> None:
    sheet["B1"] = _("QUARTERLY REPORT FOR PROGRAMMES %(numbers)s") % {
        "numbers": ", ".join(
            p.number for p in programmes_in_force(report.period.year, report.period.quarter)
        )
    }
    sheet["B1"].font = Font(bold=True, size=13)
    header = [
        (KEY_UNIT, _("Reporting unit"), report.unit.code, report.unit.name),
        (KEY_PERIOD, _("Period"), report.period.code, str(report.period.label)),
        (KEY_CUTOFF, _("Cut-off date"), day_kept(report.period.cutoff), ""),
        (KEY_REPORT, _("Report id"), report.pk, ""),
        (KEY_REVISION, _("Revision"), report.revision, ""),
        (KEY_VERSION, _("Version"), report.version, _("Do not change the cells of this block.")),
    ]
    for row, (key, label, value, note) in enumerate(header, start=3):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, label).font = Font(bold=True)
        _put(sheet, row, 3, value).alignment = Alignment(horizontal="left")
        _put(sheet, row, 4, note)
    table_row = 3 + len(header) + 1
    _write_table(sheet, report, table_row)
    _layout(sheet, widths={"A": 4, "B": 60, "C": 28, "D": 14, "E": 16, "F": 36}, title=table_row)


def _write_table(sheet: Worksheet, report: Report, head: int) -> None:
    titles = [
        "#fields",
        _("Indicator data"),
        _("Time"),
        _("Previous quarter"),
        _("Value"),
        _("Note"),
    ]
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(head, col, title)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    current = _entries(report)
    prev = previous_report(report)
    before = _entries(prev) if prev else {}
    counts = registry_counts(report.unit, report.period.cutoff)
    fields = report_fields(report.period, province=_is_province(report))
    for row, f in enumerate(fields, start=head + 1):
        entry = current.get(f.code)
        known = counts.get(f.registry_count) if f.registry_count else None
        if entry is None and known is not None:
            entry = Entry.of(known)
        note = _("Registry: %(n)s") % {"n": known} if known is not None else ""
        cells = [f.code, f.label_vi, _time_wording(f, report), _cell_value(before.get(f.code))]
        for col, value in enumerate([*cells, _cell_value(entry), note], start=1):
            cell = _put(sheet, row, col, value)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 4).number_format = NUMBER_FORMAT
        _input_cell(sheet.cell(row, INPUT_COLUMN))
    if fields:
        _validate_inputs(sheet, head + 1, head + len(fields))


def _input_cell(cell: object) -> None:
    cell.protection = Protection(locked=False)  # type: ignore[attr-defined]
    cell.fill = INPUT_FILL  # type: ignore[attr-defined]
    cell.number_format = NUMBER_FORMAT  # type: ignore[attr-defined]
    cell.alignment = Alignment(horizontal="right", vertical="top")  # type: ignore[attr-defined]


def _validate_inputs(sheet: Worksheet, first: int, last: int) -> None:
    top = f"E{first}"
    rule = DataValidation(
        type="custom",
        formula1=f'OR(AND(ISNUMBER({top}),{top}>=0,{top}=INT({top})),UPPER({top})="NA")',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle=_("Enter a value")[:32],
        prompt=_(
            "A whole number of 0 or more. Leave empty if not reported; type NA if not applicable."
        )[:255],
        errorTitle=_("Not accepted")[:32],
        error=_("Enter a whole number of 0 or more, NA, or leave the cell empty.")[:255],
    )
    rule.add(f"E{first}:E{last}")
    sheet.add_data_validation(rule)


def _write_narrative_sheet(sheet: Worksheet, report: Report) -> None:
    sheet["B1"] = _("Narrative by task group")
    sheet["B1"].font = Font(bold=True, size=13)
    titles = ["#groups", _("Task group"), _("Results"), _("Shortfalls"), _("Next steps")]
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(3, col, title)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
    groups = report_task_groups(report.period)
    texts = narrative_texts(report, groups)
    for row, group in enumerate(groups, start=4):
        _put(sheet, row, 1, group.key)
        _put(sheet, row, 2, f"{group.key}. {group.title_vi}")
        for col, text in zip(NARRATIVE_COLUMNS, texts.get(group.key, ("", "", "")), strict=True):
            cell = _put(sheet, row, col, text or None)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
        for col in range(1, 6):
            sheet.cell(row, col).border = BOX
            sheet.cell(row, col).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 90
    _layout(sheet, widths={"A": 4, "B": 40, "C": 40, "D": 40, "E": 40}, title=3)
    sheet.page_setup.orientation = "landscape"


def _layout(sheet: Worksheet, *, widths: dict[str, int], title: int) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns to read
    sheet.protection.formatRows = False
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{title}:{title}"
    sheet.freeze_panes = sheet.cell(title + 1, 1)
