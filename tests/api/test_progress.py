"""GET /api/v1/progress/: the roll-up's figures, the same access rules as the pages."""

from decimal import Decimal

import pytest

from api.serialize import number
from rollup.engine import AS_NOW, PeriodSpec, progress
from tests.api.conftest import PROGRESS, bearer, reported_value

pytestmark = pytest.mark.django_db


def indicator(body, code):
    return next(i for i in body["indicators"] if i["code"] == code)


def test_progress_equals_the_rollup_for_the_same_arguments(client, committee_user, reported):
    client.force_login(committee_user)
    for unit, spec, tree in [
        (reported.province, "2025", "as_was"),
        (reported.d2, "2025Q4", "as_was"),
        (reported.ward, "2025Q2", "as_now"),
        (reported.province, "term", "as_now"),
    ]:
        response = client.get(PROGRESS, {"unit": unit.code, "period": spec, "tree": tree})
        assert response.status_code == 200, response.content
        body = response.json()
        programme = reported_programme()
        expected = progress(programme, unit, PeriodSpec.parse(spec), tree=tree)
        assert body["tree"] == tree and body["unit"]["code"] == unit.code
        assert [i["code"] for i in body["indicators"]] == [r.code for r in expected.results]
        for got, want in zip(body["indicators"], expected.results, strict=True):
            assert got["numerator"] == want.numerator
            assert got["denominator"] == want.denominator
            assert got["value"] == number(want.value)
            assert got["target"] == number(want.target)
            assert got["status"] == want.status.value
            assert got["coverage"] == {
                "reported": want.coverage.reported,
                "expected": want.coverage.expected,
            }


def reported_programme():
    from targets.models import Programme

    return Programme.objects.get()


def test_province_year_shows_counts_value_and_period(client, committee_user, reported):
    client.force_login(committee_user)
    body = client.get(PROGRESS, {"unit": "P", "period": "2025"}).json()
    assert body["programme"]["code"] == "03-ctr-ldld-2023"
    assert body["period"] == {
        "code": "2025",
        "kind": "year",
        "quarters": ["2025Q1", "2025Q2", "2025Q3", "2025Q4"],
    }
    t01 = indicator(body, "T01")
    assert (t01["numerator"], t01["denominator"], t01["value"]) == (300, None, 300)
    assert t01["quarter"] == "2025Q4"
    a01 = indicator(body, "A01")
    assert (a01["numerator"], a01["denominator"]) == (320, 330)
    assert a01["value"] == 97.0  # percent, 0–100, one decimal as on every page (96,97 → 97,0)
    assert a01["target"] == 98
    t02 = indicator(body, "T02")
    assert t02["quarter"] is None and (t02["numerator"], t02["denominator"]) == (1, 2)


def test_as_reorganised_a_dissolved_districts_values_follow_its_successor(
    client, office_user, reported
):
    client.force_login(office_user)
    was = client.get(PROGRESS, {"unit": "W1", "period": "2025Q2"}).json()
    now = client.get(PROGRESS, {"unit": "W1", "period": "2025Q2", "tree": AS_NOW}).json()
    assert indicator(was, "T01")["numerator"] is None
    assert indicator(was, "T01")["status"] == "no_data"
    assert indicator(now, "T01")["numerator"] == 100


def test_programme_defaults_to_the_one_running_today(client, office_user, reported):
    client.force_login(office_user)
    default = client.get(PROGRESS, {"unit": "P", "period": "2025"}).json()
    named = client.get(
        PROGRESS, {"unit": "P", "period": "2025", "programme": "03-ctr-ldld-2023"}
    ).json()
    # The figures are the same; when they were read may fall in different minutes.
    assert default.pop("as_of") and named.pop("as_of")
    assert default == named


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"period": "2025Q5"}, "2025Q5"),
        ({"period": "last year"}, "last year"),
        ({"period": ""}, "period"),
        ({"period": "2019"}, "outside"),
        ({"tree": "sideways"}, "tree"),
        ({"programme": "no-such-programme"}, "no-such-programme"),
        ({"include": "drafts"}, "include"),
        ({"unit": ""}, "unit"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, office_user, reported, params, word):
    client.force_login(office_user)
    response = client.get(PROGRESS, {"unit": "P", "period": "2025", **params})
    assert response.status_code == 400
    assert word in response.json()["error"]


def test_unknown_unit_is_a_404_in_json(client, office_user, reported):
    client.force_login(office_user)
    response = client.get(PROGRESS, {"unit": "NOPE", "period": "2025"})
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


def test_office_staff_can_include_provisional_data(client, office_user, reported, programme):
    reported_value(reported.d2, programme, "2026Q1", approve=False, members=215)
    client.force_login(office_user)
    approved_only = client.get(PROGRESS, {"unit": "P", "period": "2026Q1"}).json()
    with_submitted = client.get(
        PROGRESS, {"unit": "P", "period": "2026Q1", "include": "provisional"}
    ).json()
    assert approved_only["provisional"] is False
    assert indicator(approved_only, "T01")["numerator"] is None
    assert with_submitted["provisional"] is True
    t01 = indicator(with_submitted, "T01")
    assert t01["numerator"] == 215 and t01["provisional"] is True


def test_provisional_data_is_refused_to_committee_and_reporters(
    client, committee_user, district_reporter, reported
):
    for user, unit in [(committee_user, "P"), (district_reporter, "D2")]:
        client.force_login(user)
        response = client.get(PROGRESS, {"unit": unit, "period": "2025", "include": "provisional"})
        assert response.status_code == 403
        assert "office" in response.json()["error"]


def test_reporter_reads_its_own_district_with_a_token(client, reporter_token, reported):
    response = client.get(PROGRESS, {"unit": "D2", "period": "2025"}, **bearer(reporter_token))
    assert response.status_code == 200
    assert indicator(response.json(), "T01")["numerator"] == 210


def test_progress_costs_a_constant_number_of_queries(
    client, office_user, reported, django_assert_max_num_queries
):
    client.force_login(office_user)
    with django_assert_max_num_queries(11):
        assert client.get(PROGRESS, {"unit": "P", "period": "term"}).status_code == 200


def test_progress_with_a_token_costs_a_constant_number_of_queries(
    client, office_token, reported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(11):
        response = client.get(PROGRESS, {"unit": "P", "period": "2025"}, **bearer(office_token))
        assert response.status_code == 200


def test_the_api_writes_the_engines_figure_without_rounding_it_again():
    assert number(Decimal("97.0")) == 97
    assert number(Decimal("1.05")) == 1.05
    assert number(Decimal("1.00")) == 1
    assert number(None) is None


def test_term_period_lists_every_quarter_already_cut_off(client, office_user, reported):
    from django.utils import timezone

    from reports.models import ReportingPeriod

    client.force_login(office_user)
    quarters = client.get(PROGRESS, {"unit": "P", "period": "term"}).json()["period"]["quarters"]
    cut_off = ReportingPeriod.objects.filter(cutoff__lte=timezone.localdate())
    assert quarters == [p.code for p in cut_off.order_by("year", "quarter")]
    assert "2025Q4" in quarters


def test_a_share_of_0_of_0_is_nothing_to_measure_in_the_api(client, committee_user, reported):
    """A commune union without CĐCS reports 0 of 0: the API says so, as the pages do."""
    from api.openapi import openapi_document
    from reports.assignments import assignments_apply_proposal
    from tests.api.schema import problems
    from tests.conftest import make_unit
    from unions.models import UnitKind

    programme = reported_programme()
    commune = make_unit("W0", UnitKind.COMMUNE, reported.province)
    assignments_apply_proposal()
    reported_value(commune, programme, "2025Q4", members=0, workers_union_units=0, informed_ytd=0)
    client.force_login(committee_user)
    body = client.get(PROGRESS, {"unit": "W0", "period": "2025"}).json()
    a01 = indicator(body, "A01")
    assert (a01["numerator"], a01["denominator"], a01["value"]) == (0, 0, None)
    assert a01["status"] == "nothing_to_measure" and a01["quarter"] == "2025Q4"
    document = openapi_document()
    assert not problems(body, {"$ref": "#/components/schemas/Progress"}, document)
    status = document["components"]["schemas"]["IndicatorResult"]["properties"]["status"]
    assert "nothing_to_measure" in status["enum"] and "no_data" in status["enum"]
    province = indicator(client.get(PROGRESS, {"unit": "P", "period": "2025"}).json(), "A01")
    assert (province["numerator"], province["denominator"]) == (320, 330)
