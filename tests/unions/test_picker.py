"""Finding a unit by name for a form's code field: JSON while typing (with script), and a
search-then-choose page that fills the form in (without)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.conftest import login

PICK = "/units/pick/"


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


def test_the_search_finds_open_units_by_name_without_accents(office, small_tree):
    from unions.models import Unit

    Unit.objects.filter(pk=small_tree.d2.pk).update(name="LĐLĐ huyện Tam Đường")
    Unit.objects.filter(pk=small_tree.d2.pk).first().save()  # search key follows the name
    found = office.get(PICK, {"q": "tam duong", "format": "json"}).json()["units"]
    assert [u["code"] for u in found] == ["D2"]
    assert found[0]["name"] == "LĐLĐ huyện Tam Đường"
    codes = [u["code"] for u in office.get(PICK, {"q": "unit", "format": "json"}).json()["units"]]
    assert "D1" not in codes  # dissolved in 2025: not a parent any more
    assert codes[:2] == ["P", "W1"]  # unions that hold others before CĐCS
    assert set(codes[2:]) == {"C11", "C12", "C21", "C22"}
    assert office.get(PICK, {"q": "u", "format": "json"}).json() == {"units": []}


def test_only_office_staff_may_search(client, district_reporter, small_tree):
    client.force_login(district_reporter)
    assert client.get(PICK, {"q": "unit", "format": "json"}).status_code == 403


def test_without_script_the_page_chooses_a_unit_and_fills_the_form_in(office, small_tree):
    form = office.get(reverse("unions:new") + "?kind=commune").content.decode()
    link = f"{PICK}?field=parent&amp;next={quote('/units/new/?kind=commune')}"
    assert link in form
    page = office.get(PICK, {"q": "unit d2", "field": "parent", "next": "/units/new/?kind=commune"})
    choose = page.context["rows"][0][1]
    assert choose == "/units/new/?kind=commune&parent=D2"
    filled = office.get(choose)
    assert filled.context["form"]["parent"].value() == "D2"
    assert filled.context["form"]["kind"].value() == "commune"


@pytest.mark.parametrize(
    ("field", "target"),
    [("parent", "https://evil.example/units/"), ("password", "/units/new/"), ("parent", "/admin/")],
)
def test_the_page_returns_only_to_a_unit_form_field(office, small_tree, field, target):
    page = office.get(PICK, {"q": "unit", "field": field, "next": target})
    assert page.status_code == 200
    assert all(choose == "" for _unit, choose in page.context["rows"])


def test_move_and_dissolve_take_the_chosen_code_from_the_address(office, small_tree):
    move = office.get(reverse("unions:move", args=["C21"]) + "?new_parent=W1")
    assert move.context["form"]["new_parent"].value() == "W1"
    dissolve = office.get(reverse("unions:dissolve", args=["D2"]) + "?successor=W1")
    assert dissolve.context["form"]["successor"].value() == "W1"


def test_in_a_browser_typing_a_name_offers_units_and_choosing_fills_the_code(
    page, office_user, small_tree, screenshots
):
    login(page, "office", "pw-for-tests-123")
    page.goto(f"{page.base_url}/units/new/?kind=grassroots")
    page.fill("#id_parent", "unit w")
    choice = page.locator(".unit-pick-results button").first
    choice.wait_for()
    assert "(W1)" in choice.inner_text()
    page.screenshot(path=str(screenshots / "unit_picker.png"), full_page=True)
    choice.click()
    assert page.input_value("#id_parent") == "W1"
    assert page.locator(".unit-pick-results button").count() == 0
