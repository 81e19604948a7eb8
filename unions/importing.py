"""Loading units from a spreadsheet (CSV or XLSX) through the reorganisation services.

Three steps, each returning typed results: `table_read` turns the file into raw rows (or refuses
a file that is not a real CSV/XLSX with one ImportFileError), `rows_parse` checks each cell (both
in `unit_file`), and `units_load` writes everything in one transaction through `unit_create` and
`unit_dissolve`, rolling it all back if any line is bad (or if it is a dry run). Every bad line
is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Unit
from .services import ReorgError, UnitData, unit_create, unit_dissolve
from .unit_file import (
    COLUMNS,
    Cell,
    ImportFileError,
    ParsedFile,
    RowError,
    UnitRow,
    rows_parse,
    table_read,
)

# Read from here by the accounts' import and older code; they live in `unit_file`.
__all__ = ["COLUMNS", "Cell", "ImportFileError", "RowError", "table_read"]


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
