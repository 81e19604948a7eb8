"""The pre-summed roll-up totals follow reorganisations in their transaction: after a create,
move, dissolution or merger they are still trusted and exactly what a full rebuild gives, so
the roll-up keeps reading them instead of raw values. Calendar changes rebuild the quarters
whose cut-off moved (`totals_follow_calendar`, `manage.py rebuild_totals`)."""

from __future__ import annotations

import datetime as dt
import threading
import time
import traceback
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reports.assignments import assignments_apply_proposal, calendar_get, periods_ensure
from reports.models import Report, ReportingPeriod
from reports.numbers import Entry
from reports.services import (
    ReportInput,
    report_approve,
    report_reopen,
    report_save,
    report_submit,
)
from rollup import totals, totals_follow
from rollup.models import RollupTotal, RollupTotalsState
from targets.models import Field, Programme
from tests.conftest import SmallTree, approved, make_unit, period
from tests.demo.test_generate_data import assert_same, raw_and_totals, stored
from unions.closure import closure_rebuild, listeners
from unions.models import Unit, UnitKind
from unions.services import unit_dissolve, unit_merge, unit_move

MOVE = dt.date(2025, 8, 15)  # between the 2025Q2 and 2025Q3 cut-offs
TODAY = dt.date(2026, 5, 1)
SPECS = ["2025Q2", "2025Q3", "2025Q4", "2025", "2026Q1", "2026Q2", "term"]


@dataclass
class Reported:
    tree: SmallTree
    d3: Unit
    c31: Unit
    programme: Programme


@pytest.fixture
def reported(small_tree, programme) -> Reported:
    """small_tree plus district D3 with C31; CĐCS report for themselves next to the districts
    and the ward; then the totals are built in full."""
    t = small_tree
    d3 = make_unit("D3", UnitKind.DISTRICT, t.province)
    c31 = make_unit("C31", UnitKind.GRASSROOTS, d3)
    assignments_apply_proposal()
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220,
             informed_ytd=Entry.blank())  # fmt: skip
    approved(t.c11, programme, "2025Q2", members=11, workers_union_units=12)
    approved(t.c11, programme, "2026Q1", members=13, informed_ytd=4)
    approved(t.c21, programme, "2025Q2", members=21, workers_union_units=25, informed_ytd=5)
    approved(t.c21, programme, "2025Q3", members=22, court_cases=2, court_cases_supported=1)
    approved(t.c21, programme, "2025Q4", members=23, workers_union_units=26,
             informed_ytd=Entry.na())  # fmt: skip
    approved(t.c21, programme, "2026Q1", members=24, informed_ytd=9)
    approved(t.c22, programme, "2025Q4", members=40, workers_union_units=44)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(c31, programme, "2025Q3", members=31, workers_union_units=33)
    approved(c31, programme, "2026Q1", members=32, court_cases=1, court_cases_supported=0)
    totals.totals_rebuild()
    return Reported(t, d3, c31, programme)


def members(programme: Programme, unit: Unit, code: str) -> int:
    """The summed members of the unit's subtree in the quarter, read from the totals."""
    p = period(programme, code)
    table = totals.totals_read(unit, [p])
    assert table is not None, "totals not trusted"
    sums = table.fields.get(Field.objects.get(code="members").pk, {}).get((p.year, p.quarter))
    return sums.total if sums else 0


def assert_trusted_and_exact(programme: Programme) -> None:
    """Trusted for every unit and quarter; the roll-up from totals is the roll-up from raw
    values; the stored rows are what a full rebuild writes."""
    periods = list(ReportingPeriod.objects.all())
    assert RollupTotalsState.objects.get().closure_mark == (totals.closure_mark())
    units = list(Unit.objects.order_by("code"))
    for unit in units:
        assert totals.totals_read(unit, periods) is not None, unit.code
        for spec in SPECS:
            fast, raw = raw_and_totals(programme, unit, spec, today=TODAY)
            assert_same(fast, raw)
    followed = stored()
    assert not RollupTotal.objects.filter(numbers=0, blanks=0, not_applicable=0, total=0).exists()
    totals.totals_rebuild()
    assert stored() == followed


def test_the_listener_is_registered_once():
    assert listeners.count(totals_follow.follow_closure) == 1


def test_creating_a_cdcs_keeps_the_totals(reported):
    r, t = reported, reported.tree
    c23 = make_unit("C23", UnitKind.GRASSROOTS, t.d2, start=MOVE)
    assert_trusted_and_exact(r.programme)
    approved(c23, r.programme, "2025Q4", members=7)
    assert members(r.programme, t.d2, "2025Q4") == 23 + 40 + 7
    assert_trusted_and_exact(r.programme)


def test_moving_a_cdcs_with_its_own_reports_between_districts(reported):
    r, t = reported, reported.tree
    assert members(r.programme, t.d2, "2025Q3") == 22
    unit_move([t.c21], r.d3, MOVE)
    # Before the move C21 counted for D2; from the next cut-off on, for D3.
    assert members(r.programme, t.d2, "2025Q2") == 200 + 21
    assert members(r.programme, r.d3, "2025Q2") == 0
    assert members(r.programme, t.d2, "2025Q3") == 0
    assert members(r.programme, r.d3, "2025Q3") == 31 + 22
    assert members(r.programme, r.d3, "2026Q1") == 32 + 24
    assert members(r.programme, t.province, "2025Q3") == 31 + 22
    assert_trusted_and_exact(r.programme)
    # A correction approved after the move moves the figures along the new tree.
    q4 = Report.objects.get(unit=t.c21, period=period(r.programme, "2025Q4"), in_force=True)
    draft = report_reopen(q4, reason="sửa số liệu", actor=None)
    data = ReportInput(values={"members": Entry.of(25)}, confirmed_warnings={"members"})
    draft = report_save(draft, data, version=draft.version, actor=None)
    draft = report_submit(draft, version=draft.version, actor=None)
    report_approve(draft, actor=None)
    assert members(r.programme, r.d3, "2025Q4") == 25
    assert members(r.programme, t.d2, "2025Q4") == 40
    assert_trusted_and_exact(r.programme)


def test_moving_a_district_with_the_cdcs_below_it(reported):
    r, t = reported, reported.tree
    unit_move([r.d3], t.d2, MOVE)
    assert members(r.programme, t.d2, "2025Q3") == 22 + 31
    assert members(r.programme, t.d2, "2026Q1") == 24 + 32
    assert members(r.programme, t.province, "2026Q1") == 24 + 32 + 13
    assert_trusted_and_exact(r.programme)


def test_dissolving_a_district_into_a_successor(reported):
    r, t = reported, reported.tree
    unit_dissolve(t.d2, MOVE, successor=r.d3)
    assert members(r.programme, t.d2, "2025Q2") == 200 + 21
    assert members(r.programme, t.d2, "2025Q4") == 0
    assert members(r.programme, r.d3, "2025Q4") == 23 + 40
    assert_trusted_and_exact(r.programme)


def test_merging_districts_into_the_ward(reported):
    r, t = reported, reported.tree
    unit_merge([t.d2, r.d3], t.ward, dt.date(2025, 10, 1))
    assert members(r.programme, r.d3, "2025Q3") == 31
    assert members(r.programme, t.ward, "2025Q4") == 90 + 23 + 40
    assert members(r.programme, t.ward, "2026Q1") == 13 + 24 + 32
    assert_trusted_and_exact(r.programme)


def test_a_full_closure_rebuild_rebuilds_the_totals(reported):
    RollupTotalsState.objects.update(closure_mark=-1)  # even totals no longer trusted
    closure_rebuild()
    assert_trusted_and_exact(reported.programme)


def test_untrusted_totals_are_not_patched(reported):
    r, t = reported, reported.tree
    RollupTotalsState.objects.update(closure_mark=-1)
    before = stored()
    unit_move([t.c21], r.d3, MOVE)
    assert stored() == before
    assert RollupTotalsState.objects.get().closure_mark == -1
    assert totals.totals_read(t.province, []) is None
    totals.totals_rebuild()
    assert_trusted_and_exact(r.programme)


def test_a_programme_without_totals_is_untouched(small_tree, programme):
    t = small_tree
    approved(t.c21, programme, "2025Q3", members=22)
    unit_move([t.c21], t.ward, MOVE)
    closure_rebuild()
    assert not RollupTotalsState.objects.exists()
    assert not RollupTotal.objects.exists()


def test_contributions_read_the_closure_once_for_any_number_of_reports(reported):
    every = list(Report.objects.filter(in_force=True).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as one:
        totals_follow._contributions(every[:1])
    with CaptureQueriesContext(connection) as many:
        totals_follow._contributions(every)
    assert len(many) == len(one)
    closure_reads = [q for q in many.captured_queries if "unions_unitclosure" in q["sql"]]
    assert len(closure_reads) == 1


# Calendar changes --------------------------------------------------------------------------


def test_a_calendar_change_rebuilds_the_quarters_whose_cut_off_moved(reported):
    r, t = reported, reported.tree
    unit_move([t.c21], r.d3, dt.date(2025, 9, 20))  # after the 14th, before the quarter end
    assert members(r.programme, r.d3, "2025Q3") == 31 + 22
    calendar = calendar_get()
    calendar.cutoff_rule = "day14"
    calendar.save()
    # The calendar page saves the calendar and then recomputes the periods, which rebuilds
    # the quarters whose cut-off moved in the same transaction.
    periods_ensure()
    q3 = period(r.programme, "2025Q3")
    assert totals.totals_read(t.province, [q3]) is not None
    assert totals.changed_cutoffs() == []
    # On 14 September C21 was still under D2.
    assert members(r.programme, r.d3, "2025Q3") == 31
    assert members(r.programme, t.d2, "2025Q3") == 22
    assert_trusted_and_exact(r.programme)


def test_rebuilding_some_quarters_leaves_the_others_and_the_closure_mark(reported):
    r, t = reported, reported.tree
    q3, q4 = period(r.programme, "2025Q3"), period(r.programme, "2025Q4")
    untouched = set(RollupTotal.objects.exclude(period=q3).values_list("pk", flat=True))
    RollupTotalsState.objects.update(closure_mark=-1)
    q3.cutoff = dt.date(2025, 9, 14)
    q3.save()
    rows = totals.totals_rebuild([q3])
    assert rows == RollupTotal.objects.filter(period=q3).count() > 0
    assert set(RollupTotal.objects.exclude(period=q3).values_list("pk", flat=True)) == untouched
    state = RollupTotalsState.objects.get()
    assert state.closure_mark == -1
    assert state.cutoffs[str(q3.pk)] == "2025-09-14"
    assert state.cutoffs[str(q4.pk)] == q4.cutoff.isoformat()
    state.closure_mark = totals.closure_mark()
    state.save()
    assert totals.totals_read(t.province, [q3, q4]) is not None
    assert totals.totals_rebuild([]) == 0
    assert_trusted_and_exact(r.programme)


def test_following_the_calendar_without_totals_does_nothing(small_tree, programme):
    assert totals.changed_cutoffs() is None
    assert totals.follow_calendar() == 0
    assert not RollupTotalsState.objects.exists()


# The command ----------------------------------------------------------------------------------


def test_the_command_rebuilds_and_says_how_many_rows_and_how_long(small_tree, programme):
    approved(small_tree.c21, programme, "2025Q3", members=22)
    out = StringIO()
    call_command("rebuild_totals", stdout=out)
    count = RollupTotal.objects.count()
    assert count > 0
    assert f"Roll-up totals: {count} rows for all quarters in " in out.getvalue()
    assert out.getvalue().rstrip().endswith(" s.")
    assert totals.totals_read(small_tree.province, []) is not None


def test_the_command_rebuilds_only_changed_cut_offs_when_asked(small_tree, programme):
    out = StringIO()
    call_command("rebuild_totals", changed_cutoffs=True, stdout=out)
    assert "No totals yet, skipped" in out.getvalue()
    assert not RollupTotalsState.objects.exists()
    approved(small_tree.c21, programme, "2025Q3", members=22)
    call_command("rebuild_totals", stdout=StringIO())
    q3 = period(programme, "2025Q3")
    q3.cutoff = dt.date(2025, 9, 14)
    q3.save()
    out = StringIO()
    call_command("rebuild_totals", "--changed-cutoffs", stdout=out)
    assert "1 quarters with a changed cut-off" in out.getvalue()
    assert totals.totals_read(small_tree.province, [q3]) is not None


def test_the_command_builds_only_missing_totals_when_asked(small_tree, programme):
    approved(small_tree.c21, programme, "2025Q3", members=22)
    call_command("rebuild_totals", "--if-missing", stdout=StringIO())
    built = RollupTotalsState.objects.get().built_at
    out = StringIO()
    call_command("rebuild_totals", "--if-missing", stdout=out)
    assert out.getvalue() == ""
    assert RollupTotalsState.objects.get().built_at == built


def test_the_command_has_help():
    from rollup.management.commands.rebuild_totals import Command

    assert "calendar change" in Command.help


# At the same moment (PostgreSQL) ------------------------------------------------------------


def _in_thread(work, errors: list[str]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except Exception:  # reported by the test
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _approval_and_move_at_once(r: Reported, first: str) -> list[str]:
    """`first` starts, does its work and holds its transaction open half a second; the other
    starts meanwhile. Returns the errors of either."""
    t = r.tree
    submitted = approved(t.c21, r.programme, "2026Q2", approve=False, members=27)
    inside, errors = threading.Event(), []

    def approve() -> None:
        with transaction.atomic():
            report_approve(Report.objects.get(pk=submitted.pk), actor=None)
            if first == "approval":
                inside.set()
                time.sleep(0.5)

    def move() -> None:
        with transaction.atomic():
            unit_move([Unit.objects.get(pk=t.c21.pk)], Unit.objects.get(pk=r.d3.pk), MOVE)
            if first == "move":
                inside.set()
                time.sleep(0.5)

    one, other = (approve, move) if first == "approval" else (move, approve)
    threads = [_in_thread(one, errors)]
    assert inside.wait(timeout=30), errors
    threads.append(_in_thread(other, errors))
    for thread in threads:
        thread.join(timeout=60)
    return errors


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["approval", "move"])
def test_an_approval_and_a_move_at_the_same_moment_leave_exact_totals(reported, first):
    """Whichever comes first, the other waits for it on the programme's totals state and then
    sums along the closure it committed (or sees the report it approved)."""
    errors = _approval_and_move_at_once(reported, first)
    assert not errors, "\n".join(errors)
    r = reported
    assert members(r.programme, r.d3, "2026Q2") == 27
    assert members(r.programme, r.tree.d2, "2026Q2") == 0
    assert_trusted_and_exact(r.programme)
