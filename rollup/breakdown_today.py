"""The breakdown by reporting unit along today's tree from the sums kept along it
(`rollup.today_kept`): a reporting unit's figure is its own subtree's sum along today's tree,
as for the tree as it was (`rollup.breakdown_totals`), so the rows are a handful of aggregate
queries whatever the tree's size. The rows are today's reporting units below the root (all
values now belong to them), as `rollup.breakdown_values` chooses them.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from reports.models import Assignment, AssignmentScope
from unions.models import Unit, UnitClosure, active_on_q

from .breakdown_totals import Asked, Read, Sums, correct, rows_among, tables_read
from .expected import expected_read
from .models import TodayTotal
from .provisional import below_kept
from .rows import Pending, UnitRow, shown_units


def _reporters(asked: Asked) -> list[UnitRow]:
    """Units open today below the root with an open-ended assignment of their own."""
    day, root = asked.today, asked.root
    # Whether each assignment's unit is below the root, asked of the closure's index for each
    # of the few thousand assignments: a join made PostgreSQL hash every unit below a
    # national root (94,000), twice the time (130 ms to 70 ms).
    below = UnitClosure.objects.filter(
        active_on_q(day), ancestor=root, depth__gt=0, descendant=OuterRef("unit_id")
    )
    assigned = (
        Assignment.objects.filter(last_period__isnull=True)
        .exclude(Q(scope=AssignmentScope.PROVINCE) | Q(unit=root))
        .annotate(below=Subquery(below.values("id")[:1]))
        .filter(below__isnull=False)
        .values("unit_id")
    )
    return shown_units(Unit.objects.active_on(day).filter(pk__in=assigned))


def from_kept(asked: Asked) -> Read:
    """What the rows of every indicator asked are figured from: the sums kept along today's
    tree (every unit read is a row of every indicator)."""
    periods, day = asked.periods, asked.today
    units = {u.id: u for u in _reporters(asked)}
    below = UnitClosure.objects.filter(active_on_q(day), ancestor=asked.root, depth__gt=0)
    among = rows_among(asked, below)
    read = tables_read(among, periods, asked.indicators, TodayTotal)
    tables: dict[int, Sums] = {u: t for u, t in read.items() if u in units}
    marks = {}
    if asked.provisional:
        marks = correct(tables, set(units), asked, below_kept(None, day), TodayTotal)
    # A page's rows read their reports expected when shown (`complete`).
    pending = Pending(periods, kept=True, today=True) if asked.page else None
    expected = {} if pending else expected_read(list(units), periods, TodayTotal)
    return Read(units, tables, marks, expected, pending)
