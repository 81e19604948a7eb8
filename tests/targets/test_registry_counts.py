"""Registry counts are data: a new kind of count needs no code, and what a count counts cannot
change once a field with figures or a published programme relies on it (rewording is fine)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from audit.models import AuditEntry
from reports.registry import registry_counts
from targets import definition as d
from targets.definition import definition_write
from targets.importing import ImportRefused, definition_save
from targets.models import (
    Field,
    Programme,
    ProgrammeStatus,
    RegistryCount,
    RegistryCountLocked,
)
from tests.conftest import approved

BEFORE_REFORM = dt.date(2024, 12, 31)
FIVE = {
    "grassroots_all": 4,
    "grassroots_state": 2,  # C12 (administrative), C21 (state enterprise)
    "grassroots_non_state": 2,  # C11 (private), C22 (cooperative)
    "grassroots_enterprise": 2,  # C11, C21
    "upper_units": 2,  # D1, D2
}
COOPS = {
    "code": "coops",
    "label_vi": "Hợp tác xã có CĐCS",
    "label_en": "Cooperatives with a union",
    "unit_kinds": ["grassroots", "occupational"],
    "sectors": ["coop"],
    "order": 60,
}


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    client.cookies["django_language"] = "vi"
    return client


def as_draft(programme: Programme) -> None:
    """Programme 03 unpublished, so that only figures can make a count relied on."""
    Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.DRAFT)


def test_the_five_counts_of_the_fixed_list_are_rows_with_the_same_figures(small_tree, programme):
    assert list(RegistryCount.objects.values_list("code", flat=True)) == list(FIVE)
    assert registry_counts(small_tree.province, BEFORE_REFORM) == FIVE
    # after the reform D1 is gone and the ward above C11 and C12 is a commune union
    after = registry_counts(small_tree.province, dt.date(2025, 9, 30))
    assert after["upper_units"] == 2 and after["grassroots_all"] == 4
    assert registry_counts(small_tree.c21, BEFORE_REFORM) == {
        "grassroots_all": 1,
        "grassroots_state": 1,
        "grassroots_non_state": 0,
        "grassroots_enterprise": 1,
        "upper_units": 0,
    }
    with translation.override("vi"):
        assert RegistryCount.objects.get(code="upper_units").label == "CĐ cấp trên trực tiếp cơ sở"


def test_a_new_count_is_data_and_a_field_may_name_it(small_tree, programme):
    RegistryCount.objects.create(**COOPS)
    assert registry_counts(small_tree.province, BEFORE_REFORM) == {**FIVE, "coops": 1}
    assert registry_counts(small_tree.d2, BEFORE_REFORM)["coops"] == 1
    field = Field(
        code="coop_unions", label_vi="CĐCS HTX", label_en="Coop unions", group="grassroots"
    )
    field.time_kind, field.registry_count = "stock", "coops"
    field.full_clean()
    field.registry_count = "nothing_like_it"
    with pytest.raises(ValidationError) as refused, translation.override("vi"):
        field.full_clean()
    assert "nothing_like_it" in str(refused.value.message_dict["registry_count"])


def test_a_count_a_published_programme_relies_on_keeps_its_meaning(programme):
    state = RegistryCount.objects.get(code="grassroots_state")
    state.sectors = ["hcsn"]
    with pytest.raises(RegistryCountLocked) as refused, translation.override("vi"):
        state.save()
    assert "grassroots_state" in refused.value.message and "số đếm mới" in refused.value.message
    assert RegistryCount.objects.get(code="grassroots_state").sectors == ["hcsn", "dnnn"]
    state.refresh_from_db()
    state.code = "state_cdcs"
    with pytest.raises(RegistryCountLocked):
        state.save()


def test_a_count_whose_fields_have_figures_keeps_its_meaning(small_tree, programme):
    approved(small_tree.d2, programme, "2025Q2", members=200, workers_union_units=220)
    as_draft(programme)
    state = RegistryCount.objects.get(code="grassroots_state")
    state.unit_kinds = ["grassroots"]
    with pytest.raises(RegistryCountLocked):
        state.save()
    state.refresh_from_db()
    state.label_vi, state.order = "CĐCS khu vực công", 5  # rewording is fine
    state.save()
    assert RegistryCount.objects.get(code="grassroots_state").label_vi == "CĐCS khu vực công"


def test_a_count_nothing_relies_on_may_still_be_corrected(small_tree, programme):
    as_draft(programme)
    state = RegistryCount.objects.get(code="grassroots_state")
    state.sectors = ["hcsn"]
    state.save()
    assert registry_counts(small_tree.province, BEFORE_REFORM)["grassroots_state"] == 1


def test_a_count_a_field_names_keeps_its_code_even_in_a_draft(programme):
    as_draft(programme)
    upper = RegistryCount.objects.get(code="upper_units")
    upper.code = "uppers"
    with pytest.raises(ValidationError) as refused, translation.override("vi"):
        upper.save()
    assert "upper_units" in refused.value.messages[0] and "mã" in refused.value.messages[0]
    assert Field.objects.filter(registry_count="upper_units").exists()
    coops = RegistryCount.objects.create(**COOPS)
    coops.code = "cooperatives"
    coops.save()  # nothing names it yet


def test_a_count_a_field_names_cannot_be_deleted(programme):
    RegistryCount.objects.create(**COOPS).delete()
    with pytest.raises(ValidationError) as refused, translation.override("vi"):
        RegistryCount.objects.get(code="upper_units").delete()
    assert "không thể xóa" in refused.value.messages[0]
    assert RegistryCount.objects.filter(code="upper_units").exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [({"unit_kinds": []}, "unit_kinds"), ({"unit_kinds": ["planet"]}, "unit_kinds")],
)
def test_a_count_must_count_known_kinds_and_sectors(programme, change, where):
    count = RegistryCount(**{**COOPS, **change})
    with pytest.raises(ValidationError) as refused:
        count.full_clean()
    assert where in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        RegistryCount(**{**COOPS, "sectors": ["moon"]}).full_clean()
    assert "sectors" in refused.value.message_dict


def test_office_staff_add_and_reword_counts_on_screen_and_it_is_audited(
    office, office_user, programme
):
    listing = office.get(reverse("targets:registry_count_list"))
    assert "CĐCS khu vực nhà nước trực thuộc" in listing.text
    assert "Công đoàn cơ sở (CĐCS)" in listing.text  # kinds and sectors in words
    assert "Cơ quan hành chính, đơn vị sự nghiệp" in listing.text
    posted = {**COOPS, "unit_kinds": ["grassroots"], "sectors": ["coop"]}
    response = office.post(reverse("targets:registry_count_new"), posted)
    assert response.status_code == 302, response.content.decode()[:3000]
    coops = RegistryCount.objects.get(code="coops")
    assert (coops.unit_kinds, coops.sectors) == (["grassroots"], ["coop"])
    entry = AuditEntry.objects.filter(model="registrycount", object_pk=str(coops.pk)).get()
    assert entry.actor_username == office_user.username
    edit = reverse("targets:registry_count_edit", args=[coops.pk])
    response = office.post(edit, {**posted, "sectors": ["coop", "private"]})
    assert response.status_code == 302  # nothing relies on it yet
    assert RegistryCount.objects.get(pk=coops.pk).sectors == ["coop", "private"]


def test_the_screen_refuses_a_new_meaning_for_a_count_in_use_in_vietnamese(office, programme):
    state = RegistryCount.objects.get(code="grassroots_state")
    edit = reverse("targets:registry_count_edit", args=[state.pk])
    base = {
        "code": state.code,
        "label_vi": "CĐCS khu vực công",
        "label_en": state.label_en,
        "unit_kinds": state.unit_kinds,
        "order": state.order,
    }
    response = office.post(edit, {**base, "sectors": ["hcsn"]})
    assert response.status_code == 200
    assert "số đếm mới" in response.text and "grassroots_state" in response.text
    state.refresh_from_db()
    assert (state.sectors, state.label_vi) == (["hcsn", "dnnn"], "CĐCS khu vực nhà nước trực thuộc")
    response = office.post(edit, {**base, "sectors": ["hcsn", "dnnn"]})
    assert response.status_code == 302
    assert RegistryCount.objects.get(pk=state.pk).label_vi == "CĐCS khu vực công"
    response = office.post(reverse("targets:registry_count_new"), {**COOPS, "unit_kinds": []})
    assert response.status_code == 200 and not RegistryCount.objects.filter(code="coops").exists()


def sheet_rows(data: bytes, name: str) -> list[tuple[object, ...]]:
    return list(load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))


def with_counts(data: bytes, rows: list[list[object]]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book[d.REGISTRY_COUNTS]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def renamed(data: bytes, code: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    book[d.PROGRAMME]["A2"] = code
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_definition_file_carries_the_counts_its_fields_name(programme):
    rows = sheet_rows(definition_write(programme), d.REGISTRY_COUNTS)
    assert rows[0][0] == "Mã" and rows[0][3].startswith("Loại đơn vị")
    assert [r[0] for r in rows[1:]] == list(FIVE)
    assert rows[2][3:5] == ("grassroots, occupational", "hcsn, dnnn")


def test_a_file_brings_a_new_count_and_a_field_naming_it(programme):
    data = with_counts(
        renamed(definition_write(programme), "copy"),
        [["coops", "HTX", "Cooperatives", "grassroots", "coop", 60]],
    )
    definition_save(data)
    assert RegistryCount.objects.get(code="coops").sectors == ["coop"]


def test_a_file_may_not_change_what_a_relied_on_count_counts(programme):
    data = renamed(definition_write(programme), "copy")
    book = load_workbook(io.BytesIO(data))
    book[d.REGISTRY_COUNTS]["E3"] = "hcsn"
    book[d.REGISTRY_COUNTS]["D4"] = "planet"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRefused) as refused, translation.override("vi"):
        definition_save(out.getvalue())
    problems = refused.value.messages
    assert any(p.startswith(f"{d.REGISTRY_COUNTS}, dòng 3") and "số đếm mới" in p for p in problems)
    assert any(p.startswith(f"{d.REGISTRY_COUNTS}, dòng 4") for p in problems)
    assert not Programme.objects.filter(code="copy").exists()
    assert RegistryCount.objects.get(code="grassroots_state").sectors == ["hcsn", "dnnn"]


def test_a_file_without_the_counts_sheet_reads_the_known_counts(programme):
    book = load_workbook(io.BytesIO(renamed(definition_write(programme), "copy")))
    del book[d.REGISTRY_COUNTS]
    out = io.BytesIO()
    book.save(out)
    copy = definition_save(out.getvalue())
    assert copy.indicators.count() == 21
