"""Kept sums along today's tree: approved figures and expected reports per unit, summed along
the tree as it stands on a day, so pages along today's tree read a few hundred rows instead of
summing every value below the unit on each request (`rollup.today_sums`, still the fallback).

They mean exactly what `today_sums.table_today` and `today.expected_today` compute: a report of
unit X counts for every unit above X's place today (X when open, else where its values follow:
`today.closed_places`, kept in `TodayPlace`), through the closure rows in force that day.

Trusted (`today_state`) when built against the current closure and the quarters' cut-offs,
with every field and pair the indicators read, and when the tree has no change (a unit or
a link beginning or ending) dated between the day they were built for and the day asked: the
tree of both days is then the same. A reorganisation dated in the future thus changes
today's tree only when its day comes: the pages fall back to the raw sums from that day until
the nightly `rebuild_totals` builds them again. Writes keep them exact (`rollup.today_follow`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from reports.models import ReportingPeriod
from targets.models import Indicator
from unions.models import Unit, UnitLink

from . import today_sql
from .models import TodayPlace, TodayTotal, TodayTotalsState
from .today import closed_places
from .totals import (
    Table,
    built_pairs,
    closure_mark,
    holds,
    summed_fields,
    table_add,
    totals_lock,
)


def tree_changed(first: dt.date, second: dt.date) -> bool:
    """Whether a unit or link begins or ends on a day after the earlier of the two and up to
    the later (one query on the dates' indexes; none for the same day). Every closure row
    begins and ends on such a day, so an unchanged tree has the same closure rows in force."""
    if first == second:
        return False
    low, high = min(first, second), max(first, second)
    checks = [
        f"SELECT 1 FROM {table} WHERE {column} > %s AND {column} <= %s"  # noqa: S608
        for table in (Unit._meta.db_table, UnitLink._meta.db_table)
        for column in ("valid_from", "valid_to")
    ]
    sql = "SELECT " + " OR ".join(f"EXISTS ({check})" for check in checks)
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, high] * len(checks))
        row = cursor.fetchone()
    return bool(row and row[0])


def today_state(
    day: dt.date, indicators: Iterable[Indicator] = (), periods: Iterable[ReportingPeriod] = ()
) -> TodayTotalsState | None:
    """The state of the kept sums when they hold for `day`, the indicators and the quarters
    (see the module's docstring); None otherwise. Two or three queries."""
    state = TodayTotalsState.objects.first()
    if state is None or not holds(state, indicators, periods):
        return None
    return None if tree_changed(state.built_on, day) else state


def today_lock() -> list[TodayTotalsState]:
    """Locks the kept sums' state row (taken after `totals.totals_lock` by every writer)."""
    return list(TodayTotalsState.objects.select_for_update().order_by("pk")[:1])


@transaction.atomic
def today_rebuild(day: dt.date | None = None) -> int:
    """Rewrites the kept sums along the tree of `day` (today by default): the places of the
    closed units, then four set-based statements. Returns the rows written."""
    day = day or timezone.localdate()
    totals_lock()  # in the order every writer takes them
    state = next(iter(today_lock()), None)
    TodayTotal.objects.all().delete()
    places_write(closed_places(day))
    fields = summed_fields()
    scope = today_sql.Scope.of(day, None, fields)
    with connection.cursor() as cursor:
        for select in (
            today_sql.field_rows(scope),
            today_sql.pair_rows(scope),
            today_sql.received_rows(scope),
            today_sql.expected_rows(day, ("TRUE", [])),
        ):
            cursor.execute(*today_sql.insert(select))
    state = state or TodayTotalsState(built_on=day)
    state.built_on, state.closure_mark = day, closure_mark()
    state.cutoffs = {str(p.pk): p.cutoff.isoformat() for p in ReportingPeriod.objects.all()}
    state.pairs = [list(p) for p in built_pairs()]
    state.fields = [f.pk for f in fields]
    state.save()
    return TodayTotal.objects.count()


def places_write(places: dict[int, int | None]) -> None:
    TodayPlace.objects.all().delete()
    TodayPlace.objects.bulk_create(
        [TodayPlace(unit_id=unit, place_id=place) for unit, place in places.items()],
        batch_size=2000,
    )


def today_expected_rebuild(periods: list[ReportingPeriod]) -> None:
    """After a calendar change: the expected counts of the quarters whose cut-off moved, along
    the tree of the day the sums hold for (nothing when never built or not trusted today)."""
    states = today_lock()
    day = timezone.localdate()
    if not states or today_state(day) is None or not periods:
        return
    ids = [p.pk for p in periods]
    TodayTotal.objects.filter(kind=today_sql.EXPECTED, period_id__in=ids).delete()
    with connection.cursor() as cursor:
        cursor.execute(*today_sql.insert(today_sql.expected_rows(day, ("TRUE", []), ids)))
    state = states[0]
    state.cutoffs = {**state.cutoffs, **{str(p.pk): p.cutoff.isoformat() for p in periods}}
    state.built_on = day
    state.save(update_fields=["cutoffs", "built_on"])


def today_read(
    unit: Unit, periods: list[ReportingPeriod], indicators: Iterable[Indicator], day: dt.date
) -> Table | None:
    """The unit's kept sums along the tree of `day` for the quarters, with the expected
    counts; None when they do not hold (`today_state`). Two to four queries."""
    if today_state(day, indicators, periods) is None:
        return None
    quarters = {p.pk: (p.year, p.quarter) for p in periods}
    table = Table(expected={})
    rows = TodayTotal.objects.filter(ancestor=unit, period_id__in=list(quarters)).values_list(
        "period_id", "kind", "item", "numbers", "blanks", "not_applicable", "total", "denominator"
    )
    for period_id, kind, item, numbers, blanks, na, total, den in rows:
        table_add(table, quarters[period_id], (kind, item), (numbers, blanks, na, total, den))
    return table
