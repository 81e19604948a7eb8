"""Reads for the dashboards: quarterly series, unit dashboards and membership.

Each reuses the roll-up (`rollup.engine`) and its arithmetic, so a figure on a dashboard is
the figure `progress()` gives, in a fixed handful of queries whatever the tree's size. The
breakdown by reporting unit is in `rollup.breakdown`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from reports.models import ReportingPeriod
from rollup import arithmetic as ar
from rollup import changes
from rollup import engine as rollup
from rollup.breakdown import (
    BreakdownRow,
    BreakdownSum,
    breakdown_sum,
    breakdowns,
    indicator_breakdown,
    reporting_below,
)
from rollup.engine import AS_NOW, AS_WAS, IndicatorResult, PeriodSpec
from rollup.series import Point, Quarterly, indicator_series
from targets.models import (
    Display,
    Indicator,
    IndicatorKind,
    Programme,
    Target,
    TimeKind,
)
from targets.programmes import covers, programme_chosen
from unions.models import Unit
from unions.selectors import UnitBrief, briefs

__all__ = [
    "AS_NOW",
    "AS_WAS",
    "BreakdownRow",
    "BreakdownSum",
    "Point",
    "breakdown_sum",
    "breakdowns",
    "indicator_breakdown",
    "indicator_series",
    "programme_current",
    "province_unit",
    "quarter_change",
]


def programme_current(code: str | None = None, today: dt.date | None = None) -> Programme | None:
    """The programme a page shows: the one named, else the one in force on the day, else the
    last one that ended (`targets.programmes.programme_default`)."""
    return programme_chosen(code, today or timezone.localdate())


def province_unit(programme: Programme) -> Unit:
    if programme.issuer is not None:
        return programme.issuer
    return Unit.objects.filter(kind="province").order_by("valid_from").get()


@dataclass
class Row:
    """One indicator on a dashboard: its result, the change, and the quarters behind it."""

    result: IndicatorResult
    change: Decimal | None
    points: list[Point]
    why: str = ""  # why no change is shown, from the engine (rollup.changes)

    @property
    def values(self) -> list[Decimal | None]:
        return [p.value for p in self.points]


@dataclass
class UnitDashboard:
    unit: Unit
    year: rollup.Progress
    term: rollup.Progress
    annual: list[Row]
    term_rows: list[Row]


TREND_QUARTERS = 8


@dataclass(frozen=True)
class _Trend:
    """The quarters behind each indicator of a unit, and which quarters have all their reports
    in: what the change beside each figure reads."""

    programme: Programme
    unit: Unit
    series: dict[str, list[Point]]
    coverage: dict[tuple[int, int], rollup.Coverage]


def _trend_read(
    programme: Programme,
    unit: Unit,
    reads: rollup.Reads,
    *,
    tree: str,
    provisional: bool,
    today: dt.date,
) -> _Trend:
    """The unit's series and coverage by quarter, from what `reads_for` read (no new query
    for the values)."""
    series = indicator_series(
        programme, unit, tree=tree, provisional=provisional, today=today, reads=reads
    )
    coverage = rollup.coverage_by_quarter(
        reads, unit, tree=tree, provisional=provisional, today=today
    )
    return _Trend(programme, unit, series, coverage)


def unit_dashboard(
    programme: Programme,
    unit: Unit,
    year: int,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
) -> UnitDashboard:
    """The chosen year's annual indicators and the term indicators to date, each with its
    change (year on year; quarter on quarter) and its last quarters. About 15 queries."""

    reads = rollup.reads_for(programme, unit, tree=tree, provisional=provisional, today=today)

    def read(spec: PeriodSpec) -> rollup.Progress:
        return rollup.progress_read(reads, unit, spec)

    this_year = read(PeriodSpec("year", year))
    term = read(PeriodSpec("term"))
    trend = _trend_read(programme, unit, reads, tree=tree, provisional=provisional, today=today)
    annual = _annual_rows(this_year, year, trend)
    return UnitDashboard(unit, this_year, term, annual, _term_rows(term, today, trend))


def _annual_rows(this_year: rollup.Progress, year: int, trend: _Trend) -> list[Row]:
    last_quarter = this_year.periods[-1].quarter if this_year.periods else None
    annual = []
    for r in this_year.results:
        if r.indicator.kind != IndicatorKind.ANNUAL:
            continue
        # Stocks at the quarter of their figure, flows at the year's last ended quarter.
        quarter = r.quarter[1] if r.quarter else last_quarter
        at = (year, quarter) if quarter is not None else None
        points = trend.series[r.code]
        change = changes.year_on_year(r, points, at, trend.coverage, trend.unit, trend.programme)
        annual.append(Row(r, change.value, _upto(points, (year, 4)), change.why))
    return annual


def _term_rows(term: rollup.Progress, today: dt.date, trend: _Trend) -> list[Row]:
    term_rows = []
    for r in term.results:
        if r.indicator.kind != IndicatorKind.TERM:
            continue
        points = _upto(trend.series[r.code], r.quarter or (today.year, 4))
        only = r.indicator.numerator.province_only
        shown = changes.quarter_on_quarter(points, trend.coverage, only)
        term_rows.append(Row(r, shown.value, points, shown.why))
    return term_rows


def _upto(points: list[Point], quarter: tuple[int, int]) -> list[Point]:
    return [p for p in points if p.quarter <= quarter][-TREND_QUARTERS:]


def quarter_change(
    points: list[Point],
    coverage: dict[tuple[int, int], rollup.Coverage],
    province_only: bool = False,
) -> Decimal | None:
    """The last quarter against the one before it (both with figures and complete)."""
    return changes.quarter_on_quarter(points, coverage, province_only).value


def reporting_units_below(unit: Unit, period: ReportingPeriod | None) -> list[UnitBrief]:
    """Units expected to report in `period` that lie in `unit`'s subtree then (one query),
    as code, name and kind, ordered by kind then name."""
    if period is None:
        return []
    return briefs(reporting_below(unit, period).values_list("code", "name", "kind", "pk"))


def members_indicator(programme: Programme) -> Indicator | None:
    """The programme's count of members: found through the field it counts (a stock of the
    members group, not a share), not through its code."""
    return (
        Indicator.objects.filter(
            programme=programme,
            denominator__isnull=True,
            display=Display.COUNT,
            numerator__group="members",
            numerator__time_kind=TimeKind.STOCK,
        )
        .order_by("order", "code")
        .first()
    )


@dataclass(frozen=True)
class Reform:
    """The reorganisation the membership page marks, read from the unit history: the day on
    which the most units closed within the term so far, and how many."""

    day: dt.date
    closed: int

    def band(self, quarters: list[tuple[int, int, dt.date]]) -> tuple[tuple[int, int], ...]:
        """The quarters around it: the last one cut off before the day, and the first after."""
        before = [(y, q) for y, q, cutoff in quarters if cutoff < self.day]
        after = [(y, q) for y, q, cutoff in quarters if cutoff >= self.day]
        return tuple(before[-1:] + after[:1])


def reform_of(programme: Programme, today: dt.date) -> Reform | None:
    busiest = (
        Unit.objects.filter(
            valid_to__gt=programme.term_start, valid_to__lte=min(today, programme.term_end)
        )
        .values("valid_to")
        .annotate(n=Count("id"))
        .order_by("-n", "-valid_to")
        .first()
    )
    return Reform(busiest["valid_to"], busiest["n"]) if busiest else None


@dataclass
class MembershipQuarter(Quarterly):
    quarter: tuple[int, int]
    cutoff: dt.date
    members: int | None
    path: Decimal | None
    projected: Decimal | None
    change: int | None
    note: str = ""
    reports: int | None = None  # reports received for the quarter, when it has a figure
    expected: int | None = None  # reports expected for it

    @property
    def incomplete(self) -> bool:
        """Some reports are still missing: the figure is partial and left out of the trend."""
        return self.reports is not None and self.reports < (self.expected or 0)


@dataclass
class Membership:
    quarters: list[MembershipQuarter]
    target: Decimal | None
    baseline: Decimal | None
    baseline_date: dt.date | None
    baseline_assumed: bool  # no baseline in the target: the first reported quarter stands in
    projection_end: Decimal | None
    projection_from: tuple[int, int] | None  # the first quarter the trend is taken from
    reform: Reform | None = None
    reform_band: tuple[tuple[int, int], ...] = ()  # the quarters around the reorganisation

    @property
    def reform_codes(self) -> list[str]:
        return [f"{y}Q{q}" for y, q in self.reform_band]


def membership(
    programme: Programme,
    unit: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
    with_path: bool = True,
) -> Membership:
    """Members quarter by quarter over the whole term, the path to the term target, and where
    the trend since the June 2025 dissolutions (or since the start, before them) leads.

    A quarter whose reports are not all in (the current one, while reporting goes on) shows
    what has come in, says how many reports are still missing, and stays out of the trend: a
    count of members with a tenth of the units missing is not a fall in membership."""
    reads = rollup.reads_for(programme, unit, tree=tree, provisional=provisional, today=today)
    found = _trend_read(programme, unit, reads, tree=tree, provisional=provisional, today=today)
    series, coverage = found.series, found.coverage
    indicator = members_indicator(programme)
    code = indicator.code if indicator is not None else ""
    points = [p for p in series.get(code, []) if p.value is not None]
    target = Target.objects.filter(indicator=indicator, year__isnull=True, unit=None).first()
    reform = reform_of(programme, today)
    baseline, since, assumed = _baseline(target, points, programme)
    band = reform.band([(p.year, p.quarter, p.cutoff) for p in reads.periods]) if reform else ()
    used = _trend_points(points, coverage, reform)
    trend = [(p.cutoff, int(p.value)) for p in used if p.value is not None]
    lines = _Lines(programme, target if with_path else None, baseline, since, used, trend)
    rows = _membership_rows(programme, {p.quarter: p for p in points}, coverage, lines)
    end = ar.projection(trend, programme.term_end)
    shown_target = target.value if target and with_path else None
    start = used[0].quarter if used and end is not None else None
    return Membership(rows, shown_target, baseline, since, assumed, end, start, reform, band)


def _trend_points(
    points: list[Point], coverage: dict[tuple[int, int], rollup.Coverage], reform: Reform | None
) -> list[Point]:
    """The quarters the trend is drawn through: the complete ones, from the quarter in which
    the reorganisation took effect (the first cut off on or after its day) when there are two
    of them: the members who left with the CĐCS closed are gone from its figures, while the
    quarter before still counts them."""
    complete = [
        p for p in points if p.quarter in coverage and rollup.quarter_complete(coverage, p.quarter)
    ]
    after = [p for p in complete if reform and p.cutoff >= reform.day]
    return after if len(after) >= 2 else complete


@dataclass(frozen=True)
class _Lines:
    """The two lines beside the members: the path from the baseline to the term target (when
    the page shows one), and the trend's projection from its first quarter on."""

    programme: Programme
    target: Target | None
    baseline: Decimal | None
    since: dt.date | None
    used: list[Point]
    trend: list[tuple[dt.date, int]]

    def path(self, cutoff: dt.date) -> Decimal | None:
        if self.target and self.baseline is not None and self.since and cutoff >= self.since:
            end = self.programme.term_end
            return ar.path_value(self.baseline, self.since, self.target.value, end, cutoff)
        return None

    def projected(self, cutoff: dt.date) -> Decimal | None:
        if self.used and cutoff >= self.used[0].cutoff:
            return ar.projection(self.trend, cutoff)
        return None


def _membership_rows(
    programme: Programme,
    known: dict[tuple[int, int], Point],
    coverage: dict[tuple[int, int], rollup.Coverage],
    lines: _Lines,
) -> list[MembershipQuarter]:
    """A row for every quarter of the term: members, change, path, projection, reports."""
    quarters = [
        p
        for p in ReportingPeriod.objects.order_by("year", "quarter")
        if covers(programme, p.year, p.quarter)
    ]
    rows: list[MembershipQuarter] = []
    previous: int | None = None
    for period in quarters:
        point = known.get((period.year, period.quarter))
        members = point.numerator if point else None
        change = members - previous if members is not None and previous is not None else None
        reports = coverage.get((period.year, period.quarter)) if point else None
        rows.append(
            MembershipQuarter(
                (period.year, period.quarter), period.cutoff, members,
                lines.path(period.cutoff), lines.projected(period.cutoff), change,
                reports=reports.reported if reports else None,
                expected=reports.expected if reports else None,
            )
        )  # fmt: skip
        previous = members if members is not None else previous
    return rows


def _baseline(
    target: Target | None, points: list[Point], programme: Programme
) -> tuple[Decimal | None, dt.date | None, bool]:
    if target is not None and target.baseline_value is not None:
        return target.baseline_value, target.baseline_date or programme.term_start, False
    if points and points[0].value is not None:
        return points[0].value, points[0].cutoff, True
    return None, None, False
