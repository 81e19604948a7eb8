"""Reads for the dashboards: quarterly series and the breakdown by reporting unit.

Both reuse the roll-up (`targets.rollup`) and its arithmetic, so a figure on a dashboard is
the figure `progress()` gives. Each costs a fixed handful of queries whatever the tree's size:
the breakdown reads the values of every reporting unit in one query and splits them in Python,
instead of calling `progress()` once per unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from reports.models import Assignment, AssignmentScope, Report, ReportingPeriod
from targets import arithmetic as ar
from targets import rollup, totals
from targets.models import Display, Field, Indicator, IndicatorKind, Programme, Target
from targets.rollup import AS_NOW, AS_WAS, IndicatorResult, PeriodSpec
from unions.models import Unit, UnitClosure, UnitLink, active_on_q

__all__ = [
    "AS_NOW",
    "AS_WAS",
    "BreakdownRow",
    "Point",
    "indicator_breakdown",
    "indicator_series",
    "programme_current",
    "province_unit",
]


def programme_current(code: str | None = None) -> Programme | None:
    programmes = Programme.objects.select_related("issuer").order_by("-term_start")
    if code:
        return programmes.filter(code=code).first()
    return programmes.first()


def province_unit(programme: Programme) -> Unit:
    if programme.issuer is not None:
        return programme.issuer
    return Unit.objects.filter(kind="province").order_by("valid_from").get()


@dataclass(frozen=True)
class Point:
    """An indicator as it stood after one quarter (year to date, or term to date for flows)."""

    quarter: tuple[int, int]
    cutoff: dt.date
    numerator: int | None
    denominator: int | None
    value: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.quarter[0]}Q{self.quarter[1]}"


def indicator_series(
    programme: Programme,
    unit: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
) -> dict[str, list[Point]]:
    """Every indicator quarter by quarter over the term so far, from one values query."""
    periods = list(
        ReportingPeriod.objects.filter(programme=programme, cutoff__lte=today).order_by(
            "year", "quarter"
        )
    )
    indicators = _indicators(programme)
    # Approved figures along the tree as it was are read pre-summed (targets.totals).
    table = None if provisional or tree != AS_WAS else totals.totals_read(programme, unit, periods)
    cells = (
        {}
        if table is not None
        else rollup._cells(unit, periods, _fields(indicators), tree, provisional, today)[0]
    )
    return {
        i.code: [_point(i, cells, p, periods, table) for p in periods if p.quarter]
        for i in indicators
    }


def _indicators(programme: Programme) -> list[Indicator]:
    return list(
        Indicator.objects.filter(programme=programme).select_related("numerator", "denominator")
    )


def _fields(indicators: list[Indicator]) -> list[Field]:
    found = {f.pk: f for i in indicators for f in (i.numerator, i.denominator) if f is not None}
    return list(found.values())


def _point(
    indicator: Indicator,
    cells: dict[int, list[ar.Cell]],
    period: ReportingPeriod,
    periods: list[ReportingPeriod],
    table: totals.Table | None = None,
) -> Point:
    key = (period.year, period.quarter)
    time_kind = indicator.numerator.time_kind
    if time_kind == "flow":
        # Flows add up since 1 January (annual indicators) or since the term began.
        annual = indicator.kind == IndicatorKind.ANNUAL
        window = {
            (p.year, p.quarter)
            for p in periods
            if (p.year, p.quarter) <= key and (not annual or p.year == period.year)
        }
    else:
        window = {key}
    if table is not None:
        f = table.figures(indicator, window)
        value = f.value
        if indicator.display == Display.RATIO and value is not None:
            value = value.quantize(Decimal("0.01"))
        return Point(key, period.cutoff, f.numerator, f.denominator, value)

    def pick(field: Field | None) -> list[ar.Cell]:
        if field is None:
            return []
        return [c for c in cells.get(field.pk, []) if c.quarter in window]

    if indicator.denominator is None:
        total = ar.field_total(pick(indicator.numerator), time_kind)
        value = Decimal(total.value) if total.value is not None else None
        return Point(key, period.cutoff, total.value, None, value)
    ratio = ar.ratio_total(pick(indicator.numerator), pick(indicator.denominator), time_kind)
    value = ar.display_value(ratio.value, indicator.display)
    if indicator.display == Display.RATIO and value is not None:
        value = value.quantize(Decimal("0.01"))
    return Point(key, period.cutoff, ratio.numerator, ratio.denominator, value)


STATUS_ORDER = [
    ar.Status.NOT_ACHIEVED,
    ar.Status.AT_RISK,
    ar.Status.ON_TRACK,
    ar.Status.ACHIEVED,
    ar.Status.NOT_YET_DUE,
    ar.Status.NO_DATA,
]


@dataclass
class BreakdownRow:
    unit: Unit
    result: IndicatorResult
    expected_now: bool  # expected to report in the period's latest quarter

    @property
    def status(self) -> str:
        return str(self.result.status)

    @property
    def sort_value(self) -> Decimal:
        return self.result.value if self.result.value is not None else Decimal(-1)

    @property
    def status_rank(self) -> int:
        return STATUS_ORDER.index(self.result.status)


def indicator_breakdown(
    programme: Programme,
    indicator: Indicator,
    spec: PeriodSpec,
    root: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
) -> list[BreakdownRow]:
    """One indicator for each reporting unit below `root`, each as `progress()` would give it.

    Rows are the units expected to report in the period's latest quarter, plus (along the tree
    as it was) units that reported earlier in the period and have since closed.
    """
    periods = rollup._periods_for(programme, spec, today)
    if not periods:
        return []
    fields = _fields([indicator])
    cells, provisional_reports = rollup._cells(root, periods, fields, tree, provisional, today)
    report_units = dict(
        Report.objects.filter(pk__in={c.report for cs in cells.values() for c in cs}).values_list(
            "id", "unit_id"
        )
    )
    assignments = list(
        Assignment.objects.filter(programme=programme).select_related(
            "unit", "first_period", "last_period"
        )
    )
    reporters = _reporters(root, periods, assignments, cells, report_units, tree, today)
    spans = _closure_spans(reporters)
    owners = _owners(reporters, spans, periods, report_units, cells, tree, today)
    by_unit: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_unit[a.unit_id].append(a)
    targets = list(Target.objects.filter(indicator=indicator))
    last = periods[-1]
    own: dict[int, dict[int, list[ar.Cell]]] = defaultdict(lambda: defaultdict(list))
    for field_id, field_cells in cells.items():
        for cell in field_cells:
            for owner in owners.get(cell.report, ()):
                own[owner][field_id].append(cell)
    rows = []
    for unit in reporters.values():
        below = spans.get(unit.pk, {})
        mine = [a for d in below for a in by_unit.get(d, ())]  # not all assignments per unit
        expected = _expected(periods, mine, below)
        result = rollup._indicator_result(
            programme, unit, spec, indicator, own[unit.pk], targets, expected, periods,
            provisional_reports, today,
        )  # fmt: skip
        current = tree == AS_NOW or _assigned(by_unit.get(unit.pk, []), unit, last)
        rows.append(BreakdownRow(unit, result, current))
    return sorted(rows, key=lambda r: (not r.expected_now, r.unit.name))


def _assigned(assignments: list[Assignment], unit: Unit, period: ReportingPeriod) -> bool:
    return any(a.unit_id == unit.pk and _covers(a, period) for a in assignments)


def _covers(a: Assignment, period: ReportingPeriod) -> bool:
    key = (period.year, period.quarter)
    first = (a.first_period.year, a.first_period.quarter)
    last = (a.last_period.year, a.last_period.quarter) if a.last_period else (9999, 4)
    return first <= key <= last and a.unit.is_active_on(period.cutoff)


def _reporters(
    root: Unit,
    periods: list[ReportingPeriod],
    assignments: list[Assignment],
    cells: dict[int, list[ar.Cell]],
    report_units: dict[int, int],
    tree: str,
    today: dt.date,
) -> dict[int, Unit]:
    """Along the tree as it was: who was expected in the latest quarter, and who reported.

    Along today's tree: today's reporting units, since that is where all values now belong.
    """
    last = periods[-1]
    on = today if tree == AS_NOW else last.cutoff
    below = set(
        UnitClosure.objects.filter(active_on_q(on), ancestor=root, depth__gt=0).values_list(
            "descendant_id", flat=True
        )
    )
    reported = {report_units.get(c.report) for cs in cells.values() for c in cs}
    chosen: dict[int, Unit] = {}
    for a in assignments:
        if a.scope == AssignmentScope.PROVINCE or a.unit_id == root.pk:
            continue
        if tree == AS_NOW:
            if a.unit_id in below and a.last_period_id is None and a.unit.is_active_on(today):
                chosen[a.unit_id] = a.unit
        elif (a.unit_id in below and _covers(a, last)) or a.unit_id in reported:
            chosen[a.unit_id] = a.unit
    return chosen


Span = tuple[dt.date, dt.date | None]


def _closure_spans(reporters: dict[int, Unit]) -> dict[int, dict[int, list[Span]]]:
    """For each reporting unit: the units ever below it (itself included) and when."""
    spans: dict[int, dict[int, list[Span]]] = defaultdict(lambda: defaultdict(list))
    rows = UnitClosure.objects.filter(ancestor_id__in=list(reporters)).values_list(
        "ancestor_id", "descendant_id", "valid_from", "valid_to"
    )
    for ancestor, descendant, start, end in rows:
        spans[ancestor][descendant].append((start, end))
    return spans


def _within(spans: list[Span], on: dt.date) -> bool:
    return any(s <= on and (e is None or on < e) for s, e in spans)


def _owners(
    reporters: dict[int, Unit],
    spans: dict[int, dict[int, list[Span]]],
    periods: list[ReportingPeriod],
    report_units: dict[int, int],
    cells: dict[int, list[ar.Cell]],
    tree: str,
    today: dt.date,
) -> dict[int, set[int]]:
    """Which reporting units each report counts for, by the same rules as the roll-up."""
    cutoffs = {(p.year, p.quarter): p.cutoff for p in periods}
    report_quarter = {c.report: c.quarter for cs in cells.values() for c in cs}
    place = _places_today(today) if tree == AS_NOW else {}
    # Indexed by descendant, so each report looks only at the reporters ever above its unit
    # (thousands of reporters nationally).
    above: dict[int, list[tuple[int, list[Span]]]] = defaultdict(list)
    for r in reporters:
        for descendant, unit_spans in spans[r].items():
            above[descendant].append((r, unit_spans))
    owners: dict[int, set[int]] = {}
    for report, quarter in report_quarter.items():
        unit_id = report_units.get(report)
        if tree == AS_NOW:
            unit_id, on = place.get(unit_id), today  # type: ignore[arg-type]
        else:
            on = cutoffs[quarter]
        candidates = above.get(unit_id, []) if unit_id is not None else []
        owners[report] = {r for r, unit_spans in candidates if _within(unit_spans, on)}
    return owners


def _places_today(today: dt.date) -> dict[int, int | None]:
    """Where each unit's values belong along today's tree (see rollup._as_now_members)."""
    units: dict[int, tuple[int | None, dt.date | None]] = {
        pk: (successor, end)
        for pk, successor, end in Unit.objects.values_list("id", "successor_id", "valid_to")
    }
    last_parent = {
        child: parent
        for child, parent, end in UnitLink.objects.values_list("child_id", "parent_id", "valid_to")
        if end is not None and units.get(child, (None, None))[1] == end
    }
    return {pk: rollup._place_today(pk, units, last_parent, today) for pk in units}


def _expected(
    periods: list[ReportingPeriod],
    assignments: list[Assignment],
    below: dict[int, list[Span]],
) -> dict[tuple[int, int, bool], int]:
    """As rollup._expected, from rows already read."""
    counts: dict[tuple[int, int, bool], int] = defaultdict(int)
    mine = [a for a in assignments if a.unit_id in below]
    for period in periods:
        for a in mine:
            if _covers(a, period) and _within(below[a.unit_id], period.cutoff):
                counts[(period.year, period.quarter, a.scope == AssignmentScope.PROVINCE)] += 1
    return counts


@dataclass
class Row:
    """One indicator on a dashboard: its result, the change, and the quarters behind it."""

    result: IndicatorResult
    change: Decimal | None
    points: list[Point]

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
    change (year on year; quarter on quarter) and its last quarters. About 25 queries."""

    def read(spec: PeriodSpec) -> rollup.Progress:
        return rollup.progress(
            programme, unit, spec, tree=tree, provisional=provisional, today=today
        )

    this_year = read(PeriodSpec("year", year))
    last_year = read(PeriodSpec("year", year - 1))
    term = read(PeriodSpec("term"))
    series = indicator_series(programme, unit, tree=tree, provisional=provisional, today=today)
    before = {r.code: r for r in last_year.results}
    annual = [
        Row(r, _delta(r.value, before[r.code].value), _upto(series[r.code], (year, 4)))
        for r in this_year.results
        if r.indicator.kind == IndicatorKind.ANNUAL
    ]
    term_rows = []
    for r in term.results:
        if r.indicator.kind != IndicatorKind.TERM:
            continue
        points = _upto(series[r.code], r.quarter or (today.year, 4))
        term_rows.append(Row(r, _quarter_change(points), points))
    return UnitDashboard(unit, this_year, term, annual, term_rows)


def _delta(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    return None if now is None or then is None else now - then


def _upto(points: list[Point], quarter: tuple[int, int]) -> list[Point]:
    return [p for p in points if p.quarter <= quarter][-TREND_QUARTERS:]


def _quarter_change(points: list[Point]) -> Decimal | None:
    """The last quarter against the one before it (both must have figures)."""
    if len(points) < 2:
        return None
    return _delta(points[-1].value, points[-2].value)


def reporting_units_below(unit: Unit, period: ReportingPeriod | None) -> list[Unit]:
    """Units expected to report in `period` that lie in `unit`'s subtree then (one query)."""
    if period is None:
        return []
    below = UnitClosure.objects.filter(active_on_q(period.cutoff), ancestor=unit, depth__gt=0)
    found = [
        a
        for a in Assignment.objects.filter(
            programme=period.programme, unit_id__in=below.values("descendant_id")
        ).select_related("unit", "first_period", "last_period")
        if a.scope != AssignmentScope.PROVINCE and _covers(a, period)
    ]
    return sorted({a.unit for a in found}, key=lambda u: (u.kind, u.name))


DISSOLUTIONS = dt.date(2025, 6, 15)  # state-budget CĐCS dissolved (letter 4173/TLĐ-ToC)
MEMBERS = "T01"


@dataclass
class MembershipQuarter:
    label: str
    cutoff: dt.date
    members: int | None
    path: Decimal | None
    projected: Decimal | None
    change: int | None
    note: str = ""


@dataclass
class Membership:
    quarters: list[MembershipQuarter]
    target: Decimal | None
    baseline: Decimal | None
    baseline_date: dt.date | None
    baseline_assumed: bool  # no baseline in the target: the first reported quarter stands in
    projection_end: Decimal | None
    projection_from: str | None  # the first quarter the trend is taken from


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
    the trend since the June 2025 dissolutions (or since the start, before them) leads."""
    series = indicator_series(programme, unit, tree=tree, provisional=provisional, today=today)
    points = [p for p in series.get(MEMBERS, []) if p.value is not None]
    target = Target.objects.filter(
        indicator__programme=programme, indicator__code=MEMBERS, year__isnull=True
    ).first()
    baseline, since, assumed = _baseline(target, points, programme)
    after = [p for p in points if p.cutoff > DISSOLUTIONS]
    used = after if len(after) >= 2 else points
    trend = [(p.cutoff, int(p.value)) for p in used if p.value is not None]
    quarters = ReportingPeriod.objects.filter(programme=programme).order_by("year", "quarter")
    known = {p.quarter: p for p in points}
    rows: list[MembershipQuarter] = []
    previous: int | None = None
    for period in quarters:
        point = known.get((period.year, period.quarter))
        members = point.numerator if point else None
        path = None
        if with_path and target and baseline is not None and since and period.cutoff >= since:
            path = ar.path_value(baseline, since, target.value, programme.term_end, period.cutoff)
        projected = None
        if used and period.cutoff >= used[0].cutoff:
            projected = ar.projection(trend, period.cutoff)
        change = members - previous if members is not None and previous is not None else None
        rows.append(
            MembershipQuarter(
                f"{period.year}Q{period.quarter}", period.cutoff, members, path, projected, change
            )
        )
        previous = members if members is not None else previous
    end = ar.projection(trend, programme.term_end)
    return Membership(
        rows,
        target.value if target and with_path else None,
        baseline,
        since,
        assumed,
        end,
        used[0].label if used and end is not None else None,
    )


def _baseline(
    target: Target | None, points: list[Point], programme: Programme
) -> tuple[Decimal | None, dt.date | None, bool]:
    if target is not None and target.baseline_value is not None:
        return target.baseline_value, target.baseline_date or programme.term_start, False
    if points and points[0].value is not None:
        return points[0].value, points[0].cutoff, True
    return None, None, False
