"""The tracking grid's rules as pure functions (no database): a cell's status, its
lateness, why a unit is not expected, a quarter's completeness; and how they read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unions.models import Unit

from .models import ReportingPeriod, ReportStatus

QUARTERS_SHOWN = 4


class CellStatus(StrEnum):
    NOT_EXPECTED = "not_expected"
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


DONE = frozenset({CellStatus.SUBMITTED, CellStatus.APPROVED})


class Timing(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"  # submitted after the due date
    OVERDUE = "overdue"  # not submitted, due date passed
    NOT_DUE = "not_due"  # not submitted, still time
    UNKNOWN = "unknown"  # approved without a submission time (imported history)
    NONE = "none"  # not expected


class Absence(StrEnum):
    """Why a unit is not expected to report in a quarter."""

    NOT_YET_CREATED = "not_yet_created"
    CLOSED = "closed"
    NOT_ASSIGNED = "not_assigned"
    NOTHING_ASKED = "nothing_asked"  # the province, in quarters without its annual fields


# --- pure functions -----------------------------------------------------------------------


def cell_status(expected: bool, report_status: str | None, in_force: bool = False) -> CellStatus:
    """A report's status as the grid shows it; an approved revision in force counts as approved.

    A report that exists for a unit not expected that quarter still shows its status.
    """
    if report_status is None:
        return CellStatus.NOT_STARTED if expected else CellStatus.NOT_EXPECTED
    if in_force and report_status != ReportStatus.SUBMITTED:
        return CellStatus.APPROVED
    return CellStatus(report_status)


def timing(
    status: CellStatus, due: dt.date, first_sent_on: dt.date | None, today: dt.date
) -> tuple[Timing, int]:
    """On time, N days late, overdue N days, not yet due; days are calendar days past `due`.

    A quarter's report is on time or late by its first sending, whatever happened since (a
    return, a reopening, a correction sent months later); overdue if it was never sent.
    """
    if status == CellStatus.NOT_EXPECTED:
        return Timing.NONE, 0
    if first_sent_on is not None:
        late = (first_sent_on - due).days
        return (Timing.LATE, late) if late > 0 else (Timing.ON_TIME, 0)
    if status in DONE:
        return Timing.UNKNOWN, 0
    overdue = (today - due).days
    return (Timing.OVERDUE, overdue) if overdue > 0 else (Timing.NOT_DUE, 0)


def absence(unit: Unit, on: dt.date, assigned: bool = False) -> Absence:
    if assigned:
        return Absence.NOTHING_ASKED
    if on < unit.valid_from:
        return Absence.NOT_YET_CREATED
    if unit.valid_to is not None and on >= unit.valid_to:
        return Absence.CLOSED
    return Absence.NOT_ASSIGNED


def completeness(statuses: Iterable[tuple[bool, CellStatus]]) -> tuple[int, int]:
    """(submitted or approved, expected) over the (expected, status) cells of one quarter.

    Only expected cells count, so the rate cannot exceed 100%.
    """
    done = expected = 0
    for is_expected, status in statuses:
        if is_expected:
            expected += 1
            done += status in DONE
    return done, expected


def latest_cut_quarters(
    periods: Sequence[ReportingPeriod], today: dt.date, n: int = QUARTERS_SHOWN
) -> list[ReportingPeriod]:
    """The `n` most recent quarters whose cut-off has passed, oldest first."""
    passed = [p for p in periods if p.cutoff < today]
    return sorted(passed, key=lambda p: (p.year, p.quarter))[-n:]


def local_day(moment: dt.datetime | None) -> dt.date | None:
    """The calendar day in the portal's time zone (Asia/Ho_Chi_Minh)."""
    return None if moment is None else timezone.localdate(moment)


STATUS_LABELS = {
    CellStatus.NOT_EXPECTED: _("not expected"),
    CellStatus.NOT_STARTED: _("not started"),
    CellStatus.DRAFT: _("draft"),
    CellStatus.SUBMITTED: _("submitted"),
    CellStatus.RETURNED: _("returned"),
    CellStatus.APPROVED: _("approved"),
}
STATUS_SYMBOLS = {
    CellStatus.NOT_EXPECTED: "–",
    CellStatus.NOT_STARTED: "○",
    CellStatus.DRAFT: "✎",
    CellStatus.SUBMITTED: "✉",
    CellStatus.RETURNED: "↩",
    CellStatus.APPROVED: "✔",
}
ABSENCE_LABELS = {
    Absence.NOT_YET_CREATED: _("not yet created"),
    Absence.CLOSED: _("closed"),
    Absence.NOT_ASSIGNED: _("not assigned"),
    Absence.NOTHING_ASKED: _("nothing to report this quarter"),
}
