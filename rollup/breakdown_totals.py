"""The breakdown by reporting unit from the pre-summed totals (`rollup.totals`): a reporting
unit's figure is its own subtree's total, so the rows are a handful of aggregate queries
whatever the tree's size, and many indicators (the workbook's breakdown sheets) share them.
With provisional figures, the units above a report awaiting approval are corrected
(`rollup.provisional`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from lib.sql import ids_q
from reports.models import (
    Assignment,
    AssignmentScope,
    Report,
    ReportingPeriod,
    ReportStatus,
    Value,
)
from targets.models import Indicator, Programme, Target
from unions.models import Unit, UnitClosure

from . import arithmetic as ar
from . import engine as rollup
from . import totals
from .expected import expected_read
from .models import RollupTotal, TodayTotal
from .provisional import Place, below_as_was, corrected, correction
from .reduced import Reduced, as_table
from .results import Marks, shown_value
from .rows import BreakdownRow, Light, Pending, UnitRow, reporting_below, shown_units
from .spec import IndicatorResult, PeriodSpec

Sums = totals.Table | Reduced  # a unit's sums: reduced as read, or corrected quarter by quarter


@dataclass(frozen=True)
class Asked:
    """One breakdown's question: which indicators, for which period below which unit."""

    programme: Programme
    indicators: list[Indicator]
    spec: PeriodSpec
    root: Unit
    periods: list[ReportingPeriod]
    today: dt.date
    provisional: bool = False
    page: bool = False  # only a page of the rows is shown (see `complete`)


RowsOf = Callable[[Indicator], set[int]]


def from_totals(asked: Asked, *, kept: bool = True) -> tuple[Read, RowsOf]:
    """What every indicator's rows are figured from, and which units are each one's rows
    (`kept`: the totals keep the expected counts). With `asked.page`, the rows' reports
    expected are left to `complete` (for the rows shown)."""
    periods, indicators = asked.periods, asked.indicators
    current = {u.id: u for u in shown_units(reporting_below(asked.root, periods[-1]))}
    reported = _reported_apart(asked, list(current))
    closed_ids = {u for units in reported.values() for u in units} - set(current)
    units = dict(current)
    units.update((u.id, u) for u in shown_units(Unit.objects.filter(pk__in=list(closed_ids))))
    among = rows_among(asked, UnitClosure.objects.filter(ancestor=asked.root))
    tables: dict[int, Sums] = {
        u: t for u, t in tables_read(among, periods, indicators).items() if u in units
    }
    marks = correct(tables, set(units), asked) if asked.provisional else {}
    pending = Pending(periods, kept) if asked.page else None
    expected = {} if pending else _expected(list(units), periods, kept)
    now = set(current)

    def rows_of(indicator: Indicator) -> set[int]:
        """The units expected now, and those that reported the indicator's fields apart."""
        return (
            now
            | reported[indicator.numerator_id]
            | reported.get(indicator.denominator_id or 0, set())
        )

    return Read(units, tables, marks, expected, pending, now), rows_of


def rows_among(asked: Asked, below: QuerySet[UnitClosure]) -> Q:
    """The sums to read, the rows' picked out after (the rows' own ids are thousands of
    parameters): those of every unit `below` the root (a hash join); below the programme's
    issuer, the root of the whole tree, those of the units with an assignment instead, of
    which every row is one (only a unit that reports is a row), a hash of a few thousand ids
    rather than a join with the closure below the root (124,000 units nationally)."""
    if asked.root.pk == asked.programme.issuer_id:
        return Q(ancestor_id__in=Assignment.objects.values("unit_id"))
    return Q(ancestor_id__in=below.values("descendant"))


@dataclass
class Read:
    """What the rows are figured from: the units, their sums and what in them awaits
    approval, their reports expected (or what completing them later needs). `current`: the
    units expected to report now (None: all of them)."""

    units: dict[int, UnitRow]
    tables: dict[int, Sums]
    marks: dict[int, Marks]
    expected: dict[int, dict[tuple[int, int, bool], int]]
    pending: Pending | None = None
    current: set[int] | None = None

    def expected_now(self, unit_id: int) -> bool:
        return self.current is None or unit_id in self.current


def figured(
    asked: Asked,
    read: Read,
    targets: list[Target] | None,
    rows_of: Callable[[Indicator], set[int]] | None = None,
) -> Iterator[tuple[Indicator, list[BreakdownRow]]]:
    """Each indicator's row for every unit read (or those `rows_of` gives for it), each as
    `progress()` figures it."""
    by_indicator = targets_by_indicator(asked, targets)
    for indicator in asked.indicators:
        wanted = rows_of(indicator) if rows_of is not None else None
        figuring = Figuring(asked, indicator, by_indicator[indicator.pk], read)
        yield (
            indicator,
            [
                figuring.row(unit, read.tables.get(unit_id))
                for unit_id, unit in read.units.items()
                if wanted is None or unit_id in wanted
            ],
        )


def targets_by_indicator(asked: Asked, targets: list[Target] | None) -> dict[int, list[Target]]:
    by_indicator: dict[int, list[Target]] = defaultdict(list)
    for t in Target.objects.filter(indicator__in=asked.indicators) if targets is None else targets:
        by_indicator[t.indicator_id].append(t)
    return by_indicator


@dataclass(frozen=True)
class Figuring:
    """One indicator's rows, each whole; or, when only a page of the rows is shown
    (`rollup.breakdown_laid`), the function a row calls for its result (target, status) when
    something asks for it: the rows shown, a sort by status, the filter by status."""

    asked: Asked
    indicator: Indicator
    targets: list[Target]
    read: Read

    def row(self, unit: UnitRow, sums: Sums | None) -> BreakdownRow:
        return BreakdownRow(unit, self.result(sums, unit.unit()), self.read.expected_now(unit.id))

    def __call__(self, unit: Unit) -> IndicatorResult:
        return self.result(self.read.tables.get(unit.pk), unit)

    def result(self, sums: Sums | None, unit: Unit) -> IndicatorResult:
        asked, read = self.asked, self.read
        ctx = rollup.Context(
            asked.programme, unit, asked.spec, asked.periods, self.targets,
            read.expected.get(unit.pk, {}), asked.today,
        )  # fmt: skip
        source = rollup.Source(as_table(sums), read.marks.get(unit.pk, {}))
        return rollup.indicator_result(ctx, self.indicator, source)


def numbers_of(indicator: Indicator, sums: Sums | None) -> Light:
    """A row's numbers, as its result would give them (`results.figures_of` from sums)."""
    figures = (sums or Reduced()).figures(indicator)
    shown = shown_value(figures.value, indicator.display)
    return Light(figures.numerator, figures.denominator, figures.quarter, shown, figures.reports)


def _expected(
    unit_ids: list[int], periods: list[ReportingPeriod], kept: bool, today: bool = False
) -> dict[int, dict[tuple[int, int, bool], int]]:
    if today:  # kept with the sums along today's tree
        return expected_read(unit_ids, periods, TodayTotal)
    # Kept with the totals: one indexed read instead of counting every assignment below.
    count = expected_read if kept else totals.expected_counts_below
    return count(unit_ids, periods)


def complete(rows: Sequence[BreakdownRow]) -> None:
    """Reads the reports expected behind the rows left pending (one query per period asked)."""
    waiting: dict[Pending, list[BreakdownRow]] = defaultdict(list)
    for row in rows:
        if row.pending is not None:
            waiting[row.pending].append(row)
    for pending, chosen in waiting.items():
        ids = [r.unit.pk for r in chosen]
        expected = _expected(ids, pending.periods, pending.kept, pending.today)
        for row in chosen:
            result = row.result
            count = rollup.expected_for(
                result.indicator, result.quarter, pending.periods, expected.get(row.unit.pk, {})
            )
            result.coverage = rollup.Coverage(result.coverage.reported, count)
            row.pending = None


def _reported_apart(asked: Asked, current: list[int]) -> dict[int, set[int]]:
    """Units no longer expected that reported themselves in the period (below the root
    then), field by field; the units expected now are rows anyway."""
    root = asked.root
    assignments = Assignment.objects.exclude(
        Q(scope=AssignmentScope.PROVINCE) | Q(unit=root) | ids_q("unit_id", current)
    )
    under_root = UnitClosure.objects.filter(
        ancestor=root,
        descendant=OuterRef("unit_id"),
        valid_from__lte=OuterRef("period__cutoff"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("period__cutoff")))
    counting = Q(in_force=True)
    if asked.provisional:
        counting |= Q(is_latest=True, status=ReportStatus.SUBMITTED)
    own_reports = Report.objects.filter(
        counting,
        Exists(under_root),
        period__in=asked.periods,
        unit_id__in=assignments.values("unit_id"),
    )
    own = (
        Value.objects.filter(report__in=own_reports, field__in=rollup.fields_of(asked.indicators))
        .values_list("report__unit_id", "field_id")
        .distinct()
    )
    reported: dict[int, set[int]] = defaultdict(set)
    for unit_id, field_id in own:
        reported[field_id].add(unit_id)
    return reported


def correct(
    tables: dict[int, Sums],
    units: set[int],
    asked: Asked,
    place: Place | None = None,
    model: type[RollupTotal | TodayTotal] = RollupTotal,
) -> dict[int, Marks]:
    """Provisional figures: the units above a report awaiting approval get their totals
    quarter by quarter (the reduced ones cannot be corrected: the latest quarter with a
    number may change), corrected (`rollup.provisional`)."""
    fields = rollup.fields_of(asked.indicators)
    # Every unit above a report awaiting approval (a few per report), the rows' kept.
    place = below_as_was(None) if place is None else place
    found = correction(place, asked.periods, asked.indicators, fields)
    touched = [u for u in found.tables if u in units]
    full = _by_quarter(touched, asked.periods, model)
    for unit_id in touched:
        tables[unit_id] = corrected(full.get(unit_id) or totals.Table(), found.tables[unit_id])
    return {u: dict(m) for u, m in found.marks.items() if u in units}


def _by_quarter(
    unit_ids: list[int], periods: list[ReportingPeriod], model: type[RollupTotal | TodayTotal]
) -> dict[int, totals.Table]:
    """The units' totals quarter by quarter (one query per 2,000 units)."""
    quarters = {p.pk: (p.year, p.quarter) for p in periods}
    tables: dict[int, totals.Table] = defaultdict(totals.Table)
    for start in range(0, len(unit_ids), 2000):
        rows = model.objects.filter(
            ancestor_id__in=unit_ids[start : start + 2000],
            period_id__in=list(quarters),
            kind__in=[totals.FIELD, totals.PAIR, totals.RECEIVED],
        ).values_list(
            "ancestor_id", "period_id", "kind", "item", "numbers", "blanks", "not_applicable",
            "total", "denominator",
        )  # fmt: skip
        for ancestor, period_id, kind, item, n, blanks, na, t, d in rows:
            table = tables[ancestor]
            if kind == totals.FIELD:
                table.fields[item][quarters[period_id]] = totals.FieldSum(n, blanks, na, t)
            elif kind == totals.PAIR:
                table.pairs[item][quarters[period_id]] = totals.PairSum(n, t, d)
            else:
                table.received[quarters[period_id]] = n
    return tables


def tables_read(
    among: Q,
    periods: list[ReportingPeriod],
    indicators: Sequence[Indicator],
    model: type[RollupTotal | TodayTotal] = RollupTotal,
) -> dict[int, Reduced]:
    """Each unit's totals, already reduced to what `Table.figures` takes: for a flow the sum
    over the quarters, for a stock or year-to-date count the latest quarter with a number.
    Two queries, a row per unit and item instead of one per quarter as well."""
    flows, stocks = _wanted(indicators)
    base = model.objects.filter(among, period__in=periods, numbers__gt=0)
    tables: dict[int, Reduced] = defaultdict(Reduced)
    summed = (
        base.filter(flows)
        .values("ancestor_id", "kind", "item")
        .annotate(n=Sum("numbers"), t=Sum("total"), d=Sum("denominator"))
        .values_list("ancestor_id", "kind", "item", "n", "t", "d")
    )
    any_quarter = (0, 0)  # a flow's figures do not depend on which quarter they sit in
    for ancestor, kind, item, n, t, d in summed:
        tables[ancestor].append((kind, item, any_quarter, n, t, d))
    rank = Window(
        RowNumber(),
        partition_by=[F("ancestor_id"), F("kind"), F("item")],
        order_by=[F("period__year").desc(), F("period__quarter").desc()],
    )
    latest = (
        base.filter(stocks)
        .annotate(rank=rank)
        .filter(rank=1)
        .values_list(
            "ancestor_id", "kind", "item", "period__year", "period__quarter", "numbers",
            "total", "denominator",
        )
    )  # fmt: skip
    quarters: dict[ar.Quarter, ar.Quarter] = {}  # one tuple for each quarter, not each row
    for ancestor, kind, item, year, quarter, n, t, d in latest:
        at = quarters.setdefault((year, quarter), (year, quarter))
        tables[ancestor].append((kind, item, at, n, t, d))
    return tables


def _wanted(indicators: Sequence[Indicator]) -> tuple[Q, Q]:
    """The totals' rows the indicators read: the flows', the stocks' and counts'."""
    flows = Q(pk__in=[])
    stocks = Q(pk__in=[])
    for indicator in indicators:
        if indicator.denominator_id is None:
            wanted = Q(kind=totals.FIELD, item=indicator.numerator_id)
        else:
            wanted = Q(kind=totals.PAIR, item=indicator.pk)
        if indicator.numerator.time_kind == "flow":
            flows |= wanted
        else:
            stocks |= wanted
    return flows, stocks
