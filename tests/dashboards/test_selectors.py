"""The dashboards' selectors give the roll-up's figures, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.selectors import (
    indicator_breakdown,
    indicator_series,
    membership,
    reporting_units_below,
    unit_dashboard,
)
from rollup.engine import AS_NOW, AS_WAS, Mode, PeriodSpec, progress, progress_read
from targets.models import Indicator
from tests.conftest import approved, period

from .conftest import grow

TODAY = dt.date(2026, 2, 1)


def result(prog, code):
    return next(r for r in prog.results if r.code == code)


@pytest.mark.parametrize("tree", [AS_WAS, AS_NOW])
@pytest.mark.parametrize(("code", "spec"), [("T01", "2025"), ("A01", "2025"), ("T02", "term")])
def test_breakdown_rows_equal_progress_for_each_reporting_unit(
    reported, programme, tree, code, spec
):
    indicator = Indicator.objects.get(programme=programme, code=code)
    rows = indicator_breakdown(
        programme, indicator, PeriodSpec.parse(spec), reported.province, Mode(TODAY, tree)
    )
    assert rows
    for row in rows:
        expected = result(
            progress(programme, row.unit, PeriodSpec.parse(spec), tree=tree, today=TODAY), code
        )
        got = row.result
        assert (got.numerator, got.denominator, got.value, got.status, got.coverage) == (
            expected.numerator,
            expected.denominator,
            expected.value,
            expected.status,
            expected.coverage,
        ), row.unit.code


def test_breakdown_as_it_was_keeps_the_dissolved_district_that_reported_in_the_year(
    reported, programme
):
    indicator = Indicator.objects.get(programme=programme, code="T01")
    rows = indicator_breakdown(
        programme, indicator, PeriodSpec.parse("2025"), reported.province, Mode(TODAY)
    )
    by_code = {r.unit.code: r for r in rows}
    assert by_code["W1"].expected_now and by_code["D2"].expected_now
    assert not by_code["D1"].expected_now
    assert by_code["D1"].result.numerator == 100  # its own June figure


def test_breakdown_along_todays_tree_shows_todays_reporting_units_only(reported, programme):
    indicator = Indicator.objects.get(programme=programme, code="T01")
    rows = indicator_breakdown(
        programme, indicator, PeriodSpec.parse("2025Q2"), reported.province, Mode(TODAY, AS_NOW)
    )
    by_code = {r.unit.code: r.result.numerator for r in rows}
    assert by_code == {"W1": 100, "D2": 200}  # D1's June members follow its successor


def test_breakdown_costs_the_same_queries_for_10_and_40_units(reported, programme):
    indicator = Indicator.objects.select_related("numerator", "denominator").get(
        programme=programme, code="A01"
    )
    spec = PeriodSpec.parse("2025")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = indicator_breakdown(programme, indicator, spec, reported.province, Mode(TODAY))
        return len(ctx.captured_queries), len(rows)

    grow(reported, programme, 10)
    few, rows_few = count()
    grow(reported, programme, 30, start=10)
    many, rows_many = count()
    assert rows_many == rows_few + 30
    assert many == few <= 8


def test_series_gives_each_quarter_as_it_stood(reported, programme):
    series = indicator_series(programme, reported.province, today=TODAY)
    t01 = {p.code: p.numerator for p in series["T01"]}
    assert t01["2024Q4"] == 285 and t01["2025Q2"] == 300 and t01["2025Q4"] == 300
    assert t01["2025Q3"] is None
    t02 = {p.code: (p.numerator, p.denominator) for p in series["T02"]}
    assert t02["2025Q4"] == (1, 2)  # flows add up since the term began


def test_series_value_at_the_last_quarter_equals_progress(reported, programme):
    series = indicator_series(programme, reported.province, today=TODAY)
    prog = progress(programme, reported.province, PeriodSpec.parse("2025Q4"), today=TODAY)
    last = next(p for p in series["A01"] if p.code == "2025Q4")
    assert (last.numerator, last.denominator, last.value) == (
        result(prog, "A01").numerator,
        result(prog, "A01").denominator,
        result(prog, "A01").value,
    )


def test_unit_dashboard_changes_year_on_year_and_quarter_on_quarter(reported, programme):
    board = unit_dashboard(programme, reported.province, 2025, today=TODAY)
    a01 = next(r for r in board.annual if r.result.code == "A01")
    before = result(
        progress(programme, reported.province, PeriodSpec.parse("2024"), today=TODAY), "A01"
    )
    assert a01.change == a01.result.value - before.value
    assert {r.result.code for r in board.annual} == {f"A{i:02}" for i in range(1, 15)}
    assert {r.result.code for r in board.term_rows} == {f"T{i:02}" for i in range(1, 8)}
    t01 = next(r for r in board.term_rows if r.result.code == "T01")
    assert t01.points[-1].code == "2025Q4" and t01.change is None  # no 2025Q3 figure


def test_mid_year_the_change_is_against_the_same_quarter_a_year_before(reported, programme):
    """In August 2025 the year has run to June: 2025Q2 is compared with 2024Q2 (cùng kỳ năm
    trước), not with the whole of 2024, whose informed count ran to December."""
    august = dt.date(2025, 8, 1)
    board = unit_dashboard(programme, reported.province, 2025, today=august)
    a01 = next(r for r in board.annual if r.result.code == "A01")
    assert a01.result.quarter == (2025, 2)
    assert a01.change is None  # nothing was reported for 2024Q2
    for unit, informed in ((reported.d1, 40), (reported.d2, 80)):
        approved(
            unit, programme, "2024Q2", members=90, workers_union_units=100, informed_ytd=informed
        )
    board = unit_dashboard(programme, reported.province, 2025, today=august)
    a01 = next(r for r in board.annual if r.result.code == "A01")
    then = result(
        progress(programme, reported.province, PeriodSpec.parse("2024Q2"), today=august), "A01"
    )
    assert then.value == Decimal(120) * 100 / 200  # 120 informed of 200 workers in June 2024
    assert a01.change == a01.result.value - then.value


def test_membership_draws_the_path_and_projects_the_trend(reported, programme):
    data = membership(programme, reported.province, today=TODAY)
    rows = {q.code: q for q in data.quarters}
    assert rows["2025Q2"].members == 300 and rows["2024Q4"].change is None
    assert data.baseline_assumed and data.baseline == 285  # first reported quarter stands in
    assert data.quarters[0].path is None and rows["2028Q4"].path == data.target
    # The trend starts with the first quarter cut off on or after the reorganisation (1 July
    # 2025 in this tree's history, read from the unit history) once two complete quarters
    # follow it; here only 2025Q4 does, so the trend runs over the whole term.
    assert data.projection_end is not None and data.projection_from == (2024, 4)
    assert data.reform is not None and data.reform.day == dt.date(2025, 7, 1)
    assert data.reform_band == ((2025, 2), (2025, 3))


def test_membership_trend_starts_after_the_reorganisation_once_two_quarters_follow(
    reported, programme
):
    """The quarter before the reorganisation still counts the members of the units it closed;
    the trend is taken from the first quarter cut off after it."""
    approved(reported.ward, programme, "2026Q1", members=95, workers_union_units=100)
    approved(reported.d2, programme, "2026Q1", members=215, workers_union_units=230)
    data = membership(programme, reported.province, today=dt.date(2026, 5, 1))
    assert data.reform is not None and data.reform.day == dt.date(2025, 7, 1)
    assert data.projection_from == (2025, 4)  # not 2025Q2, cut off before 1 July
    rows = {q.code: q for q in data.quarters}
    assert rows["2025Q2"].projected is None and rows["2025Q4"].projected is not None


def test_reporting_units_below_follow_the_tree_of_the_quarter(reported, programme):
    before = reporting_units_below(reported.province, period(programme, "2025Q2"))
    after = reporting_units_below(reported.province, period(programme, "2025Q4"))
    assert {u.code for u in before} == {"D1", "D2"}
    assert {u.code for u in after} == {"D2", "W1"}


@pytest.mark.parametrize("with_totals", [False, True])
@pytest.mark.parametrize(
    ("tree", "provisional"), [(AS_WAS, False), (AS_NOW, False), (AS_WAS, True)]
)
def test_unit_dashboard_reading_the_term_once_gives_each_periods_own_progress(
    reported, programme, with_totals, tree, provisional
):
    from rollup import totals

    if with_totals:
        totals.totals_rebuild()
    for unit in (reported.province, reported.d2, reported.ward):
        board = unit_dashboard(
            programme, unit, 2025, tree=tree, provisional=provisional, today=TODAY
        )
        for got, spec in ((board.year, "2025"), (board.term, "term")):
            alone = progress(
                programme, unit, PeriodSpec.parse(spec), tree=tree, provisional=provisional,
                today=TODAY,
            )  # fmt: skip
            assert [vars(r) for r in got.results] == [vars(r) for r in alone.results]
            assert (got.expected_reports, got.received_reports) == (
                alone.expected_reports,
                alone.received_reports,
            )
            assert [p.pk for p in got.periods] == [p.pk for p in alone.periods]


@pytest.mark.parametrize("with_totals", [False, True])
def test_progress_from_reads_of_the_whole_term_equals_progress_read_alone(
    reported, programme, with_totals
):
    from rollup import engine as rollup
    from rollup import totals

    if with_totals:
        totals.totals_rebuild()
    for unit in (reported.province, reported.d1, reported.ward):
        reads = rollup.reads_for(programme, unit, tree=AS_WAS, provisional=False, today=TODAY)
        assert (reads.table is not None) == with_totals
        for spec in ("2024", "2024Q4", "2025Q2", "2025", "term"):
            shared = progress_read(reads, unit, PeriodSpec.parse(spec))
            alone = progress(programme, unit, PeriodSpec.parse(spec), today=TODAY)
            assert [vars(r) for r in shared.results] == [vars(r) for r in alone.results], spec
            assert shared.received_reports == alone.received_reports


def test_a_quarter_with_reports_missing_is_shown_but_left_out_of_the_trend(reported, programme):
    from reports.assignments import assignments_apply_proposal
    from tests.conftest import make_unit
    from unions.models import UnitKind

    complete = membership(programme, reported.province, today=TODAY)
    q4 = next(q for q in complete.quarters if q.code == "2025Q4")
    assert (q4.reports, q4.expected, q4.incomplete) == (2, 2, False)
    assert complete.projection_from == (2024, 4)
    # A district federation expected from October 2025 that has not reported yet.
    make_unit("LATE", UnitKind.DISTRICT, reported.province, start=dt.date(2025, 10, 1))
    assignments_apply_proposal()
    partial = membership(programme, reported.province, today=TODAY)
    q4 = next(q for q in partial.quarters if q.code == "2025Q4")
    assert (q4.members, q4.reports, q4.expected, q4.incomplete) == (300, 2, 3, True)
    # The trend now runs through the complete quarters only (2025Q4 is left out).
    assert partial.projection_from == (2024, 4)
    assert partial.projection_end != complete.projection_end
    # Counted from raw values (totals not trusted), the quarters are the same.
    from rollup.models import RollupTotalsState
    from rollup.totals import totals_rebuild

    totals_rebuild()
    from_totals = membership(programme, reported.province, today=TODAY).quarters
    RollupTotalsState.objects.update(closure_mark=-1)
    from_values = membership(programme, reported.province, today=TODAY).quarters
    assert [(q.code, q.members, q.reports, q.expected) for q in from_totals] == [
        (q.code, q.members, q.reports, q.expected) for q in from_values
    ]


def test_no_change_is_taken_at_a_quarter_with_reports_missing(reported, programme):
    """A late report would otherwise read as a fall against the year before."""
    from reports.assignments import assignments_apply_proposal
    from tests.conftest import make_unit
    from unions.models import UnitKind

    board = unit_dashboard(programme, reported.province, 2025, today=TODAY)
    assert next(r for r in board.annual if r.result.code == "A01").change is not None
    make_unit("LATE", UnitKind.DISTRICT, reported.province, start=dt.date(2025, 10, 1))
    assignments_apply_proposal()
    board = unit_dashboard(programme, reported.province, 2025, today=TODAY)
    a01 = next(r for r in board.annual if r.result.code == "A01")
    assert a01.result.coverage.reported < a01.result.coverage.expected
    assert a01.change is None
