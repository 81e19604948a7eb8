"""The breakdown of indicators by reporting unit: each row the figure `progress()` gives.

Two readings, chosen the way the roll-up chooses:

- approved figures along the tree as it was come from the pre-summed totals
  (`rollup.totals`): a reporting unit's figure is its own subtree's total, so the rows are a
  handful of aggregate queries whatever the tree's size, and many indicators (the workbook's
  breakdown sheets) share them;
- provisional figures, today's tree, or totals that cannot be trusted (never built, or the
  closure changed since) read raw values once and split them by reporting unit in Python.

Rows are the units expected to report in the period's latest quarter, plus (along the tree as
it was) units that reported earlier in the period and have since closed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from reports.assignments import covering_q
from reports.models import Assignment, AssignmentScope, Report, ReportingPeriod, Value
from targets.models import Indicator, Programme, Target
from unions.models import Unit, UnitClosure, active_on_q, vi_sort_key

from . import arithmetic as ar
from . import engine as rollup
from . import totals
from .engine import AS_NOW, AS_WAS, IndicatorResult, PeriodSpec
from .expected import expected_read
from .models import RollupTotal

STATUS_ORDER = [
    ar.Status.NOT_ACHIEVED,
    ar.Status.AT_RISK,
    ar.Status.ON_TRACK,
    ar.Status.ACHIEVED,
    ar.Status.NOT_YET_DUE,
    ar.Status.NO_TARGET,
    ar.Status.NOTHING_TO_MEASURE,
    ar.Status.NO_DATA,
]


@dataclass
class BreakdownRow:
    unit: Unit
    result: IndicatorResult
    expected_now: bool  # expected to report in the period's latest quarter
    in_sum: bool = True  # its figure is part of the total's (`breakdown_sum`)

    @property
    def status(self) -> str:
        return str(self.result.status)

    @property
    def sort_value(self) -> Decimal:
        return self.result.value if self.result.value is not None else Decimal(-1)

    @property
    def status_rank(self) -> int:
        return STATUS_ORDER.index(self.result.status)

    @property
    def name_key(self) -> Any:
        """The unit's name for sorting, in Vietnamese alphabetical order."""
        return vi_sort_key(self.unit.name)


@dataclass(frozen=True)
class BreakdownSum:
    """How the rows make up the total: the rows counted add up to `numerator` (and
    `denominator`); what the total holds beyond them (reports of units not listed, such as a
    CĐCS that reported for itself before it moved) is the rest; the rows apart are figures of
    another quarter (a unit closed since, or late), shown with their date, never added."""

    numerator: int
    denominator: int | None
    rest_numerator: int
    rest_denominator: int | None
    apart: int

    @property
    def adds_up(self) -> bool:
        return self.rest_numerator == 0 and not self.rest_denominator


def breakdown_sum(rows: Sequence[BreakdownRow], total: IndicatorResult) -> BreakdownSum:
    """Marks each row as counted in the total or apart (`rollup.counts_toward`) and sums the
    counted ones."""
    ratio = total.indicator.denominator_id is not None
    num = den = apart = 0
    for row in rows:
        row.in_sum = rollup.counts_toward(row.result, total)
        if row.in_sum:
            num += row.result.numerator or 0
            den += row.result.denominator or 0
        elif row.result.numerator is not None:
            apart += 1
    return BreakdownSum(
        numerator=num,
        denominator=den if ratio else None,
        rest_numerator=(total.numerator or 0) - num,
        rest_denominator=((total.denominator or 0) - den) if ratio else None,
        apart=apart,
    )


def indicator_breakdown(
    programme: Programme,
    indicator: Indicator,
    spec: PeriodSpec,
    root: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
    reads: rollup.Reads | None = None,
) -> list[BreakdownRow]:
    """One indicator for each reporting unit below `root`, each as `progress()` gives it."""
    found = breakdowns(
        programme,
        [indicator],
        spec,
        root,
        tree=tree,
        provisional=provisional,
        today=today,
        reads=reads,
    )
    return found[indicator.code]


def breakdowns(
    programme: Programme,
    indicators: Sequence[Indicator],
    spec: PeriodSpec,
    root: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
    reads: rollup.Reads | None = None,
) -> dict[str, list[BreakdownRow]]:
    """Several indicators' breakdowns for one period, sharing the reads (indicator code →
    rows sorted with the units expected now first, then by name). `reads`, from
    `rollup.reads_for` for the same root, tree, data and day, saves reading the quarters,
    the totals' state and the targets again."""
    if reads is None:
        periods = rollup._periods_for(programme, spec, today)
        read = (
            totals.totals_read(root, periods, indicators)
            if not provisional and tree == AS_WAS and periods
            else None
        )
    else:
        # The totals of the root were read for every ended quarter when they can be trusted
        # (never for provisional data or today's tree), so for the quarters of `spec` too.
        periods = rollup._select(reads.periods, spec)
        read = reads.table if tree == AS_WAS else None  # today's tree has no stored totals
    if not periods:
        return {i.code: [] for i in indicators}
    if read is not None:
        targets = None if reads is None else reads.targets
        kept = read.expected is not None  # the totals keep the expected counts
        return _from_totals(
            programme, list(indicators), spec, root, periods, today, targets, kept=kept
        )
    return {
        i.code: _from_values(programme, i, spec, root, periods, tree, provisional, today)
        for i in indicators
    }


def _sorted(rows: list[BreakdownRow]) -> list[BreakdownRow]:
    return sorted(rows, key=lambda r: (not r.expected_now, vi_sort_key(r.unit.name)))


def covers(a: Assignment, period: ReportingPeriod) -> bool:
    """The assignment asks for a report in `period` (and its unit exists at the cut-off)."""
    key = (period.year, period.quarter)
    first = (a.first_period.year, a.first_period.quarter)
    last = (a.last_period.year, a.last_period.quarter) if a.last_period else (9999, 4)
    return first <= key <= last and a.unit.is_active_on(period.cutoff)


def reporting_below(unit: Unit, period: ReportingPeriod) -> QuerySet[Unit]:
    """Units expected to report in `period` that lie in `unit`'s subtree then, as a query
    (the rows of `covers` below the unit, decided in the database)."""
    below = UnitClosure.objects.filter(active_on_q(period.cutoff), ancestor=unit, depth__gt=0)
    assigned = (
        Assignment.objects.filter(
            covering_q(period),
            unit_id__in=below.values("descendant_id"),
        )
        .exclude(scope=AssignmentScope.PROVINCE)
        .values("unit_id")
    )
    return Unit.objects.filter(pk__in=assigned)


# From pre-summed totals -------------------------------------------------------------------------


def _from_totals(
    programme: Programme,
    indicators: list[Indicator],
    spec: PeriodSpec,
    root: Unit,
    periods: list[ReportingPeriod],
    today: dt.date,
    targets: list[Target] | None = None,
    *,
    kept: bool = False,
) -> dict[str, list[BreakdownRow]]:
    last = periods[-1]
    current = {u.pk: u for u in reporting_below(root, last)}
    assignments = Assignment.objects.exclude(
        Q(scope=AssignmentScope.PROVINCE) | Q(unit=root) | Q(unit_id__in=list(current))
    )
    # Units no longer expected that reported themselves in the period (below the root then),
    # field by field; the units expected now are rows anyway.
    under_root = UnitClosure.objects.filter(
        ancestor=root,
        descendant=OuterRef("unit_id"),
        valid_from__lte=OuterRef("period__cutoff"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("period__cutoff")))
    own_reports = Report.objects.filter(
        Exists(under_root),
        in_force=True,
        period__in=periods,
        unit_id__in=assignments.values("unit_id"),
    )
    own = (
        Value.objects.filter(report__in=own_reports, field__in=rollup.fields_of(indicators))
        .values_list("report__unit_id", "field_id")
        .distinct()
    )
    reported: dict[int, set[int]] = defaultdict(set)
    for unit_id, field_id in own:
        reported[field_id].add(unit_id)
    closed_ids = {u for units in reported.values() for u in units} - set(current)
    units = dict(current)
    units.update(Unit.objects.in_bulk(list(closed_ids)))
    tables = _tables(list(units), periods, indicators)
    # Kept with the totals: one indexed read instead of counting every assignment below.
    count = expected_read if kept else totals.expected_counts_below
    expected = count(list(units), periods)
    if targets is None:
        targets = list(Target.objects.filter(indicator__in=indicators))
    found: dict[str, list[BreakdownRow]] = {}
    for indicator in indicators:
        mine = reported[indicator.numerator_id] | reported.get(indicator.denominator_id or 0, set())
        rows = []
        for unit_id, unit in units.items():
            if unit_id not in current and unit_id not in mine:
                continue
            table = tables.get(unit_id) or totals.Table()
            result = rollup._indicator_result(
                programme, unit, spec, indicator, {}, targets, expected.get(unit_id, {}),
                periods, set(), today, figures=table.figures(indicator),
            )  # fmt: skip
            rows.append(BreakdownRow(unit, result, unit_id in current))
        found[indicator.code] = _sorted(rows)
    return found


def _tables(
    unit_ids: list[int], periods: list[ReportingPeriod], indicators: Sequence[Indicator]
) -> dict[int, totals.Table]:
    """Each unit's totals, already reduced to what `Table.figures` takes: for a flow the sum
    over the quarters, for a stock or year-to-date count the latest quarter with a number.
    Two queries, a row per unit and item instead of one per quarter as well."""
    flows = Q(pk__in=[])
    stocks = Q(pk__in=[])
    for indicator in indicators:
        is_flow = indicator.numerator.time_kind == "flow"
        if indicator.denominator_id is None:
            wanted = Q(kind=totals.FIELD, item=indicator.numerator_id)
        else:
            wanted = Q(kind=totals.PAIR, item=indicator.pk)
        if is_flow:
            flows |= wanted
        else:
            stocks |= wanted
    base = RollupTotal.objects.filter(ancestor_id__in=unit_ids, period__in=periods, numbers__gt=0)
    tables: dict[int, totals.Table] = defaultdict(totals.Table)
    summed = (
        base.filter(flows)
        .values("ancestor_id", "kind", "item")
        .annotate(n=Sum("numbers"), t=Sum("total"), d=Sum("denominator"))
        .values_list("ancestor_id", "kind", "item", "n", "t", "d")
    )
    any_quarter = (0, 0)  # a flow's figures do not depend on which quarter they sit in
    for ancestor, kind, item, n, t, d in summed:
        _put(tables[ancestor], kind, item, any_quarter, n, t, d)
    latest = (
        base.filter(stocks)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("ancestor_id"), F("kind"), F("item")],
                order_by=[F("period__year").desc(), F("period__quarter").desc()],
            )
        )
        .filter(rank=1)
        .values_list(
            "ancestor_id", "kind", "item", "period__year", "period__quarter", "numbers",
            "total", "denominator",
        )
    )  # fmt: skip
    for ancestor, kind, item, year, quarter, n, t, d in latest:
        _put(tables[ancestor], kind, item, (year, quarter), n, t, d)
    return tables


def _put(
    table: totals.Table, kind: str, item: int, quarter: ar.Quarter, n: int, t: int, d: int
) -> None:
    if kind == totals.FIELD:
        table.fields[item][quarter] = totals.FieldSum(numbers=n, total=t)
    else:
        table.pairs[item][quarter] = totals.PairSum(reports=n, numerator=t, denominator=d)


# From raw values -------------------------------------------------------------------------------


def _from_values(
    programme: Programme,
    indicator: Indicator,
    spec: PeriodSpec,
    root: Unit,
    periods: list[ReportingPeriod],
    tree: str,
    provisional: bool,
    today: dt.date,
) -> list[BreakdownRow]:
    fields = rollup.fields_of([indicator])
    cells, provisional_reports = rollup._cells(root, periods, fields, tree, provisional, today)
    report_units = dict(
        Report.objects.filter(pk__in={c.report for cs in cells.values() for c in cs}).values_list(
            "id", "unit_id"
        )
    )
    assignments = list(Assignment.objects.select_related("unit", "first_period", "last_period"))
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
    # Along today's tree the expected reports are those whose values belong below each unit
    # today, as `rollup.progress` counts them.
    now = rollup.expected_now_below(list(reporters), periods, today) if tree == AS_NOW else {}
    for unit in reporters.values():
        below = spans.get(unit.pk, {})
        mine = [a for d in below for a in by_unit.get(d, ())]  # not all assignments per unit
        expected = now.get(unit.pk, {}) if tree == AS_NOW else _expected(periods, mine, below)
        result = rollup._indicator_result(
            programme, unit, spec, indicator, own[unit.pk], targets, expected, periods,
            provisional_reports, today,
        )  # fmt: skip
        current = tree == AS_NOW or _assigned(by_unit.get(unit.pk, []), unit, last)
        rows.append(BreakdownRow(unit, result, current))
    return _sorted(rows)


def _assigned(assignments: list[Assignment], unit: Unit, period: ReportingPeriod) -> bool:
    return any(a.unit_id == unit.pk and covers(a, period) for a in assignments)


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
        elif (a.unit_id in below and covers(a, last)) or a.unit_id in reported:
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
    place = rollup.places_today(today) if tree == AS_NOW else {}
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
            if covers(a, period) and _within(below[a.unit_id], period.cutoff):
                counts[(period.year, period.quarter, a.scope == AssignmentScope.PROVINCE)] += 1
    return counts
