"""The closure a reorganisation writes equals the closure computed from scratch from the links.

Reorganisations rebuild only the closure rows of the units they touch, taking the paths of the
units above them from the stored rows. Hypothesis runs random sequences of creations, moves,
dissolutions and merges on a tree four levels deep and compares, after every step, the stored
rows with a brute force: every unit's ancestors on every day, walked up the links one day at a
time. Each example runs in a savepoint that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager, suppress

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REFORM, make_unit
from unions.models import Sector, Unit, UnitClosure, UnitKind, UnitLink
from unions.services import (
    ReorgError,
    UnitData,
    unit_create,
    unit_dissolve,
    unit_merge,
    unit_move,
)

D = dt.date
DAYS = [D(2021, 1, 1), D(2023, 1, 1), REFORM, D(2026, 1, 1), D(2027, 1, 1)]
KINDS = [UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.GRASSROOTS]
Row = tuple[int, int, int, dt.date, dt.date | None]

step = st.tuples(
    st.sampled_from(["create", "move", "move", "move_many", "dissolve", "merge"]),
    st.lists(st.integers(0, 10_000), min_size=4, max_size=4),
    st.sampled_from(DAYS),
)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def brute_force_closure() -> set[Row]:
    """(ancestor, descendant, depth, from, to) from the links, by walking up day by day.

    Between two consecutive dates on which any unit or link begins or ends nothing changes, so
    walking up on the first day of each such stretch and joining the stretches gives the rows.
    """
    lifetimes = dict(
        (pk, (start, end))
        for pk, start, end in Unit.objects.values_list("id", "valid_from", "valid_to")
    )
    links = list(UnitLink.objects.values_list("child_id", "parent_id", "valid_from", "valid_to"))
    edges = sorted(
        {d for start, end in lifetimes.values() for d in (start, end) if d is not None}
        | {d for _c, _p, start, end in links for d in (start, end) if d is not None}
    )
    alive: dict[tuple[int, int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for i, day in enumerate(edges):
        until = edges[i + 1] if i + 1 < len(edges) else None
        parent = {c: p for c, p, s, e in links if s <= day and (e is None or day < e)}
        for unit, (start, end) in lifetimes.items():
            if not (start <= day and (end is None or day < end)):
                continue
            ancestor, depth = unit, 0
            while True:
                _extend(alive[(ancestor, unit, depth)], day, until)
                if ancestor not in parent:
                    break
                ancestor, depth = parent[ancestor], depth + 1
    return {(a, d, depth, s, e) for (a, d, depth), spans in alive.items() for s, e in spans}


def _extend(spans: list[tuple[dt.date, dt.date | None]], day: dt.date, until: dt.date | None):
    if spans and spans[-1][1] == day:
        spans[-1] = (spans[-1][0], until)
    else:
        spans.append((day, until))


def stored_closure() -> set[Row]:
    return set(
        UnitClosure.objects.values_list(
            "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"
        )
    )


def _apply(operation: str, picks: list[int], on: dt.date, number: int) -> None:
    units = list(Unit.objects.order_by("pk"))
    a, b, c, d = (units[p % len(units)] for p in picks)
    if operation == "create":
        kind = KINDS[picks[1] % len(KINDS)]
        unit_create(
            UnitData(
                code=f"H{number}",
                name=f"H{number}",
                kind=kind,
                valid_from=on,
                parent=a,
                sector=Sector.PRIVATE if kind == UnitKind.GRASSROOTS else "",
            )
        )
    elif operation == "move":
        unit_move([a], b, on)
    elif operation == "move_many":
        unit_move([a, c, d], b, on)
    elif operation == "dissolve":
        unit_dissolve(a, on, successor=b if picks[2] % 2 else None)
    else:
        unit_merge([a, c], b, on)


@pytest.fixture
def deep_tree(small_tree):
    """The small tree, with communes and CĐCS below D2 and W1 from 2021."""
    t = small_tree
    for parent in (t.d2, t.ward):
        start = max(parent.valid_from, D(2021, 1, 1))
        commune = make_unit(f"K{parent.code}", UnitKind.COMMUNE, parent, start=start)
        for n in range(2):
            make_unit(f"G{parent.code}{n}", UnitKind.GRASSROOTS, commune, start=start)
    return t


def test_the_brute_force_agrees_on_the_starting_tree(deep_tree):
    assert stored_closure() == brute_force_closure()


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_the_closure_after_any_reorganisations_is_the_one_the_links_give(deep_tree, steps):
    with rolled_back():
        for number, (operation, picks, on) in enumerate(steps):
            with suppress(ReorgError):
                _apply(operation, picks, on, number)
            assert stored_closure() == brute_force_closure(), (number, operation)
