"""Importing units from CSV and XLSX: all or nothing, every bad line named, no formula evaluated."""

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.unions.test_services import assert_hierarchy_consistent, snapshot
from unions.importing import ImportFileError, table_read, units_import
from unions.models import Sector, Unit, UnitKind
from unions.selectors import unit_children, unit_descendants, unit_history, unit_parent_on

SAMPLE = Path(__file__).parent / "data" / "units_sample.csv"
D = dt.date
HEADER = ["code", "name", "kind", "parent", "valid_from", "valid_to", "sector", "budget_paid"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write_csv(tmp_path, rows, *, delimiter=",", encoding="utf-8", name="units.csv"):
    path = tmp_path / name
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(tmp_path, rows, name="units.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def province_rows(*rows):
    return [HEADER, ["P", "Province", "province", "", "01/01/2004"], *rows]


def messages(result):
    return [str(e) for e in result.errors]


# Files that load


def test_the_sample_file_loads_the_tree_and_its_2025_reform(db):
    result = units_import(SAMPLE)
    assert result.saved and not result.errors
    assert len(result.created) == Unit.objects.count() == 13
    province = Unit.objects.get(code="LDLD-LC")
    assert province.name == "Liên đoàn Lao động tỉnh Lai Châu"
    assert province.kind == UnitKind.PROVINCE
    district, commune = Unit.objects.get(code="LDLD-TD"), Unit.objects.get(code="CDX-BG")
    assert (district.valid_to, district.successor) == (D(2025, 7, 1), commune)
    tea = Unit.objects.get(code="CS-0002")
    assert [(h.parent.code, h.valid_from, h.valid_to) for h in unit_history(tea)] == [
        ("LDLD-TD", D(2018, 3, 1), D(2025, 7, 1)),
        ("CDX-BG", D(2025, 7, 1), None),
    ]
    school = Unit.objects.get(code="CS-0001")
    assert (school.sector, school.budget_paid, school.valid_to) == ("hcsn", True, D(2025, 6, 15))
    assert Unit.objects.get(code="ND-0001").kind == UnitKind.OCCUPATIONAL
    assert Unit.objects.get(code="CDVC").valid_from == D(2012, 3, 15)
    assert [u.code for u in unit_children(commune, D(2025, 8, 1))] == [
        "CS-0002",
        "CS-0003",
        "ND-0001",
    ]
    assert len(unit_descendants(province, D(2025, 1, 1))) == 9
    assert_hierarchy_consistent()


def test_a_semicolon_csv_with_a_bom_loads(tmp_path, db):
    path = write_csv(
        tmp_path,
        [
            ["Code", "NAME", "kind", "parent", "valid_from"],
            ["P", "Tỉnh; Lai Châu", "LĐLĐ TỈNH", "", "2004-01-01"],
        ],
        delimiter=";",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = units_import(path)
    assert not result.errors
    assert Unit.objects.get(code="P").name == "Tỉnh; Lai Châu"


def test_an_xlsx_with_date_cells_and_parents_in_the_database_loads(tmp_path, small_tree):
    path = write_xlsx(
        tmp_path,
        [
            [*HEADER, "note"],
            [
                1001,
                "Công ty Chè Tân Uyên",
                "CĐCS",
                "D2",
                dt.datetime(2021, 5, 1),
                None,
                "PRIVATE",
                True,
                "ghi chú",
            ],
            ["CX", "Công đoàn xã Mường Kim", "CĐ xã", "P", D(2025, 7, 1), None, None, None, None],
            [1002, "Trường Mầm non", "grassroots", "CX", "01/09/2025", None, "hcsn", "có", None],
        ],
    )
    result = units_import(path)
    assert not result.errors
    tea = Unit.objects.get(code="1001")
    assert (tea.valid_from, tea.sector, tea.budget_paid, tea.note) == (
        D(2021, 5, 1),
        Sector.PRIVATE,
        True,
        "ghi chú",
    )
    assert unit_parent_on(tea, D(2022, 1, 1)) == small_tree.d2
    school = Unit.objects.get(code="1002")
    assert [
        u.code
        for u in unit_descendants(small_tree.province, D(2025, 9, 1))
        if u.code.startswith("1")
    ] == [
        "1001",
        "1002",
    ]
    assert unit_parent_on(school, D(2025, 9, 1)).code == "CX"
    assert_hierarchy_consistent()


def test_a_successor_may_come_later_in_the_file(tmp_path, db):
    path = write_csv(
        tmp_path,
        [
            [*HEADER, "successor"],
            ["P", "Province", "province", "", "01/01/2004"],
            ["D", "District", "district", "P", "01/01/2010", "01/07/2025", "", "", "W"],
            ["C", "CĐCS", "grassroots", "D", "01/01/2015", "", "private", ""],
            ["W", "Ward", "commune", "P", "01/07/2025"],
        ],
    )
    result = units_import(path)
    assert not result.errors
    assert [r.code for r in result.dissolved] == ["D"]
    assert unit_parent_on(Unit.objects.get(code="C"), D(2025, 7, 1)).code == "W"
    assert_hierarchy_consistent()


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path, db):
    path = tmp_path / "units.csv"
    path.write_text(
        "\n" + ",".join(HEADER) + "\nP,Province,province,,01/01/2004\n\n"
        '"D",District,district,P,01/01/2010,,,\n'
        'C,"two\nline name",grassroots,D,01/01/2015,,,yes\n'
        "E,x,grassroots,NOPE,01/01/2015,,private,\n",
        encoding="utf-8",
    )
    result = units_import(path)
    assert messages(result) == [
        "line 6: A grassroots union needs a sector.",
        "line 8: the parent NOPE does not exist",
    ]


def test_xlsx_rows_keep_their_sheet_numbers_across_blank_rows(tmp_path, db):
    path = write_xlsx(
        tmp_path, [HEADER, ["P", "Province", "province", None, "01/01/2004"], [], [], [None, " "]]
    )
    book = load_workbook(path)
    book.active.append(["X", "X", "district", "P", 45000])  # a date typed as a plain number
    book.save(path)
    assert messages(units_import(path)) == [
        "line 6: “45000” in column valid_from is not a date (write dd/mm/yyyy or yyyy-mm-dd)"
    ]


def test_kinds_written_in_decomposed_unicode_are_recognised(tmp_path, db):
    decomposed = unicodedata.normalize("NFD", "LĐLĐ tỉnh")
    assert decomposed != "LĐLĐ tỉnh"
    path = write_csv(
        tmp_path,
        [HEADER, ["P", unicodedata.normalize("NFD", "Lai Châu"), decomposed, "", "01/01/2004"]],
    )
    assert not units_import(path).errors
    assert Unit.objects.get(code="P").name == "Lai Châu"


# Bad rows: every line named, nothing saved


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["", "No code", "district", "P", "01/01/2010"], "the code is empty"),
        (
            ["X" * 33, "Long", "district", "P", "01/01/2010"],
            "the code is longer than 32 characters",
        ),
        (["D", "", "district", "P", "01/01/2010"], "the name is empty"),
        (["D", "D", "ministry", "P", "01/01/2010"], "unknown kind “ministry”"),
        (["D", "D", "district", "P", ""], "the valid_from date is empty"),
        (
            ["D", "D", "district", "P", "2010/31/01"],
            "“2010/31/01” in column valid_from is not a date",
        ),
        (
            ["D", "D", "district", "P", "01/01/2010", "31-12-2020"],
            "“31-12-2020” in column valid_to is not",
        ),
        (["C", "C", "grassroots", "P", "01/01/2010", "", "state"], "unknown sector “state”"),
        (
            ["C", "C", "grassroots", "P", "01/01/2010", "", "fdi", "maybe"],
            "“maybe” in column budget_paid",
        ),
        (["C", "C", "grassroots", "P", "01/01/2010"], "A grassroots union needs a sector."),
        (
            ["D", "D", "district", "P", "01/01/2010", "", "private"],
            "Only grassroots unions have a sector.",
        ),
        (
            ["D", "D", "district", "", "01/01/2010"],
            "Only a provincial federation can stand without",
        ),
        (["D", "D", "district", "X", "01/01/2010"], "the parent X does not exist"),
        (["D", "D", "district", "D", "01/01/2010"], "a unit cannot be its own parent"),
        (["D", "D", "district", "P", "01/01/2000"], "Province did not exist on 01/01/2000."),
        (
            ["D", "D", "district", "P", "01/01/2010", "01/01/2009"],
            "The end date must be after the start",
        ),
        (
            ["P", "Again", "province", "", "01/01/2010"],
            "code P is used twice in the file (first on line 2)",
        ),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_saved(tmp_path, db, row, message):
    path = write_csv(tmp_path, province_rows(row, ["OK", "Fine", "district", "P", "01/01/2010"]))
    result = units_import(path)
    assert len(result.errors) == 1, messages(result)
    assert str(result.errors[0]).startswith("line 3: ")
    assert message in str(result.errors[0])
    assert not result.saved
    assert Unit.objects.count() == 0


def test_every_bad_line_is_listed_and_the_database_is_unchanged(tmp_path, small_tree):
    before = snapshot()
    path = write_csv(
        tmp_path,
        [
            [*HEADER, "successor"],
            ["N1", "Fine", "commune", "P", "01/07/2025"],
            ["C11", "Code taken", "grassroots", "N1", "01/08/2025", "", "private"],
            ["N2", "Child first", "grassroots", "N3", "01/08/2025", "", "private"],
            ["N3", "Parent later", "commune", "P", "01/07/2025"],
            ["N4", "Ward not yet", "grassroots", "W1", "01/01/2020", "", "coop"],
            ["N5", "Under a bad row", "grassroots", "C11", "01/08/2025", "", "coop"],
            ["N1", "Twice", "commune", "P", "01/07/2025"],
            ["N6", "No end", "commune", "P", "01/07/2025", "", "", "", "N1"],
            ["N7", "Ghost", "commune", "P", "01/07/2025", "01/01/2026", "", "", "ZZ"],
            ["N8", "Bad date", "commune", "P", "30/02/2025"],
        ],
    )
    result = units_import(path)
    assert messages(result) == [
        "line 3: the code C11 is already used by a unit in the database",
        "line 4: the parent N3 only comes on line 5; list parents first",
        "line 6: Unit W1 did not exist on 01/01/2020.",
        "line 7: the parent C11 was not imported (see line 3)",
        "line 8: code N1 is used twice in the file (first on line 2)",
        "line 9: a successor is only named for a unit with a valid_to date",
        "line 10: the successor ZZ does not exist",
        "line 11: “30/02/2025” in column valid_from is not a date (write dd/mm/yyyy or yyyy-mm-dd)",
    ]
    assert snapshot() == before
    assert not Unit.objects.filter(code__startswith="N").exists()


def test_a_refused_dissolution_is_reported_on_its_line(tmp_path, db):
    path = write_csv(
        tmp_path,
        [
            [*HEADER, "successor"],
            ["P", "Province", "province", "", "01/01/2004"],
            ["D", "District", "district", "P", "01/01/2010", "01/07/2025", "", "", "W"],
            ["W", "Ward", "commune", "P", "01/01/2026"],
        ],
    )
    result = units_import(path)
    assert messages(result) == ["line 3: The successor Ward does not exist on 01/07/2025."]
    assert Unit.objects.count() == 0


def test_a_dry_run_checks_everything_and_saves_nothing(tmp_path, db):
    result = units_import(SAMPLE, dry_run=True)
    assert not result.errors and not result.saved
    assert len(result.created) == 13
    assert Unit.objects.count() == 0


def test_a_dry_run_still_finds_errors_that_need_the_database(tmp_path, small_tree):
    path = write_csv(tmp_path, [HEADER, ["X", "X", "grassroots", "D1", "01/01/2026", "", "fdi"]])
    result = units_import(path, dry_run=True)
    assert messages(result) == ["line 2: Unit D1 did not exist on 01/01/2026."]


# Formulas are never computed


def test_a_formula_cell_in_an_xlsx_is_refused_not_computed(tmp_path, db):
    path = write_xlsx(
        tmp_path,
        [
            HEADER,
            ["P", "=1+1", "province", None, "01/01/2004"],
            ["Q", "Q", "province", None, "=TODAY()"],
        ],
    )
    result = units_import(path)
    assert messages(result) == [
        "line 2: the cell in column name holds a formula (=1+1); type the value itself",
        "line 3: the cell in column valid_from holds a formula (=TODAY()); type the value itself",
    ]
    assert Unit.objects.count() == 0


def test_a_formula_in_a_csv_is_kept_as_literal_text(tmp_path, db):
    path = write_csv(tmp_path, [HEADER, ["P", "=1+1", "province", "", "01/01/2004"]])
    assert not units_import(path).errors
    assert Unit.objects.get(code="P").name == "=1+1"


# Files that are not a list of units


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.csv", bytes(range(256)) * 4, "The file is not UTF-8 text"),
        ("units.csv", b"code,name\x00,kind\n", "line 1: a NUL character"),
        (
            "units.xlsx",
            b"code,name,kind,valid_from\n",
            "not an Excel workbook (.xlsx) or is damaged",
        ),
        ("units.xlsx", _zip_without_workbook(), "not an Excel workbook (.xlsx) or is damaged"),
        ("units.csv", _zip_without_workbook(), "not an Excel workbook (.xlsx) or is damaged"),
        ("units.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "in the old .xls format"),
        ("units.csv", b"", "The file is empty."),
        ("units.csv", b"\n \n", "The file is empty."),
        (
            "units.csv",
            "mã,tên\n".encode(),
            "): missing columns: code, name, kind, valid_from.",
        ),
        ("units.csv", b"code,name,kind,valid_from,code\n", "repeated columns: code"),
        ("units.csv", b'code,name,kind,valid_from\n"P,"x\n', "line 2: not valid CSV"),
        ("missing.csv", None, "Cannot read missing.csv"),
    ],
)
def test_a_file_that_is_not_a_unit_list_gets_one_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        table_read(path)
    assert message in str(caught.value)


# The command


def test_the_command_reports_the_units_created(db, capsys):
    call_command("import_units", str(SAMPLE))
    out = capsys.readouterr().out
    assert "13 units created. 1 of them was dissolved into its successor." in out
    assert Unit.objects.count() == 13


def test_other_columns_are_ignored_and_named(tmp_path, db, capsys):
    path = write_csv(
        tmp_path,
        [
            ["STT", *HEADER, "Ghi chú"],
            [1, "P", "Tỉnh", "province", "", "01/01/2004", "", "", "", "x"],
        ],
    )
    call_command("import_units", str(path))
    assert "Columns ignored: stt, ghi chú" in capsys.readouterr().out
    assert Unit.objects.get(code="P").note == ""


def test_the_command_lists_what_a_dry_run_would_create(db, capsys):
    call_command("import_units", str(SAMPLE), "--dry-run")
    out = capsys.readouterr().out
    assert "CS-0006  Công đoàn Công ty TNHH Thủy điện Pa Tần  (grassroots, CDP-TP)" in out
    assert "Dry run: 13 units would be created; nothing was saved." in out
    assert Unit.objects.count() == 0


def test_the_command_lists_every_bad_line_and_fails(tmp_path, db, capsys):
    path = write_csv(
        tmp_path, province_rows(["A", "", "district", "P", "01/01/2010"], ["B", "B", "x", "P", "x"])
    )
    with pytest.raises(CommandError, match=r"3 errors; nothing was saved\."):
        call_command("import_units", str(path))
    err = capsys.readouterr().err
    assert "line 3: the name is empty" in err
    assert "line 4: unknown kind “x”" in err
    assert "line 4: “x” in column valid_from is not a date" in err
    assert Unit.objects.count() == 0


def test_the_command_refuses_a_binary_file_without_a_traceback(tmp_path, db):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(CommandError, match=r"^The file is not UTF-8 text"):
        call_command("import_units", str(path))
