"""Who may see and change which report. Views find reports only through these helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from unions.access import below_on_q, visible_unit_ids

from .models import Report, ReportStatus


def visible_reports(user: User) -> QuerySet[Report]:
    """Office, administrators and the Standing Committee see all; a reporter its subtree's.

    A reporter sees a unit's report only when the unit sat below its own unit on the quarter's
    cut-off: a dissolved district keeps its history up to the dissolution and nothing after,
    and a unit moved in later brings none of its earlier reports along.
    """
    ids = visible_unit_ids(user)
    reports = Report.objects.select_related("unit", "period")
    if ids is None:
        return reports
    return reports.filter(below_on_q(user, "unit_id", "period__cutoff"), unit_id__in=ids)


def report_for_user(user: User, pk: int) -> Report:
    """The report if the user may see it; 404 otherwise."""
    return get_object_or_404(visible_reports(user), pk=pk)


def can_edit(user: User, report: Report) -> bool:
    """Reporters edit their own unit's drafts and returned reports; office staff may help."""
    if not report.is_editable:
        return False
    if user.is_office:
        return True
    return user.is_reporter and report.unit_id == user.unit_id


def reviews_reports(user: User) -> bool:
    """Office staff (and administrators) return, approve and reopen reports, and read what a
    review needs: a report's history and its unconfirmed sharp changes."""
    return user.is_office


def require_reviewer(user: User) -> None:
    """403 unless the user reviews reports; called once the report is known to be visible, so
    a report outside the user's scope stays 404."""
    if not reviews_reports(user):
        raise PermissionDenied


def filters_by_unit(user: User) -> bool:
    """Whoever reads the whole province picks units in the report list's filter."""
    return user.sees_whole_province


def can_review(user: User, report: Report) -> bool:
    """Office staff approve, return and reopen."""
    reviewable = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    return reviews_reports(user) and report.is_latest and report.status in reviewable


def require_unit_reporter(user: User, unit_id: int) -> None:
    """Only the unit's own reporter (or office staff) may open its report for a period.

    Called once the unit is known to be in the user's scope, so a refusal is 403 as for every
    other action a role may not take (the Standing Committee reads; a district reads its CĐCS).
    """
    if not (user.is_office or (user.is_reporter and user.unit_id == unit_id)):
        raise PermissionDenied
