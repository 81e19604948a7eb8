"""Roll-ups over the tree as it was and as it is now, from real reports in the database."""

import datetime as dt
from decimal import Decimal

import pytest

from reports.assignments import assignments_apply_proposal
from rollup.arithmetic import Status
from rollup.engine import AS_NOW, AS_WAS, PeriodSpec, progress
from targets.models import Target
from tests.conftest import approved

TODAY = dt.date(2026, 2, 1)


@pytest.fixture
def reported(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220)
    approved(t.d2, programme, "2025Q3", court_cases=2, court_cases_supported=1)
    approved(t.d2, programme, "2025Q1", court_cases=1, court_cases_supported=1)
    return t


def result(prog, code):
    return next(r for r in prog.results if r.code == code)


def test_province_stock_takes_the_latest_quarter_without_double_counting(reported, programme):
    prog = progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY)
    t01 = result(prog, "T01")
    assert t01.numerator == 300  # Q4: ward 90 + D2 210, never D1's June 100 on top
    assert t01.quarter == (2025, 4)


def test_ratio_sums_numerators_and_denominators(reported, programme):
    prog = progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY)
    a01 = result(prog, "A01")
    assert (a01.numerator, a01.denominator) == (320, 330)
    assert a01.value == Decimal("97.0")  # 96,97% as every reader sees it


def test_flows_are_summed_over_the_quarters_of_the_period(reported, programme):
    t02 = result(
        progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY), "T02"
    )
    assert (t02.numerator, t02.denominator) == (2, 3)


def test_dissolved_district_as_it_was_shows_its_own_last_figures(reported, programme):
    prog = progress(programme, reported.d1, PeriodSpec.parse("2025"), today=TODAY)
    assert result(prog, "T01").numerator == 100


def test_province_total_is_the_same_as_it_was_and_as_reorganised(reported, programme):
    spec = PeriodSpec.parse("2025")
    was = progress(programme, reported.province, spec, tree=AS_WAS, today=TODAY)
    now = progress(programme, reported.province, spec, tree=AS_NOW, today=TODAY)
    assert [(r.code, r.numerator, r.denominator) for r in was.results] == [
        (r.code, r.numerator, r.denominator) for r in now.results
    ]


def test_as_reorganised_a_dissolved_districts_values_follow_its_successor(reported, programme):
    spec = PeriodSpec.parse("2025Q2")
    was = progress(programme, reported.ward, spec, tree=AS_WAS, today=TODAY)
    now = progress(programme, reported.ward, spec, tree=AS_NOW, today=TODAY)
    assert result(was, "T01").numerator is None  # the ward did not exist in June 2025
    assert result(now, "T01").numerator == 100  # D1's June figures, along today's tree


def test_coverage_counts_expected_reports_of_the_quarter_taken(reported, programme):
    prog = progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY)
    cov = result(prog, "T01").coverage
    assert (cov.reported, cov.expected) == (2, 2)
    q3 = progress(programme, reported.province, PeriodSpec.parse("2025Q3"), today=TODAY)
    assert result(q3, "T01").coverage.expected == 2


def test_annual_fields_are_not_yet_due_before_the_fourth_quarter(reported, programme):
    prog = progress(programme, reported.province, PeriodSpec.parse("2025Q3"), today=TODAY)
    assert result(prog, "A06").status == Status.NOT_YET_DUE
    full = progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY)
    assert result(full, "A06").status == Status.NO_DATA


def test_submitted_data_counts_only_when_provisional_is_asked_for(reported, programme):
    approved(reported.d2, programme, "2026Q1", approve=False, members=215, workers_union_units=230)
    spec = PeriodSpec.parse("2026")
    assert (
        result(
            progress(programme, reported.province, spec, today=dt.date(2026, 5, 1)), "T01"
        ).numerator
        is None
    )
    prov = progress(programme, reported.province, spec, provisional=True, today=dt.date(2026, 5, 1))
    assert result(prov, "T01").numerator == 215 and result(prov, "T01").provisional


def test_term_count_is_judged_against_the_path(reported, programme):
    t01 = Target.objects.get(indicator__code="T01", year=None)
    t01.baseline_value, t01.baseline_date = Decimal(250), dt.date(2023, 12, 31)
    t01.value = Decimal(400)
    t01.save()
    prog = progress(programme, reported.province, PeriodSpec.parse("term"), today=TODAY)
    row = result(prog, "T01")
    # 250 on 31/12/2023 to 400 on 31/12/2028: about 310 expected at the end of 2025.
    assert row.numerator == 300 and Decimal(305) < row.expected_now < Decimal(315)
    assert row.status == Status.ON_TRACK  # within 5% of the path
    t01.baseline_value = Decimal(300)
    t01.save()
    behind = result(
        progress(programme, reported.province, PeriodSpec.parse("term"), today=TODAY), "T01"
    )
    assert behind.status == Status.AT_RISK


def test_query_count_does_not_grow_with_the_tree(reported, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_unit
    from unions.models import UnitKind

    def count():
        with CaptureQueriesContext(connection) as ctx:
            progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY)
        return len(ctx.captured_queries)

    before = count()
    for i in range(15):
        unit = make_unit(f"X{i}", UnitKind.GRASSROOTS, reported.d2)
        approved(unit, programme, "2025Q4", members=10 + i)
    assert count() == before <= 8


def test_a_count_target_belongs_to_the_province_not_to_each_unit(reported, programme):
    spec = PeriodSpec.parse("2025")
    assert result(progress(programme, reported.province, spec, today=TODAY), "T01").target == 24500
    district = result(progress(programme, reported.d2, spec, today=TODAY), "T01")
    # D2 reported its members, but nothing is set for it to be judged against.
    assert district.target is None and district.status == Status.NO_TARGET
    assert district.numerator == 210
    assert result(progress(programme, reported.d2, spec, today=TODAY), "A01").target == 98


def test_a_term_indicator_is_not_missed_before_the_term_ends(reported, programme):
    prog = progress(programme, reported.province, PeriodSpec.parse("2025"), today=TODAY)
    assert result(prog, "T01").status != Status.NOT_ACHIEVED


@pytest.fixture
def empty_commune(reported, programme):
    """A commune union without CĐCS: its report says 0 workers, 0 informed, 0 members."""
    from tests.conftest import make_unit
    from unions.models import UnitKind

    commune = make_unit("W0", UnitKind.COMMUNE, reported.province, start=dt.date(2025, 7, 1))
    assignments_apply_proposal()
    approved(commune, programme, "2025Q4", members=0, workers_union_units=0, informed_ytd=0)
    return commune


def _both_readings(programme, unit, spec):
    """The figures from the pre-summed totals, then from the values (totals not trusted)."""
    from rollup.models import RollupTotalsState
    from rollup.totals import totals_rebuild

    totals_rebuild()
    from_totals = progress(programme, unit, PeriodSpec.parse(spec), today=TODAY)
    RollupTotalsState.objects.update(closure_mark=-1)
    return from_totals, progress(programme, unit, PeriodSpec.parse(spec), today=TODAY)


def test_a_share_of_0_of_0_is_nothing_to_measure_not_no_data(empty_commune, programme):
    for prog in _both_readings(programme, empty_commune, "2025"):
        a01 = result(prog, "A01")
        assert (a01.numerator, a01.denominator, a01.value) == (0, 0, None)
        assert a01.status == Status.NOTHING_TO_MEASURE
        assert (a01.coverage.reported, a01.coverage.expected) == (1, 1)
        t01 = result(prog, "T01")  # a count of 0 is a figure like any other
        assert t01.value == 0 and t01.status != Status.NOTHING_TO_MEASURE


def test_a_province_total_with_units_of_0_of_0_is_the_sum_of_counts(
    reported, programme, empty_commune
):
    for prog in _both_readings(programme, reported.province, "2025"):
        a01 = result(prog, "A01")
        assert (a01.numerator, a01.denominator) == (320, 330)  # as without the commune
        assert a01.value == Decimal("97.0")  # 96,97% as every reader sees it
        assert a01.status == Status.NOT_ACHIEVED  # judged on the sums: 97,0% < 98%
        assert a01.coverage.reported == 3
