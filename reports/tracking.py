"""Who has reported what, and when: the office's tracking grid and the reminders.

The status and lateness arithmetic are pure functions (no database) so they can be tested
directly; `tracking_grid` assembles the grid for a few quarters in a fixed number of queries,
however many units report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from unions.models import Unit

from .assignments import covering_q
from .models import Assignment, AssignmentScope, Report, ReportingPeriod, ReportStatus
from .tracking_grid import (
    Asked,
    Cell,
    Column,
    Grid,
    Row,
    expected_assignments,
    province_asks,
    tracking_grid,
    working_revisions,
)
from .tracking_page import PageAsk, tracking_page
from .tracking_rules import (
    ABSENCE_LABELS,
    DONE,
    QUARTERS_SHOWN,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    Absence,
    CellStatus,
    Timing,
    absence,
    cell_status,
    completeness,
    latest_cut_quarters,
    local_day,
    timing,
)

__all__ = [
    "ABSENCE_LABELS",
    "DONE",
    "QUARTERS_SHOWN",
    "STATUS_LABELS",
    "STATUS_SYMBOLS",
    "Absence",
    "Asked",
    "Cell",
    "CellStatus",
    "Column",
    "Grid",
    "PageAsk",
    "Pending",
    "Row",
    "Timing",
    "absence",
    "cell_status",
    "completeness",
    "expected_assignments",
    "latest_cut_quarters",
    "local_day",
    "pending_count",
    "reminder_allowed",
    "reminder_kind",
    "reminders_pending",
    "timing",
    "tracking_grid",
    "tracking_page",
]

# --- reminders ----------------------------------------------------------------------------

DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7


def reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """ "due_soon" exactly three days before the due date, "overdue" after it, else None."""
    if (due - today).days == DUE_SOON_DAYS:
        return "due_soon"
    if today > due:
        return "overdue"
    return None


def reminder_allowed(kind: str, today: dt.date, sent_before: Iterable[dt.date]) -> bool:
    """Never twice a day; an overdue reminder at most once every seven days."""
    window = OVERDUE_EVERY_DAYS if kind == "overdue" else 1
    return all((today - sent).days >= window for sent in sent_before if sent <= today)


@dataclass(frozen=True)
class Pending:
    """An expected unit whose report for `period` is not submitted or approved."""

    unit: Unit
    period: ReportingPeriod
    kind: str
    report_id: int | None
    status: str = CellStatus.NOT_STARTED


def reminders_pending(period: ReportingPeriod, today: dt.date) -> list[Pending]:
    kind = reminder_kind(period.due, today)
    if kind is None:
        return []
    found = working_revisions([period])
    pending = []
    for assignment in expected_assignments(period):
        report = found.get((assignment.unit_id, period.pk))
        status = cell_status(
            True, report.status if report else None, bool(report and report.in_force)
        )
        if status not in DONE:
            pending.append(
                Pending(assignment.unit, period, kind, report.report_id if report else None, status)
            )
    return pending


def pending_count(period: ReportingPeriod, today: dt.date) -> int:
    """How many units `reminders_pending` lists, counted in the database: the home page's
    line of late units, which must not read every assignment of a national tree."""
    if reminder_kind(period.due, today) is None:
        return 0
    assigned = Assignment.objects.filter(covering_q(period))
    if not province_asks(period, Asked()):
        assigned = assigned.exclude(scope=AssignmentScope.PROVINCE)
    # Done (DONE): a revision in force (approved), or a latest revision sent for review.
    done = Report.objects.filter(period=period, unit_id=OuterRef("unit_id")).filter(
        Q(in_force=True) | Q(is_latest=True, status=ReportStatus.SUBMITTED)
    )
    return assigned.exclude(Exists(done)).count()
