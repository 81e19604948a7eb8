"""Units and programmes are readable too, at a cost that does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_unit
from unions.models import UnitKind

pytestmark = pytest.mark.django_db


def units(client, **params):
    response = client.get("/api/v1/units/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_units_on_a_date_before_the_reform_show_the_parents_of_then(client, office_user):
    client.force_login(office_user)
    body = units(client, on="2025-06-30")
    by_code = {u["code"]: u for u in body["units"]}
    assert body["on"] == "2025-06-30" and body["count"] == len(body["units"]) == 7
    assert "W1" not in by_code
    assert by_code["C11"]["parent"] == "D1"
    assert by_code["P"]["parent"] is None
    c12 = by_code["C12"]
    assert (c12["kind"], c12["sector"], c12["budget_paid"]) == ("grassroots", "hcsn", True)
    assert by_code["D1"]["valid_to"] == "2025-07-01"
    assert by_code["D1"]["sector"] is None


def test_units_after_the_reform_follow_todays_tree(client, office_user):
    client.force_login(office_user)
    by_code = {u["code"]: u for u in units(client, on="2025-07-01")["units"]}
    assert "D1" not in by_code
    assert by_code["C11"]["parent"] == "W1"
    assert by_code["W1"]["valid_from"] == "2025-07-01"


def test_units_can_be_searched_and_filtered_by_kind(client, office_user):
    client.force_login(office_user)
    assert [u["code"] for u in units(client, q="c2")["units"]] == ["C21", "C22"]
    assert [u["code"] for u in units(client, kind="district")["units"]] == ["D2"]


@pytest.mark.parametrize("params", [{"on": "30/06/2025"}, {"on": "2025-13-01"}, {"kind": "x"}])
def test_bad_unit_list_parameters_are_a_400(client, office_user, params):
    client.force_login(office_user)
    response = client.get("/api/v1/units/", params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_unit_detail_tells_its_parents_over_time_and_its_successor(client, office_user):
    client.force_login(office_user)
    c11 = client.get("/api/v1/units/C11/").json()
    assert c11["parent"] == "W1"
    assert [(p["parent"], p["valid_from"], p["valid_to"]) for p in c11["parents"]] == [
        ("D1", "2020-01-01", "2025-07-01"),
        ("W1", "2025-07-01", None),
    ]
    d1 = client.get("/api/v1/units/D1/").json()
    assert (d1["successor"], d1["parent"], d1["valid_to"]) == ("W1", None, "2025-07-01")


def test_unknown_unit_detail_is_a_404(client, office_user):
    client.force_login(office_user)
    assert client.get("/api/v1/units/NOPE/").status_code == 404


def grow(small_tree, prefix, count):
    for i in range(count):
        make_unit(f"{prefix}{i:03d}", UnitKind.GRASSROOTS, small_tree.d2, start=dt.date(2021, 1, 1))


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/units/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["office_user", "district_reporter"])
def test_unit_list_costs_the_same_for_10_and_40_units(
    client, request, small_tree, persona, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    grow(small_tree, "X", 10)
    with django_assert_max_num_queries(5):
        ten = list_queries(client)
    grow(small_tree, "Y", 30)
    assert units(client)["count"] >= 40
    assert list_queries(client) == ten


def test_unit_detail_costs_a_constant_number_of_queries(
    client, district_reporter, django_assert_max_num_queries
):
    client.force_login(district_reporter)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/units/C21/").status_code == 200


def test_programmes_are_listed(client, committee_user, programme):
    client.force_login(committee_user)
    body = client.get("/api/v1/programmes/").json()
    assert body["programmes"] == [
        {
            "code": "03-ctr-ldld-2023",
            "number": programme.number,
            "title": programme.title,
            "issued_on": "2023-12-05",
            "term_start": programme.term_start.isoformat(),
            "term_end": programme.term_end.isoformat(),
        }
    ]


def test_programme_detail_names_each_indicators_fields_and_targets(
    client, committee_user, programme
):
    client.force_login(committee_user)
    body = client.get("/api/v1/programmes/03-ctr-ldld-2023/").json()
    indicators = {i["code"]: i for i in body["indicators"]}
    assert len(indicators) == 21
    a01 = indicators["A01"]
    assert (a01["numerator"], a01["denominator"], a01["display"]) == (
        "informed_ytd",
        "workers_union_units",
        "percent",
    )
    assert {"year": None, "unit": None, "value": 98} in [
        {k: t[k] for k in ("year", "unit", "value")} for t in a01["targets"]
    ]
    t01 = indicators["T01"]
    assert t01["denominator"] is None and t01["display"] == "count"
    assert indicators["T05"]["comparison"] == "gt"
    assert body["task_groups"][0]["code"] == "3.1"


def test_unit_targets_outside_a_reporters_subtree_are_left_out(
    client, district_reporter, small_tree, programme
):
    from targets.models import Indicator, Target

    a01 = Indicator.objects.get(code="A01")
    Target.objects.create(indicator=a01, unit=small_tree.d1, value=97)
    Target.objects.create(indicator=a01, unit=small_tree.d2, value=96)
    client.force_login(district_reporter)
    body = client.get("/api/v1/programmes/03-ctr-ldld-2023/").json()
    a01_units = [t["unit"] for i in body["indicators"] if i["code"] == "A01" for t in i["targets"]]
    assert "D2" in a01_units and "D1" not in a01_units


def test_unknown_programme_detail_is_a_404(client, committee_user, programme):
    client.force_login(committee_user)
    assert client.get("/api/v1/programmes/nope/").status_code == 404


def test_programme_detail_costs_a_constant_number_of_queries(
    client, district_reporter, programme, django_assert_max_num_queries
):
    client.force_login(district_reporter)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/programmes/03-ctr-ldld-2023/").status_code == 200


def test_the_unit_list_comes_in_pages_that_link_to_the_next(client, office_user, small_tree):
    client.force_login(office_user)
    grow(small_tree, "X", 5)
    first = units(client, limit=4)
    assert (first["count"], first["limit"], first["offset"], len(first["units"])) == (12, 4, 0, 4)
    seen = [u["code"] for u in first["units"]]
    page = first
    while page["next"] is not None:
        assert page["next"].startswith("http://testserver/api/v1/units/?")
        response = client.get(page["next"])
        assert response.status_code == 200
        page = response.json()
        seen += [u["code"] for u in page["units"]]
    assert page["offset"] == 8 and len(page["units"]) == 4
    assert seen == sorted(seen) and len(set(seen)) == 12
    assert seen == [u["code"] for u in units(client, limit=1000)["units"]]


def test_the_next_page_keeps_the_search(client, office_user, small_tree):
    client.force_login(office_user)
    grow(small_tree, "X", 5)
    first = units(client, q="x0", limit=2)
    assert first["count"] == 5 and "q=x0" in first["next"]
    assert units(client, q="x0", limit=2, offset=4)["next"] is None


def test_a_reporters_pages_hold_only_its_subtree(client, district_reporter, small_tree):
    client.force_login(district_reporter)
    grow(small_tree, "X", 3)
    body = units(client, limit=2, offset=2)
    assert body["count"] == 6  # D2, C21, C22 and three new CĐCS
    assert [u["code"] for u in body["units"]] == ["D2", "X000"]  # after C21, C22


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "1001"}, {"limit": "ten"}, {"offset": "-1"}, {"offset": "²"}],
)
def test_bad_page_parameters_are_a_400(client, office_user, params):
    client.force_login(office_user)
    response = client.get("/api/v1/units/", params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()["error"]


def test_an_offset_past_the_end_is_an_empty_page(client, office_user):
    client.force_login(office_user)
    body = units(client, offset=500)
    assert (body["count"], body["units"], body["next"]) == (7, [], None)


def test_a_reporters_unit_list_filters_by_a_subquery_not_a_list_of_ids(
    client, district_reporter, small_tree
):
    client.force_login(district_reporter)
    grow(small_tree, "X", 30)
    with CaptureQueriesContext(connection) as queries:
        assert units(client)["count"] == 33
    listing = [q["sql"] for q in queries if "unions_unit" in q["sql"] and "LIMIT" in q["sql"]]
    assert listing and all("unions_unitclosure" in sql for sql in listing)
