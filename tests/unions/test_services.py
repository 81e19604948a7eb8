"""The reorganisation services: what they write, what they refuse, and the invariants they keep.

Every test reads the result back through the selectors (which use the closure table), so a
service that forgets to refresh the closure fails here even if its links are right.
"""

import datetime as dt
import random
from collections import defaultdict
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.conftest import REFORM, START, make_unit
from unions.closure import OPEN, compute_spans
from unions.models import Sector, Unit, UnitClosure, UnitKind, UnitLink
from unions.selectors import (
    unit_ancestors,
    unit_children,
    unit_descendants,
    unit_history,
    unit_parent_on,
)
from unions.services import (
    ReorgError,
    UnitData,
    unit_create,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_update,
)

D = dt.date
BEFORE = D(2024, 6, 30)
LATER = D(2026, 1, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def codes(units):
    return sorted(u.code for u in units)


def history(unit):
    return [(row.parent.code, row.valid_from, row.valid_to) for row in unit_history(unit)]


def assert_hierarchy_consistent():
    """No child has two overlapping links; links fit both lifetimes; no cycle; closure is fresh."""
    lifetimes = {
        pk: (start, end or OPEN)
        for pk, start, end in Unit.objects.values_list("id", "valid_from", "valid_to")
    }
    links = [
        (c, p, s, e or OPEN)
        for c, p, s, e in UnitLink.objects.values_list(
            "child_id", "parent_id", "valid_from", "valid_to"
        )
    ]
    by_child = defaultdict(list)
    for child, parent, start, end in links:
        by_child[child].append((start, end, parent))
        assert lifetimes[child][0] <= start and end <= lifetimes[child][1], "link outlives child"
        assert lifetimes[parent][0] <= start and end <= lifetimes[parent][1], "link outlives parent"
    for child, spans in by_child.items():
        spans.sort()
        for (_s1, end1, _p1), (start2, _e2, _p2) in pairwise(spans):
            assert end1 <= start2, f"unit {child} has overlapping parent links: {spans}"
    _assert_no_cycle(links)
    expected = {
        (anc, unit_id, depth, start, None if end == OPEN else end)
        for unit_id, spans in compute_spans(lifetimes, links).items()
        for anc, depth, start, end in spans
    }
    stored = set(
        UnitClosure.objects.values_list(
            "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"
        )
    )
    assert stored == expected, "closure table is stale"


def _assert_no_cycle(links):
    days = {start for _c, _p, start, _e in links}
    for day in days:
        parent_of = {c: p for c, p, s, e in links if s <= day < e}
        for unit in parent_of:
            seen = {unit}
            while unit in parent_of:
                unit = parent_of[unit]
                assert unit not in seen, f"cycle through unit {unit} on {day}"
                seen.add(unit)


def refused(match):
    return pytest.raises(ReorgError, match=match)


def snapshot():
    """Everything the services write, to show a refusal changed nothing."""
    return (
        sorted(Unit.objects.values_list("code", "valid_to", "successor_id")),
        sorted(UnitLink.objects.values_list("child_id", "parent_id", "valid_from", "valid_to")),
        UnitClosure.objects.count(),
    )


# unit_create


def test_create_places_the_unit_under_its_parent_from_its_start(small_tree):
    t = small_tree
    unit = make_unit("C23", UnitKind.GRASSROOTS, t.d2, start=D(2023, 3, 1), sector=Sector.FOREIGN)
    assert unit_parent_on(unit, D(2023, 3, 1)) == t.d2
    assert unit_ancestors(unit, D(2023, 3, 1)) == [t.province, t.d2]
    assert "C23" not in codes(unit_descendants(t.province, D(2023, 2, 28)))
    assert "C23" in codes(unit_descendants(t.province, D(2023, 3, 1)))
    assert_hierarchy_consistent()


def test_create_keeps_the_end_date_on_the_unit_and_its_link(small_tree):
    t = small_tree
    unit = unit_create(
        UnitData(
            code="C24",
            name="Short-lived",
            kind=UnitKind.GRASSROOTS,
            valid_from=START,
            valid_to=D(2022, 1, 1),
            parent=t.d2,
            sector=Sector.PRIVATE,
        )
    )
    assert history(unit) == [("D2", START, D(2022, 1, 1))]
    assert "C24" in codes(unit_children(t.d2, D(2021, 12, 31)))
    assert "C24" not in codes(unit_children(t.d2, D(2022, 1, 1)))
    assert_hierarchy_consistent()


def test_a_province_stands_without_a_parent(db):
    province = make_unit("P", UnitKind.PROVINCE, None)
    assert unit_ancestors(province, START) == []
    assert unit_descendants(province, START, include_self=True) == [province]


def test_create_refuses_a_code_already_used(small_tree):
    with refused("C11 is already used"):
        make_unit("C11", UnitKind.GRASSROOTS, small_tree.d2)


def test_create_refuses_a_used_code_written_with_surrounding_spaces(small_tree):
    # The code is stored stripped, so the check must compare the stripped code too
    # (it used to let " C11 " through to an IntegrityError).
    with refused("C11 is already used"):
        make_unit(" C11 ", UnitKind.GRASSROOTS, small_tree.d2)


@pytest.mark.parametrize("end", [START, D(2019, 12, 31)])
def test_create_refuses_an_end_not_after_the_start(small_tree, end):
    data = UnitData(
        code="X",
        name="X",
        kind=UnitKind.DISTRICT,
        valid_from=START,
        valid_to=end,
        parent=small_tree.province,
    )
    with refused("end date must be after the start date"):
        unit_create(data)


def test_create_refuses_a_grassroots_union_without_a_sector(small_tree):
    data = UnitData(
        code="X", name="X", kind=UnitKind.GRASSROOTS, valid_from=START, parent=small_tree.d2
    )
    with refused("needs a sector"):
        unit_create(data)


def test_create_refuses_a_sector_on_an_upper_level_union(small_tree):
    data = UnitData(
        code="X",
        name="X",
        kind=UnitKind.DISTRICT,
        valid_from=START,
        parent=small_tree.province,
        sector=Sector.PRIVATE,
    )
    with refused("Only grassroots unions have a sector"):
        unit_create(data)


@pytest.mark.parametrize(
    ("code", "name", "kind", "message"),
    [
        ("", "X", UnitKind.DISTRICT, "needs a code"),
        (" ", "X", UnitKind.DISTRICT, "needs a code"),
        ("X", " ", UnitKind.DISTRICT, "needs a name"),
        ("X", "X", "ministry", "Unknown unit kind"),
    ],
)
def test_create_refuses_an_incomplete_unit(small_tree, code, name, kind, message):
    with refused(message):
        unit_create(
            UnitData(code=code, name=name, kind=kind, valid_from=START, parent=small_tree.province)
        )


def test_create_refuses_a_parent_not_yet_founded(small_tree):
    with refused("did not exist on 01/01/2024"):
        make_unit("X", UnitKind.GRASSROOTS, small_tree.ward, start=D(2024, 1, 1))


def test_create_refuses_a_parent_already_dissolved(small_tree):
    with refused("did not exist on 01/01/2026"):
        make_unit("X", UnitKind.GRASSROOTS, small_tree.d1, start=LATER)


def test_create_refuses_a_parent_that_ends_before_the_child(small_tree):
    with refused("ends on 30/06/2025"):
        make_unit("X", UnitKind.GRASSROOTS, small_tree.d1, start=D(2024, 1, 1))


def test_create_accepts_a_child_that_ends_with_its_parent(small_tree):
    unit = unit_create(
        UnitData(
            code="X",
            name="X",
            kind=UnitKind.GRASSROOTS,
            valid_from=D(2024, 1, 1),
            valid_to=REFORM,
            parent=small_tree.d1,
            sector=Sector.PRIVATE,
        )
    )
    assert unit_ancestors(unit, D(2025, 6, 30)) == [small_tree.province, small_tree.d1]
    assert_hierarchy_consistent()


def test_create_refuses_an_upper_unit_without_a_parent(db):
    with refused("Only a provincial federation can stand without a parent"):
        make_unit("D", UnitKind.DISTRICT, None)


def test_create_refuses_an_upper_unit_under_a_grassroots_union(small_tree):
    with refused("can only hold grassroots units"):
        make_unit("X", UnitKind.COMMUNE, small_tree.c21)


def test_a_refused_create_writes_nothing(small_tree):
    before = snapshot()
    with refused("ends on"):
        make_unit("X", UnitKind.GRASSROOTS, small_tree.d1, start=D(2024, 1, 1))
    assert snapshot() == before


# unit_update


def test_update_changes_the_description_only(small_tree):
    c21 = small_tree.c21
    unit_update(c21, name="  New name ", sector=Sector.PRIVATE, budget_paid=True, note="n")
    c21.refresh_from_db()
    assert (c21.name, c21.sector, c21.budget_paid, c21.note) == ("New name", "private", True, "n")
    assert unit_parent_on(c21, LATER) == small_tree.d2


def test_update_clears_a_sector_given_to_an_upper_unit(small_tree):
    unit_update(small_tree.d2, name="D2", sector=Sector.PRIVATE, budget_paid=False)
    small_tree.d2.refresh_from_db()
    assert small_tree.d2.sector == ""


@pytest.mark.parametrize(
    ("name", "sector", "message"),
    [(" ", Sector.PRIVATE, "needs a name"), ("X", "", "needs a sector")],
)
def test_update_refuses_an_incomplete_description(small_tree, name, sector, message):
    with refused(message):
        unit_update(small_tree.c21, name=name, sector=sector, budget_paid=False)


# unit_move


def test_move_keeps_the_history(small_tree):
    t = small_tree
    unit_move([t.c21], t.ward, LATER)
    assert history(t.c21) == [("D2", START, LATER), ("W1", LATER, None)]
    assert unit_parent_on(t.c21, D(2025, 12, 31)) == t.d2
    assert unit_parent_on(t.c21, LATER) == t.ward
    assert codes(unit_descendants(t.d2, D(2025, 12, 31))) == ["C21", "C22"]
    assert codes(unit_descendants(t.d2, LATER)) == ["C22"]
    assert codes(unit_descendants(t.ward, LATER)) == ["C11", "C12", "C21"]
    assert unit_ancestors(t.c21, LATER) == [t.province, t.ward]
    assert_hierarchy_consistent()


def test_move_carries_the_whole_subtree(small_tree):
    t = small_tree
    commune = make_unit("X", UnitKind.COMMUNE, t.d2, start=D(2021, 1, 1))
    cs = make_unit("CX", UnitKind.GRASSROOTS, commune, start=D(2021, 1, 1))
    unit_move([commune], t.ward, LATER)
    assert unit_ancestors(cs, D(2025, 12, 31)) == [t.province, t.d2, commune]
    assert unit_ancestors(cs, LATER) == [t.province, t.ward, commune]
    assert "CX" not in codes(unit_descendants(t.d2, LATER))
    assert "CX" in codes(unit_descendants(t.ward, LATER))
    assert_hierarchy_consistent()


def test_a_move_on_the_day_the_link_began_replaces_it(small_tree):
    t = small_tree
    unit_move([t.c21], t.ward, LATER)
    unit_move([t.c21], t.province, LATER)
    assert history(t.c21) == [("D2", START, LATER), ("P", LATER, None)]
    assert "C21" not in codes(unit_descendants(t.ward, LATER))
    assert_hierarchy_consistent()


def test_a_move_on_the_units_first_day_replaces_its_first_parent(small_tree):
    t = small_tree
    unit = make_unit("X", UnitKind.GRASSROOTS, t.d2, start=LATER)
    unit_move([unit], t.ward, LATER)
    assert history(unit) == [("W1", LATER, None)]
    assert_hierarchy_consistent()


def test_move_of_several_units_moves_each(small_tree):
    t = small_tree
    unit_move([t.c21, t.c22], t.ward, LATER)
    assert codes(unit_children(t.ward, LATER)) == ["C11", "C12", "C21", "C22"]
    assert unit_children(t.d2, LATER) == []
    assert_hierarchy_consistent()


def test_move_refuses_a_unit_under_itself(small_tree):
    with refused("move would make a cycle"):
        unit_move([small_tree.d2], small_tree.d2, LATER)


def test_move_refuses_a_unit_under_its_own_descendant(small_tree):
    t = small_tree
    commune = make_unit("X", UnitKind.COMMUNE, t.d2, start=D(2021, 1, 1))
    grandchild = make_unit("Y", UnitKind.COMMUNE, commune, start=D(2021, 1, 1))
    before = snapshot()
    with refused("move would make a cycle"):
        unit_move([t.d2], grandchild, LATER)
    with refused("move would make a cycle"):
        unit_move([t.d2], commune, LATER)
    assert snapshot() == before
    assert_hierarchy_consistent()


def test_move_refuses_a_unit_under_what_will_be_below_it(small_tree):
    # The commune joins D2 only in 2027; putting D2 under it from 2026 would close a loop in 2027.
    t = small_tree
    commune = make_unit("X", UnitKind.COMMUNE, t.province, start=D(2021, 1, 1))
    unit_move([commune], t.d2, D(2027, 1, 1))
    with refused("move would make a cycle"):
        unit_move([t.d2], commune, LATER)
    assert_hierarchy_consistent()


def test_move_refuses_a_parent_that_was_below_the_unit_at_another_time(small_tree):
    # C22 sat under C21 in 2022-2025; putting C21 under C22 from 2027 never loops on one day,
    # but the closure follows links whatever their dates and used to recurse without end.
    t = small_tree
    unit_move([t.c22], t.c21, D(2022, 1, 1))
    unit_move([t.c22], t.ward, LATER)
    before = snapshot()
    with refused("was below Unit C21 at another time"):
        unit_move([t.c21], t.c22, D(2027, 1, 1))
    assert snapshot() == before
    assert_hierarchy_consistent()


def test_move_refuses_a_parent_not_existing_on_the_date(small_tree):
    t = small_tree
    with refused("W1 did not exist on 30/06/2024"):
        unit_move([t.c21], t.ward, BEFORE)
    with refused("D1 did not exist on 01/01/2026"):
        unit_move([t.c21], t.d1, LATER)


def test_move_refuses_a_parent_ending_before_the_unit(small_tree):
    with refused("ends on 30/06/2025"):
        unit_move([small_tree.c21], small_tree.d1, BEFORE)


def test_move_refuses_a_unit_not_existing_on_the_date(small_tree):
    t = small_tree
    with refused("C21 did not exist on 31/12/2019"):
        unit_move([t.c21], t.province, D(2019, 12, 31))
    with refused("D1 did not exist on 01/01/2026"):
        unit_move([t.d1], t.province, LATER)


def test_move_refuses_a_date_before_a_later_change(small_tree):
    t = small_tree
    before = snapshot()
    with refused("already has a later change of parent"):
        unit_move([t.c11], t.d2, BEFORE)
    assert snapshot() == before


def test_move_refuses_the_parent_it_already_has(small_tree):
    with refused("already under"):
        unit_move([small_tree.c21], small_tree.d2, LATER)


def test_move_refuses_an_empty_selection(small_tree):
    with refused("at least one unit"):
        unit_move([], small_tree.d2, LATER)


def test_moving_several_is_all_or_nothing(small_tree):
    t = small_tree
    before = snapshot()
    with refused("already has a later change of parent"):
        unit_move([t.c21, t.c11], t.province, BEFORE)
    assert snapshot() == before
    assert unit_parent_on(t.c21, LATER) == t.d2
    assert history(t.c21) == [("D2", START, None)]
    assert "C21" in codes(unit_descendants(t.d2, LATER))
    assert_hierarchy_consistent()


# unit_dissolve


def test_dissolve_moves_the_children_to_the_successor(small_tree):
    t = small_tree
    unit_dissolve(t.d2, LATER, successor=t.ward)
    t.refresh()
    assert (t.d2.valid_to, t.d2.successor) == (LATER, t.ward)
    assert history(t.c21) == [("D2", START, LATER), ("W1", LATER, None)]
    assert codes(unit_descendants(t.d2, D(2025, 12, 31))) == ["C21", "C22"]
    assert unit_descendants(t.d2, LATER) == []
    assert codes(unit_children(t.ward, LATER)) == ["C11", "C12", "C21", "C22"]
    assert codes(unit_descendants(t.province, LATER)) == ["C11", "C12", "C21", "C22", "W1"]
    assert history(t.d2) == [("P", START, LATER)]
    assert_hierarchy_consistent()


def test_dissolve_of_a_unit_without_children_needs_no_successor(small_tree):
    t = small_tree
    unit_dissolve(t.c22, LATER)
    t.refresh()
    assert t.c22.valid_to == LATER and t.c22.successor is None
    assert codes(unit_children(t.d2, LATER)) == ["C21"]
    assert_hierarchy_consistent()


def test_dissolve_refuses_a_unit_with_children_and_no_successor(small_tree):
    before = snapshot()
    with refused("2 units are still under Unit D2"):
        unit_dissolve(small_tree.d2, LATER)
    assert snapshot() == before


def test_dissolve_after_the_children_left_needs_no_successor(small_tree):
    t = small_tree
    unit_move([t.c21, t.c22], t.ward, LATER)
    unit_dissolve(t.d2, LATER)
    assert unit_descendants(t.province, LATER, include_self=True)[0] == t.province
    assert "D2" not in codes(unit_descendants(t.province, LATER))
    assert_hierarchy_consistent()


@pytest.mark.parametrize("on", [START, D(2019, 1, 1)])
def test_dissolve_refuses_a_date_not_after_the_start(small_tree, on):
    with refused("only began on 01/01/2020"):
        unit_dissolve(small_tree.c22, on)


@pytest.mark.parametrize("on", [REFORM, LATER])
def test_dissolve_refuses_a_unit_already_dissolved(small_tree, on):
    with refused("already dissolved on 01/07/2025"):
        unit_dissolve(small_tree.d1, on)


def test_dissolve_refuses_a_successor_not_existing_on_the_date(small_tree):
    t = small_tree
    before = snapshot()
    with refused("successor Unit W1 does not exist on 30/06/2024"):
        unit_dissolve(t.d2, BEFORE, successor=t.ward)
    with refused("successor Unit D1 does not exist on 01/01/2026"):
        unit_dissolve(t.d2, LATER, successor=t.d1)
    assert snapshot() == before


@pytest.mark.parametrize("successor", ["d2", "c21"])
def test_dissolve_refuses_a_successor_that_is_the_unit_or_below_it(small_tree, successor):
    before = snapshot()
    with refused("cannot be succeeded by itself or by a unit below it"):
        unit_dissolve(small_tree.d2, LATER, successor=getattr(small_tree, successor))
    assert snapshot() == before


def test_dissolve_refuses_a_successor_that_cannot_hold_the_children(small_tree):
    t = small_tree
    commune = make_unit("X", UnitKind.COMMUNE, t.province)
    make_unit("Y", UnitKind.COMMUNE, commune)
    before = snapshot()
    with refused("can only hold grassroots units"):
        unit_dissolve(commune, LATER, successor=t.c21)
    assert snapshot() == before


def test_dissolve_moves_a_child_that_joined_on_the_same_day(small_tree):
    t = small_tree
    district = make_unit("D3", UnitKind.DISTRICT, t.province)
    unit_move([t.c21], district, LATER)
    unit_dissolve(district, LATER, successor=t.ward)
    assert history(t.c21) == [("D2", START, LATER), ("W1", LATER, None)]
    assert_hierarchy_consistent()


# unit_merge


def test_merge_dissolves_each_unit_into_one(small_tree):
    t = small_tree
    d3 = make_unit("D3", UnitKind.DISTRICT, t.province)
    c31 = make_unit("C31", UnitKind.GRASSROOTS, d3)
    unit_merge([t.d2, d3], t.ward, LATER)
    t.refresh()
    d3.refresh_from_db()
    assert (t.d2.valid_to, t.d2.successor, d3.valid_to, d3.successor) == (
        LATER,
        t.ward,
        LATER,
        t.ward,
    )
    assert codes(unit_children(t.ward, LATER)) == ["C11", "C12", "C21", "C22", "C31"]
    assert unit_ancestors(c31, LATER) == [t.province, t.ward]
    assert unit_ancestors(c31, D(2025, 12, 31)) == [t.province, d3]
    assert codes(unit_children(t.province, LATER)) == ["W1"]
    assert_hierarchy_consistent()


def test_merge_of_a_unit_and_its_own_child(small_tree):
    t = small_tree
    unit_merge([t.d2, t.c21], t.ward, LATER)
    assert codes(unit_children(t.ward, LATER)) == ["C11", "C12", "C22"]
    assert_hierarchy_consistent()


def test_merge_refuses_merging_into_itself(small_tree):
    with refused("cannot be merged into itself"):
        unit_merge([small_tree.c21, small_tree.c22], small_tree.c22, LATER)


def test_merge_refuses_an_empty_selection(small_tree):
    with refused("at least one unit"):
        unit_merge([], small_tree.ward, LATER)


def test_merge_is_all_or_nothing(small_tree):
    t = small_tree
    before = snapshot()
    with refused("already dissolved"):
        unit_merge([t.d2, t.d1], t.ward, LATER)
    assert snapshot() == before
    assert unit_parent_on(t.c21, LATER) == t.d2


# The invariant under any sequence of services


def test_the_small_tree_is_consistent(small_tree):
    assert_hierarchy_consistent()


DAYS = [D(2020, 1, 1), D(2022, 1, 1), D(2024, 1, 1), REFORM, D(2026, 1, 1), D(2027, 1, 1)]
KINDS = [UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.GRASSROOTS]


def _random_step(rng, number):
    units = list(Unit.objects.all())
    pick = rng.choice
    operation = pick(["create", "move", "move", "dissolve", "merge"])
    if operation == "create":
        kind = pick(KINDS)
        sector = Sector.PRIVATE if kind == UnitKind.GRASSROOTS else ""
        start = pick(DAYS)
        end = pick([None, None, *[d for d in DAYS if d > start]])
        unit_create(
            UnitData(
                code=f"R{number}",
                name=f"R{number}",
                kind=kind,
                valid_from=start,
                valid_to=end,
                parent=pick(units),
                sector=sector,
            )
        )
    elif operation == "move":
        unit_move(rng.sample(units, rng.randint(1, 2)), pick(units), pick(DAYS))
    elif operation == "dissolve":
        unit_dissolve(pick(units), pick(DAYS), successor=pick([None, pick(units)]))
    else:
        unit_merge(rng.sample(units, 2), pick(units), pick(DAYS))


@pytest.mark.parametrize("seed", range(20))
def test_no_sequence_of_services_breaks_the_hierarchy(small_tree, seed):
    rng = random.Random(seed)
    done = 0
    for number in range(50):
        before = snapshot()
        try:
            _random_step(rng, number)
        except ReorgError:
            assert snapshot() == before, "a refused change left something behind"
        else:
            done += 1
        assert_hierarchy_consistent()
    assert done >= 3


# Cost: a reorganisation's queries grow with the levels it touches, not with its units


def _queries_to_move(count, parent, to):
    units = [
        make_unit(f"{parent.code}-{n}", UnitKind.GRASSROOTS, parent, start=REFORM)
        for n in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        unit_move(units, to, LATER)
    return len(queries)


def test_moving_many_units_takes_as_many_queries_as_moving_two(small_tree):
    t = small_tree
    two = _queries_to_move(2, t.d2, t.ward)
    many = _queries_to_move(40, t.ward, t.d2)
    assert many == two
    assert_hierarchy_consistent()


def test_dissolving_a_unit_with_many_children_takes_as_many_queries_as_with_two(small_tree):
    t = small_tree
    counts = []
    for code, children in (("K2", 2), ("K40", 40)):
        commune = make_unit(code, UnitKind.COMMUNE, t.province)
        for n in range(children):
            make_unit(f"{code}-{n}", UnitKind.GRASSROOTS, commune)
        with CaptureQueriesContext(connection) as queries:
            unit_dissolve(commune, LATER, successor=t.ward)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert_hierarchy_consistent()
