"""A programme's definition as an XLSX file: one sheet each for the programme, the field groups,
the registry counts, the task groups, the data fields, the indicators and the targets, under
Vietnamese headings. The registry counts' sheet may be left out (files exported before it
existed): the fields then name counts the portal knows already.

`definition_write` exports any programme; `definition_read` reads a file (through the hardened
reader `fileread.reader`) into rows and every problem, line by line, in the reader's language;
`definition_save` creates the programme as a new draft, all or nothing (`targets.importing`).
Codes in the cells are the portal's own (stock/ytd/flow, annual/term, percent/ratio/count…).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from fileread.reader import FileRefused, Row, at_line, workbook_sheets

from .models import Field, FieldGroup, Indicator, Programme, RegistryCount, Target, TaskGroup


@dataclass(frozen=True)
class Column:
    name: str  # the attribute (or, for links, the code of the row linked to)
    heading: str
    kind: str = "text"  # text, date, int, decimal, bool, list (codes separated by commas)


def _cols(*spec: tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


PROGRAMME = "Chương trình"
FIELD_GROUPS = "Nhóm trường số liệu"
REGISTRY_COUNTS = "Số đếm từ danh bạ"
TASK_GROUPS = "Nhóm nhiệm vụ"
FIELDS = "Trường số liệu"
INDICATORS = "Chỉ tiêu"
TARGETS = "Mức cần đạt"

SHEETS: dict[str, tuple[Column, ...]] = {
    PROGRAMME: _cols(
        ("code", "Mã"),
        ("number", "Số hiệu"),
        ("title_vi", "Tên (tiếng Việt)"),
        ("title_en", "Tên (tiếng Anh)"),
        ("issuer", "Đơn vị ban hành (mã; trống: LĐLĐ tỉnh)"),
        ("issued_on", "Ngày ban hành", "date"),
        ("term_start", "Nhiệm kỳ từ", "date"),
        ("term_end", "Nhiệm kỳ đến", "date"),
    ),
    FIELD_GROUPS: _cols(
        ("code", "Mã"),
        ("label_vi", "Tên (tiếng Việt)"),
        ("label_en", "Tên (tiếng Anh)"),
        ("order", "Thứ tự", "int"),
    ),
    REGISTRY_COUNTS: _cols(
        ("code", "Mã"),
        ("label_vi", "Tên (tiếng Việt)"),
        ("label_en", "Tên (tiếng Anh)"),
        ("unit_kinds", "Loại đơn vị được đếm (mã, cách nhau bằng dấu phẩy)", "list"),
        ("sectors", "Khu vực được đếm (mã, cách nhau bằng dấu phẩy; trống: mọi khu vực)", "list"),
        ("order", "Thứ tự", "int"),
    ),
    TASK_GROUPS: _cols(
        ("code", "Mã"),
        ("title_vi", "Tên (tiếng Việt)"),
        ("title_en", "Tên (tiếng Anh)"),
        ("order", "Thứ tự", "int"),
    ),
    FIELDS: _cols(
        ("code", "Mã"),
        ("group", "Nhóm"),
        ("label_vi", "Tên (tiếng Việt)"),
        ("label_en", "Tên (tiếng Anh)"),
        ("help_vi", "Giải thích (tiếng Việt)"),
        ("help_en", "Giải thích (tiếng Anh)"),
        ("time_kind", "Thời gian (stock/ytd/flow)"),
        ("frequency", "Tần suất (quarterly/annual)"),
        ("registry_count", "Lấy từ danh bạ đơn vị"),
        ("counts_grassroots", "Đếm CĐCS (có/không)", "bool"),
        ("province_only", "Chỉ LĐLĐ tỉnh báo cáo (có/không)", "bool"),
        ("order", "Thứ tự", "int"),
    ),
    INDICATORS: _cols(
        ("code", "Mã"),
        ("name_vi", "Tên ngắn (tiếng Việt)"),
        ("name_en", "Tên ngắn (tiếng Anh)"),
        ("text_vi", "Nội dung (tiếng Việt)"),
        ("text_en", "Nội dung (tiếng Anh)"),
        ("kind", "Loại (annual/term)"),
        ("numerator", "Tử số (mã trường)"),
        ("denominator", "Mẫu số (mã trường)"),
        ("display", "Hiển thị (percent/ratio/count)"),
        ("comparison", "So sánh (gte/gt)"),
        ("order", "Thứ tự", "int"),
    ),
    TARGETS: _cols(
        ("indicator", "Chỉ tiêu (mã)"),
        ("year", "Năm (trống: cả nhiệm kỳ)", "int"),
        ("unit", "Đơn vị (mã; trống: toàn tỉnh)"),
        ("value", "Mức cần đạt", "decimal"),
        ("baseline_value", "Giá trị gốc", "decimal"),
        ("baseline_date", "Ngày gốc", "date"),
        ("note", "Ghi chú"),
    ),
}
LINKS = {"issuer", "numerator", "denominator", "indicator", "unit"}
OPTIONAL = {REGISTRY_COUNTS}
YES, NO = "có", "không"


# ---------------------------------------------------------------- export


def _cell(obj: Any, column: Column) -> Any:
    value = getattr(obj, f"{column.name}_id" if column.name in LINKS else column.name)
    if column.name in LINKS:
        related = getattr(obj, column.name)
        return related.code if related is not None else None
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "list":
        return ", ".join(value) or None
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return value if value != "" else None


def _rows(programme: Programme) -> dict[str, Iterable[Any]]:
    indicators = list(programme.indicators.select_related("numerator", "denominator"))
    used = {i.numerator for i in indicators} | {i.denominator for i in indicators}
    fields = sorted((f for f in used if f is not None), key=lambda f: (f.order, f.code))
    targets = Target.objects.filter(indicator__programme=programme).select_related(
        "indicator", "unit"
    )
    groups = FieldGroup.objects.filter(code__in={f.group for f in fields})
    counts = RegistryCount.objects.filter(code__in={f.registry_count for f in fields})
    return {
        PROGRAMME: [programme],
        FIELD_GROUPS: groups.order_by("order", "code"),
        REGISTRY_COUNTS: counts.order_by("order", "code"),
        TASK_GROUPS: programme.task_groups.order_by("order", "code"),
        FIELDS: fields,
        INDICATORS: indicators,
        TARGETS: targets.order_by("indicator__order", "indicator__code", "year", "unit__code"),
    }


def definition_write(programme: Programme) -> bytes:
    """The programme's definition as an XLSX workbook (the file `definition_read` reads)."""
    book = Workbook()
    book.remove(book.active)
    for name, objects in _rows(programme).items():
        sheet = book.create_sheet(name)
        sheet.append([c.heading for c in SHEETS[name]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for obj in objects:
            sheet.append([_cell(obj, c) for c in SHEETS[name]])
        for index, column in enumerate(SHEETS[name], start=1):
            if column.kind == "date":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def definition_filename(programme: Programme) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in programme.code)
    return f"chuong-trinh-{safe}.xlsx"


# ---------------------------------------------------------------- reading


@dataclass
class Parsed:
    """The rows of every sheet as {attribute: value}, each with its sheet line; the problems."""

    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, sheet: str, line: int, message: str) -> None:
        self.problems.append(f"{sheet}, {at_line(line, message)}")


def _converted(raw: Any, column: Column) -> Any:
    """The cell as the model wants it; ValueError when it cannot be."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return False if column.kind == "bool" else None
    if column.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        return dt.datetime.strptime(str(raw).strip(), "%d/%m/%Y").date()
    if column.kind == "int":
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError
        return int(str(raw).strip().removesuffix(".0"))
    if column.kind == "decimal":
        try:
            return Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError from None
    if column.kind == "list":
        return [code.strip() for code in str(raw).split(",") if code.strip()]
    if column.kind == "bool":
        word = str(raw).strip().lower()
        if word not in (YES, NO, "x", "1", "0", "true", "false"):
            raise ValueError
        return word in (YES, "x", "1", "true")
    return str(raw).strip()


def _kind_word(kind: str) -> str:
    return {
        "date": _("a date (dd/mm/yyyy)"),
        "int": _("a whole number"),
        "decimal": _("a number"),
        "bool": _("“có” or “không”"),
        "list": _("codes separated by commas"),
    }.get(kind, _("text"))


def _sheet_read(parsed: Parsed, name: str, rows: list[Row]) -> None:
    columns = SHEETS[name]
    found: list[tuple[int, dict[str, Any]]] = []
    for row in rows[1:]:
        if not any(v not in (None, "") for v in row.values):
            continue
        if row.formulas:
            parsed.problem(name, row.line, _("a formula; type the value itself."))
            continue
        values: dict[str, Any] = {}
        for column, raw in zip(columns, [*row.values, *[None] * len(columns)], strict=False):
            try:
                values[column.name] = _converted(raw, column)
            except (ValueError, TypeError):
                parsed.problem(
                    name,
                    row.line,
                    _("column “%(column)s” must be %(kind)s.")
                    % {"column": column.heading, "kind": _kind_word(column.kind)},
                )
        found.append((row.line, values))
    parsed.sheets[name] = found


def definition_read(data: bytes) -> Parsed:
    """The file's rows, each converted, and every problem of form (FileRefused for a file
    that cannot be read at all, or without one of the sheets)."""
    width = max(len(c) for c in SHEETS.values())
    sheets = workbook_sheets(data, list(SHEETS), max_col=width)
    missing = [name for name in SHEETS if name not in sheets and name not in OPTIONAL]
    if missing:
        raise FileRefused(
            [_("The file has no sheet “%(sheet)s”.") % {"sheet": name} for name in missing]
        )
    parsed = Parsed(sheets={name: [] for name in OPTIONAL})
    for name, rows in sheets.items():
        _sheet_read(parsed, name, rows)
    if len(parsed.sheets[PROGRAMME]) != 1:
        parsed.problems.append(
            _("The sheet “%(sheet)s” must have exactly one programme row.") % {"sheet": PROGRAMME}
        )
    return parsed


MODELS: dict[str, type[Any]] = {
    PROGRAMME: Programme,
    FIELD_GROUPS: FieldGroup,
    REGISTRY_COUNTS: RegistryCount,
    TASK_GROUPS: TaskGroup,
    FIELDS: Field,
    INDICATORS: Indicator,
    TARGETS: Target,
}
