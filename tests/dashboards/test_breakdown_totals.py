"""The breakdown by reporting unit read from pre-summed totals gives exactly the rows the raw
values give, for every indicator, period and root, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.synthetic import generate
from rollup import totals
from rollup.breakdown import breakdowns, breakdowns_read, indicator_breakdown
from rollup.engine import AS_NOW, AS_WAS, Mode, PeriodSpec, reads_for
from rollup.models import RollupTotalsState, TodayTotalsState
from rollup.today_kept import today_state
from targets.models import Indicator, Programme
from unions.models import Unit, UnitKind

from .conftest import grow

TODAY = dt.date(2026, 11, 25)


def rows_of(found):
    return [
        (
            r.unit.code,
            r.expected_now,
            r.result.numerator,
            r.result.denominator,
            r.result.value,
            r.result.status,
            r.result.coverage,
            r.result.quarter,
            r.result.target,
        )
        for r in found
    ]


def both(programme, indicators, spec, root, today):
    """The breakdowns from totals and from raw values (totals made untrusted)."""
    mode = Mode(today, AS_WAS)
    fast = breakdowns(programme, indicators, PeriodSpec.parse(spec), root, mode)
    RollupTotalsState.objects.update(closure_mark=-1)
    try:
        raw = breakdowns(programme, indicators, PeriodSpec.parse(spec), root, mode)
    finally:
        RollupTotalsState.objects.update(closure_mark=totals.closure_mark())
    return fast, raw


def breakdown_indicators(programme):
    return list(
        Indicator.objects.filter(programme=programme, numerator__province_only=False)
        .select_related("numerator", "denominator")
        .order_by("code")
    )


@pytest.fixture
def province(db):
    return generate("province", seed=7, today=TODAY)


@pytest.mark.parametrize("spec", ["2024Q3", "2024", "2025Q2", "2025", "2026Q1", "2026", "term"])
def test_totals_give_the_raw_breakdown_for_the_generated_province(province, spec):
    programme = Programme.objects.get()
    indicators = breakdown_indicators(programme)
    roots = [
        province.root,
        Unit.objects.filter(kind="district").order_by("code").first(),
        Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code").last(),
    ]
    for root in roots:
        fast, raw = both(programme, indicators, spec, root, TODAY)
        assert fast.keys() == raw.keys()
        for code in raw:
            assert rows_of(fast[code]) == rows_of(raw[code]), (root.code, code)
        if root == province.root:
            members = rows_of(fast["T01"])
    # A reporting unit without a figure is one whose report of the quarter is not in (the
    # generator leaves about one in ten out), never one whose figure got lost.
    missing = [row for row in members if row[1] and row[2] is None]
    assert members and len(missing) * 10 <= len(members), missing
    if spec in ("2025", "term"):
        # The upper-level unions dissolved in July 2025 keep their rows for the period.
        assert any(not row[1] and row[2] for row in members)


def test_totals_give_the_raw_breakdown_along_small_tree(reported, programme):
    totals.totals_rebuild()
    indicators = breakdown_indicators(programme)
    for spec in ("2024Q4", "2025Q2", "2025", "2025Q4", "term"):
        for root in (reported.province, reported.d2, reported.ward):
            fast, raw = both(programme, indicators, spec, root, dt.date(2026, 2, 1))
            for code in raw:
                assert rows_of(fast[code]) == rows_of(raw[code]), (spec, root.code, code)
    t01 = {
        r.unit.code: (r.expected_now, r.result.numerator)
        for r in indicator_breakdown(
            programme,
            Indicator.objects.get(programme=programme, code="T01"),
            PeriodSpec.parse("2025"),
            reported.province,
            Mode(dt.date(2026, 2, 1)),
        )
    }
    # The dissolved district keeps its June figure; the ward and D2 report now.
    assert t01 == {"D1": (False, 100), "D2": (True, 210), "W1": (True, 90)}


def test_the_breakdown_of_every_indicator_costs_the_same_queries_for_10_and_40_units(
    reported, programme
):
    totals.totals_rebuild()
    indicators = breakdown_indicators(programme)
    spec = PeriodSpec.parse("2025")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            found = breakdowns(programme, indicators, spec, reported.province, Mode(TODAY))
        return len(ctx.captured_queries), len(found["T01"])

    grow(reported, programme, 10)
    totals.totals_rebuild()
    few, rows_few = count()
    grow(reported, programme, 30, start=10)
    totals.totals_rebuild()
    many, rows_many = count()
    assert rows_many == rows_few + 30
    assert many == few <= 12


@pytest.mark.parametrize("trusted", [True, False])
@pytest.mark.parametrize(
    ("tree", "provisional"), [(AS_WAS, False), (AS_NOW, False), (AS_WAS, True)]
)
def test_the_breakdown_given_the_pages_reads_is_the_breakdown_read_afresh(
    reported, programme, trusted, tree, provisional
):
    """The indicator page hands the breakdown what it read for the root (quarters, totals'
    state, targets); the rows are the ones a breakdown reading them itself gives."""
    totals.totals_rebuild()
    if not trusted:
        RollupTotalsState.objects.update(closure_mark=-1)
    indicators = breakdown_indicators(programme)
    today = dt.date(2026, 2, 1)
    kwargs = {"tree": tree, "provisional": provisional, "today": today}
    for root in (reported.province, reported.d2):
        reads = reads_for(programme, root, **kwargs)
        # Figures come summed: from the stored totals along the tree as it was (when trusted),
        # from the database's sums along today's tree (`rollup.today_sums`); provisional ones
        # from either, corrected by the reports awaiting approval (`rollup.provisional`).
        summed = tree == AS_NOW or trusted
        assert (reads.table is not None) == summed
        for spec in ("2024Q4", "2025", "term"):
            given = breakdowns_read(reads, indicators, PeriodSpec.parse(spec), root)
            afresh = breakdowns(
                programme, indicators, PeriodSpec.parse(spec), root, Mode(today, tree, provisional)
            )
            for code in afresh:
                assert rows_of(given[code]) == rows_of(afresh[code]), (spec, root.code, code)


def along_today(programme, indicators, spec, root, mode):
    """The breakdowns along today's tree from the kept sums and from raw values (the kept
    sums made untrusted)."""
    fast = breakdowns(programme, indicators, PeriodSpec.parse(spec), root, mode)
    marks = list(TodayTotalsState.objects.values_list("pk", "closure_mark"))
    TodayTotalsState.objects.update(closure_mark=-1)
    try:
        raw = breakdowns(programme, indicators, PeriodSpec.parse(spec), root, mode)
    finally:
        for pk, mark in marks:
            TodayTotalsState.objects.filter(pk=pk).update(closure_mark=mark)
    return fast, raw


@pytest.mark.parametrize("provisional", [False, True])
@pytest.mark.parametrize("spec", ["2024Q3", "2025", "2026Q1", "term"])
def test_kept_sums_give_the_raw_breakdown_along_todays_tree(province, spec, provisional):
    programme = Programme.objects.get()
    totals.totals_rebuild()
    assert today_state(TODAY) is not None
    indicators = breakdown_indicators(programme)
    roots = [
        province.root,
        Unit.objects.filter(kind="district").order_by("code").first(),
        Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code").last(),
    ]
    mode = Mode(TODAY, AS_NOW, provisional)
    for root in roots:
        fast, raw = along_today(programme, indicators, spec, root, mode)
        assert fast.keys() == raw.keys()
        for code in raw:
            assert rows_of(fast[code]) == rows_of(raw[code]), (root.code, code)
