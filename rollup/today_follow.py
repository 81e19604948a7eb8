"""Keeping the sums along today's tree (`rollup.today_kept`) exact in the transaction of every
write that changes them, or marking them untrusted (the pages then sum raw values until
`rebuild_totals`):

- an approval or reopening adds its report and takes out the ones it replaces, along today's
  ancestors of the report unit's place (`today_apply`);
- a reorganisation takes away what the affected units' reports and assignments added along
  the tree before it and adds what they add along the tree after it (`today_follow_closure`):
  the units whose closure rows are rewritten and the closed units placed on them (a
  dissolution changes the place of the dissolved unit and of the units placed on it);
- an assignment change does the same for the units' expected reports
  (`today_follow_assignments`).

Each sums the units' rows in SQL (`rollup.today_sql`) before and after, and adds the
difference to the stored rows in one upsert. Each takes the totals' lock, then the kept sums'
(`today_kept.today_lock`), in that order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from lib.sql import chunks
from reports.models import Report
from unions.models import UnitClosure, active_on_q

from . import today_sql
from .models import TodayPlace, TodayTotal, TodayTotalsState
from .today import ids_in, places_among
from .today_kept import today_lock, today_rebuild, today_state
from .totals import closure_mark, totals_lock
from .totals_follow import Key, Own, Place, Sums, reports_own, upsert

UNTRUSTED = -1  # a closure mark no closure has: the sums wait for a rebuild


def _run(selects: list[today_sql.Sql], into: dict[Key, Sums], sign: int) -> None:
    with connection.cursor() as cursor:
        for sql, params in selects:
            cursor.execute(sql, params)
            for ancestor, period, kind, item, *sums in cursor.fetchall():
                row = into.setdefault((ancestor, period, kind, item), [0, 0, 0, 0, 0])
                for i, x in enumerate(sums):
                    row[i] += sign * int(x or 0)


def expected_sums(day: dt.date, unit_ids: Iterable[int], into: dict[Key, Sums], sign: int) -> None:
    """Adds (sign +1) or takes (−1) the units' expected reports along the tree of `day`."""
    for chunk in chunks(unit_ids):
        _run([today_sql.expected_rows(day, ids_in("a.unit_id", chunk))], into, sign)


def above_on(day: dt.date, places: Iterable[int | None]) -> dict[int, list[int]]:
    """The units above (and including) each place on `day` (one query per 2,000 places)."""
    above: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(p for p in places if p is not None):
        rows = UnitClosure.objects.filter(active_on_q(day), descendant_id__in=chunk)
        for descendant, ancestor in rows.values_list("descendant_id", "ancestor_id"):
            above[descendant].append(ancestor)
    return above


@dataclass(frozen=True)
class Tree:
    """Today's tree as the sums follow it: each closed unit's place (`places`, a unit absent
    is its own place; None: nowhere) and the units above each place."""

    places: dict[int, int | None]
    above: dict[int, list[int]]

    def add(self, own: dict[Place, Own], into: dict[Key, Sums], sign: int) -> None:
        """The reports' sums (`totals_follow.reports_own`) added along this tree, signed."""
        for (unit, period, _cutoff), items in own.items():
            place = self.places.get(unit, unit)
            for ancestor in self.above.get(place, ()) if place is not None else ():
                for (kind, item), sums in items.items():
                    row = into.setdefault((ancestor, period, kind, item), [0, 0, 0, 0, 0])
                    for i, x in enumerate(sums):
                        row[i] += sign * x


def tree_of(day: dt.date, units: Iterable[int], places: dict[int, int | None]) -> Tree:
    """The tree the units' reports follow: their places and the units above those."""
    return Tree(places, above_on(day, {places.get(u, u) for u in units}))


def _trusted_today() -> tuple[TodayTotalsState | None, dt.date]:
    """Locks the totals, then the kept sums; the state when they hold today. Kept sums that
    do not are marked untrusted: a write they miss must never be read on another day."""
    totals_lock()
    states, day = today_lock(), timezone.localdate()
    if not states:
        return None, day
    state = today_state(day)
    if state is None:
        TodayTotalsState.objects.filter(pk=states[0].pk).update(closure_mark=UNTRUSTED)
    return state, day


def _done(state: TodayTotalsState, day: dt.date, delta: dict[Key, Sums]) -> None:
    """Writes the difference; the sums now hold for `day` (and the current closure)."""
    upsert(delta, TodayTotal)
    TodayTotalsState.objects.filter(pk=state.pk).update(built_on=day, closure_mark=closure_mark())


def today_apply(report: Report, *, replaced: list[int]) -> None:
    """Approval listener: the approved report added, the ones it replaces taken out, along
    today's ancestors of the report unit's place (a few queries)."""
    state, day = _trusted_today()
    if state is None:
        return
    places: dict[int, int | None] = dict(
        TodayPlace.objects.filter(unit_id=report.unit_id).values_list("unit_id", "place_id")
    )
    tree = tree_of(day, [report.unit_id], places)
    delta: dict[Key, Sums] = {}
    tree.add(reports_own([report.pk]), delta, 1)
    if replaced:
        tree.add(reports_own(replaced), delta, -1)
    _done(state, day, delta)


def today_follow_assignments(unit_ids: frozenset[int] | None) -> Callable[[], None] | None:
    """Assignment listener: the units' expected reports taken away before the change and
    added after it (every count rewritten when every assignment changes)."""
    state, day = _trusted_today()
    if state is None:
        return None
    if unit_ids is None:

        def rewrite() -> None:
            TodayTotal.objects.filter(kind=today_sql.EXPECTED).delete()
            with connection.cursor() as cursor:
                cursor.execute(*today_sql.insert(today_sql.expected_rows(day, ("TRUE", []))))

        return rewrite
    delta: dict[Key, Sums] = {}
    expected_sums(day, unit_ids, delta, -1)

    def follow() -> None:
        expected_sums(day, unit_ids, delta, 1)
        _done(state, day, delta)

    return follow


def today_follow_closure(unit_ids: frozenset[int] | None) -> Callable[[], None] | None:
    """Closure listener, called before the closure rows of `unit_ids` are replaced (a full
    closure rebuild, `unit_ids` None, rebuilds the kept sums)."""
    if not TodayTotalsState.objects.exists():
        return None
    if unit_ids is None:
        return _rebuild
    state, day = _trusted_today()
    if state is None:
        return None
    old: dict[int, int | None] = dict(TodayPlace.objects.values_list("unit_id", "place_id"))
    units = unit_ids | {unit for unit, place in old.items() if place in unit_ids}
    before = tree_of(day, units, old)  # the closure rows of the units, before they go
    delta: dict[Key, Sums] = {}
    expected_sums(day, units, delta, -1)

    def follow() -> None:
        new = {u: p for u, p in old.items() if u not in units} | places_among(day, units, old)
        changed = {u for u in units if old.get(u, u) != new.get(u, u)}
        _places_update(changed, new)
        own = reports_own(_in_force(units))
        before.add(own, delta, -1)
        tree_of(day, units, new).add(own, delta, 1)
        expected_sums(day, units, delta, 1)
        _done(state, day, delta)

    return follow


def _in_force(unit_ids: Iterable[int]) -> list[int]:
    found: list[int] = []
    for chunk in chunks(unit_ids):
        found += Report.objects.filter(in_force=True, unit_id__in=chunk).values_list(
            "pk", flat=True
        )
    return found


def _places_update(changed: set[int], new: dict[int, int | None]) -> None:
    TodayPlace.objects.filter(unit_id__in=[u for u in changed if u not in new]).delete()
    TodayPlace.objects.bulk_create(
        [TodayPlace(unit_id=u, place_id=new[u]) for u in changed if u in new],
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=["place"],
    )


def _rebuild() -> None:
    today_rebuild()
