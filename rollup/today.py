"""Today's tree in the database: which units' values and reports belong below a unit today.

Each unit is placed where it stands today; a dissolved or merged unit follows its successor,
and one closed without a successor follows the parent it last had (`engine.places_today`).
A unit open today is in its own place, so "below `unit` today" is a closure row in force
today; only the units closed by today need their place worked out, and they are read alone
(not every unit and link of a national tree on every request). The result is a condition
the database applies to the values or assignments it reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from lib.sql import chunks, ids_q
from reports.models import Assignment, AssignmentScope, ReportingPeriod
from unions.closure import closure_version
from unions.models import Unit, UnitClosure, UnitLink, active_on_q

PLACES_SECONDS = 3600


def closed_places(today: dt.date) -> dict[int, int | None]:
    """Where the values of each unit closed by `today` belong today (None: nowhere). Two
    queries, over the closed units only."""
    closed: dict[int, tuple[int | None, dt.date | None]] = {
        pk: (successor, end)
        for pk, successor, end in Unit.objects.filter(valid_to__lte=today).values_list(
            "id", "successor_id", "valid_to"
        )
    }
    last_parent = dict(
        UnitLink.objects.filter(child__valid_to__lte=today, valid_to=F("child__valid_to"))
        .values_list("child_id", "parent_id")
        .order_by("child_id", "valid_from")
    )
    return _followed(closed, last_parent)


def places_among(
    today: dt.date, unit_ids: Iterable[int], known: dict[int, int | None]
) -> dict[int, int | None]:
    """`closed_places` of the units among `unit_ids` closed by `today`, the others' places
    taken from `known` (a reorganisation's units: no other unit's place changes). Two
    queries per 2,000 units."""
    closed: dict[int, tuple[int | None, dt.date | None]] = {}
    last_parent: dict[int, int] = {}
    for chunk in chunks(unit_ids):
        rows = Unit.objects.filter(valid_to__lte=today, pk__in=chunk)
        closed.update(
            (pk, (s, e)) for pk, s, e in rows.values_list("id", "successor_id", "valid_to")
        )
        links = UnitLink.objects.filter(
            child_id__in=chunk, child__valid_to__lte=today, valid_to=F("child__valid_to")
        )
        last_parent.update(
            links.values_list("child_id", "parent_id").order_by("child_id", "valid_from")
        )
    places = _followed(closed, last_parent)
    # A walk that ends on a unit closed outside `unit_ids` goes on where that unit's goes.
    return {pk: known.get(p, p) if p is not None else None for pk, p in places.items()}


def _followed(
    closed: dict[int, tuple[int | None, dt.date | None]], last_parent: dict[int, int]
) -> dict[int, int | None]:
    """Each closed unit's place: along successors (else the last parent) to an open unit."""
    places: dict[int, int | None] = {}
    for pk in closed:
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current in closed and current not in seen:
            seen.add(current)
            successor, _end = closed[current]
            current = successor if successor is not None else last_parent.get(current)
        places[pk] = None if current in seen else current
    return places


def places_cached(day: dt.date) -> dict[int, int | None]:
    """`today.closed_places` from the shared cache, keyed by the closure's version and the day
    (every reorganisation changes the version)."""
    key = f"rollup:today-places:{closure_version()}:{day.isoformat()}"
    places: dict[int, int | None] | None = cache.get(key)
    if places is None:
        places = closed_places(day)
        cache.set(key, places, PLACES_SECONDS)
    return places


def ids_in(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` among `ids`, as SQL and its parameters: on PostgreSQL one array parameter
    (tens of thousands of ids nationally, each a parameter to bind otherwise)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids)) or 'NULL'})", list(ids)


def below_today_q(unit: Unit, today: dt.date, path: str) -> Q:
    """Rows whose unit (reached through `path`, e.g. "report__unit") belongs below `unit`
    along today's tree (`unit` itself included)."""
    open_below = UnitClosure.objects.filter(
        active_on_q(today), ancestor=unit, descendant=OuterRef(path)
    )
    return Q(Exists(open_below)) | ids_q(path, followed_below(unit, today))


def followed_below(unit: Unit, today: dt.date) -> list[int]:
    """The units closed by today whose values belong below `unit` today."""
    places = places_cached(today)
    under: set[int] = set()
    wanted = {p for p in places.values() if p is not None}
    for chunk in chunks(wanted):
        under.update(
            UnitClosure.objects.filter(
                active_on_q(today), ancestor=unit, descendant_id__in=chunk
            ).values_list("descendant_id", flat=True)
        )
    return [pk for pk, place in places.items() if place in under]


def expected_today(
    unit: Unit, periods: list[ReportingPeriod], today: dt.date
) -> dict[tuple[int, int, bool], int]:
    """Expected reports per (year, quarter, province report?) of the units whose values belong
    below `unit` today, in each quarter their assignment covers while their unit existed."""
    counts: dict[tuple[int, int, bool], int] = defaultdict(int)
    rows = Assignment.objects.filter(below_today_q(unit, today, "unit")).values_list(
        "scope",
        "first_period__year",
        "first_period__quarter",
        "last_period__year",
        "last_period__quarter",
        "unit__valid_from",
        "unit__valid_to",
    )
    for scope, first_y, first_q, last_y, last_q, start, end in rows:
        for p in periods:
            key = (p.year, p.quarter)
            after_end = last_y is not None and key > (last_y, last_q)
            alive = start <= p.cutoff and (end is None or p.cutoff < end)
            if key >= (first_y, first_q) and not after_end and alive:
                counts[(p.year, p.quarter, scope == AssignmentScope.PROVINCE)] += 1
    return counts
