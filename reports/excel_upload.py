"""Reading an Excel template back: every cell checked without evaluating anything, matched to
the report it was made for, and previewed before anything is saved. The template itself is
written by `excel`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fileread.reader import FileRefused, workbook_sheets
from targets.models import Field, TaskGroup

from .excel import (
    INPUT_COLUMN,
    KEY_PERIOD,
    KEY_REPORT,
    KEY_REVISION,
    KEY_UNIT,
    NARRATIVE_COLUMNS,
    NARRATIVE_MAX_CHARS,
    SHEET_NARRATIVE,
    SHEET_REPORT,
    narrative_texts,
)
from .findings import is_province_report, report_entries
from .models import Report
from .numbers import FILES, Entry, NumberError, parse_entry
from .services import report_fields, report_task_groups


class UploadError(Exception):
    """The file as a whole cannot be used; the message says why, for the user."""


@dataclass
class Upload:
    """What a template upload said, cell by cell, before it is compared with the report."""

    header: dict[str, str] = field(default_factory=dict)
    values: dict[str, Entry] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    narratives: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _is_formula(cell: object) -> bool:
    value = getattr(cell, "value", None)
    return getattr(cell, "data_type", "") == "f" or (
        isinstance(value, str) and value.startswith("=")
    )


def workbook_read(data: bytes) -> Upload:
    """Reads a template without evaluating anything: formulas are refused, not computed.

    openpyxl is asked for the cells as written (not cached results) precisely so that a
    formula shows up as one and can be refused.
    """
    try:
        sheets = workbook_sheets(
            data, [SHEET_REPORT, SHEET_NARRATIVE], max_col=INPUT_COLUMN, full_rows=True
        )
    except FileRefused as exc:
        raise UploadError("\n".join(exc.messages)) from exc
    if SHEET_REPORT not in sheets:
        raise UploadError(
            _("This is not a report template from the portal (no sheet “%(name)s”).")
            % {"name": SHEET_REPORT}
        )
    upload = Upload()
    _read_values((row.cells for row in sheets[SHEET_REPORT]), upload)
    _read_narratives((row.cells for row in sheets.get(SHEET_NARRATIVE, [])), upload)
    return upload


def _read_values(rows: Iterable[tuple[object, ...]], upload: Upload) -> None:
    for cells in rows:
        if not cells:
            continue
        key = getattr(cells[0], "value", None)
        if not isinstance(key, str) or not key.strip():
            continue
        key = key.strip()
        row = getattr(cells[0], "row", 0)
        value_cell = cells[INPUT_COLUMN - 1] if len(cells) >= INPUT_COLUMN else None
        if key.startswith("#"):
            value = getattr(cells[2], "value", None) if len(cells) > 2 else None
            upload.header[key] = "" if value is None else str(value).strip()
        elif key in upload.rows:
            upload.problems.append(
                _("Row %(row)s (%(code)s): the field appears twice.") % {"row": row, "code": key}
            )
        else:
            upload.rows[key] = row
            _read_entry(key, value_cell, upload)


def _read_entry(code: str, cell: object, upload: Upload) -> None:
    if cell is not None and _is_formula(cell):
        upload.errors.setdefault(code, []).append(
            _("a formula; type the number itself (formulas are not calculated on upload)")
        )
        return
    try:
        upload.values[code] = parse_entry(getattr(cell, "value", None), FILES)
    except NumberError as exc:
        upload.errors.setdefault(code, []).append(number_message(exc))


def number_message(exc: NumberError) -> str:
    reason = str(exc)
    if reason == "negative":
        return _("a negative number; enter 0 or more")
    if reason == "too large":
        return _("too large a number")
    return _("not a whole number (enter digits, NA, or leave it empty)")


def _read_narratives(rows: Iterable[tuple[object, ...]], upload: Upload) -> None:
    for cells in rows:
        if len(cells) < 5:
            continue
        code = getattr(cells[0], "value", None)
        if not isinstance(code, str) or not code.strip() or code.startswith("#"):
            continue
        texts = []
        for col in NARRATIVE_COLUMNS:
            cell = cells[col - 1]
            if _is_formula(cell):
                upload.problems.append(
                    _("Sheet “%(sheet)s”, row %(row)s: formulas are not accepted.")
                    % {"sheet": SHEET_NARRATIVE, "row": getattr(cell, "row", "?")}
                )
            value = getattr(cell, "value", None)
            texts.append("" if value is None else str(value).strip()[:NARRATIVE_MAX_CHARS])
        upload.narratives[code.strip()] = (texts[0], texts[1], texts[2])


def upload_matches(upload: Upload, report: Report) -> None:
    """Refuses a file made for another report, unit, period or revision."""
    header = upload.header
    if not header:
        raise UploadError(_("The file has no report header; download a fresh template."))
    if header.get(KEY_REPORT) != str(report.pk) or header.get(KEY_REVISION) != str(report.revision):
        raise UploadError(
            _(
                "This file was made for another report (id %(id)s); download the template "
                "of this report and enter the values there."
            )
            % {"id": header.get(KEY_REPORT) or "?"}
        )
    if header.get(KEY_UNIT) != report.unit.code or header.get(KEY_PERIOD) != report.period.code:
        raise UploadError(
            _("The unit or period in the file (%(unit)s, %(period)s) is not this report's.")
            % {"unit": header.get(KEY_UNIT) or "?", "period": header.get(KEY_PERIOD) or "?"}
        )


# ---------------------------------------------------------------- the preview


@dataclass(frozen=True)
class PreviewRow:
    field: Field
    row: int | None
    current: Entry
    new: Entry | None  # None: the cell could not be read
    errors: list[str]
    warning: str = ""

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.current


@dataclass(frozen=True)
class NarrativeRow:
    group: TaskGroup
    current: tuple[str, str, str]
    new: tuple[str, str, str] | None

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.current


@dataclass
class Preview:
    rows: list[PreviewRow]
    narratives: list[NarrativeRow]
    problems: list[str]  # line by line: "Row 12 (members): not a whole number"
    values: dict[str, Entry]
    texts: dict[str, tuple[str, str, str]]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def warnings(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.warning]

    @property
    def changes(self) -> int:
        return sum(r.changed for r in self.rows) + sum(n.changed for n in self.narratives)


def upload_preview(report: Report, upload: Upload) -> Preview:
    """Compares the upload with the report and runs the form's validation on the result."""
    from .services import report_findings

    fields = report_fields(report.period, province=is_province_report(report))
    known = {f.code for f in fields}
    current = report_entries(report)
    problems = list(upload.problems)
    for code, row in upload.rows.items():
        if code not in known:
            problems.append(
                _("Row %(row)s (%(code)s): this report does not ask for this field.")
                % {"row": row, "code": code}
            )
    values = {c: e for c, e in upload.values.items() if c in known}
    findings = report_findings(report, {**current, **values})
    errors = {c: [*upload.errors.get(c, []), *findings.errors.get(c, [])] for c in known}
    rows = [
        PreviewRow(
            f,
            upload.rows.get(f.code),
            current.get(f.code, Entry.blank()),
            values.get(f.code),
            errors[f.code],
            findings.warnings.get(f.code, "") if f.code in values else "",
        )
        for f in fields
    ]
    for r in rows:
        problems += [_row_problem(r, message) for message in r.errors]
    return Preview(rows, _narrative_rows(report, upload), problems, values, upload.narratives)


def _row_problem(row: PreviewRow, message: str) -> str:
    """Where the problem is, by the field's label (what the reporter reads) and its code (what
    the file's code column holds)."""
    where = {"label": row.field.label, "code": row.field.code, "message": message}
    if row.row is None:
        return _("%(label)s (%(code)s): %(message)s") % where
    return _("Row %(row)s, %(label)s (%(code)s): %(message)s") % {"row": row.row, **where}


def _narrative_rows(report: Report, upload: Upload) -> list[NarrativeRow]:
    groups = report_task_groups(report.period)
    current = narrative_texts(report, groups)
    upload.narratives = {c: t for c, t in upload.narratives.items() if c in {g.key for g in groups}}
    return [
        NarrativeRow(g, current.get(g.key, ("", "", "")), upload.narratives.get(g.key))
        for g in groups
    ]
