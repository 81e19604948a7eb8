"""The hierarchy pages: who sees what, and each office form's happy path and refusals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import REFORM, make_unit
from unions.closure import closure_changed
from unions.models import Sector, Unit, UnitKind
from unions.selectors import unit_children, unit_parent_on

BEFORE = "2024-12-31"
AFTER = "2026-01-01"
# WhiteNoise warns when collectstatic has not run (as in a fresh checkout); not our concern here.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read the English msgids, whatever the Vietnamese catalogue says later."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def read_pages(code: str = "D2") -> list[str]:
    return [
        reverse("unions:tree"),
        reverse("unions:tree") + f"?on={BEFORE}",
        reverse("unions:search") + "?q=unit",
        reverse("unions:detail", args=[code]),
    ]


def office_pages(code: str = "D2") -> list[str]:
    return [
        reverse("unions:new"),
        reverse("unions:merge"),
        reverse("unions:edit", args=[code]),
        reverse("unions:move", args=[code]),
        reverse("unions:move_children", args=[code]),
        reverse("unions:dissolve", args=[code]),
    ]


def tree_codes(response) -> set[str]:
    html = response.content.decode()
    return {chunk.split('"', 1)[0] for chunk in html.split('class="unit-node" data-code="')[1:]}


# Access -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client, small_tree):
    for url in read_pages() + office_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_every_page_renders_for_office_staff(client, office_user, admin_user):
    for user in (office_user, admin_user):
        client.force_login(user)
        for url in read_pages() + office_pages():
            assert client.get(url).status_code == 200, url


def test_committee_reads_every_page_but_may_not_open_the_forms(client, committee_user):
    client.force_login(committee_user)
    for url in read_pages():
        assert client.get(url).status_code == 200, url
    for url in office_pages():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url
    assert b'id="unit-actions"' not in client.get(reverse("unions:detail", args=["D2"])).content


def test_reporter_gets_403_on_forms_even_for_its_own_unit(client, district_reporter):
    client.force_login(district_reporter)
    for url in office_pages("D2"):
        assert client.get(url).status_code == 403, url


def test_district_user_cannot_open_another_districts_unit(client, district_reporter):
    client.force_login(district_reporter)
    assert client.get(reverse("unions:detail", args=["C21"])).status_code == 200
    for code in ("C11", "D1", "W1", "P"):
        assert client.get(reverse("unions:detail", args=[code])).status_code == 404, code


def test_reporter_of_a_dissolved_district_still_sees_its_former_cdcs(
    client, other_district_reporter
):
    client.force_login(other_district_reporter)
    assert client.get(reverse("unions:detail", args=["C11"])).status_code == 200
    assert client.get(reverse("unions:detail", args=["C21"])).status_code == 404


def test_unit_page_does_not_link_to_parents_outside_the_reporters_scope(client, district_reporter):
    client.force_login(district_reporter)
    html = client.get(reverse("unions:detail", args=["D2"])).content.decode()
    assert "Unit P" in html
    assert reverse("unions:detail", args=["P"]) not in html


# Tree -------------------------------------------------------------------------------------


def test_tree_shows_one_level_as_it_stood_on_the_date(client, office_user):
    client.force_login(office_user)
    before = client.get(reverse("unions:tree"), {"on": BEFORE})
    assert tree_codes(before) == {"D1", "D2"}  # the one province is opened at once
    assert "On 31/12/2024: 7 units, of which 4 grassroots unions (CĐCS)." in before.text
    assert f'href="/units/?on={BEFORE}&amp;unit=D1"' in before.text
    province = client.get(reverse("unions:tree"), {"on": BEFORE, "unit": "P"})
    assert tree_codes(province) == {"D1", "D2"}
    assert "On 31/12/2024: 7 units, of which 4 grassroots unions (CĐCS)." in province.text
    after = client.get(reverse("unions:tree"), {"on": AFTER, "unit": "P"})
    assert tree_codes(after) == {"D2", "W1"}
    assert 'value="2026-01-01"' in after.text
    ward = client.get(reverse("unions:tree"), {"on": AFTER, "unit": "W1"})
    assert tree_codes(ward) == {"C11", "C12"}
    assert "On 01/01/2026: 3 units, of which 2 grassroots unions (CĐCS)." in ward.text


def test_several_provinces_are_listed_first_each_opening_its_own_level(
    client, office_user, small_tree
):
    client.force_login(office_user)
    make_unit("Q", UnitKind.PROVINCE, None, start=dt.date(2004, 1, 1))
    html = client.get(reverse("unions:tree"), {"on": BEFORE}).text
    assert tree_codes(html_response(html)) == {"P", "Q"}
    assert f'href="/units/?on={BEFORE}&amp;unit=P"' in html
    assert "On 31/12/2024: 8 units, of which 4 grassroots unions (CĐCS)." in html


def html_response(html):
    class Page:
        content = html.encode()

    return Page()


def test_a_level_links_each_unit_that_has_units_below_to_its_own_level(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:tree"), {"on": BEFORE, "unit": "P"}).text
    d1 = html.split('data-code="D1"', 1)[1].split("</li>", 1)[0]
    assert f'href="/units/?on={BEFORE}&amp;unit=D1"' in d1
    assert "2 units below ›" in d1
    leaf = client.get(reverse("unions:tree"), {"on": BEFORE, "unit": "D1"}).text
    c11 = leaf.split('data-code="C11"', 1)[1].split("</li>", 1)[0]
    assert "units below" not in c11 and "unit below" not in c11


def test_the_path_above_a_level_links_back_up(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:tree"), {"on": BEFORE, "unit": "D1"}).text
    path = html.split('id="tree-path"', 1)[1].split("</nav>", 1)[0]
    assert f'href="/units/?on={BEFORE}"' in path  # all units
    assert f'href="/units/?on={BEFORE}&amp;unit=P"' in path
    assert f'href="/units/D1/?on={BEFORE}"' in path


def test_tree_nodes_show_kind_count_and_badges(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:tree"), {"on": BEFORE, "unit": "P"}).text
    d1 = html.split('data-code="D1"', 1)[1]
    assert d1.startswith(' data-kind="district">')
    assert "2 CĐCS" in d1.split("</li>", 1)[0]
    html = client.get(reverse("unions:tree"), {"on": BEFORE, "unit": "D1"}).text
    c12 = html.split('data-code="C12"', 1)[1].split("</li>", 1)[0]
    assert "Administrative or public-service unit" in c12
    assert "paid by the state budget" in c12


def test_tree_offers_quick_links_to_the_reform_dates(client, office_user):
    from unions.models import Unit, UnitKind
    from unions.services import unit_dissolve

    province = Unit.objects.get(code="P")
    # Two budget-paid units gone on 15 June 2025, a second district beside D1 on 1 July.
    for code, day in (("X1", "2025-06-15"), ("X2", "2025-06-15"), ("X3", "2025-07-01")):
        unit_dissolve(make_unit(code, UnitKind.DISTRICT, province), dt.date.fromisoformat(day))
    client.force_login(office_user)
    html = client.get(reverse("unions:tree")).text
    for day in ("2024-12-31", "2025-06-15", "2025-07-01"):
        assert f'href="/units/?on={day}"' in html
    html = client.get(reverse("unions:tree"), {"unit": "D2"}).text
    assert 'href="/units/?on=2024-12-31&amp;unit=D2"' in html


def test_tree_offers_a_search_on_its_date(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:tree"), {"on": BEFORE}).text
    form = html.split('<form method="get" action="/units/search/"', 1)[1].split("</form>", 1)[0]
    assert 'id="tree-search"' in form and 'name="q"' in form
    assert f'name="on" value="{BEFORE}"' in form
    found = client.get(reverse("unions:search"), {"q": "c1", "on": BEFORE})
    assert "C11" in found.text and "C12" in found.text


def test_a_date_that_cannot_be_read_falls_back_to_today(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("unions:tree"), {"on": "31/31/2024", "unit": "P"})
    assert response.status_code == 200
    assert "could not be read" in response.text
    assert "W1" in tree_codes(response)


def test_reporter_sees_only_its_own_subtree(client, district_reporter):
    client.force_login(district_reporter)
    response = client.get(reverse("unions:tree"), {"on": BEFORE})
    assert tree_codes(response) == {"C21", "C22"}
    assert "3 units, of which 2 grassroots unions" in response.text
    path = response.text.split('id="tree-path"', 1)[1].split("</nav>", 1)[0]
    assert "Unit P" in path and "unit=P" not in path  # named, not linked
    assert "All units" not in path


def test_reporter_cannot_open_a_level_outside_its_scope(client, district_reporter):
    client.force_login(district_reporter)
    assert client.get(reverse("unions:tree"), {"unit": "P"}).status_code == 404
    assert client.get(reverse("unions:tree"), {"unit": "D1"}).status_code == 404
    assert client.get(reverse("unions:tree"), {"unit": "C21"}).status_code == 200


def test_reporter_is_told_when_its_unit_did_not_exist_on_the_date(client, ward_reporter):
    client.force_login(ward_reporter)
    response = client.get(reverse("unions:tree"), {"on": BEFORE})
    assert tree_codes(response) == set()
    assert "Your unit, Unit W1, did not exist on 31/12/2024." in response.text


def test_a_level_of_a_unit_not_existing_on_the_date_says_so(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("unions:tree"), {"on": AFTER, "unit": "D1"})
    assert tree_codes(response) == set()
    assert "Unit D1 did not exist on 01/01/2026." in response.text


def test_a_long_level_comes_in_pages(client, office_user, small_tree, settings):
    from unions import views

    client.force_login(office_user)
    for n in range(5):
        make_unit(f"X{n}", UnitKind.GRASSROOTS, small_tree.d2, sector=Sector.PRIVATE)
    views.LEVEL_PAGE_SIZE, size = 4, views.LEVEL_PAGE_SIZE
    try:
        first = client.get(reverse("unions:tree"), {"on": AFTER, "unit": "D2"})
        second = client.get(reverse("unions:tree"), {"on": AFTER, "unit": "D2", "page": 2})
    finally:
        views.LEVEL_PAGE_SIZE = size
    assert len(tree_codes(first)) == 4 and len(tree_codes(second)) == 3
    assert "7 units directly below." in first.text
    assert 'rel="next"' in first.text


def test_tree_query_count_does_not_grow_with_the_number_of_units(
    client, office_user, small_tree, django_assert_max_num_queries
):
    client.force_login(office_user)
    url = reverse("unions:tree") + f"?on={AFTER}&unit=D2"
    client.get(url)  # warm caches (demo banner) so both counts compare like with like
    closure_changed()  # the level's counts are read again, as after the units are added
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        make_unit(f"X{n}", UnitKind.GRASSROOTS, small_tree.d2, sector=Sector.PRIVATE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "X29" in tree_codes(response)
    assert len(few.captured_queries) <= 8


def test_a_levels_counts_are_cached_until_the_tree_changes(client, office_user, small_tree):
    client.force_login(office_user)
    url = reverse("unions:tree") + f"?on={AFTER}&unit=D2"
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    counting = [q["sql"] for q in cached.captured_queries if "COUNT(" in q["sql"]]
    assert not any("unions_unitclosure" in sql for sql in counting)
    make_unit("X1", UnitKind.GRASSROOTS, small_tree.d2)
    with CaptureQueriesContext(connection) as fresh:
        response = client.get(url)
    counting = [q["sql"] for q in fresh.captured_queries if "COUNT(" in q["sql"]]
    assert any("unions_unitclosure" in sql for sql in counting)
    assert "On 01/01/2026: 4 units, of which 3 grassroots unions (CĐCS)." in response.text


# Search -----------------------------------------------------------------------------------


def test_search_finds_by_code_or_name_ignoring_case(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("unions:search"), {"q": "unit c2"})
    assert response.text.count('<tr data-code="C2') == 2
    response = client.get(reverse("unions:search"), {"q": "c11"})
    assert 'data-code="C11"' in response.text


def test_search_matches_vietnamese_names_in_any_case(client, office_user, small_tree):
    make_unit("TD", UnitKind.DISTRICT, small_tree.province, name="LĐLĐ huyện Tam Đường")
    client.force_login(office_user)
    for text in (
        "đường",
        "TAM ĐƯỜNG",
        "tam đường",
        "lđlđ",
        "tam duong",
        "LDLD HUYEN",
        "  tam   duong ",
    ):
        response = client.get(reverse("unions:search"), {"q": text})
        assert 'data-code="TD"' in response.text, text
    assert 'data-code="TD"' not in client.get(reverse("unions:search"), {"q": "tam dương x"}).text


def test_a_renamed_unit_is_found_by_its_new_name(client, office_user, small_tree):
    from unions.services import unit_update

    unit = make_unit("TP", UnitKind.COMMUNE, small_tree.province, name="Công đoàn xã Nà Tăm")
    unit_update(unit, name="Công đoàn phường Tân Phong", sector="", budget_paid=False)
    client.force_login(office_user)
    assert 'data-code="TP"' in client.get(reverse("unions:search"), {"q": "tan phong"}).text
    assert 'data-code="TP"' not in client.get(reverse("unions:search"), {"q": "na tam"}).text


def test_search_shows_active_units_by_default_and_closed_ones_on_request(client, office_user):
    client.force_login(office_user)
    active = client.get(reverse("unions:search"), {"q": "D"})
    assert 'data-code="D1"' not in active.text
    everything = client.get(reverse("unions:search"), {"q": "D", "status": "all"})
    row = everything.text.split('data-code="D1"', 1)[1].split("</tr>", 1)[0]
    assert "30/06/2025" in row
    assert 'class="badge closed"' in row
    on_date = client.get(reverse("unions:search"), {"q": "D", "on": "31/12/2024"})
    assert 'data-code="D1"' in on_date.text


def test_search_filters_by_kind_and_shows_the_parent(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("unions:search"), {"kind": "grassroots"})
    assert response.text.count('<tr data-code="C') == 4
    assert 'data-code="D2"' not in response.text
    row = response.text.split('data-code="C11"', 1)[1].split("</tr>", 1)[0]
    assert "Unit W1" in row


def test_search_is_limited_to_the_reporters_units(client, district_reporter):
    client.force_login(district_reporter)
    response = client.get(reverse("unions:search"), {"q": "unit", "status": "all"})
    codes = {c.split('"', 1)[0] for c in response.text.split('<tr data-code="')[1:]}
    assert codes == {"D2", "C21", "C22"}


# Unit page --------------------------------------------------------------------------------


def test_unit_page_shows_facts_parents_over_time_and_children(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:detail", args=["C11"])).text
    parents = html.split('id="unit-parents"', 1)[1].split("</table>", 1)[0]
    assert parents.index("Unit D1") < parents.index("Unit W1")
    assert "30/06/2025" in parents and "01/07/2025" in parents
    assert "Private enterprise" in html


def test_closed_unit_lists_children_on_its_last_day_and_names_its_successor(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:detail", args=["D1"])).text
    assert "Units under it on 30/06/2025" in html
    assert 'data-code="C11"' in html and 'data-code="C12"' in html
    assert 'class="badge closed"' in html
    assert f'href="{reverse("unions:detail", args=["W1"])}"' in html.split('id="unit-successor"')[1]
    assert 'id="action-dissolve"' not in html


def test_successor_page_lists_its_predecessors(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:detail", args=["W1"])).text
    assert "Unit D1" in html.split('id="unit-predecessors"', 1)[1]


def test_unit_page_lists_children_on_a_chosen_date(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:detail", args=["W1"]), {"on": AFTER}).text
    assert 'data-code="C11"' in html
    assert 'id="action-edit"' in html and 'id="move-children"' in html


# Forms: happy paths -----------------------------------------------------------------------


def follow_message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_office_creates_a_cdcs_under_a_parent_chosen_by_code(client, office_user, small_tree):
    client.force_login(office_user)
    data = {
        "code": "N1",
        "name": "CĐCS Công ty Chè Tam Đường",
        "kind": "grassroots",
        "parent": "d2",
        "sector": "private",
        "budget_paid": "",
        "valid_from": "01/02/2024",
        "note": "",
    }
    response = client.post(reverse("unions:new"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("unions:detail", args=["N1"])
    assert "was created" in follow_message(response)
    unit = Unit.objects.get(code="N1")
    assert unit.valid_from == dt.date(2024, 2, 1)
    assert unit_parent_on(unit, dt.date(2024, 2, 1)) == small_tree.d2


def test_office_edits_a_units_description(client, office_user, small_tree):
    client.force_login(office_user)
    data = {"name": "CĐCS renamed", "sector": "coop", "budget_paid": "on", "note": "checked"}
    response = client.post(reverse("unions:edit", args=["C21"]), data)
    assert response.status_code == 302
    small_tree.c21.refresh_from_db()
    assert (small_tree.c21.name, small_tree.c21.sector) == ("CĐCS renamed", "coop")
    assert small_tree.c21.budget_paid and small_tree.c21.note == "checked"


def test_office_moves_a_unit_to_a_new_parent_from_a_date(client, office_user, small_tree):
    client.force_login(office_user)
    data = {"new_parent": "W1", "on": "01/08/2025"}
    response = client.post(reverse("unions:move", args=["C21"]), data, follow=True)
    assert "was moved" in follow_message(response)
    assert unit_parent_on(small_tree.c21, dt.date(2025, 8, 1)) == small_tree.ward
    assert unit_parent_on(small_tree.c21, dt.date(2025, 7, 31)) == small_tree.d2


def test_office_moves_several_cdcs_at_once_from_the_parents_page(client, office_user, small_tree):
    client.force_login(office_user)
    data = {"move-units": ["C21", "C22"], "move-new_parent": "W1", "move-on": "01/08/2025"}
    url = reverse("unions:move_children", args=["D2"]) + f"?on={AFTER}"
    response = client.post(url, data)
    assert response.status_code == 302
    on = dt.date(2025, 8, 1)
    assert {u.code for u in unit_children(small_tree.ward, on)} == {"C11", "C12", "C21", "C22"}
    assert unit_children(small_tree.d2, on) == []


def test_office_dissolves_a_unit_handing_its_cdcs_to_a_successor(client, office_user, small_tree):
    client.force_login(office_user)
    data = {"on": "01/01/2026", "successor": "W1"}
    response = client.post(reverse("unions:dissolve", args=["D2"]), data)
    assert response.status_code == 302
    small_tree.d2.refresh_from_db()
    assert small_tree.d2.valid_to == dt.date(2026, 1, 1)
    assert small_tree.d2.successor == small_tree.ward
    assert unit_parent_on(small_tree.c21, dt.date(2026, 1, 1)) == small_tree.ward


def test_office_merges_several_units_into_one(client, office_user, small_tree):
    client.force_login(office_user)
    data = {"units": "c21, C22", "into": "C11", "on": "01/01/2026"}
    response = client.post(reverse("unions:merge"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("unions:detail", args=["C11"])
    assert "merged into Unit C11" in follow_message(response)
    for unit in (small_tree.c21, small_tree.c22):
        unit.refresh_from_db()
        assert (unit.valid_to, unit.successor) == (dt.date(2026, 1, 1), small_tree.c11)


# Forms: refusals keep what was typed ------------------------------------------------------


def assert_refused(response, message: str, *typed: str) -> None:
    assert response.status_code == 200
    errors = response.text.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert message in errors
    for value in typed:
        assert f'value="{value}"' in response.text, value


def test_moving_a_unit_under_its_own_descendant_is_refused(client, office_user, small_tree):
    client.force_login(office_user)
    data = {"new_parent": "C21", "on": "01/01/2025"}
    response = client.post(reverse("unions:move", args=["D2"]), data)
    assert_refused(response, "the move would make a cycle", "C21", "01/01/2025")
    assert unit_parent_on(small_tree.d2, dt.date(2025, 1, 1)) == small_tree.province


def test_dissolving_a_unit_with_cdcs_and_no_successor_is_refused(client, office_user, small_tree):
    client.force_login(office_user)
    response = client.post(reverse("unions:dissolve", args=["D2"]), {"on": "01/01/2026"})
    assert_refused(response, "Move them first or name a successor", "01/01/2026")
    small_tree.d2.refresh_from_db()
    assert small_tree.d2.valid_to is None


def test_creating_a_unit_with_a_code_in_use_is_refused(client, office_user):
    client.force_login(office_user)
    data = {
        "code": "C11",
        "name": "Đoàn mới",
        "kind": "grassroots",
        "parent": "D2",
        "sector": "private",
        "valid_from": "01/02/2024",
    }
    response = client.post(reverse("unions:new"), data)
    assert_refused(response, "already used by another unit", "C11", "Đoàn mới", "D2", "01/02/2024")
    assert Unit.objects.filter(code="C11").count() == 1


def test_unknown_codes_are_shown_next_to_their_field(client, office_user):
    client.force_login(office_user)
    data = {"units": "C21 NOPE", "into": "C11", "on": "01/01/2026"}
    response = client.post(reverse("unions:merge"), data)
    assert response.status_code == 200
    assert "No unit has the code(s) NOPE." in response.text
    assert "C21 NOPE" in response.text
    response = client.post(reverse("unions:move", args=["C21"]), {"new_parent": "ZZ", "on": "x"})
    assert "No unit has the code ZZ." in response.text
    assert "Enter a valid date." in response.text


def test_moving_children_keeps_the_ticked_units_when_refused(client, office_user):
    client.force_login(office_user)
    data = {"move-units": ["C22"], "move-new_parent": "C22", "move-on": "01/08/2025"}
    url = reverse("unions:move_children", args=["D2"]) + f"?on={AFTER}"
    response = client.post(url, data)
    assert_refused(response, "the move would make a cycle", "C22", "01/08/2025")
    assert 'value="C22" id="id_move-units_1" checked' in response.text
    assert 'value="C21" id="id_move-units_0" checked' not in response.text


def test_dates_are_shown_and_typed_day_first(client, office_user):
    client.force_login(office_user)
    html = client.get(reverse("unions:dissolve", args=["C21"])).text
    assert 'placeholder="dd/mm/yyyy"' in html
    html = client.get(reverse("unions:detail", args=["C11"])).text
    assert REFORM.strftime("%d/%m/%Y") in html


def test_when_only_closed_units_match_the_search_says_so_and_offers_them(
    client, office_user, small_tree
):
    gone = make_unit("TD", UnitKind.DISTRICT, small_tree.province, name="LĐLĐ huyện Tam Đường")
    gone.valid_to = dt.date(2025, 7, 1)
    gone.save()
    client.force_login(office_user)
    page = client.get(reverse("unions:search"), {"q": "tam duong"}).text
    assert 'data-code="TD"' not in page
    hint = re.search(r'<p class="hint" id="closed-matches">.*?</p>', page, re.S).group(0)
    assert "1 closed unit does" in hint
    link = re.search(r'href="\\?([^"]+)"', hint).group(1).replace("&amp;", "&")
    shown = client.get(reverse("unions:search") + "?" + link).text
    assert 'data-code="TD"' in shown and 'id="closed-matches"' not in shown
    # Nothing closed matches either: no hint.
    assert 'id="closed-matches"' not in client.get(reverse("unions:search"), {"q": "zzz"}).text


def test_the_tree_offers_the_days_of_the_reorganisation_from_the_unit_history(client, office_user):
    """No reform date is written in the code: the days the most units closed are offered."""
    client.force_login(office_user)
    html = client.get(reverse("unions:tree"), {"on": BEFORE}).text
    # In the small tree D1 closed on 1 July 2025 (one unit: not a reorganisation day yet).
    assert 'data-day="2025-07-01"' not in html
    from unions.models import Unit, UnitKind
    from unions.services import unit_dissolve

    province = Unit.objects.get(code="P")
    for code in ("X1", "X2"):
        unit_dissolve(make_unit(code, UnitKind.DISTRICT, province), dt.date(2025, 6, 15))
    html = client.get(reverse("unions:tree"), {"on": BEFORE}).text
    assert 'data-day="2025-06-15"' in html and "15/06/2025: 2 units closed" in html
    assert 'data-day="2024-12-31"' in html
