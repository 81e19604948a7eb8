"""The expected-report counts kept with the totals (`rollup.expected`) follow every write that
changes them, in its transaction: assignments added, ended or replaced, moves, dissolutions
and calendar changes, in random order after the totals were built. After every write the
stored counts are what a rebuild writes, and the engine (reading them) agrees with the
brute-force reference roll-up of `tests/rollup/reference.py`."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from reports.assignments import assignments_apply_proposal, calendar_get, calendar_save
from reports.hooks import assignment_listeners, assignments_changing
from reports.models import Assignment, AssignmentScope, ReportingPeriod
from rollup.engine import AS_WAS, reads_for
from rollup.expected import EXPECTED, expected_rebuild, follow_assignments
from rollup.models import RollupTotal
from rollup.totals import totals_rebuild
from unions.models import Unit, UnitKind
from unions.services import ReorgError, unit_dissolve, unit_move

from .reference import snapshot
from .test_reference import (
    BOUNDED,
    DATES,
    SPECS,
    TODAY,
    Scenario,
    build_tree,
    compare,
    fill_reports,
    programme03,  # noqa: F401 - the fixture
    rolled_back,
    scenarios,
)

WRITES = ["move", "dissolve", "succeed", "assign", "end", "calendar", "replace"]


def stored_counts() -> dict[tuple[int, int, int], int]:
    rows = RollupTotal.objects.filter(kind=EXPECTED)
    return {
        (a, p, i): n for a, p, i, n in rows.values_list("ancestor", "period", "item", "numbers")
    }


def rebuilt_counts() -> dict[tuple[int, int, int], int]:
    """What a rebuild writes, without keeping it."""
    with transaction.atomic():
        expected_rebuild()
        counts = stored_counts()
        transaction.set_rollback(True)
    return counts


def write(kind: str, day: dt.date, a: int, b: int) -> bool:
    """One write of the kind on the current data; False when the services refuse it."""
    units = list(Unit.objects.order_by("code"))
    cdcs = [u for u in units if u.kind == UnitKind.GRASSROOTS]
    uppers = [u for u in units if u.kind != UnitKind.GRASSROOTS]
    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    try:
        if kind == "move":
            unit_move([cdcs[a % len(cdcs)]], uppers[b % len(uppers)], day)
        elif kind in ("dissolve", "succeed"):
            others = [u for u in units if u.kind != UnitKind.PROVINCE]
            successor = units[b % len(units)] if kind == "succeed" else None
            unit_dissolve(others[a % len(others)], day, successor)
        elif kind == "assign":
            unit, first = units[a % len(units)], periods[b % len(periods)]
            scope = AssignmentScope.PROVINCE if unit.kind == UnitKind.PROVINCE else "self"
            with assignments_changing([unit.pk]):
                Assignment.objects.create(unit=unit, scope=scope, first_period=first)
        elif kind == "end":
            assignments = list(Assignment.objects.order_by("pk"))
            chosen = assignments[a % len(assignments)]
            last = periods[b % len(periods)]
            if (last.year, last.quarter) < (chosen.first_period.year, chosen.first_period.quarter):
                return False
            with assignments_changing([chosen.unit_id]):
                chosen.last_period = last
                chosen.save(update_fields=["last_period"])
        elif kind == "calendar":
            calendar = calendar_get()
            calendar.cutoff_rule = (
                "day14" if calendar.cutoff_rule == "quarter_end" else "quarter_end"
            )
            calendar_save(calendar)
        else:
            assignments_apply_proposal()
    except ReorgError:
        return False
    return True


@BOUNDED
@given(
    scenario=scenarios(),
    writes=st.lists(
        st.tuples(
            st.sampled_from(WRITES),
            st.sampled_from(DATES),
            st.integers(0, 30),
            st.integers(0, 30),
        ),
        min_size=2,
        max_size=6,
    ),
)
def test_random_writes_keep_the_expected_counts_exact(programme03, scenario: Scenario, writes):  # noqa: F811
    with rolled_back():
        units = build_tree(scenario)
        assignments_apply_proposal()
        fill_reports(scenario.seed)
        totals_rebuild()
        rng = random.Random(scenario.seed)
        differences: list[str] = []
        for kind, day, a, b in writes:
            if not write(kind, day, a, b):
                continue
            assert stored_counts() == rebuilt_counts(), f"after {kind}"
            snap = snapshot(programme03)
            for unit in [units[0], *rng.sample(list(Unit.objects.order_by("code")), k=2)]:
                spec = rng.choice(SPECS)
                reads = reads_for(programme03, unit, tree=AS_WAS, provisional=False, today=TODAY)
                if reads.table is None:
                    continue  # totals untrusted (never patched): the counts are not read
                assert reads.table.expected is not None
                differences += [
                    f"after {kind}: {d}"
                    for d in compare(programme03, snap, unit, spec, AS_WAS, False)
                ]
        assert not differences, "\n".join(differences[:20])


def test_the_listener_is_registered_once():
    assert assignment_listeners.count(follow_assignments) == 1


def test_the_overview_reads_the_counts_instead_of_counting(small_tree, programme):
    """With the totals built, an AS_WAS read for the province counts no assignment: no query
    touches the assignments table."""
    assignments_apply_proposal()
    totals_rebuild()
    with CaptureQueriesContext(connection) as queries:
        reads = reads_for(
            programme, small_tree.province, tree=AS_WAS, provisional=False, today=TODAY
        )
    assert reads.table is not None and reads.table.expected
    assert not [q for q in queries if "reports_assignment" in q["sql"]]
    assert sum(reads.expected.values()) > 0


def test_a_refused_assignment_change_leaves_the_counts(small_tree, programme):
    assignments_apply_proposal()
    totals_rebuild()
    before, assignments = stored_counts(), Assignment.objects.count()
    first = ReportingPeriod.objects.order_by("year", "quarter").first()
    assert first is not None
    try:
        with assignments_changing([small_tree.c11.pk]):
            Assignment.objects.create(unit=small_tree.c11, scope="self", first_period=first)
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert stored_counts() == before
    assert Assignment.objects.count() == assignments
