"""Unit codes and usernames that are safe in URLs and files, and not to be taken for another."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import make_unit
from unions.identifiers import code_problem, skeleton
from unions.models import Unit, UnitKind
from unions.services import ReorgError, UnitData, unit_create

BAD_CODES = ["A/B", "A?B", "A#B", "A B", "ЛДЛД", "LD\u200bLD", "=HYPERLINK()", "-x", "x" * 33]


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_code_outside_letters_digits_and_dash_underscore_dot_is_refused(code, small_tree):
    with pytest.raises(ReorgError):
        unit_create(
            UnitData(
                code,
                "Name",
                UnitKind.GRASSROOTS,
                small_tree.d2.valid_from,
                parent=small_tree.d2,
                sector="coop",
            )
        )
    assert not Unit.objects.filter(code=code).exists()


@pytest.mark.parametrize(
    ("new", "existing"),
    [("ldld-td", "LDLD-TD"), ("CDCS-1", "CDCS-l"), ("CS_0O1", "CS-001"), ("CD.RN", "CD-M")],
)
def test_a_code_that_only_looks_different_is_refused(new, existing, small_tree):
    day = small_tree.d2.valid_from
    make_unit(existing, UnitKind.GRASSROOTS, small_tree.d2)
    with pytest.raises(ReorgError, match=f"too like {existing}"):
        unit_create(
            UnitData(new, "N", UnitKind.GRASSROOTS, day, parent=small_tree.d2, sector="coop")
        )


def test_a_full_width_code_typed_on_the_form_is_stored_in_plain_letters(client, office_user):
    client.force_login(office_user)
    parent = office_user.unit
    response = client.post(
        reverse("unions:new"),
        {
            "code": "ＣＳ-９９",
            "name": "Công đoàn mới",
            "kind": "district",
            "parent": parent.code,
            "valid_from": "01/01/2025",
        },
    )
    assert response.status_code in (200, 302)
    assert Unit.objects.filter(code="CS-99").exists()


def test_the_unit_form_answers_a_slash_with_a_message_not_a_500(client, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("unions:new"),
        {
            "code": "A/B",
            "name": "X",
            "kind": "district",
            "parent": office_user.unit.code,
            "valid_from": "01/01/2025",
        },
    )
    assert response.status_code in (200, 400)
    assert not Unit.objects.filter(code="A/B").exists()
    assert client.get(reverse("unions:tree")).status_code == 200


def test_the_admin_refuses_a_look_alike_when_a_code_is_corrected(small_tree):
    unit = small_tree.c21
    unit.code = small_tree.d2.code.lower()
    with pytest.raises(ValidationError):
        unit.full_clean()
    unit.code = "C/21"
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_a_code_field_names_one_unit_exactly_and_never_picks_the_first_of_two(small_tree):
    from unions.forms import UnitCodeField

    Unit.objects.filter(pk=small_tree.c21.pk).update(code="Dx")
    Unit.objects.filter(pk=small_tree.c22.pk).update(code="dX")
    field = UnitCodeField()
    assert field.clean("Dx") == small_tree.c21
    assert field.clean("dX") == small_tree.c22
    assert field.clean(small_tree.d2.code.lower()) == small_tree.d2
    with pytest.raises(ValidationError):
        field.clean("DX")


def test_the_skeleton_folds_case_width_invisible_and_cyrillic_letters():
    assert (
        skeleton("аdmin") == skeleton("admin") == skeleton("ＡＤＭＩＮ") == skeleton("ad\u200bmin")
    )
    assert skeleton("tuấn") != skeleton("tuan")
    assert code_problem("CS-0006") == code_problem("a.b_c") == ""


def test_the_migration_reports_bad_codes_and_changes_nothing(small_tree, capsys):
    Unit.objects.filter(pk=small_tree.c21.pk).update(code="C/21")
    Unit.objects.filter(pk=small_tree.c22.pk).update(code=small_tree.d2.code.lower())
    migration = importlib.import_module("unions.migrations.0005_unit_code_rule")
    migration.report_bad_codes(global_apps, None)
    out = capsys.readouterr().out
    assert "'C/21': A unit code" in out
    assert f"{small_tree.d2.code.lower()!r}: looks like" in out
    assert Unit.objects.filter(code="C/21").exists()
