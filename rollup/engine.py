"""Computes every indicator of a programme for a unit's subtree and a period.

The one place that reads reported values for dashboards, the API and the workbook, so that
all three show the same figures. Data access is a fixed handful of aggregate-free queries per
call, whatever the number of units; the arithmetic itself is in `rollup.arithmetic`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import Assignment, AssignmentScope, ReportingPeriod, ReportStatus, Value
from reports.periods import quarter_label
from targets.models import (
    Display,
    Field,
    Frequency,
    Indicator,
    IndicatorKind,
    Programme,
    Target,
)
from targets.programmes import reporting_quarters
from unions.models import Unit, UnitClosure, UnitKind, UnitLink, active_on_q

from . import arithmetic as ar
from . import totals
from .today import below_today_q, expected_today
from .today_sums import table_today

AS_WAS, AS_NOW = "as_was", "as_now"


@dataclass(frozen=True)
class PeriodSpec:
    """A quarter (year to date), a calendar year, or the term to date."""

    kind: str  # "quarter" | "year" | "term"
    year: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> PeriodSpec:
        from reports.periods import parse_period

        if text.strip().lower() == "term":
            return cls("term")
        year, quarter = parse_period(text)
        return cls("quarter", year, quarter) if quarter else cls("year", year)

    @property
    def code(self) -> str:
        if self.kind == "term":
            return "term"
        return f"{self.year}Q{self.quarter}" if self.kind == "quarter" else str(self.year)

    @property
    def label(self) -> str:
        """In the reader's words: "Quý 3/2024" (the year up to it), "2024", the term to date."""
        if self.kind == "quarter" and self.year and self.quarter:
            return quarter_label(self.year, self.quarter)
        return _("term to date") if self.kind == "term" else str(self.year)

    def previous(self) -> PeriodSpec | None:
        if self.kind == "quarter" and self.year and self.quarter:
            if self.quarter == 1:
                return PeriodSpec("quarter", self.year - 1, 4)
            return PeriodSpec("quarter", self.year, self.quarter - 1)
        if self.kind == "year" and self.year:
            return PeriodSpec("year", self.year - 1)
        return None


@dataclass(frozen=True)
class Coverage:
    reported: int
    expected: int


@dataclass
class IndicatorResult:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    value: Decimal | None  # in the display unit: percent, ratio per unit, or count
    target: Decimal | None
    status: ar.Status
    coverage: Coverage
    quarter: tuple[int, int] | None  # the quarter whose figures are shown (stocks, ytd)
    expected_now: Decimal | None = None  # where the value should stand on the path
    provisional: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass
class Progress:
    programme: Programme
    unit: Unit
    spec: PeriodSpec
    tree: str
    provisional: bool
    periods: list[ReportingPeriod]
    results: list[IndicatorResult] = field(default_factory=list)
    expected_reports: int = 0
    received_reports: int = 0


def _periods_for(programme: Programme, spec: PeriodSpec, today: dt.date) -> list[ReportingPeriod]:
    """The quarters of `spec` within the programme's reporting that have ended by `today`."""
    (first_year, first_q), (last_year, last_q) = reporting_quarters(programme)
    ended = ReportingPeriod.objects.filter(cutoff__lte=today).filter(
        Q(year__gt=first_year) | Q(year=first_year, quarter__gte=first_q)
    )
    ended = ended.filter(Q(year__lt=last_year) | Q(year=last_year, quarter__lte=last_q))
    return _select(list(ended.order_by("year", "quarter")), spec)


def _select(periods: list[ReportingPeriod], spec: PeriodSpec) -> list[ReportingPeriod]:
    """The quarters of `spec` among `periods`."""
    if spec.kind == "term" or spec.year is None:
        return list(periods)
    chosen = [p for p in periods if p.year == spec.year]
    if spec.kind == "quarter":
        chosen = [p for p in chosen if p.quarter <= (spec.quarter or 4)]
    return chosen


def fields_of(indicators: Iterable[Indicator]) -> list[Field]:
    """The indicators' numerator and denominator fields, each once."""
    found = {f.pk: f for i in indicators for f in (i.numerator, i.denominator) if f is not None}
    return list(found.values())


def _report_filter(provisional: bool) -> Q:
    if provisional:
        return Q(report__in_force=True) | Q(
            report__is_latest=True, report__status=ReportStatus.SUBMITTED
        )
    return Q(report__in_force=True)


def _cells(
    unit: Unit,
    periods: list[ReportingPeriod],
    fields: list[Field],
    tree: str,
    provisional: bool,
    today: dt.date,
) -> tuple[dict[int, list[ar.Cell]], set[int]]:
    """Values by field id as Cells, from the reports that lie in the unit's subtree."""
    # A figure reported once a year counts from a fourth quarter's report only.
    values = Value.objects.filter(
        _report_filter(provisional), report__period__in=periods, field__in=fields
    ).exclude(field__frequency=Frequency.ANNUAL, report__period__quarter__lt=4)
    if tree == AS_WAS:
        in_subtree = UnitClosure.objects.filter(
            ancestor=unit,
            descendant=OuterRef("report__unit"),
            valid_from__lte=OuterRef("report__period__cutoff"),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("report__period__cutoff")))
        values = values.filter(Exists(in_subtree))
    else:
        # Along today's tree, decided in the database (`rollup.today`).
        values = values.filter(below_today_q(unit, today, "report__unit"))
    rows = values.values_list(
        "report_id",
        "report__unit_id",
        "report__period__year",
        "report__period__quarter",
        "report__status",
        "report__in_force",
        "field_id",
        "state",
        "number",
    )
    chosen: dict[tuple[int, int, int], tuple[int, str]] = {}
    raw = []
    for report_id, unit_id, year, quarter, status, in_force, field_id, state, number in rows:
        key = (unit_id, year, quarter)
        # With provisional data, a submitted revision replaces the approved one it corrects.
        previous = chosen.get(key)
        if previous is None or (not in_force and previous[1] != "submitted_latest"):
            chosen[key] = (report_id, "submitted_latest" if not in_force else "in_force")
        raw.append((report_id, key, field_id, state, number, status))
    by_field: dict[int, list[ar.Cell]] = defaultdict(list)
    provisional_reports: set[int] = set()
    for report_id, key, field_id, state, number, status in raw:
        if chosen[key][0] != report_id:
            continue
        by_field[field_id].append(ar.Cell(report_id, (key[1], key[2]), state, number))
        if status != ReportStatus.APPROVED:
            provisional_reports.add(report_id)
    return by_field, provisional_reports


def places_today(today: dt.date) -> dict[int, int | None]:
    """Where each unit's values belong along today's tree (None: nowhere today)."""
    units: dict[int, tuple[int | None, dt.date | None]] = {
        pk: (successor, end)
        for pk, successor, end in Unit.objects.values_list("id", "successor_id", "valid_to")
    }
    last_parent = {
        child: parent
        for child, parent, end in UnitLink.objects.values_list("child_id", "parent_id", "valid_to")
        if end is not None and units.get(child, (None, None))[1] == end
    }
    return {pk: _place_today(pk, units, last_parent, today) for pk in units}


def _place_today(
    pk: int,
    units: dict[int, tuple[int | None, dt.date | None]],
    last_parent: dict[int, int],
    today: dt.date,
) -> int | None:
    seen: set[int] = set()
    current: int | None = pk
    while current is not None and current not in seen:
        successor, end = units[current]
        if end is None or end > today:
            return current
        seen.add(current)
        current = successor if successor is not None else last_parent.get(current)
    return None


def _expected(
    unit: Unit, periods: list[ReportingPeriod], tree: str = AS_WAS, today: dt.date | None = None
) -> dict[tuple[int, int, bool], int]:
    """Expected reports per (year, quarter, province report?) in the unit's subtree, along the
    tree whose received reports are counted: as it was (counted in the database, one
    aggregate query), or as it stands today (the reports of the units whose values belong
    below the unit today, as `_cells` places them), so that completeness never exceeds 100%."""
    if tree == AS_WAS or today is None:
        return totals.expected_counts(unit, periods)
    return expected_today(unit, periods, today)


def expected_now_below(
    unit_ids: list[int], periods: list[ReportingPeriod], today: dt.date
) -> dict[int, dict[tuple[int, int, bool], int]]:
    """Along today's tree, for several units at once (the breakdown by unit): the assignments
    whose unit's values belong below each unit today (`places_today`), per quarter they
    cover while their unit existed. Three reads whatever the number of units."""
    places = places_today(today)
    above: dict[int, list[int]] = defaultdict(list)  # a unit today → the given units over it
    rows_today = UnitClosure.objects.filter(active_on_q(today), ancestor_id__in=unit_ids)
    for ancestor, descendant in rows_today.values_list("ancestor_id", "descendant_id"):
        above[descendant].append(ancestor)
    counts: dict[int, dict[tuple[int, int, bool], int]] = defaultdict(lambda: defaultdict(int))
    # Every assignment, filtered here: the units below a root today can be tens of thousands,
    # too many for an IN list.
    rows = Assignment.objects.values_list(
        "unit_id",
        "scope",
        "first_period__year",
        "first_period__quarter",
        "last_period__year",
        "last_period__quarter",
        "unit__valid_from",
        "unit__valid_to",
    )
    for unit_id, scope, first_y, first_q, last_y, last_q, start, end in rows:
        place = places.get(unit_id)
        owners = above.get(place, []) if place is not None else []
        if not owners:
            continue
        for p in periods:
            key = (p.year, p.quarter)
            after_end = last_y is not None and key > (last_y, last_q)
            alive = start <= p.cutoff and (end is None or p.cutoff < end)
            if key >= (first_y, first_q) and not after_end and alive:
                for owner in owners:
                    counts[owner][(p.year, p.quarter, scope == AssignmentScope.PROVINCE)] += 1
    return counts


def _target_for(
    targets: list[Target], indicator: Indicator, year: int | None, unit: Unit
) -> Target | None:
    def rank(t: Target) -> tuple[bool, bool]:
        return (t.unit_id == unit.pk, t.year == year)

    # A share (98% informed) applies to every unit; a count (24.500 members) is the
    # province's, and a lower unit has one only if staff set it for that unit.
    shared = indicator.display != Display.COUNT or unit.kind == UnitKind.PROVINCE
    candidates = [
        t
        for t in targets
        if t.indicator_id == indicator.pk
        and t.year in (None, year)
        and (t.unit_id == unit.pk or (t.unit_id is None and shared))
    ]
    return max(candidates, key=rank) if candidates else None


@dataclass
class Reads:
    """What several `progress` calls for one unit share, read once for the term to date: a
    unit page shows the year, the year before and the term (see `reads_for`)."""

    periods: list[ReportingPeriod]
    indicators: list[Indicator]
    targets: list[Target]
    expected: dict[tuple[int, int, bool], int]
    table: totals.Table | None  # pre-summed totals, when the figures come from them


def reads_for(
    programme: Programme,
    unit: Unit,
    *,
    tree: str,
    provisional: bool,
    today: dt.date,
    spec: PeriodSpec = PeriodSpec("term"),
) -> Reads:
    """What `progress` needs for the quarters of `spec` (by default the term to date)."""
    periods = _periods_for(programme, spec, today)
    indicators = _indicators(programme)
    # Approved figures along the tree as it was come pre-summed per ancestor (rollup.totals).
    table = None if provisional or tree != AS_WAS else totals.totals_read(unit, periods, indicators)
    if not provisional and tree == AS_NOW and periods:
        # Along today's tree: the same sums, aggregated in the database (`rollup.today_sums`).
        table = table_today(unit, periods, indicators, fields_of(indicators), today)
    # The totals keep the expected counts along the tree as it was (no count on each request).
    kept = table.expected if table is not None else None
    return Reads(
        periods,
        indicators,
        # Explicit orders: the models' default ones join the programme (and the indicator) in
        # only to sort by them, which costs more than the read itself on every page.
        list(Target.objects.filter(indicator__programme=programme).order_by("pk")),
        _expected(unit, periods, tree, today) if kept is None else kept,
        table,
    )


def _indicators(programme: Programme) -> list[Indicator]:
    return list(
        Indicator.objects.filter(programme=programme)
        .select_related("numerator", "denominator")
        .order_by("order", "code")
    )


def _restrict(table: totals.Table, periods: list[ReportingPeriod]) -> totals.Table:
    quarters = {(p.year, p.quarter) for p in periods}
    out = totals.Table()
    for item, by_quarter in table.fields.items():
        out.fields[item] = {q: s for q, s in by_quarter.items() if q in quarters}
    for item, pairs in table.pairs.items():
        out.pairs[item] = {q: s for q, s in pairs.items() if q in quarters}
    out.received = {q: n for q, n in table.received.items() if q in quarters}
    return out


def progress(
    programme: Programme,
    unit: Unit,
    spec: PeriodSpec,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date | None = None,
    reads: Reads | None = None,
) -> Progress:
    """`reads`: what `reads_for` read for the same unit, tree, data and day, when a caller
    shows several periods of one unit (a handful of queries instead of a dozen)."""
    today = today or timezone.localdate()
    if reads is None:
        reads = reads_for(
            programme, unit, tree=tree, provisional=provisional, today=today, spec=spec
        )
    periods = _select(reads.periods, spec)
    indicators, targets, expected = reads.indicators, reads.targets, reads.expected
    table = None if reads.table is None else _restrict(reads.table, periods)
    fields = {f.pk: f for f in fields_of(indicators)}
    cells, provisional_reports = (
        ({}, set())
        if table is not None
        else _cells(unit, periods, list(fields.values()), tree, provisional, today)
    )
    result = Progress(programme, unit, spec, tree, provisional, periods)
    last = periods[-1] if periods else None
    if last is not None:
        result.expected_reports = expected.get((last.year, last.quarter, False), 0)
        received = table.received if table is not None else _received(cells, list(fields.values()))
        result.received_reports = received.get((last.year, last.quarter), 0)
    for indicator in indicators:
        result.results.append(
            _indicator_result(
                programme,
                unit,
                spec,
                indicator,
                cells,
                targets,
                expected,
                periods,
                provisional_reports,
                today,
                figures=table.figures(indicator) if table is not None else None,
            )
        )
    return result


def _received(cells: dict[int, list[ar.Cell]], fields: list[Field]) -> dict[tuple[int, int], int]:
    """Reports received per quarter among `cells`; the provincial office's own report is not
    one of the expected reporting units, so its fields do not count."""
    counted = {f.pk for f in fields if not f.province_only}
    reports: dict[tuple[int, int], set[int]] = defaultdict(set)
    for field_id, field_cells in cells.items():
        if field_id in counted:
            for cell in field_cells:
                reports[cell.quarter].add(cell.report)
    return {quarter: len(found) for quarter, found in reports.items()}


def coverage_by_quarter(
    reads: Reads, unit: Unit, *, tree: str, provisional: bool, today: dt.date
) -> dict[tuple[int, int], Coverage]:
    """Reports received and expected below the unit in each quarter of `reads`, as `progress`
    counts them for its last quarter: which quarters have all their reports in."""
    if reads.table is not None:
        received = reads.table.received
    else:
        fields = fields_of(reads.indicators)
        received = _received(
            _cells(unit, reads.periods, fields, tree, provisional, today)[0], fields
        )
    return {
        (p.year, p.quarter): Coverage(
            received.get((p.year, p.quarter), 0),
            reads.expected.get((p.year, p.quarter, False), 0),
        )
        for p in reads.periods
    }


def _final(programme: Programme, spec: PeriodSpec, indicator: Indicator, today: dt.date) -> bool:
    if indicator.kind == IndicatorKind.TERM:
        # A term indicator is only missed once the term is over; before, it is on a path.
        return programme.term_end < today
    year = spec.year if spec.year is not None else today.year
    quarter_done = spec.kind != "quarter" or spec.quarter == 4
    return quarter_done and dt.date(year, 12, 31) < today


def _indicator_result(
    programme: Programme,
    unit: Unit,
    spec: PeriodSpec,
    indicator: Indicator,
    cells: dict[int, list[ar.Cell]],
    targets: list[Target],
    expected: dict[tuple[int, int, bool], int],
    periods: list[ReportingPeriod],
    provisional_reports: set[int],
    today: dt.date,
    figures: totals.Figures | None = None,
) -> IndicatorResult:
    num_field, den_field = indicator.numerator, indicator.denominator
    num_cells = cells.get(num_field.pk, [])
    province_only = num_field.province_only
    annual = num_field.frequency == "annual"
    due = bool(periods) and (not annual or any(p.quarter == 4 for p in periods))
    used: set[int] = set()
    if figures is not None:  # from pre-summed totals: approved reports only, none provisional
        numerator, denominator, value = figures.numerator, figures.denominator, figures.value
        quarter, reports = figures.quarter, figures.reports
    elif den_field is None:
        total = ar.field_total(num_cells, num_field.time_kind)
        numerator, denominator, value = (
            total.value,
            None,
            (Decimal(total.value) if total.value is not None else None),
        )
        quarter, reports = total.quarter, total.numbers
        used = {c.report for c in num_cells if c.quarter == quarter and c.state == ar.NUMBER}
    else:
        ratio = ar.ratio_total(num_cells, cells.get(den_field.pk, []), num_field.time_kind)
        numerator, denominator = ratio.numerator, ratio.denominator
        value = ar.display_value(ratio.value, indicator.display)
        reports = ratio.reports
        quarter = (
            None
            if num_field.time_kind == "flow"
            else _ratio_quarter(num_cells, cells.get(den_field.pk, []))
        )
        used = {
            c.report
            for c in num_cells
            if c.state == ar.NUMBER and (quarter is None or c.quarter == quarter)
        }
    coverage = _coverage(
        reports, expected, periods, quarter, num_field.time_kind, province_only, annual
    )
    year = spec.year if spec.kind != "term" else (periods[-1].year if periods else None)
    target_row = _target_for(
        targets, indicator, year if indicator.kind == IndicatorKind.ANNUAL else None, unit
    )
    target = target_row.value if target_row else None
    expected_now = _expected_now(
        programme, indicator, target_row, num_field.time_kind, quarter, periods
    )
    status = ar.judge(
        value,
        ar.Goal(target, indicator.comparison, expected_now),
        final=_final(programme, spec, indicator, today),
        due=due,
        denominator=denominator,
    )
    value = shown_value(value, indicator.display)
    return IndicatorResult(
        indicator,
        numerator,
        denominator,
        value,
        target,
        status,
        coverage,
        quarter,
        expected_now=shown_value(expected_now, indicator.display),
        provisional=bool(used & provisional_reports),
    )


def quarter_complete(coverage: dict[tuple[int, int], Coverage], quarter: tuple[int, int]) -> bool:
    """Every expected report of the quarter is in (a quarter not read counts as complete)."""
    found = coverage.get(quarter)
    return found is None or found.reported >= found.expected


def change_shown(
    now: Decimal | None,
    then: Decimal | None,
    quarters: tuple[tuple[int, int] | None, tuple[int, int] | None],
    coverage: dict[tuple[int, int], Coverage],
    province_only: bool = False,
) -> Decimal | None:
    """A change between two figures, or None: `rollup.changes.change_explained`, which also
    says why none is shown."""
    from .changes import change_explained

    return change_explained(now, then, quarters, coverage, province_only).value


PLACES = {Display.PERCENT: 1, Display.RATIO: 2, Display.COUNT: 0}


def shown_value(value: Decimal | None, display: str) -> Decimal | None:
    """A figure as every page, file and API answer gives it: a percentage to one decimal
    (85,3%), a ratio per CĐCS to two, a count whole; half up, as on paper. Status is judged
    on the figure before rounding."""
    if value is None:
        return None
    places = PLACES.get(Display(display), 2)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def counts_toward(row: IndicatorResult, total: IndicatorResult) -> bool:
    """Whether a unit's figure is part of a total's: a flow is summed over every quarter, so
    every unit's share is; a stock or a count since 1 January is the total's quarter only, so
    a unit whose latest figure is from an earlier quarter (closed since, or late) is not."""
    if row.numerator is None:
        return False
    if total.indicator.numerator.time_kind == "flow":
        return True
    return row.quarter is not None and row.quarter == total.quarter


def _ratio_quarter(num: list[ar.Cell], den: list[ar.Cell]) -> tuple[int, int] | None:
    den_keys = {(c.report, c.quarter) for c in den if c.state == ar.NUMBER}
    quarters = [
        c.quarter for c in num if c.state == ar.NUMBER and (c.report, c.quarter) in den_keys
    ]
    return max(quarters) if quarters else None


def _coverage(
    reports: int,
    expected: dict[tuple[int, int, bool], int],
    periods: list[ReportingPeriod],
    quarter: tuple[int, int] | None,
    time_kind: str,
    province_only: bool,
    annual: bool,
) -> Coverage:
    if time_kind == "flow":
        keys = [(p.year, p.quarter) for p in periods]
    elif quarter is not None:
        keys = [quarter]
    else:
        due = [p for p in periods if not annual or p.quarter == 4]
        keys = [(due[-1].year, due[-1].quarter)] if due else []
    return Coverage(reports, sum(expected.get((*k, province_only), 0) for k in keys))


def _expected_now(
    programme: Programme,
    indicator: Indicator,
    target: Target | None,
    time_kind: str,
    quarter: tuple[int, int] | None,
    periods: list[ReportingPeriod],
) -> Decimal | None:
    """Where the value should stand now: the path to a term count, a share of a ytd target."""
    if target is None or quarter is None:
        return None
    cutoff = next((p.cutoff for p in periods if (p.year, p.quarter) == quarter), None)
    if indicator.display == Display.COUNT and target.baseline_value is not None and cutoff:
        return ar.path_value(
            target.baseline_value,
            target.baseline_date or programme.term_start,
            target.value,
            programme.term_end,
            cutoff,
        )
    if time_kind == "ytd":
        return target.value * ar.year_fraction(quarter[1])
    return None
