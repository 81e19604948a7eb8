"""Reading a file of units (CSV or XLSX) and checking each cell, for `importing`: the file
becomes raw rows keyed by column name, then typed rows or the problems of each line.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from fileread.reader import FileRefused, Value, path_bytes, table_rows

from .models import Sector, Unit, UnitKind

Cell = Value  # a dt.datetime is a dt.date

COLUMNS = (
    "code",
    "name",
    "kind",
    "parent",
    "valid_from",
    "valid_to",
    "sector",
    "budget_paid",
    "successor",
    "note",
)
REQUIRED_COLUMNS = ("code", "name", "kind", "valid_from")

# How people write the kinds; keys are NFC and casefolded.
KIND_ALIASES = {
    "lđlđ tỉnh": UnitKind.PROVINCE,
    "lđlđ huyện": UnitKind.DISTRICT,
    "lđlđ thành phố": UnitKind.DISTRICT,
    "cđ ngành": UnitKind.SECTOR,
    "cđ viên chức": UnitKind.CIVIL_SERVANTS,
    "cđ xã": UnitKind.COMMUNE,
    "cđ phường": UnitKind.COMMUNE,
    "cđcs": UnitKind.GRASSROOTS,
    "nđcs": UnitKind.OCCUPATIONAL,
} | {kind.value: kind for kind in UnitKind}
YES = frozenset({"yes", "có", "1", "true", "x"})
NO = frozenset({"no", "không", "0", "false", ""})
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
# Columns a file may carry besides ours (a row number, remarks): read, then ignored.
MAX_EXTRA_COLUMNS = 20


class ImportFileError(Exception):
    """The file as a whole cannot be read as a list of units; the messages say why."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, Cell]
    formulas: tuple[str, ...] = ()  # columns whose cell holds a formula


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    kind: str
    parent: str
    valid_from: dt.date
    valid_to: dt.date | None
    sector: str
    budget_paid: bool
    successor: str
    note: str


@dataclass(frozen=True)
class Table:
    rows: list[RawRow]
    ignored_columns: tuple[str, ...] = ()  # named in the header but not ours (“STT”, …)


@dataclass(frozen=True)
class ParsedFile:
    rows: list[UnitRow]
    errors: list[RowError]
    lines_by_code: dict[str, int]  # first line of every code in the file, valid row or not
    ignored_columns: tuple[str, ...] = ()


# Reading: bytes → raw rows keyed by column name


def table_read(path: Path) -> Table:
    try:
        rows = table_rows(path_bytes(path), path.name, max_col=len(COLUMNS) + MAX_EXTRA_COLUMNS)
    except FileRefused as exc:
        raise ImportFileError(*exc.messages) from exc
    return _keyed((row.line, row.values, row.formulas) for row in rows)


def _keyed(records: Iterable[tuple[int, list[Cell], set[int]]]) -> Table:
    """Rows as {column: value}, the first non-blank row naming the columns."""
    ignored: list[str] = []
    columns: list[str] | None = None
    rows: list[RawRow] = []
    for line, values, formulas in records:
        if all(_text(v) == "" for v in values):
            continue
        if columns is None:
            columns = _header(line, values)
            ignored = [c for c in columns if c and c not in COLUMNS]
            columns = [c if c in COLUMNS else "" for c in columns]
            continue
        cells = {col: val for col, val in zip(columns, values, strict=False) if col}
        in_formula = tuple(columns[i] for i in sorted(formulas) if i < len(columns) and columns[i])
        rows.append(RawRow(line, cells, in_formula))
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    return Table(rows, tuple(ignored))


def _header(line: int, values: list[Cell]) -> list[str]:
    columns = [_text(v).casefold() for v in values]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    repeated = sorted({c for c in columns if c in COLUMNS and columns.count(c) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    if repeated:
        problems.append(_("repeated columns: %(columns)s") % {"columns": ", ".join(repeated)})
    if problems:
        raise ImportFileError(
            _("Line %(line)d must name the columns (%(allowed)s): %(problems)s.")
            % {"line": line, "allowed": ", ".join(COLUMNS), "problems": "; ".join(problems)}
        )
    return columns


# Parsing: raw cells → typed rows, every problem of every line collected


class _Bad(ValueError):
    """One cell cannot be understood; the message says why."""


def rows_parse(table: Table) -> ParsedFile:
    rows: list[UnitRow] = []
    errors: list[RowError] = []
    lines_by_code: dict[str, int] = {}
    for raw in table.rows:
        code = _text(raw.cells.get("code"))
        first = lines_by_code.setdefault(code, raw.line) if code else raw.line
        row, problems = _row_parse(raw)
        if first != raw.line:
            problems.append(
                _("code %(code)s is used twice in the file (first on line %(first)d)")
                % {"code": code, "first": first}
            )
        if row is None or problems:
            errors.extend(RowError(raw.line, p) for p in problems)
        else:
            rows.append(row)
    return ParsedFile(rows, errors, lines_by_code, table.ignored_columns)


def _row_parse(raw: RawRow) -> tuple[UnitRow | None, list[str]]:
    problems = [
        _("the cell in column %(column)s holds a formula (%(formula)s); type the value itself")
        % {"column": column, "formula": raw.cells.get(column)}
        for column in raw.formulas
    ]
    values: dict[str, Any] = {}
    for column, parser in _PARSERS.items():
        try:
            values[column] = parser(raw.cells.get(column))
        except _Bad as bad:
            if column not in raw.formulas:
                problems.append(str(bad))
    if values.get("successor") and values.get("valid_to") is None:
        problems.append(_("a successor is only named for a unit with a valid_to date"))
    return (None if problems else UnitRow(line=raw.line, **values)), problems


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel: 1001, not 1001.0
    return unicodedata.normalize("NFC", str(value)).strip()


def _limited(column: str, value: Cell) -> str:
    text = _text(value)
    if not text:
        raise _Bad(_("the %(column)s is empty") % {"column": column})
    limit: int = getattr(Unit._meta.get_field(column), "max_length", 0)
    if len(text) > limit:
        raise _Bad(
            _("the %(column)s is longer than %(limit)d characters")
            % {"column": column, "limit": limit}
        )
    return text


def _kind(value: Cell) -> str:
    text = _text(value)
    kind = KIND_ALIASES.get(" ".join(text.casefold().split()))
    if kind is None:
        raise _Bad(
            _("unknown kind “%(kind)s” (use one of: %(choices)s)")
            % {"kind": text, "choices": ", ".join(KIND_ALIASES)}
        )
    return kind.value


def _date(column: str, value: Cell) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _Bad(
        _("“%(value)s” in column %(column)s is not a date (write dd/mm/yyyy or yyyy-mm-dd)")
        % {"value": text, "column": column}
    )


def _start(value: Cell) -> dt.date:
    day = _date("valid_from", value)
    if day is None:
        raise _Bad(_("the valid_from date is empty"))
    return day


def _sector(value: Cell) -> str:
    text = _text(value).casefold()
    if text and text not in Sector.values:
        raise _Bad(
            _("unknown sector “%(sector)s” (use one of: %(choices)s)")
            % {"sector": _text(value), "choices": ", ".join(Sector.values)}
        )
    return text


def _yes_no(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text not in YES | NO:
        raise _Bad(
            _("“%(value)s” in column budget_paid is not yes or no") % {"value": _text(value)}
        )
    return text in YES


_PARSERS: dict[str, Callable[[Cell], Any]] = {
    "code": lambda value: _limited("code", value),
    "name": lambda value: _limited("name", value),
    "kind": _kind,
    "parent": _text,
    "valid_from": _start,
    "valid_to": lambda value: _date("valid_to", value),
    "sector": _sector,
    "budget_paid": _yes_no,
    "successor": _text,
    "note": _text,
}
