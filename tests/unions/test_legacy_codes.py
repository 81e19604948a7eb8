"""Units whose code was saved before the code rule ("/", "?", "#", spaces, Cyrillic or
zero-width characters, a code that differs from another only in case) break no page: they are
named in URLs by id ("~12"), listed, searched, opened, and their code can be corrected."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_unit
from unions.models import Sector, Unit, UnitKind, search_key

LEGACY = ["CS/01", "CS?02", "CS#03", "CS 04", "СS-05", "CS\u200b06", "d2", "=CS07"]


@pytest.fixture
def legacy(small_tree) -> list[Unit]:
    """CĐCS under D2 and under the province, their codes then overwritten in SQL, as an
    import from before the rule left them."""
    units = []
    for i, code in enumerate(LEGACY):
        parent = small_tree.d2 if i % 2 else small_tree.province
        kind = UnitKind.GRASSROOTS if i % 2 else UnitKind.SECTOR
        unit = make_unit(f"TMP{i}", kind, parent, sector=Sector.PRIVATE if i % 2 else "")
        name = f"Old unit {i}"
        Unit.objects.filter(pk=unit.pk).update(
            code=code, name=name, search_key=search_key(code, name)
        )
        unit.refresh_from_db()
        units.append(unit)
    return units


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


def test_url_keys_are_the_code_when_safe_and_the_id_otherwise(legacy, small_tree):
    assert small_tree.d2.url_key == "D2"
    keys = {u.code: u.url_key for u in legacy}
    assert keys["d2"] == "d2"  # a case twin of D2 is safe in a URL
    assert {k for c, k in keys.items() if c != "d2"} == {
        f"~{u.pk}" for u in legacy if u.code != "d2"
    }


def test_lists_search_and_the_province_page_show_every_legacy_unit(office, legacy, small_tree):
    pages = [
        reverse("unions:tree"),
        reverse("unions:tree") + "?unit=D2",
        reverse("unions:tree") + "?unit=P",
        reverse("unions:search"),
        reverse("unions:search") + "?q=old+unit",
        reverse("unions:search") + "?q=CS",
        reverse("unions:detail", args=["P"]),
        reverse("unions:detail", args=["D2"]),
    ]
    for url in pages:
        response = office.get(url)
        assert response.status_code == 200, url
    listing = office.get(reverse("unions:search") + "?q=old+unit").content.decode()
    for unit in legacy:
        assert reverse("unions:detail", args=[unit.url_key]) in listing


def test_every_page_of_a_legacy_unit_opens_by_its_url_key(office, legacy):
    for unit in legacy:
        for name in ("detail", "edit", "move", "dissolve", "move_children"):
            response = office.get(reverse(f"unions:{name}", args=[unit.url_key]))
            assert response.status_code == 200, (unit.code, name)
        page = office.get(reverse("accounts:unit", args=[unit.url_key]))
        assert page.status_code == 200
        assert page.context["unit"] == unit


def test_the_unit_page_says_the_code_breaks_the_rule(office, legacy, small_tree):
    page = office.get(reverse("unions:detail", args=[legacy[0].url_key])).content.decode()
    assert 'id="code-problem"' in page
    page = office.get(reverse("unions:detail", args=["D2"])).content.decode()
    assert 'id="code-problem"' not in page


def _edit(office, unit: Unit, code: str):
    data = {"code": code, "name": unit.name, "budget_paid": "", "note": ""}
    if unit.is_grassroots:
        data["sector"] = unit.sector
    return office.post(reverse("unions:edit", args=[unit.url_key]), data)


def test_a_legacy_code_is_corrected_from_the_edit_screen(office, legacy):
    unit = legacy[0]  # "CS/01"
    response = _edit(office, unit, "CS-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("unions:detail", args=["CS-01"])
    unit.refresh_from_db()
    assert unit.code == "CS-01"
    assert office.get(response["Location"]).status_code == 200
    assert Unit.objects.search("cs-01").filter(pk=unit.pk).exists()  # search key follows


def test_leaving_the_legacy_code_as_it_is_still_saves_the_rest(office, legacy):
    unit = legacy[3]  # "CS 04"
    data = {"code": unit.code, "name": "Renamed", "sector": unit.sector, "note": ""}
    response = office.post(reverse("unions:edit", args=[unit.url_key]), data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.code, unit.name) == ("CS 04", "Renamed")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("CS/9", "may hold only letters"),
        ("D2", "already used by another unit"),
        ("c11", "too like C11"),
        ("CS-O5", None),  # fine: no other unit looks like it
    ],
)
def test_a_corrected_code_follows_the_rule(office, legacy, code, message):
    unit = legacy[4]  # "СS-05" with a Cyrillic С
    response = _edit(office, unit, code)
    unit.refresh_from_db()
    if message is None:
        assert response.status_code == 302
        assert unit.code == code
    else:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert unit.code == "СS-05"
        assert response.context["form"]["code"].value() == code  # what was typed is kept


def test_an_id_key_outside_the_users_scope_is_404(client, district_reporter, legacy, small_tree):
    client.force_login(district_reporter)
    under_d2 = legacy[1]
    under_province = legacy[0]
    assert client.get(reverse("unions:detail", args=[under_d2.url_key])).status_code == 200
    assert client.get(reverse("unions:detail", args=[under_province.url_key])).status_code == 404
    assert client.get(reverse("unions:detail", args=["~999999"])).status_code == 404


def test_the_dashboards_of_the_province_and_of_a_legacy_unit_open(office, legacy, programme):
    assert office.get("/").status_code == 200
    province = office.get(reverse("dashboards:unit", args=["P"]))
    assert province.status_code == 200
    for unit in legacy[:2]:
        page = office.get(reverse("dashboards:unit", args=[unit.url_key]))
        assert page.status_code == 200, unit.code
        assert page.context["unit"] == unit
