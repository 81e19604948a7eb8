"""The figures' version grows in the transaction of every write a figure can depend on, and
only then (a draft's saves leave it: 20 reporters saving must not empty every worker's kept
breakdowns). The database's triggers keep it, so these are writes through the services, as
people make them, each committed on its own (PostgreSQL raises it once a transaction)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from reports.assignments import calendar_get, calendar_save
from reports.models import ReportingPeriod, Value
from reports.services import report_approve, report_reopen, report_save, report_submit
from rollup.models import FiguresVersion
from tests.conftest import approved, explained, make_unit, opened, period
from unions.models import UnitKind
from unions.services import unit_move, unit_update


def version() -> int:
    return FiguresVersion.objects.get(pk=1).number


def test_a_drafts_opening_and_saves_leave_it_and_its_sending_raises_it(
    transactional_db, small_tree, programme
):
    before = version()
    report = opened(small_tree.c21, period(programme, "2025Q3"))
    report = report_save(
        report, explained(report, {"members": 40}), version=report.version, actor=None
    )
    report = report_save(
        report, explained(report, {"members": 41}), version=report.version, actor=None
    )
    assert version() == before
    report_submit(report, version=report.version, actor=None)
    assert version() > before


def test_an_approval_and_a_reopening_raise_it(transactional_db, small_tree, programme):
    report = approved(small_tree.c21, programme, "2025Q3", approve=False, members=40)
    sent = version()
    report = report_approve(report, actor=None)
    approved_at = version()
    assert approved_at > sent
    report_reopen(report, reason="a correction", actor=None)
    assert version() > approved_at


def test_a_value_changed_under_a_report_that_counts_raises_it(
    transactional_db, small_tree, programme
):
    report = approved(small_tree.c21, programme, "2025Q3", members=40)
    before = version()
    Value.objects.filter(report=report, field__code="members").update(number=41)
    assert version() > before


def test_renames_reorganisations_and_calendar_changes_raise_it(
    transactional_db, small_tree, programme
):
    t = small_tree
    steps = [
        lambda: unit_update(t.c21, name="Renamed", sector=t.c21.sector, budget_paid=False),
        lambda: make_unit("C23", UnitKind.GRASSROOTS, t.d2),
        lambda: unit_move([t.c22], t.ward, dt.date(2025, 9, 1)),
    ]
    for step in steps:
        before = version()
        step()
        assert version() > before
    calendar = calendar_get()
    calendar.due_days += 5
    before = version()
    calendar_save(calendar)
    assert ReportingPeriod.objects.filter(due__gt=dt.date(2020, 1, 1)).exists()
    assert version() > before


def test_one_transaction_raises_it_once_on_postgresql(small_tree):
    """The test's own transaction holds the tree's writes and both renames: on PostgreSQL the
    tree's first write raised the version and nothing after it in the transaction does (raising
    one row again and again in one transaction grows slower each time); SQLite raises it in
    place for each row."""
    before = version()
    for name in ("First", "Second"):
        unit_update(small_tree.c21, name=name, sector=small_tree.c21.sector, budget_paid=False)
    if connection.vendor == "postgresql":
        assert version() == before
    else:
        assert version() >= before + 2
