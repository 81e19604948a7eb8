"""Reads CSV and XLSX files into numbered rows of cells, within one set of limits.

Used by `import_units`, `import_values` and the report template upload, so a hostile file is
refused the same way wherever it arrives: too large, too many rows or columns, a cell too long,
a zip bomb, damaged or truncated XML, a DTD (XXE, billion laughs), NUL bytes in a CSV. Every
refusal is a `FileRefused` whose messages are in the reader's language and name the line; no
other exception leaves this module for a file's sake. At most `MAX_PROBLEMS` problems are listed,
followed by a count of the rest.

Formulas are never evaluated: openpyxl is asked for cells as written, and a formula cell comes
back with data_type "f" for the caller to refuse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 5_000
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_PROBLEMS = 50

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls files and password-protected workbooks
# A workbook never needs a document type declaration; one is how XXE and entity bombs start.
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

Value = str | int | float | bool | dt.date | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class ReadCell:
    """One cell as written in the file; `data_type` is "f" for a formula."""

    value: Value
    row: int
    column: int
    data_type: str = "s"


@dataclass(frozen=True)
class Row:
    line: int  # as a spreadsheet program numbers it (the first row is 1)
    cells: tuple[ReadCell, ...]

    @property
    def values(self) -> list[Value]:
        return [cell.value for cell in self.cells]

    @property
    def formulas(self) -> set[int]:
        """Positions (0-based) of the cells that hold formulas."""
        return {i for i, cell in enumerate(self.cells) if cell.data_type == "f"}


class FileRefused(Exception):
    """The file cannot be used; `messages` say why, in the reader's language."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = problems_listed(messages)
        super().__init__("\n".join(self.messages))


class Upload(Protocol):
    size: int | None

    def read(self, size: int = -1) -> bytes: ...


def grouped(number: int) -> str:
    """A limit as the reader's language writes it (24.500 in Vietnamese), from Django's locale
    formats as `lib.formats` does (this layer does not import lib)."""
    return number_format(number, use_l10n=True, force_grouping=True)


def problems_listed(problems: Sequence[str], limit: int = MAX_PROBLEMS) -> list[str]:
    """The first `limit` problems, then one line counting the rest."""
    shown = [str(p) for p in problems[:limit]]
    rest = len(problems) - limit
    if rest > 0:
        shown.append(
            ngettext("… and %(count)d more problem.", "… and %(count)d more problems.", rest)
            % {"count": rest}
        )
    return shown


def at_line(line: int, message: str) -> str:
    return _("line %(line)d: %(message)s") % {"line": line, "message": message}


# ---------------------------------------------------------------- getting the bytes


def _too_large() -> FileRefused:
    return FileRefused(
        [_("The file is larger than %(mb)d MB; it was refused.") % {"mb": MAX_BYTES // 2**20}]
    )


def path_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _too_large()
        return path.read_bytes()
    except OSError as exc:
        raise FileRefused(
            [_("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": exc.strerror}]
        ) from exc


def upload_bytes(upload: Upload) -> bytes:
    if (upload.size or 0) > MAX_BYTES:
        raise _too_large()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_large()
    return data


# ---------------------------------------------------------------- one table (CSV or sheet 1)


def table_rows(data: bytes, name: str, *, max_col: int = MAX_COLUMNS) -> list[Row]:
    """The rows of a CSV file or of an XLSX workbook's first sheet."""
    if len(data) > MAX_BYTES:
        raise _too_large()
    if data.startswith(ZIP_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        return workbook_sheets(data, None, max_col=max_col)[""]
    if data.startswith(CFB_MAGIC) or name.lower().endswith(".xls"):
        raise FileRefused([_old_format()])
    return csv_rows(data, max_col=max_col)


def _old_format() -> str:
    return _("The file is password-protected or in the old .xls format; save it as .xlsx.")


# ---------------------------------------------------------------- CSV


def csv_rows(data: bytes, *, max_col: int = MAX_COLUMNS) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            [_("The file is not UTF-8 text; export it from Excel as “CSV UTF-8”.")]
        ) from exc
    nul_lines = [n for n, line in enumerate(text.split("\n"), start=1) if "\x00" in line]
    if nul_lines:
        raise FileRefused(
            [at_line(n, _("a NUL character; this is not a CSV file.")) for n in nul_lines]
        )
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return _limited(_csv_records(text, delimiter, max_col))


def _csv_records(text: str, delimiter: str, max_col: int) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for record in reader:
            cells = tuple(ReadCell(v, line, col) for col, v in enumerate(record[:max_col], 1))
            yield Row(line, cells)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileRefused(
            [at_line(line, _("not valid CSV (%(error)s).") % {"error": exc})]
        ) from exc


# ---------------------------------------------------------------- the limits on rows and cells


def _limited(rows: Iterable[Row]) -> list[Row]:
    out: list[Row] = []
    problems: list[str] = []
    for row in rows:
        if len(out) >= MAX_ROWS:
            raise FileRefused(
                [
                    _("The file has more than %(rows)s rows; split it into smaller files.")
                    % {"rows": grouped(MAX_ROWS)}
                ]
            )
        problems += [
            at_line(
                row.line,
                _("the cell in column %(column)s is longer than %(limit)s characters.")
                % {
                    "column": _column_letter(cell.column),
                    "limit": grouped(MAX_CELL_CHARS),
                },
            )
            for cell in row.cells
            if isinstance(cell.value, str) and len(cell.value) > MAX_CELL_CHARS
        ]
        out.append(row)
    if problems:
        raise FileRefused(problems)
    return out


def _column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- XLSX


def _damaged() -> str:
    return _("The file is not an Excel workbook (.xlsx) or is damaged.")


def zip_check(data: bytes) -> None:
    """Refuses what is not a plain, reasonably sized zip of well-behaved XML, before openpyxl
    parses anything: sizes and ratio first (a zip bomb), then every part is read once (the
    reading is bounded by the sizes just checked, and fails on a truncated or corrupt part)
    and refused if it declares a DTD."""
    if data.startswith(CFB_MAGIC):
        raise FileRefused([_old_format()])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _sizes_check(members)
            for member in members:
                _part_check(archive.read(member))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise FileRefused([_damaged()]) from exc
    except NotImplementedError as exc:  # an unsupported compression method
        raise FileRefused([_damaged()]) from exc


def _sizes_check(members: list[zipfile.ZipInfo]) -> None:
    if any(m.flag_bits & 0x1 for m in members):
        raise FileRefused([_("The file is password-protected; remove the password and try again.")])
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise FileRefused(
            [
                _("The file unpacks to %(mb)s MB, far more than it should; it was refused.")
                % {"mb": round(unpacked / 2**20, 1)}
            ]
        )


def _part_check(part: bytes) -> None:
    if part.startswith((b"\xff\xfe", b"\xfe\xff")) or _DTD.search(part):
        raise FileRefused(
            [_("The file contains XML declarations that a workbook never needs; it was refused.")]
        )


def workbook_sheets(
    data: bytes, names: Sequence[str] | None, *, max_col: int = MAX_COLUMNS, full_rows: bool = False
) -> dict[str, list[Row]]:
    """The rows of the named sheets that exist (all of them read within the limits), or with
    `names` None the first sheet's rows under the key "". Rows end at their last value unless
    `full_rows` asks for `max_col` cells in every row."""
    if len(data) > MAX_BYTES:
        raise _too_large()
    zip_check(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl fails in many ways on a damaged file; all mean that
        raise FileRefused([_damaged()]) from exc
    try:
        if names is None:
            sheets = {"": book.worksheets[0]} if book.worksheets else {}
        else:
            sheets = {name: book[name] for name in names if name in book.sheetnames}
        return {
            key: _limited(_sheet_rows(sheet, max_col, full_rows)) for key, sheet in sheets.items()
        }
    except FileRefused:
        raise
    except Exception as exc:  # damaged XML shows only while the rows are parsed
        raise FileRefused([_damaged()]) from exc
    finally:
        book.close()


def _sheet_rows(sheet: Any, max_col: int, full_rows: bool) -> Iterator[Row]:
    sheet.reset_dimensions()  # some writers store wrong dimensions; read every row
    line = 0
    for cells in sheet.iter_rows(max_col=max_col):
        line = next((c.row for c in cells if getattr(c, "row", None)), line + 1)
        read = [
            ReadCell(_value(cell), line, column, getattr(cell, "data_type", "s") or "s")
            for column, cell in enumerate(cells, start=1)
        ]
        while not full_rows and read and read[-1].value is None:  # padding to max_col
            read.pop()
        yield Row(line, tuple(read))


def _value(cell: Any) -> Value:
    value: Value = getattr(cell, "value", None)
    return value
