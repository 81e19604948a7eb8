"""Every refusal of the shared file reader, and the same refusal from each of its users."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fileread import reader
from fileread.reader import FileRefused, table_rows, workbook_sheets
from reports.excel import SHEET_REPORT
from reports.excel_upload import UploadError, workbook_read
from reports.importing_file import ImportFileError as ValuesFileError
from reports.importing_file import lines_read
from tests import hostile_files as hostile
from unions.importing import ImportFileError as UnitsFileError
from unions.importing import table_read

REFUSALS = {
    "damaged": "damaged",
    "xxe": "XML declarations",
    "billion_laughs": "XML declarations",
    "utf16": "XML declarations",
    "zip_bomb": "unpacks to",
    "high_ratio": "unpacks to",
    "truncated": "damaged",
    "encrypted": "password-protected",
    "old_xls": "old .xls",
}


def refusal(build) -> tuple[str, bytes, str]:
    name, data = hostile.XLSX_CORPUS[build]()
    return name, data, REFUSALS[build]


@pytest.mark.parametrize("build", sorted(hostile.XLSX_CORPUS))
def test_the_reader_refuses_each_hostile_workbook_with_one_message(build):
    name, data, message = refusal(build)
    with pytest.raises(FileRefused) as caught:
        table_rows(data, name)
    assert len(caught.value.messages) == 1
    assert message in caught.value.messages[0]


@pytest.mark.parametrize("build", sorted(hostile.XLSX_CORPUS))
def test_the_template_upload_refuses_each_hostile_workbook_the_same_way(build):
    _name, data, message = refusal(build)
    with pytest.raises(UploadError, match=message):
        workbook_read(data)


@pytest.mark.parametrize("build", sorted(hostile.XLSX_CORPUS))
def test_import_units_refuses_each_hostile_workbook_without_a_traceback(build, tmp_path, db):
    name, data, message = refusal(build)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnitsFileError, match=message):
        table_read(path)
    with pytest.raises(CommandError, match=message):
        call_command("import_units", str(path))


@pytest.mark.parametrize("build", sorted(hostile.XLSX_CORPUS))
def test_import_values_refuses_each_hostile_workbook_the_same_way(build, tmp_path):
    name, data, message = refusal(build)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ValuesFileError, match=message):
        lines_read(path)


def test_a_good_workbook_reads_with_spreadsheet_line_numbers():
    data = hostile.workbook([["code", "name"], [], ["A", "=1+1"]])
    rows = workbook_sheets(data, [SHEET_REPORT, "absent"])
    assert list(rows) == [SHEET_REPORT]
    last = rows[SHEET_REPORT][-1]
    assert (last.line, last.values, last.formulas) == (3, ["A", "=1+1"], {1})


def test_a_nul_in_a_csv_is_named_by_its_line(tmp_path, db):
    name, data = hostile.nul_csv()
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=r"line 2: a NUL character"):
        call_command("import_units", str(path))
    with pytest.raises(ValuesFileError, match=r"line 2: a NUL character"):
        lines_read(path)


def test_at_most_fifty_problems_are_listed_then_a_count_of_the_rest():
    name, data = hostile.nul_csv(lines=70)
    with pytest.raises(FileRefused) as caught:
        table_rows(data, name)
    messages = caught.value.messages
    assert len(messages) == 51
    assert messages[49].startswith("line 51: ")
    assert messages[50] == "… and 20 more problems."


def test_a_file_with_too_many_rows_is_refused_before_anything_is_checked(tmp_path, db):
    name, data = hostile.too_many_rows_csv(reader.MAX_ROWS + 1)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=r"more than 50,000 rows"):
        call_command("import_units", str(path))
    with pytest.raises(ValuesFileError, match=r"more than 50,000 rows"):
        lines_read(path)
    # The limit is written as the reader's language writes numbers (Django's locale formats).
    with translation.override("vi"), pytest.raises(ValuesFileError, match=r"50\.000"):
        lines_read(path)


def test_a_cell_over_the_limit_is_named_by_line_and_column():
    name, data = hostile.long_cell_csv(reader.MAX_CELL_CHARS + 1)
    with pytest.raises(FileRefused, match=r"line 2: the cell in column B is longer than 5,000"):
        table_rows(data, name)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_bytes(b"code\n" + b"A\n" * 100)
    with pytest.raises(ValuesFileError, match="larger than"):
        lines_read(path)
    with pytest.raises(UnitsFileError, match="larger than"):
        table_read(path)


def test_a_csv_that_is_not_utf8_is_refused():
    name, data = hostile.not_utf8_csv()
    with pytest.raises(FileRefused, match="not UTF-8"):
        table_rows(data, name)


def test_refusals_are_in_vietnamese_for_a_vietnamese_reader():
    name, data = hostile.nul_csv()
    with translation.override("vi"), pytest.raises(FileRefused) as caught:
        table_rows(data, name)
    assert caught.value.messages == ["dòng 2: có ký tự NUL; đây không phải tệp CSV."]
