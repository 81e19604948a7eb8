"""The engine's rules, seen where people read figures: completeness along today's tree,
breakdowns that add up, a change only between complete quarters, one rounding, and one
default programme."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse

from dashboards import selectors as sel
from dashboards.forms import Params
from dashboards.workbook_csv import breakdown_table, delimiter
from dashboards.workbook_data import WorkbookRequest, workbook_contents
from reports.assignments import assignments_apply_proposal
from rollup.engine import (
    AS_NOW,
    AS_WAS,
    Coverage,
    Mode,
    PeriodSpec,
    change_shown,
    progress,
    shown_value,
)
from targets.models import Indicator, Programme
from targets.programmes import programme_default
from tests.conftest import approved

TODAY = dt.date(2026, 2, 1)


def _result(programme, unit, spec, tree=AS_WAS, code="T01"):
    found = progress(programme, unit, PeriodSpec.parse(spec), tree=tree, today=TODAY)
    return found, next(r for r in found.results if r.code == code)


def test_completeness_never_exceeds_the_expected_reports_along_todays_tree(reported, programme):
    """The ward union created in July 2025 holds, along today's tree, the 2024 report of the
    district it succeeded: that report is expected of it too (was "1/0 reports")."""
    for spec in ("2024", "2025", "term"):
        for tree in (AS_WAS, AS_NOW):
            for unit in (reported.ward, reported.d2, reported.province):
                found = progress(programme, unit, PeriodSpec.parse(spec), tree=tree, today=TODAY)
                assert found.received_reports <= found.expected_reports, (spec, tree, unit)
                for r in found.results:
                    assert r.coverage.reported <= r.coverage.expected, (spec, tree, unit, r.code)
    ward_2024 = progress(
        programme, reported.ward, PeriodSpec.parse("2024"), tree=AS_NOW, today=TODAY
    )
    assert (ward_2024.received_reports, ward_2024.expected_reports) == (1, 1)


def test_the_rows_of_a_breakdown_add_up_and_a_closed_units_figure_stands_apart(reported, programme):
    t01 = Indicator.objects.get(programme=programme, code="T01")
    _, total = _result(programme, reported.province, "term")
    rows = sel.indicator_breakdown(
        programme, t01, PeriodSpec("term"), reported.province, Mode(TODAY)
    )
    summary = sel.breakdown_sum(rows, total)
    by_code = {r.unit.code: r for r in rows}
    assert total.numerator == 300  # the ward's 90 and D2's 210 in 2025Q4
    assert by_code["D1"].result.numerator == 100 and not by_code["D1"].in_sum
    assert by_code["D1"].result.quarter == (2025, 2)  # its last figure, and its date
    assert by_code["W1"].in_sum and by_code["D2"].in_sum
    assert summary.numerator == 300 and summary.adds_up and summary.apart == 1


def test_a_flow_breakdown_keeps_every_units_share_in_the_sum(reported, programme):
    t02 = Indicator.objects.get(programme=programme, code="T02")
    _, total = _result(programme, reported.province, "term", code="T02")
    rows = sel.indicator_breakdown(
        programme, t02, PeriodSpec("term"), reported.province, Mode(TODAY)
    )
    summary = sel.breakdown_sum(rows, total)
    assert (summary.numerator, summary.denominator) == (total.numerator, total.denominator)
    assert summary.adds_up


def test_the_breakdown_csv_says_which_rows_are_added_and_sums_them(reported, programme):
    t01 = Indicator.objects.get(programme=programme, code="T01")
    table = breakdown_table(
        programme,
        t01,
        reported.province,
        Params(2025, "term", AS_WAS, False),
        {},
        TODAY,
    )
    text = table.content().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter()))
    header = rows[0]
    added = header.index("Added to the total")
    figure_of = header.index("Figure of")
    d1 = next(r for r in rows if r[1] == "D1")
    assert (d1[added], d1[figure_of]) == ("no", "Quarter 2/2025")
    sums = {r[0]: r[4] for r in rows[-3:]}
    assert sums == {
        "Sum of the rows added": "300",
        "Reports of units not listed": "0",
        "Total": "300",
    }


def test_a_change_is_shown_only_between_two_complete_quarters():
    complete, short = Coverage(2, 2), Coverage(1, 2)
    cov = {(2025, 3): short, (2025, 4): complete, (2025, 2): complete}
    q3, q4, q2 = (2025, 3), (2025, 4), (2025, 2)
    assert change_shown(Decimal(5), Decimal(3), (q4, q2), cov) == 2
    assert change_shown(Decimal(5), Decimal(3), (q4, q3), cov) is None  # the earlier is short
    assert change_shown(Decimal(5), Decimal(3), (q3, q2), cov) is None  # the later is short
    assert change_shown(Decimal(5), Decimal(3), (q4, q3), cov, province_only=True) == 2


def test_page_and_workbook_hide_a_change_from_a_quarter_with_reports_missing(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    approved(t.d2, programme, "2025Q3", members=200)  # the ward's Q3 report never came
    approved(t.d2, programme, "2025Q4", members=210)
    approved(t.ward, programme, "2025Q4", members=90)
    board = sel.unit_dashboard(programme, t.province, 2025, today=TODAY)
    t01 = next(r for r in board.term_rows if r.result.code == "T01")
    assert t01.result.numerator == 300 and t01.change is None  # not "+100" over half a Q3
    contents = workbook_contents(WorkbookRequest(programme, 2025, 4, today=TODAY))
    in_book = next(r for r in contents.term_rows if r.result.code == "T01")
    assert in_book.result.numerator == 300 and in_book.change is None


def test_every_reader_gets_the_figure_rounded_once_by_the_engine(reported, programme, client):
    assert shown_value(Decimal("85.25"), "percent") == Decimal("85.3")
    assert shown_value(Decimal("1.005"), "ratio") == Decimal("1.01")
    assert shown_value(Decimal("24500.4"), "count") == Decimal("24500")
    _, a01 = _result(programme, reported.province, "2025", code="A01")
    assert a01.value == a01.value.quantize(Decimal("0.1"))


def test_the_default_programme_is_the_one_in_force_else_the_last_that_ended(programme):
    later = Programme.objects.create(
        code="p-2026",
        number="05/CTr-LĐLĐ",
        title_vi="Chương trình 2026–2030",
        title_en="Programme 2026–2030",
        issued_on=dt.date(2026, 3, 1),
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2030, 12, 31),
        status="published",
        published_from=dt.date(2026, 1, 1),
    )
    assert programme_default(dt.date(2025, 6, 1)) == programme
    assert programme_default(dt.date(2027, 6, 1)) == later  # both in force: the newer
    assert programme_default(dt.date(2031, 6, 1)) == later  # the last that ended
    assert programme_default(dt.date(2029, 6, 1)) == later


def test_the_footer_names_the_programme_shown_and_links_keep_it(
    reported, programme, client, committee_user
):
    client.force_login(committee_user)
    page = client.get(reverse("dashboards:overview"), {"programme": programme.code}).text
    assert 'id="footer-programme">Programme 03/CTr-LĐLĐ, term 2023–2028<' in page
    assert 'name="programme"' in page
    assert f"programme={programme.code}" in page  # the indicator links carry the choice
    plain = client.get(reverse("dashboards:overview")).text
    assert "programme=" not in plain.split('id="annual-h"')[1].split("</section>")[0]


def test_the_api_and_its_openapi_document_say_the_same_rounding(
    reported, programme, client, committee_user
):
    from api.openapi import openapi_document

    client.force_login(committee_user)
    body = client.get("/api/v1/progress/", {"unit": "P", "period": "2025"}).json()
    for item in body["indicators"]:
        if item["value"] is not None:
            places = {"percent": 1, "ratio": 2, "count": 0}[item["display"]]
            assert round(item["value"], places) == item["value"], item
    text = str(openapi_document())
    assert "a percentage to 1 decimal, a ratio per CĐCS to 2" in text
    assert "4 decimals" not in text


def test_rated_counts_no_longer_divide_the_rating_indicators(programme):
    """A05–A07 and T04 divide by all such unions or units (DOMAIN.md §3), not by the rated."""
    den = dict(
        Indicator.objects.filter(programme=programme).values_list("code", "denominator__code")
    )
    assert den["A05"] == "upper_units"
    assert den["A06"] == "grassroots_state_all"
    assert den["A07"] == "grassroots_non_state_all"
    assert den["T04"] == "culture_units_all"
    registry = dict(
        Indicator.objects.filter(programme=programme).values_list(
            "code", "denominator__registry_count"
        )
    )
    assert (registry["A05"], registry["A06"], registry["A07"]) == (
        "upper_units",
        "grassroots_state",
        "grassroots_non_state",
    )
