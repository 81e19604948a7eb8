"""A programme's definition as a file: exported from any programme, imported as a new draft,
all or nothing, with every problem named by sheet and line in Vietnamese."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from targets.definition import definition_write
from targets.importing import ImportRefused, definition_save
from targets.models import Field, FieldGroup, Indicator, Programme, ProgrammeStatus, Target
from targets.publishing import programme_check
from targets.services import PROGRAMME_03_FILE
from tests.conftest import approved

PROGRAMME_2 = Path(__file__).resolve().parent.parent / "data" / "programme-2.xlsx"


def edited(data: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    """The workbook with cells changed: {sheet: {"B2": value}}."""
    book = load_workbook(io.BytesIO(data))
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            book[sheet][ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Programme, Field, FieldGroup, Indicator, Target))


def test_programme_03_is_loaded_from_its_file(programme):
    assert PROGRAMME_03_FILE.exists()
    assert programme.status == ProgrammeStatus.PUBLISHED
    assert programme.indicators.count() == 21 and programme.task_groups.count() == 8
    assert not Path(PROGRAMME_03_FILE.parent.parent / "programme_03.py").exists()


def test_an_exported_programme_comes_back_as_a_draft_reading_the_same_fields(programme):
    data = edited(definition_write(programme), {"Chương trình": {"A2": "copy", "B2": "99/CTr"}})
    fields = Field.objects.count()
    copy = definition_save(data)
    assert copy.status == ProgrammeStatus.DRAFT and copy.number == "99/CTr"
    assert Field.objects.count() == fields  # the same shared fields, none twice
    assert copy.indicators.count() == 21 and copy.task_groups.count() == 8
    a01 = copy.indicators.get(code="A01")
    assert (a01.numerator.code, a01.denominator.code) == ("informed_ytd", "workers_union_units")
    assert a01.targets.get().value == 98
    assert programme_check(copy) == []


def test_the_hand_typed_programme_2_is_imported(programme):
    second = definition_save(PROGRAMME_2.read_bytes())
    assert second.number == "07/CTr-LĐLĐ" and second.status == ProgrammeStatus.DRAFT
    assert FieldGroup.objects.get(code="welfare").label_vi == "Chăm lo đời sống"
    c01 = second.indicators.get(code="C01")
    assert c01.denominator.code == "members_in_hardship"
    assert programme_check(second) == []


def test_every_problem_is_listed_by_sheet_and_line_and_nothing_is_saved(programme):
    data = edited(
        PROGRAMME_2.read_bytes(),
        {
            "Chương trình": {"G2": "ngày mai"},
            "Trường số liệu": {"B3": "unknown-group"},
            "Chỉ tiêu": {"G3": "no_such_field", "I2": "percent", "H2": None},
            "Mức cần đạt": {"D3": "nhiều"},
        },
    )
    before = counts()
    with pytest.raises(ImportRefused) as refused, translation.override("vi"):
        definition_save(data)
    assert refused.value.messages == [
        "Chương trình, dòng 2: cột “Nhiệm kỳ từ” phải là một ngày (dd/mm/yyyy).",
        "Mức cần đạt, dòng 3: cột “Mức cần đạt” phải là một số.",
    ]
    data = edited(
        PROGRAMME_2.read_bytes(),
        {"Trường số liệu": {"B3": "unknown-group"}, "Chỉ tiêu": {"G3": "no_such_field"}},
    )
    with pytest.raises(ImportRefused) as refused, translation.override("vi"):
        definition_save(data)
    assert refused.value.messages == [
        "Trường số liệu, dòng 3: “Nhóm”: Không có nhóm trường số liệu unknown-group.",
        # what follows from it is named too: its indicator, then that indicator's target
        "Chỉ tiêu, dòng 2: “Tử số (mã trường)”: không có mục nào mang mã "
        "members_in_hardship_helped_ytd.",
        "Chỉ tiêu, dòng 3: “Tử số (mã trường)”: không có mục nào mang mã no_such_field.",
        "Mức cần đạt, dòng 2: “Chỉ tiêu (mã)”: không có mục nào mang mã C01.",
        "Mức cần đạt, dòng 3: “Chỉ tiêu (mã)”: không có mục nào mang mã C02.",
    ]
    assert counts() == before


def test_a_field_with_figures_cannot_mean_something_else(small_tree, programme):
    approved(small_tree.d2, programme, "2025Q2", members=200, workers_union_units=220)
    data = edited(
        definition_write(programme),
        {"Chương trình": {"A2": "copy"}, "Trường số liệu": {"G2": "flow"}},
    )
    before = counts()
    with pytest.raises(ImportRefused) as refused, translation.override("vi"):
        definition_save(data)
    assert refused.value.messages == [
        "Trường số liệu, dòng 2: trường members đã có số liệu trong báo cáo và mang nghĩa "
        "khác (“Thời gian (stock/ytd/flow)”); nghĩa mới phải là một trường mới: hãy đặt mã mới."
    ]
    assert counts() == before and Field.objects.get(code="members").time_kind == "stock"


def test_the_command_checks_with_dry_run_and_loads(programme, tmp_path):
    before = counts()
    call_command("load_programme", str(PROGRAMME_2), "--dry-run")
    assert counts() == before
    call_command("load_programme", str(PROGRAMME_2))
    assert Programme.objects.get(code="07-ctr-ldld-2026").status == ProgrammeStatus.DRAFT
    broken = tmp_path / "broken-programme.xlsx"
    broken.write_bytes(edited(PROGRAMME_2.read_bytes(), {"Chương trình": {"A2": "x2", "H2": "?"}}))
    with pytest.raises(CommandError, match="Nhiệm kỳ đến"), translation.override("vi"):
        call_command("load_programme", str(broken))
    assert not Programme.objects.filter(code="x2").exists()


def test_a_dry_run_says_what_the_check_will_list_and_an_existing_code_is_not_loaded_again(
    programme, tmp_path, client, office_user
):
    """A file that imports but whose draft the check would refuse (a percentage target of
    160) says so before anything is saved, on the command line and on the screen; a file whose
    code exists already is not read again, and the command says so instead of 'loaded'."""
    from io import StringIO

    over = tmp_path / "over.xlsx"
    over.write_bytes(edited(PROGRAMME_2.read_bytes(), {"Mức cần đạt": {"D2": 160}}))
    before = counts()
    out = StringIO()
    with translation.override("vi"):
        call_command("load_programme", str(over), "--dry-run", stdout=out)
    assert "The file is sound; nothing was saved." in out.getvalue()
    assert "the check will list: Chỉ tiêu C01: mức cần đạt 160" in out.getvalue()
    assert counts() == before

    client.force_login(office_user)
    client.cookies["django_language"] = "vi"
    upload = io.BytesIO(over.read_bytes())
    upload.name = "over.xlsx"
    page = client.post("/programmes/import/", {"file": upload, "dry_run": "on"}, follow=True).text
    assert "mức cần đạt 160 nằm ngoài khoảng cho phép" in page and counts() == before

    call_command("load_programme", str(PROGRAMME_2), stdout=StringIO())
    again = StringIO()
    call_command("load_programme", str(over), "--dry-run", stdout=again)
    assert "exists already; the file was not loaded again" in again.getvalue()
    assert "sound" not in again.getvalue()


def test_import_and_export_screens(client, office_user, programme):
    client.force_login(office_user)
    client.cookies["django_language"] = "vi"
    exported = client.get(f"/programmes/{programme.code}/export/")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(exported.content)).sheetnames[0] == "Chương trình"
    bad = io.BytesIO(b"not a workbook")
    bad.name = "p.xlsx"
    page = client.post("/programmes/import/", {"file": bad}).text
    assert "Không lưu gì cả" in page and not Programme.objects.filter(code="07-ctr-ldld-2026")
    with PROGRAMME_2.open("rb") as upload:
        response = client.post("/programmes/import/", {"file": upload})
    assert response.status_code == 302
    assert Programme.objects.get(code="07-ctr-ldld-2026").indicators.count() == 2


def test_a_new_field_group_gets_its_breakdown_sheet_in_the_workbook(small_tree, programme):
    import datetime as dt

    from dashboards.workbook import workbook_write
    from dashboards.workbook_data import WorkbookRequest
    from reports.assignments import assignments_apply_proposal
    from targets.publishing import programme_mark_checked, programme_publish

    second = definition_save(PROGRAMME_2.read_bytes())
    assert programme_mark_checked(second) == []
    programme_publish(second, dt.date(2026, 1, 1), dt.date(2025, 12, 1))
    assignments_apply_proposal()
    approved(
        small_tree.d2,
        programme,
        "2026Q4",
        members_in_hardship=40,
        members_in_hardship_helped_ytd=30,
        union_homes_built=2,
    )
    stream = io.BytesIO()
    req = WorkbookRequest(programme=second, year=2026, today=dt.date(2027, 2, 1))
    with translation.override("vi"):
        workbook_write(req, stream)
    book = load_workbook(io.BytesIO(stream.getvalue()))
    assert "Chăm lo đời sống theo đơn vị" in book.sheetnames
