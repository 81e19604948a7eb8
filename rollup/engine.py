"""Computes every indicator of a programme for a unit's subtree and a period.

The one place that reads reported values for dashboards, the API and the workbook, so that
all three show the same figures. Its figures are sums the database keeps or computes, read
in a fixed handful of queries per call, whatever the number of units:

- approved figures along the tree as it was: the pre-summed totals (`rollup.totals`);
- along today's tree: the same sums, aggregated in the database (`rollup.today_sums`);
- provisional figures: either of them, corrected by the reports awaiting approval
  (`rollup.provisional`);
- raw values (`rollup.cells`) only when the totals cannot be trusted.

The parts: what is asked and answered (`rollup.spec`), raw cells (`rollup.cells`), one
indicator's result (`rollup.results`); the names callers use are all importable from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from reports.models import ReportingPeriod
from targets.models import Indicator, Programme, Target
from unions.models import Unit

from . import totals
from .cells import cells, expected_now_below, places_today, received
from .provisional import below_as_was, below_kept, below_today, corrected, correction
from .results import (
    PLACES,
    Context,
    Marks,
    Source,
    change_shown,
    counts_toward,
    expected_for,
    indicator_result,
    quarter_complete,
    shown_value,
)
from .spec import (
    AS_NOW,
    AS_WAS,
    Coverage,
    IndicatorResult,
    Mode,
    PeriodSpec,
    Progress,
    fields_of,
    periods_for,
    periods_in,
)
from .today import expected_today, followed_below
from .today_kept import today_read
from .today_sums import table_today

__all__ = [
    "AS_NOW",
    "AS_WAS",
    "PLACES",
    "Context",
    "Coverage",
    "IndicatorResult",
    "Mode",
    "PeriodSpec",
    "Progress",
    "Reads",
    "Source",
    "cells",
    "change_shown",
    "counts_toward",
    "coverage_by_quarter",
    "expected_for",
    "expected_now_below",
    "fields_of",
    "indicator_result",
    "periods_for",
    "periods_in",
    "places_today",
    "progress",
    "progress_read",
    "quarter_complete",
    "reads_for",
    "shown_value",
]


def _expected(
    unit: Unit, periods: list[ReportingPeriod], tree: str = AS_WAS, today: dt.date | None = None
) -> dict[tuple[int, int, bool], int]:
    """Expected reports per (year, quarter, province report?) in the unit's subtree, along the
    tree whose received reports are counted: as it was (counted in the database, one
    aggregate query), or as it stands today (the reports of the units whose values belong
    below the unit today), so that completeness never exceeds 100%."""
    if tree == AS_WAS or today is None:
        return totals.expected_counts(unit, periods)
    return expected_today(unit, periods, today)


TERM = PeriodSpec("term")


@dataclass
class Reads:
    """What several `progress` calls for one unit share, read once for the term to date: a
    unit page shows the year, the year before and the term (see `reads_for`)."""

    programme: Programme  # what they were read for
    mode: Mode
    periods: list[ReportingPeriod]
    indicators: list[Indicator]
    targets: list[Target]
    expected: dict[tuple[int, int, bool], int]
    table: totals.Table | None  # the sums the figures come from (None: from raw values)
    marks: Marks = field(default_factory=dict)  # with provisional sums: what awaits approval


def reads_for(
    programme: Programme,
    unit: Unit,
    *,
    tree: str,
    provisional: bool,
    today: dt.date,
    spec: PeriodSpec = TERM,
) -> Reads:
    """What `progress` needs for the quarters of `spec` (by default the term to date)."""
    periods = periods_for(programme, spec, today)
    indicators = _indicators(programme)
    table, marks = _sums(unit, periods, indicators, tree, provisional, today)
    # The totals keep the expected counts along the tree as it was (no count on each request).
    kept = table.expected if table is not None else None
    return Reads(
        programme,
        Mode(today, tree, provisional),
        periods,
        indicators,
        # Explicit orders: the models' default ones join the programme (and the indicator) in
        # only to sort by them, which costs more than the read itself on every page.
        list(Target.objects.filter(indicator__programme=programme).order_by("pk")),
        _expected(unit, periods, tree, today) if kept is None else kept,
        table,
        marks,
    )


def _sums(
    unit: Unit,
    periods: list[ReportingPeriod],
    indicators: list[Indicator],
    tree: str,
    provisional: bool,
    today: dt.date,
) -> tuple[totals.Table | None, Marks]:
    """The sums the figures come from, and what in them awaits approval; (None, {}) when
    only raw values can give them (the totals cannot be trusted)."""
    if not periods:
        return None, {}
    fields = fields_of(indicators)
    if tree == AS_WAS:
        # Approved figures along the tree as it was come pre-summed per ancestor.
        table, place = totals.totals_read(unit, periods, indicators), below_as_was([unit.pk])
    elif (table := today_read(unit, periods, indicators, today)) is not None:
        # Along today's tree: the sums kept along it, when they hold for today.
        place = below_kept(unit.pk, today)
    else:
        # Otherwise the same sums, aggregated in the database (`rollup.today_sums`).
        followed = followed_below(unit, today)
        table = table_today(unit, periods, indicators, fields, today, followed=followed)
        place = below_today(unit.pk, today, followed)
    if table is None or not provisional:
        return table, {}
    found = correction(place, periods, indicators, fields)
    return corrected(table, found.tables[unit.pk]), dict(found.marks[unit.pk])


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


def _source(reads: Reads, unit: Unit, periods: list[ReportingPeriod], mode: Mode) -> Source:
    """The figures of `periods`: the sums read, or raw cells when there are none."""
    if reads.table is not None:
        return Source(table=_restrict(reads.table, periods), marks=reads.marks)
    fields = fields_of(reads.indicators)
    found, awaiting = cells(unit, periods, fields, mode.tree, mode.provisional, mode.today)
    return Source(cells=found, awaiting=awaiting)


def progress(
    programme: Programme,
    unit: Unit,
    spec: PeriodSpec,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date | None = None,
) -> Progress:
    """Every indicator of `programme` for `unit`'s subtree over `spec`."""
    today = today or timezone.localdate()
    reads = reads_for(programme, unit, tree=tree, provisional=provisional, today=today, spec=spec)
    return progress_read(reads, unit, spec)


def progress_read(reads: Reads, unit: Unit, spec: PeriodSpec) -> Progress:
    """`progress` from what `reads_for` read for the same unit, when a caller shows several
    periods of one unit (a handful of queries instead of a dozen)."""
    programme, mode = reads.programme, reads.mode
    periods = periods_in(reads.periods, spec)
    source = _source(reads, unit, periods, mode)
    result = Progress(programme, unit, spec, mode.tree, mode.provisional, periods)
    if periods:
        last = (periods[-1].year, periods[-1].quarter)
        result.expected_reports = reads.expected.get((*last, False), 0)
        result.received_reports = _received(source, reads).get(last, 0)
    ctx = Context(programme, unit, spec, periods, reads.targets, reads.expected, mode.today)
    result.results = [indicator_result(ctx, i, source) for i in reads.indicators]
    return result


def _received(source: Source, reads: Reads) -> dict[tuple[int, int], int]:
    if source.table is not None:
        return source.table.received
    return received(source.cells, fields_of(reads.indicators))


def coverage_by_quarter(
    reads: Reads, unit: Unit, *, tree: str, provisional: bool, today: dt.date
) -> dict[tuple[int, int], Coverage]:
    """Reports received and expected below the unit in each quarter of `reads`, as `progress`
    counts them for its last quarter: which quarters have all their reports in."""
    if reads.table is not None:
        got = reads.table.received
    else:
        fields = fields_of(reads.indicators)
        got = received(cells(unit, reads.periods, fields, tree, provisional, today)[0], fields)
    return {
        (p.year, p.quarter): Coverage(
            got.get((p.year, p.quarter), 0),
            reads.expected.get((p.year, p.quarter, False), 0),
        )
        for p in reads.periods
    }
