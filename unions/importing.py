"""Loading units from a spreadsheet (CSV or XLSX) through the reorganisation services.

Three steps, each returning typed results: `table_read` turns the file into raw rows (or refuses
a file that is not a real CSV/XLSX with one ImportFileError), `rows_parse` checks each cell, and
`units_load` writes everything in one transaction through `unit_create` and `unit_dissolve`,
rolling it all back if any line is bad (or if it is a dry run). Every bad line is reported.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fileread.reader import FileRefused, Value, path_bytes, table_rows

from .models import Sector, Unit, UnitKind
from .services import ReorgError, UnitData, unit_create, unit_dissolve

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


@dataclass(frozen=True)
class ImportResult:
    created: list[UnitRow] = field(default_factory=list)
    dissolved: list[UnitRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    ignored_columns: tuple[str, ...] = ()

    @property
    def saved(self) -> bool:
        return not self.errors and not self.dry_run


def units_import(path: Path, *, dry_run: bool = False) -> ImportResult:
    """Reads, checks and loads a file of units; nothing is saved unless every line is good."""
    return units_load(rows_parse(table_read(path)), dry_run=dry_run)


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


# Loading: one transaction through the services, rolled back on any error or a dry run


def units_load(parsed: ParsedFile, *, dry_run: bool = False) -> ImportResult:
    with transaction.atomic():
        loader = _Loader(parsed)
        created = [row for row in parsed.rows if loader.create(row)]
        ending = sorted((r for r in created if r.successor), key=lambda r: (r.valid_to, -r.line))
        dissolved = [row for row in ending if loader.dissolve(row)]
        errors = sorted([*parsed.errors, *loader.errors], key=lambda e: e.line)
        if errors or dry_run:
            transaction.set_rollback(True)
    return ImportResult(created, dissolved, errors, dry_run, parsed.ignored_columns)


def _units_by_code(codes: list[str], chunk: int = 500) -> dict[str, Unit]:
    """In chunks: a query with one parameter per code of a large file exceeds SQLite's limit."""
    found: dict[str, Unit] = {}
    for start in range(0, len(codes), chunk):
        found |= {u.code: u for u in Unit.objects.filter(code__in=codes[start : start + chunk])}
    return found


class _Loader:
    """Creates the rows in file order, finding parents in the file or in the database."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.lines_by_code = parsed.lines_by_code
        wanted = {c for r in parsed.rows for c in (r.code, r.parent, r.successor) if c}
        self.known = _units_by_code(sorted(wanted))
        self.created: dict[str, Unit] = {}
        self.errors: list[RowError] = []

    def create(self, row: UnitRow) -> bool:
        if row.code in self.known:  # said first: it is the reason the rest of the row fails
            message = _("the code %(code)s is already used by a unit in the database")
            self.errors.append(RowError(row.line, message % {"code": row.code}))
            return False
        parent = self._find(row, row.parent, "parent") if row.parent else None
        if row.parent and parent is None:
            return False
        # A unit with a successor is created open and dissolved once every unit exists.
        end = None if row.successor else row.valid_to
        data = UnitData(
            code=row.code,
            name=row.name,
            kind=row.kind,
            valid_from=row.valid_from,
            valid_to=end,
            parent=parent,
            sector=row.sector,
            budget_paid=row.budget_paid,
            note=row.note,
        )
        try:
            self.created[row.code] = unit_create(data)
        except ReorgError as exc:
            self.errors.append(RowError(row.line, " ".join(exc.messages)))
            return False
        return True

    def dissolve(self, row: UnitRow) -> bool:
        successor = self._find(row, row.successor, "successor", later_ok=True)
        if successor is None or row.valid_to is None:
            return False
        unit = self.created[row.code]
        unit.refresh_from_db()
        successor.refresh_from_db()
        try:
            unit_dissolve(unit, row.valid_to, successor=successor)
        except ReorgError as exc:
            self.errors.append(RowError(row.line, " ".join(exc.messages)))
            return False
        return True

    def _find(self, row: UnitRow, code: str, role: str, *, later_ok: bool = False) -> Unit | None:
        line = self.lines_by_code.get(code)
        if code in self.created:
            return self.created[code]
        if line is None and code in self.known:
            return self.known[code]
        if line is None:
            problem = "missing"
        elif line == row.line:
            problem = "self"
        elif line > row.line and not later_ok:
            problem = "later"
        else:
            problem = "failed"
        message = _REFERENCE_PROBLEMS[role][problem] % {"code": code, "line": line}
        self.errors.append(RowError(row.line, str(message)))
        return None


_REFERENCE_PROBLEMS = {
    "parent": {
        "missing": gettext_lazy("the parent %(code)s does not exist"),
        "self": gettext_lazy("a unit cannot be its own parent"),
        "later": gettext_lazy(
            "the parent %(code)s only comes on line %(line)d; list parents first"
        ),
        "failed": gettext_lazy("the parent %(code)s was not imported (see line %(line)d)"),
    },
    "successor": {
        "missing": gettext_lazy("the successor %(code)s does not exist"),
        "self": gettext_lazy("a unit cannot be its own successor"),
        "failed": gettext_lazy("the successor %(code)s was not imported (see line %(line)d)"),
    },
}
