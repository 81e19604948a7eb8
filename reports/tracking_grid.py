"""The office's tracking grid: reporting units × quarters, a page at a time.

`tracking_grid` assembles every row in a fixed number of queries, however many units report;
`reports.tracking_page` builds one page of them, with the columns counted in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from targets.models import Programme
from targets.programmes import covers, programmes_shown
from unions.models import Unit

from .assignments import assignments_for, covering_q
from .models import Assignment, AssignmentScope, Report, ReportingPeriod, ReportStatus
from .services import report_fields
from .tracking_rules import (
    ABSENCE_LABELS,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    Absence,
    CellStatus,
    Timing,
    absence,
    cell_status,
    timing,
)


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


class Found(NamedTuple):  # a tuple: a national filter makes one per report of 4 quarters
    report_id: int
    status: str
    in_force: bool
    first_sent_on: dt.date | None
    resent: bool


def working_revisions(
    periods: Sequence[ReportingPeriod], unit_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], Found]:
    """Per (unit, period): the working revision, knowing whether an approved one is in force.

    A corrected revision sent after an approval shows as submitted (staff must find it to
    review it) while the quarter still counts as covered; a reopened draft leaves the quarter
    approved. Lateness is the quarter's first sending (every revision keeps it): a correction
    sent months later does not make an on-time report late. `unit_ids`: those units' only."""
    reports = Report.objects.filter(period__in=periods).order_by()
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    rows = (
        reports.filter(Q(is_latest=True) | Q(in_force=True))
        .annotate(day=first_day(), again=_again())
        .values_list(
            "pk", "unit_id", "period_id", "status", "in_force", "is_latest", "day", "again"
        )
    )
    latest: dict[tuple[int, int], tuple[int, str, dt.date | None, bool]] = {}
    in_force: set[tuple[int, int]] = set()
    for pk, unit_id, period_id, status, is_in_force, is_latest, day, again in rows:
        key = (unit_id, period_id)
        if is_latest:
            latest[key] = (pk, status, day, again)
        if is_in_force:
            in_force.add(key)
    return {
        key: Found(pk, status, key in in_force, day, again)
        for key, (pk, status, day, again) in latest.items()
    }


def first_day() -> TruncDate:
    """The quarter's first sending as a calendar day in Vietnam (`local_day`), read by the
    database: two time stamps cost Python more than the rest of the row, and the status
    filter (`tracking_filter`) groups every working revision of 4 national quarters by it."""
    first = Coalesce("first_submitted_at", "submitted_at")
    return TruncDate(first, tzinfo=timezone.get_current_timezone())


def _again() -> Case:
    """Whether the revision is other than the quarter's first sending (a draft or a returned
    revision since, or sent later), read by the database as `first_day`."""
    return Case(
        When(Q(first_submitted_at__isnull=True, submitted_at__isnull=True), then=Value(False)),
        When(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED], then=Value(True)),
        When(submitted_at=Coalesce("first_submitted_at", "submitted_at"), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


@dataclass(frozen=True)
class QuarterUnits:
    period: ReportingPeriod
    expected: set[int]  # units expected to report
    assigned: set[int]  # units with an assignment, expected or not


def cell_state(
    expected: bool, period: ReportingPeriod, found: Found | None, today: dt.date
) -> tuple[CellStatus, Timing, int]:
    """A cell's status, timing and days late or overdue (`cell_status`, `timing`)."""
    status = cell_status(
        expected, found.status if found else None, found.in_force if found else False
    )
    when, days = timing(status, period.due, found.first_sent_on if found else None, today)
    return status, when, days


def _cell(unit: Unit, quarter: QuarterUnits, found: Found | None, today: dt.date) -> Cell:
    period, expected = quarter.period, unit.pk in quarter.expected
    status, when, days = cell_state(expected, period, found, today)
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


def province_asks(period: ReportingPeriod, asked: Asked) -> bool:
    """Whether the province has fields of its own to report in `period`."""
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
    if not province or province_asks(period, asked):
        return assigned
    return [a for a in assigned if a.scope != AssignmentScope.PROVINCE]


KIND_ORDER = {"province": 0, "grassroots": 2, "occupational": 2}


@dataclass
class _Read:
    """What a grid of some quarters reads, whatever the rows shown: the row units in order
    (id, code, name, kind), each quarter's expected and assigned units, and per (unit,
    quarter) whether the quarter is submitted or approved."""

    quarters: list[QuarterUnits]
    units: list[tuple[int, str, str, str]]
    done: set[tuple[int, int]]


def _read(periods: Sequence[ReportingPeriod]) -> _Read:
    """One query for the quarters' assignments, one for the row units, one for reports;
    rows, not objects (a national grid has thousands of units)."""
    quarters, ids = quarters_read(periods, Asked())
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


def quarters_read(
    periods: Sequence[ReportingPeriod], asked: Asked, unit_ids: Sequence[int] | None = None
) -> tuple[list[QuarterUnits], set[int]]:
    """Each quarter's expected and assigned units (those of `unit_ids` only, if given), and
    every unit assigned in one of them: one query."""
    covering = Q(pk__in=[])
    for p in periods:
        covering |= covering_q(p)
    found = Assignment.objects.filter(covering)
    if unit_ids is not None:
        found = found.filter(unit_id__in=list(unit_ids))
    assigned = found.values_list(
        "unit_id", "scope", "first_period__year", "first_period__quarter",
        "last_period__year", "last_period__quarter", "unit__valid_from", "unit__valid_to",
    )  # fmt: skip
    return quarters_of(periods, list(assigned), asked)


def quarters_of(
    periods: Sequence[ReportingPeriod], every_row: list[tuple[Any, ...]], asked: Asked
) -> tuple[list[QuarterUnits], set[int]]:
    """`quarters_read` from assignment rows already read (unit, scope, first and last
    quarters, the unit's lifetime)."""
    quarters: list[QuarterUnits] = []
    ids: set[int] = set()
    for p in periods:
        rows = _covering(every_row, p)
        assigned = {u for u, _scope in rows}
        # As `_expected`: the province's own report only when it has something to report.
        province = any(scope == AssignmentScope.PROVINCE for _u, scope in rows)
        every = not province or province_asks(p, asked)
        if every:
            expected = set(assigned)
        else:
            expected = {u for u, scope in rows if scope != AssignmentScope.PROVINCE}
        quarters.append(QuarterUnits(p, expected, assigned))
        ids |= assigned
    return quarters, ids


def _covering(every_row: list[tuple[Any, ...]], p: ReportingPeriod) -> list[tuple[int, str]]:
    """As `reports.assignments.covering_q`, on rows already read: the (unit, scope) of those
    covering `p` (one comprehension: a national term has 5,000 rows a quarter)."""
    key, cutoff = (p.year, p.quarter), p.cutoff
    return [
        (unit, scope)
        for unit, scope, first_y, first_q, last_y, last_q, start, end in every_row
        if (first_y, first_q) <= key
        and (last_y is None or key <= (last_y, last_q))
        and start <= cutoff
        and (end is None or cutoff < end)
    ]


def rows_built(
    quarters: Sequence[QuarterUnits],
    chosen: Sequence[tuple[int, str, str, str]],
    today: dt.date,
    found: dict[tuple[int, int], Found] | None = None,
) -> list[Row]:
    """The rows of the chosen units, with their cells (two queries; one if their working
    revisions are `found` already)."""
    ids = [u[0] for u in chosen]
    if found is None:
        found = working_revisions([q.period for q in quarters], ids)
    units = Unit.objects.in_bulk(ids)
    return [
        Row(units[pk], [_cell(units[pk], q, found.get((pk, q.period.pk)), today) for q in quarters])
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
    rows = rows_built(read.quarters, read.units, today)
    if status:
        rows = [r for r in rows if _matches(r, status)]
    return Grid(_columns(read), rows)


def _matches(row: Row, status: str) -> bool:
    return matches([(c.status, c.timing) for c in row.cells], status)


def matches(cells: Iterable[tuple[CellStatus, Timing]], status: str) -> bool:
    """Whether a row with these cells (status, timing) is kept by the filter on `status`
    ("late" for late or overdue)."""
    if status == "late":
        return any(when in (Timing.LATE, Timing.OVERDUE) for _status, when in cells)
    return any(cell == status for cell, _when in cells)
