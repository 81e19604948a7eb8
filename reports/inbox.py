"""What waits on the office and the Standing Committee, for the top of the home page.

A fixed number of queries whatever the number of reports: the lists are cut at `SHOWN` rows
(the rest are counted and linked), who sent or returned each report comes from a subquery,
and who last changed the figures (four eyes) from one query for the rows shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.models import User

from .access import can_review, visible_reports
from .foureyes import four_eyes_on, last_figure_editors
from .models import EventAction, Report, ReportEvent, ReportingPeriod, ReportStatus, ValueState
from .services import WorkflowError, report_approve
from .tracking import pending_count

SHOWN = 20


@dataclass(frozen=True)
class InboxRow:
    report: Report
    by: str  # who sent it (awaiting approval) or returned it (returned)
    at: dt.datetime | None
    reason: str = ""
    # Four eyes: the user reading the inbox changed the figures last and may not approve.
    barred: bool = False
    blanks: int = 0  # fields sent as not reported (each with its reason)
    warnings: int = 0  # sharp jumps the reporter confirmed (validation warnings)


@dataclass(frozen=True)
class Overdue:
    period: ReportingPeriod
    units: int


@dataclass
class Inbox:
    awaiting: list[InboxRow] = field(default_factory=list)
    awaiting_total: int = 0
    returned: list[InboxRow] = field(default_factory=list)
    returned_total: int = 0
    overdue: Overdue | None = None
    office: bool = False

    @property
    def awaiting_more(self) -> int:
        return self.awaiting_total - len(self.awaiting)

    @property
    def returned_more(self) -> int:
        return self.returned_total - len(self.returned)


def _last_event(action: str, column: str) -> Subquery:
    events = ReportEvent.objects.filter(report=OuterRef("pk"), action=action).order_by("-at", "-pk")
    return Subquery(events.values(column)[:1])


def _with_actor(reports: QuerySet[Report], action: str) -> QuerySet[Report]:
    return reports.annotate(
        by_username=_last_event(action, "actor__username"),
        by_name=_last_event(action, "actor__first_name"),
        event_at=_last_event(action, "at"),
        event_reason=_last_event(action, "reason"),
    )


def _rows(reports: Sequence[Report], user: User | None) -> list[InboxRow]:
    editors = last_figure_editors(r.pk for r in reports) if user and four_eyes_on() else {}
    rows = []
    for r in reports:
        editor = editors.get(r.pk)
        by = getattr(r, "by_name", "") or getattr(r, "by_username", "") or ""
        barred = editor is not None and user is not None and editor.user_id == user.pk
        reason = getattr(r, "event_reason", "") or ""
        blanks = getattr(r, "blanks", 0) or 0
        warnings = getattr(r, "warnings", 0) or 0
        at = getattr(r, "event_at", None)
        rows.append(InboxRow(r, by, at, reason, barred, blanks, warnings))
    return rows


def overdue_units(today: dt.date) -> Overdue | None:
    """The last quarter whose due date has passed, with how many expected units have not
    sent its report."""
    period = ReportingPeriod.objects.filter(due__lt=today).order_by("-year", "-quarter").first()
    if period is None:
        return None
    return Overdue(period, pending_count(period, today))


def office_inbox(user: User, today: dt.date) -> Inbox:
    """Reports awaiting approval (oldest sending first), reports returned and not sent again
    (oldest return first), and the units late with the last quarter due."""
    latest = Report.objects.filter(is_latest=True).select_related("unit", "period")
    awaiting = latest.filter(status=ReportStatus.SUBMITTED)
    returned = latest.filter(status=ReportStatus.RETURNED)
    # A report is sent only when every field it asks has a value or a reason: its blanks
    # are its value rows left blank.
    blanks = Count("values", filter=Q(values__state=ValueState.BLANK))
    # Its warnings are the sharp jumps the reporter confirmed (a save keeps the flag only on a
    # field whose value is a warning now; an unconfirmed one blocks the approval).
    warnings = Count("values", filter=Q(values__warning_confirmed=True))
    awaiting_rows = list(
        _with_actor(awaiting, EventAction.SUBMIT)
        .annotate(blanks=blanks, warnings=warnings)
        .order_by("submitted_at", "pk")[:SHOWN]
    )
    returned_rows = list(
        _with_actor(returned, EventAction.RETURN).order_by("updated_at", "pk")[:SHOWN]
    )
    return Inbox(
        awaiting=_rows(awaiting_rows, user),
        awaiting_total=awaiting.count(),
        returned=_rows(returned_rows, None),
        returned_total=returned.count(),
        overdue=overdue_units(today),
        office=True,
    )


def committee_status(today: dt.date) -> Inbox:
    """The Standing Committee's short status: how many reports await approval, how many are
    back with their units, and how many units are late."""
    latest = Report.objects.filter(is_latest=True)
    return Inbox(
        awaiting_total=latest.filter(status=ReportStatus.SUBMITTED).count(),
        returned_total=latest.filter(status=ReportStatus.RETURNED).count(),
        overdue=overdue_units(today),
    )


def home_inbox(user: User, today: dt.date) -> Inbox | None:
    """The inbox of the province-wide roles (a reporter's is `selectors.reporter_todo`)."""
    if user.is_office:
        return office_inbox(user, today)
    if user.sees_whole_province:
        return committee_status(today)
    return None


# Approval of several checked reports at once ------------------------------------------------

MAX_CHECKED = 100


@dataclass(frozen=True)
class Refusal:
    label: str  # the unit and quarter, or the number sent when no such report is in reach
    reason: str


@dataclass
class BulkApproval:
    approved: list[Report] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def _label(report: Report) -> str:
    return f"{report.unit.name} · {report.period.label}"


def _approve_one(user: User, report: Report, version: int | None) -> Report:
    """Approve one report as shown at `version`, in the caller's transaction."""
    locked = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    if not can_review(user, locked) or locked.status != ReportStatus.SUBMITTED:
        raise WorkflowError(
            _("It is no longer awaiting approval (now %(status)s).")
            % {"status": locked.get_status_display().lower()}
        )
    if version is None or locked.version != version:
        raise WorkflowError(
            _("It changed after the page was shown; open it and check it before approving.")
        )
    return report_approve(locked, actor=user)


def approve_checked(user: User, checked: Sequence[tuple[int, int | None]]) -> BulkApproval:
    """Approve each checked report (id, version shown) through `report_approve`, each in its own
    transaction: a refusal (four eyes, an unconfirmed sharp jump, a report changed or no longer
    submitted, one out of the account's reach) leaves the others approved."""
    result = BulkApproval()
    checked = checked[:MAX_CHECKED]
    reachable = visible_reports(user).in_bulk([pk for pk, _version in checked])
    for pk, version in checked:
        report = reachable.get(pk)
        if report is None:
            reason = _("No such report is within your access.")
            result.refused.append(Refusal(_("Report no. %(pk)d") % {"pk": pk}, reason))
            continue
        try:
            with transaction.atomic():
                result.approved.append(_approve_one(user, report, version))
        except WorkflowError as error:
            result.refused.append(Refusal(_label(report), error.messages[0]))
    return result
