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
from collections.abc import Callable, Iterable, Iterator

from django.db import connection
from django.utils import timezone

from reports.models import Report

from . import today_sql
from .models import TodayPlace, TodayTotal, TodayTotalsState
from .today import closed_places, ids_in
from .today_kept import today_lock, today_rebuild, today_state
from .totals import closure_mark, summed_fields, totals_lock
from .totals_follow import Key, Sums, upsert

CHUNK = 2000
UNTRUSTED = -1  # a closure mark no closure has: the sums wait for a rebuild


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _run(selects: list[today_sql.Sql], into: dict[Key, Sums], sign: int) -> None:
    with connection.cursor() as cursor:
        for sql, params in selects:
            cursor.execute(sql, params)
            for ancestor, period, kind, item, *sums in cursor.fetchall():
                row = into.setdefault((ancestor, period, kind, item), [0, 0, 0, 0, 0])
                for i, x in enumerate(sums):
                    row[i] += sign * int(x or 0)


def reports_sums(day: dt.date, where: today_sql.Sql, into: dict[Key, Sums], sign: int) -> None:
    """Adds (sign +1) or takes (−1) the sums of the reports passing `where` (on `r`) along the
    tree of `day` into `into` (three queries)."""
    scope = today_sql.Scope.of(day, where, summed_fields())
    selects = [today_sql.field_rows(scope), today_sql.pair_rows(scope)]
    _run([*selects, today_sql.received_rows(scope)], into, sign)


def units_sums(
    day: dt.date, unit_ids: Iterable[int], into: dict[Key, Sums], sign: int, *, reports: bool
) -> None:
    """The units' expected reports (and in-force reports' sums when `reports`), signed."""
    for chunk in _chunks(unit_ids):
        if reports:
            sql, params = ids_in("r.unit_id", chunk)
            reports_sums(day, (f"r.in_force AND {sql}", params), into, sign)
        _run([today_sql.expected_rows(day, ids_in("a.unit_id", chunk))], into, sign)


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
    """Approval listener: the approved report added, the ones it replaces taken out."""
    state, day = _trusted_today()
    if state is None:
        return
    delta: dict[Key, Sums] = {}
    reports_sums(day, ids_in("r.id", [report.pk]), delta, 1)
    if replaced:
        reports_sums(day, ids_in("r.id", replaced), delta, -1)
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
    units_sums(day, unit_ids, delta, -1, reports=False)

    def follow() -> None:
        units_sums(day, unit_ids, delta, 1, reports=False)
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
    old = dict(TodayPlace.objects.values_list("unit_id", "place_id"))
    units = unit_ids | {unit for unit, place in old.items() if place in unit_ids}
    delta: dict[Key, Sums] = {}
    units_sums(day, units, delta, -1, reports=True)

    def follow() -> None:
        new = closed_places(day)
        changed = {u for u in old.keys() | new.keys() if old.get(u) != new.get(u)}
        if not changed <= units:
            # A place moved outside the units followed: never expected, but never patched.
            TodayTotalsState.objects.filter(pk=state.pk).update(closure_mark=UNTRUSTED)
            return
        TodayPlace.objects.filter(unit_id__in=[u for u in changed if u not in new]).delete()
        TodayPlace.objects.bulk_create(
            [TodayPlace(unit_id=u, place_id=new[u]) for u in changed if u in new],
            update_conflicts=True,
            unique_fields=["unit"],
            update_fields=["place"],
        )
        units_sums(day, units, delta, 1, reports=True)
        _done(state, day, delta)

    return follow


def _rebuild() -> None:
    today_rebuild()
