"""Who has reported what, and when: the office's tracking grid and the reminders.

The status and lateness arithmetic are pure functions (no database) so they can be tested
directly; `tracking_grid` assembles the grid for a few quarters in a fixed number of queries,
however many units report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from targets.models import Programme
from targets.programmes import covers, programmes_shown
from unions.models import Unit

from .assignments import assignments_for, covering_q
from .models import Assignment, AssignmentScope, Report, ReportingPeriod, ReportStatus
from .services import report_fields

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


# --- selector -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    period: ReportingPeriod
    expected: bool
    status: CellStatus
    timing: Timing
    days: int
    report_id: int | None = None
    absence: Absence | None = None
    # The working revision is not the first sending: sent again, returned or reopened since.
    resent: bool = False

    @property
    def is_late(self) -> bool:
        return self.timing in (Timing.LATE, Timing.OVERDUE)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    @property
    def absence_label(self) -> str:
        return str(ABSENCE_LABELS[self.absence]) if self.absence else ""


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]


@dataclass(frozen=True)
class Column:
    period: ReportingPeriod
    done: int
    expected: int

    @property
    def rate(self) -> float | None:
        return None if not self.expected else 100 * self.done / self.expected


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class _Found:
    report_id: int
    status: str
    in_force: bool
    first_sent_on: dt.date | None
    resent: bool


def _reports(
    periods: Sequence[ReportingPeriod], unit_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], _Found]:
    """Per (unit, period): the working revision, knowing whether an approved one is in force.

    A corrected revision sent after an approval shows as submitted (staff must find it to
    review it) while the quarter still counts as covered; a reopened draft leaves the quarter
    approved. Lateness is the quarter's first sending (every revision keeps it): a correction
    sent months later does not make an on-time report late. `unit_ids`: those units' only."""
    reports = Report.objects.filter(period__in=periods)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    rows = reports.filter(Q(is_latest=True) | Q(in_force=True)).values_list(
        "pk",
        "unit_id",
        "period_id",
        "status",
        "in_force",
        "is_latest",
        "submitted_at",
        "first_submitted_at",
    )
    latest: dict[tuple[int, int], tuple[int, str, dt.datetime | None, dt.datetime | None]] = {}
    in_force: set[tuple[int, int]] = set()
    for pk, unit_id, period_id, status, is_in_force, is_latest, sent, first in rows:
        key = (unit_id, period_id)
        if is_latest:
            latest[key] = (pk, status, sent, first or sent)
        if is_in_force:
            in_force.add(key)
    return {
        key: _Found(pk, status, key in in_force, local_day(first), _resent(status, sent, first))
        for key, (pk, status, sent, first) in latest.items()
    }


def _resent(status: str, sent: dt.datetime | None, first: dt.datetime | None) -> bool:
    """Whether the working revision is other than the quarter's first sending."""
    if first is None:
        return False
    return status in (ReportStatus.DRAFT, ReportStatus.RETURNED) or sent != first


@dataclass(frozen=True)
class _Quarter:
    period: ReportingPeriod
    expected: set[int]  # units expected to report
    assigned: set[int]  # units with an assignment, expected or not


def _cell(unit: Unit, quarter: _Quarter, found: _Found | None, today: dt.date) -> Cell:
    period, expected = quarter.period, unit.pk in quarter.expected
    status = cell_status(
        expected, found.status if found else None, found.in_force if found else False
    )
    when, days = timing(status, period.due, found.first_sent_on if found else None, today)
    return Cell(
        period=period,
        expected=expected,
        status=status,
        timing=when,
        days=days,
        report_id=found.report_id if found else None,
        absence=None if expected else absence(unit, period.cutoff, unit.pk in quarter.assigned),
        resent=found.resent if found else False,
    )


@dataclass
class Asked:
    """Whether the province has fields of its own to report, per kind of quarter and
    programmes in force (its fields are annual, so fourth quarters only): read once a grid."""

    programmes: list[Programme] | None = None
    answers: dict[tuple[bool, tuple[int, ...]], bool] = field(default_factory=dict)


def _province_asks(period: ReportingPeriod, asked: Asked) -> bool:
    if asked.programmes is None:
        asked.programmes = list(programmes_shown())
    running = tuple(p.pk for p in asked.programmes if covers(p, period.year, period.quarter))
    key = (period.asks_annual_fields, running)
    if key not in asked.answers:
        asked.answers[key] = bool(report_fields(period, province=True))
    return asked.answers[key]


def expected_assignments(period: ReportingPeriod, asked: Asked | None = None) -> list[Assignment]:
    """The quarter's assignments, the province's own only when it has something to report."""
    assigned = assignments_for(period)
    return _expected(period, assigned, Asked() if asked is None else asked)


def _expected(
    period: ReportingPeriod, assigned: list[Assignment], asked: Asked
) -> list[Assignment]:
    province = [a for a in assigned if a.scope == AssignmentScope.PROVINCE]
    if not province or _province_asks(period, asked):
        return assigned
    return [a for a in assigned if a.scope != AssignmentScope.PROVINCE]


KIND_ORDER = {"province": 0, "grassroots": 2, "occupational": 2}


@dataclass
class _Read:
    """What a grid of some quarters reads, whatever the rows shown: the row units in order
    (id, code, name, kind), each quarter's expected and assigned units, and per (unit,
    quarter) whether the quarter is submitted or approved."""

    quarters: list[_Quarter]
    units: list[tuple[int, str, str, str]]
    done: set[tuple[int, int]]


def _read(periods: Sequence[ReportingPeriod]) -> _Read:
    """One query per quarter for its assignments, one for the row units, one for reports;
    rows, not objects (a national grid has thousands of units)."""
    asked = Asked()
    quarters = []
    ids: set[int] = set()
    for p in periods:
        rows = list(Assignment.objects.filter(covering_q(p)).values_list("unit_id", "scope"))
        # As `_expected`: the province's own report only when it has something to report.
        province = any(scope == AssignmentScope.PROVINCE for _u, scope in rows)
        every = not province or _province_asks(p, asked)
        expected = {u for u, scope in rows if every or scope != AssignmentScope.PROVINCE}
        quarters.append(_Quarter(p, expected, {u for u, _scope in rows}))
        ids.update(u for u, _scope in rows)
    done: set[tuple[int, int]] = set()
    working = Report.objects.filter(period__in=periods).filter(Q(is_latest=True) | Q(in_force=True))
    for unit_id, period_id, status, in_force in working.values_list(
        "unit_id", "period_id", "status", "in_force"
    ):
        ids.add(unit_id)
        # As `cell_status`: approved in force, or the working revision submitted.
        if in_force or status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            done.add((unit_id, period_id))
    units = Unit.objects.filter(pk__in=list(ids)).values_list("id", "code", "name", "kind")
    ordered = sorted(units, key=lambda u: (KIND_ORDER.get(u[3], 1), u[1]))
    return _Read(quarters, ordered, done)


def _rows(read: _Read, chosen: Sequence[tuple[int, str, str, str]], today: dt.date) -> list[Row]:
    """The rows of the chosen units, with their cells (three queries)."""
    ids = [u[0] for u in chosen]
    found = _reports([q.period for q in read.quarters], ids)
    units = Unit.objects.in_bulk(ids)
    return [
        Row(
            units[pk],
            [_cell(units[pk], q, found.get((pk, q.period.pk)), today) for q in read.quarters],
        )
        for pk in ids
    ]


def _columns(read: _Read) -> list[Column]:
    """Each quarter's completeness over its expected units (every one of them is a row)."""
    return [
        Column(q.period, sum((u, q.period.pk) in read.done for u in q.expected), len(q.expected))
        for q in read.quarters
    ]


def tracking_grid(periods: Sequence[ReportingPeriod], today: dt.date, status: str = "") -> Grid:
    """Reporting units × quarters, every row (`tracking_page` builds one page of them).

    Rows are the units assigned in any of the quarters (plus any unit with a report there);
    `status` keeps only rows with a cell in that status ("late" for late or overdue).
    """
    read = _read(periods)
    rows = _rows(read, read.units, today)
    if status:
        rows = [r for r in rows if _matches(r, status)]
    return Grid(_columns(read), rows)


@dataclass(frozen=True)
class PageAsk:
    """Which rows of the grid: a cell status ("late" for late or overdue), a unit's code or
    name, the page number (as the query string gives it) and its size."""

    status: str = ""
    text: str = ""
    number: str | None = None
    size: int = 100


def tracking_page(
    periods: Sequence[ReportingPeriod], today: dt.date, ask: PageAsk
) -> tuple[Grid, Page[Row]]:
    """The grid's columns and one page of its rows: only the page's cells are built, unless a
    status is asked for (which rows have a cell in it is known from every row's cells)."""
    read = _read(periods)
    units = read.units
    if ask.text:
        wanted = ask.text.casefold()
        units = [u for u in units if wanted in u[1].casefold() or wanted in u[2].casefold()]
    if ask.status:
        rows = [r for r in _rows(read, units, today) if _matches(r, ask.status)]
        page = Paginator(rows, ask.size).get_page(ask.number)
    else:
        shown = Paginator(units, ask.size).get_page(ask.number)
        rows = _rows(read, list(shown.object_list), today)
        page = Page(rows, shown.number, cast("Paginator[Row]", shown.paginator))
    return Grid(_columns(read), list(page.object_list)), page


def _matches(row: Row, status: str) -> bool:
    if status == "late":
        return any(c.is_late for c in row.cells)
    return any(c.status == status for c in row.cells)


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
    found = _reports([period])
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
