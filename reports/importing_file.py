"""Reading a file of data values (CSV or XLSX) into numbered lines, for `importing`.

A file has one value per line: `unit`, `period`, `field`, `value` and optionally `status`,
under a header line naming them. Formulas are refused, never evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from fileread.reader import FileRefused, ReadCell, path_bytes, table_rows

from .models import ReportStatus

COLUMNS = ("unit", "period", "field", "value")

Cell = str | int | float | None


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class ImportLine:
    line: int
    unit: str
    period: str
    field: str
    value: Cell
    status: str = ReportStatus.APPROVED


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


def lines_read(path: Path) -> tuple[list[ImportLine], list[LineError]]:
    """The file's lines, numbered as a spreadsheet shows them (the header is line 1)."""
    try:
        rows = table_rows(path_bytes(path), path.name)
    except FileRefused as exc:
        raise ImportFileError("\n".join(exc.messages)) from exc
    return _lines((row.line, [_cell(c) for c in row.cells]) for row in rows)


class _Formula(str):
    """A cell holding a formula: refused, never evaluated."""


def _cell(cell: ReadCell) -> Cell:
    value = cell.value
    if cell.data_type == "f":
        return _Formula(value)
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _lines(rows: Iterable[tuple[int, list[Cell]]]) -> tuple[list[ImportLine], list[LineError]]:
    rows = iter(rows)
    head_line, head = next(rows, (1, []))
    names = [str(c or "").strip().lower() for c in head]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ImportFileError(
            _("Line %(line)s must name the columns %(need)s; missing: %(missing)s.")
            % {"line": head_line, "need": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    at = {name: names.index(name) for name in (*COLUMNS, "status") if name in names}
    lines, errors = [], []
    for number, row in rows:
        cells = {name: row[i] if i < len(row) else None for name, i in at.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        if any(isinstance(v, _Formula) for v in cells.values()):
            errors.append(LineError(number, _("a formula; type the value itself")))
            continue
        lines.append(
            ImportLine(
                number,
                _text(cells["unit"]),
                _text(cells["period"]),
                _text(cells["field"]),
                cells["value"],
                _text(cells.get("status")).lower() or ReportStatus.APPROVED,
            )
        )
    return lines, errors


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()
