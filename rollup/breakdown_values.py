"""The breakdown by reporting unit from raw values: today's tree, or totals that cannot be
trusted (never built, or the closure or calendar changed since).

The values are read once and split by reporting unit in Python, by the same rules as the
roll-up (`rollup.cells`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from reports.models import Assignment, AssignmentScope, Report, ReportingPeriod
from targets.models import Indicator, Programme, Target
from unions.models import Unit, UnitClosure, active_on_q

from . import arithmetic as ar
from . import engine as rollup
from .rows import BreakdownRow, Span, covers, sorted_rows, within
from .spec import AS_NOW, PeriodSpec

How = tuple[str, bool, dt.date]  # tree, provisional, today


@dataclass
class Read:
    """The values below the root and what places them."""

    root: Unit
    periods: list[ReportingPeriod]
    tree: str
    today: dt.date
    cells: dict[int, list[ar.Cell]]
    report_units: dict[int, int]  # report → its unit
    assignments: list[Assignment] = field(default_factory=list)


def from_values(
    programme: Programme,
    indicator: Indicator,
    spec: PeriodSpec,
    root: Unit,
    periods: list[ReportingPeriod],
    how: How,
) -> list[BreakdownRow]:
    tree, provisional, today = how
    fields = rollup.fields_of([indicator])
    cells, awaiting = rollup.cells(root, periods, fields, tree, provisional, today)
    reports = {c.report for cs in cells.values() for c in cs}
    units = dict(Report.objects.filter(pk__in=reports).values_list("id", "unit_id"))
    read = Read(root, periods, tree, today, cells, units)
    assignments = Assignment.objects.select_related("unit", "first_period", "last_period")
    read.assignments = list(assignments)
    reporters = _reporters(read)
    spans = _closure_spans(reporters)
    own = _own(read, reporters, spans)
    by_unit: dict[int, list[Assignment]] = defaultdict(list)
    for a in read.assignments:
        by_unit[a.unit_id].append(a)
    targets = list(Target.objects.filter(indicator=indicator))
    # Along today's tree the expected reports are those whose values belong below each unit
    # today, as `rollup.progress` counts them.
    now = rollup.expected_now_below(list(reporters), periods, today) if tree == AS_NOW else {}
    rows = []
    for unit in reporters.values():
        below = spans.get(unit.pk, {})
        mine = [a for d in below for a in by_unit.get(d, ())]  # not all assignments per unit
        expected = now.get(unit.pk, {}) if tree == AS_NOW else _expected(periods, mine, below)
        ctx = rollup.Context(programme, unit, spec, periods, targets, expected, today)
        source = rollup.Source(cells=own[unit.pk], awaiting=awaiting)
        result = rollup.indicator_result(ctx, indicator, source)
        current = tree == AS_NOW or _assigned(by_unit.get(unit.pk, []), unit, periods[-1])
        rows.append(BreakdownRow(unit, result, current))
    return sorted_rows(rows)


def _own(
    read: Read, reporters: dict[int, Unit], spans: dict[int, dict[int, list[Span]]]
) -> dict[int, dict[int, list[ar.Cell]]]:
    """Each reporting unit's cells, by field."""
    owners = _owners(read, reporters, spans)
    own: dict[int, dict[int, list[ar.Cell]]] = defaultdict(lambda: defaultdict(list))
    for field_id, field_cells in read.cells.items():
        for cell in field_cells:
            for owner in owners.get(cell.report, ()):
                own[owner][field_id].append(cell)
    return own


def _assigned(assignments: list[Assignment], unit: Unit, period: ReportingPeriod) -> bool:
    return any(a.unit_id == unit.pk and covers(a, period) for a in assignments)


def _reporters(read: Read) -> dict[int, Unit]:
    """Along the tree as it was: who was expected in the latest quarter, and who reported.

    Along today's tree: today's reporting units, since that is where all values now belong.
    """
    last, today, root = read.periods[-1], read.today, read.root
    on = today if read.tree == AS_NOW else last.cutoff
    below = set(
        UnitClosure.objects.filter(active_on_q(on), ancestor=root, depth__gt=0).values_list(
            "descendant_id", flat=True
        )
    )
    reported = {read.report_units.get(c.report) for cs in read.cells.values() for c in cs}
    chosen: dict[int, Unit] = {}
    for a in read.assignments:
        if a.scope == AssignmentScope.PROVINCE or a.unit_id == root.pk:
            continue
        if read.tree == AS_NOW:
            if a.unit_id in below and a.last_period_id is None and a.unit.is_active_on(today):
                chosen[a.unit_id] = a.unit
        elif (a.unit_id in below and covers(a, last)) or a.unit_id in reported:
            chosen[a.unit_id] = a.unit
    return chosen


def _closure_spans(reporters: dict[int, Unit]) -> dict[int, dict[int, list[Span]]]:
    """For each reporting unit: the units ever below it (itself included) and when."""
    spans: dict[int, dict[int, list[Span]]] = defaultdict(lambda: defaultdict(list))
    rows = UnitClosure.objects.filter(ancestor_id__in=list(reporters)).values_list(
        "ancestor_id", "descendant_id", "valid_from", "valid_to"
    )
    for ancestor, descendant, start, end in rows:
        spans[ancestor][descendant].append((start, end))
    return spans


def _owners(
    read: Read, reporters: dict[int, Unit], spans: dict[int, dict[int, list[Span]]]
) -> dict[int, set[int]]:
    """Which reporting units each report counts for, by the same rules as the roll-up."""
    cutoffs = {(p.year, p.quarter): p.cutoff for p in read.periods}
    report_quarter = {c.report: c.quarter for cs in read.cells.values() for c in cs}
    place = rollup.places_today(read.today) if read.tree == AS_NOW else {}
    # Indexed by descendant, so each report looks only at the reporters ever above its unit
    # (thousands of reporters nationally).
    above: dict[int, list[tuple[int, list[Span]]]] = defaultdict(list)
    for r in reporters:
        for descendant, unit_spans in spans[r].items():
            above[descendant].append((r, unit_spans))
    owners: dict[int, set[int]] = {}
    for report, quarter in report_quarter.items():
        unit_id = read.report_units.get(report)
        if read.tree == AS_NOW:
            unit_id, on = place.get(unit_id), read.today  # type: ignore[arg-type]
        else:
            on = cutoffs[quarter]
        candidates = above.get(unit_id, []) if unit_id is not None else []
        owners[report] = {r for r, unit_spans in candidates if within(unit_spans, on)}
    return owners


def _expected(
    periods: list[ReportingPeriod],
    assignments: list[Assignment],
    below: dict[int, list[Span]],
) -> dict[tuple[int, int, bool], int]:
    """As `rollup.engine._expected`, from rows already read."""
    counts: dict[tuple[int, int, bool], int] = defaultdict(int)
    mine = [a for a in assignments if a.unit_id in below]
    for period in periods:
        for a in mine:
            if covers(a, period) and within(below[a.unit_id], period.cutoff):
                counts[(period.year, period.quarter, a.scope == AssignmentScope.PROVINCE)] += 1
    return counts
