"""The sums kept along today's tree (`rollup.today_kept`) follow every write in its transaction:
approvals, reopenings, moves, dissolutions, successions, assignment and calendar changes, in
random order after they were built. After every write the stored rows are what a rebuild
writes, and the engine (reading them) agrees with the brute-force reference roll-up along
today's tree, approved and provisional. A tree change dated after the day they were built
for makes the pages fall back to summing raw values, with the same figures."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reports.assignments import assignments_apply_proposal
from reports.hooks import approval_listeners
from reports.models import Report, ReportStatus
from reports.refusals import WorkflowError
from reports.services import report_approve, report_reopen
from rollup.engine import AS_NOW, reads_for
from rollup.models import TodayTotal, TodayTotalsState
from rollup.today_follow import today_apply
from rollup.today_kept import today_rebuild, today_state
from rollup.totals import totals_rebuild
from unions.models import Unit, UnitKind
from unions.services import unit_move

from .reference import snapshot
from .test_expected_follow import WRITES, write
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

Row = tuple[int, int, str, int]


def kept_rows() -> dict[Row, tuple[int, ...]]:
    rows = TodayTotal.objects.values_list(
        "ancestor",
        "period",
        "kind",
        "item",
        "numbers",
        "blanks",
        "not_applicable",
        "total",
        "denominator",
    )
    return {(a, p, k, i): tuple(sums) for a, p, k, i, *sums in rows if any(sums)}


def rebuilt_rows() -> dict[Row, tuple[int, ...]]:
    """What a rebuild writes, without keeping it."""
    with transaction.atomic():
        today_rebuild()
        rows = kept_rows()
        transaction.set_rollback(True)
    return rows


def report_write(kind: str, a: int) -> bool:
    """An approval of a report awaiting it, or a reopening of one in force; False when the
    workflow refuses it (a sharp change the reporter did not confirm)."""
    try:
        with transaction.atomic():
            return _report_write(kind, a)
    except WorkflowError:
        return False


def _report_write(kind: str, a: int) -> bool:
    if kind == "approve":
        waiting = list(Report.objects.filter(status=ReportStatus.SUBMITTED).order_by("pk"))
        if not waiting:
            return False
        report_approve(waiting[a % len(waiting)], actor=None)
        return True
    in_force = list(
        Report.objects.filter(in_force=True, is_latest=True, status=ReportStatus.APPROVED).order_by(
            "pk"
        )
    )
    if not in_force:
        return False
    report_reopen(in_force[a % len(in_force)], reason="a test", actor=None)
    return True


def engine_differences(programme, units: list[Unit], rng: random.Random, kind: str) -> list[str]:
    snap = snapshot(programme)
    differences = []
    for unit in units:
        spec = rng.choice(SPECS)
        for provisional in (False, True):
            differences += [
                f"after {kind}: {d}"
                for d in compare(programme, snap, unit, spec, AS_NOW, provisional)
            ]
    return differences


@BOUNDED
@given(
    scenario=scenarios(),
    writes=st.lists(
        st.tuples(
            st.sampled_from([*WRITES, "approve", "approve", "reopen"]),
            st.sampled_from(DATES),
            st.integers(0, 30),
            st.integers(0, 30),
        ),
        min_size=2,
        max_size=6,
    ),
)
def test_random_writes_keep_the_sums_along_todays_tree_exact(
    programme03,  # noqa: F811
    scenario: Scenario,
    writes,
):
    with rolled_back():
        units = build_tree(scenario)
        assignments_apply_proposal()
        fill_reports(scenario.seed)
        totals_rebuild()
        rng = random.Random(scenario.seed)
        differences: list[str] = []
        for kind, day, a, b in writes:
            done = (
                report_write(kind, a) if kind in ("approve", "reopen") else write(kind, day, a, b)
            )
            if not done:
                continue
            assert today_state(TODAY) is not None, f"after {kind}: no longer trusted"
            assert kept_rows() == rebuilt_rows(), f"after {kind}"
            chosen = [units[0], *rng.sample(list(Unit.objects.order_by("code")), k=2)]
            differences += engine_differences(programme03, chosen, rng, kind)
        assert not differences, "\n".join(differences[:20])


def test_the_listener_is_registered_once():
    assert approval_listeners.count(today_apply) == 1


@pytest.fixture
def kept(small_tree, programme):
    from tests.conftest import approved

    approved(small_tree.c11, programme, "2025Q2", members=40)
    approved(small_tree.c21, programme, "2025Q2", members=7)
    assignments_apply_proposal()
    totals_rebuild()
    return small_tree


def test_a_future_reorganisation_falls_back_to_raw_sums_from_its_day(kept, programme):
    """A move dated after the day the sums hold for changes today's tree only from that day:
    the sums stay trusted before it, are not read from it on, and the figures are the raw
    sums' either way."""
    day = timezone.localdate() + dt.timedelta(days=10)
    before = reads_for(programme, kept.province, tree=AS_NOW, provisional=False, today=day)
    unit_move([kept.c11], kept.d2, day)
    assert today_state(day - dt.timedelta(days=1)) is not None
    assert today_state(day) is None
    after = reads_for(programme, kept.d2, tree=AS_NOW, provisional=False, today=day)
    assert after.table is not None  # the raw sums (`table_today`)
    assert (
        after.table.fields
        == reads_for(programme, kept.d2, tree=AS_NOW, provisional=False, today=day).table.fields
    )
    assert before.table is not None


def test_reads_along_todays_tree_use_a_fixed_number_of_queries(kept, programme):
    """With the kept sums, a read along today's tree is a handful of queries whatever the
    number of units, and never reads the values."""
    with CaptureQueriesContext(connection) as few:
        reads_for(programme, kept.province, tree=AS_NOW, provisional=False, today=TODAY)
    from tests.conftest import make_unit

    for i in range(12):
        make_unit(f"X{i}", UnitKind.GRASSROOTS, kept.d2)
    with CaptureQueriesContext(connection) as more:
        reads_for(programme, kept.province, tree=AS_NOW, provisional=False, today=TODAY)
    with CaptureQueriesContext(connection) as provisional:
        reads_for(programme, kept.province, tree=AS_NOW, provisional=True, today=TODAY)
    assert not [q for q in few if "reports_value" in q["sql"]]
    assert len(more) == len(few)
    assert len(provisional) == len(few) + 3  # the correction, over the awaiting reports only


def test_a_full_rebuild_keeps_the_built_day(kept):
    state = TodayTotalsState.objects.get()
    assert state.built_on == timezone.localdate()
    assert kept_rows() == rebuilt_rows()


@pytest.mark.django_db(transaction=True)
def test_the_migration_goes_back_and_forth():
    executor = MigrationExecutor(connection)
    before = [("rollup", "0003_expected_counts"), ("unions", "0005_unit_code_rule")]
    executor.migrate(before)
    tables = connection.introspection.table_names()
    assert TodayTotal._meta.db_table not in tables
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert TodayTotal._meta.db_table in connection.introspection.table_names()
