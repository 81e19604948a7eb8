"""Reads behind the report pages: what a form shows, what a reporter may open and has to do.
The history of a report is read in `history`.

Each function runs a fixed number of queries, whatever the number of fields or events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from lib import formats
from targets.models import Field, RegistryCount, TaskGroup, TimeKind, field_groups
from targets.programmes import covers, programmes_in_force, programmes_shown, task_groups_of
from unions.models import UnitKind

from .findings import Checks, checks_of, previous_quarter
from .models import (
    Assignment,
    EventAction,
    Narrative,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
)
from .numbers import Entry, grouped
from .registry import registry_counts
from .services import indicator_pairs, previous_report, report_fields


def is_province_report(report: Report) -> bool:
    return report.unit.kind == UnitKind.PROVINCE


def entries_of(report: Report | None) -> dict[str, Entry]:
    if report is None:
        return {}
    rows = report.values.values_list("field__code", "state", "number")
    return {code: Entry(state, number) for code, state, number in rows}


def time_wording(field: Field, period: ReportingPeriod) -> str:
    """How the form says which moment or stretch of time a number covers."""
    if field.time_kind == TimeKind.STOCK:
        return _("as of %(date)s") % {"date": formats.day(period.cutoff)}
    if field.time_kind == TimeKind.YTD:
        return _("cumulative since 1 January")
    return _("in this quarter")


def entry_text(entry: Entry | None, language: str | None) -> str:
    """What an input shows for a stored value: digits grouped the reader's way (1.133 in
    Vietnamese, 1,133 in English), as the form reads them back."""
    if entry is None or entry.number is None:
        return ""
    return grouped(entry.number, language)


@dataclass
class FieldRow:
    field: Field
    when: str
    previous: Entry | None
    registry: int | None = None
    registry_note: str = ""


@dataclass
class FieldSection:
    label: str
    rows: list[FieldRow] = field(default_factory=list)


@dataclass(frozen=True)
class FormShape:
    """The inputs of a report's form: its fields, task groups and the programme's pairs (all a
    save needs; `FormContext` adds what the form shows)."""

    fields: list[Field]
    task_groups: list[TaskGroup]
    pairs: list[tuple[str, str]]


def form_shape(report: Report) -> FormShape:
    period = report.period
    programmes = programmes_in_force(period.year, period.quarter)
    return FormShape(
        fields=report_fields(period, province=is_province_report(report)),
        task_groups=task_groups_of(programmes),
        pairs=indicator_pairs(period, programmes),
    )


@dataclass
class FormContext:
    """Everything the form shows beside the inputs."""

    fields: list[Field]
    sections: list[FieldSection]
    task_groups: list[TaskGroup]
    current: dict[str, Entry]
    confirmed: set[str]
    narratives: dict[str, Narrative]
    previous: Report | None
    checks: Checks  # of the report's values, from the same reads as what the form shows
    pairs: list[tuple[str, str]] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # why a blank is not reported

    def initial_entries(self) -> dict[str, Entry]:
        """Stored values; a count the registry knows fills a field never filled in."""
        initial = dict(self.current)
        for section in self.sections:
            for row in section.rows:
                if row.field.code not in initial and row.registry is not None:
                    initial[row.field.code] = Entry.of(row.registry)
        return initial


def report_form_context(report: Report, shape: FormShape | None = None) -> FormContext:
    """`shape`: the form's (`form_shape`), when the caller has it."""
    period = report.period
    shape = shape or form_shape(report)
    previous = previous_report(report)
    before = entries_of(previous)
    known = list(RegistryCount.objects.all())
    counts = registry_counts(report.unit, period.cutoff, known)
    labels = {c.code: c.label for c in known}
    values = list(
        report.values.values_list("field__code", "state", "number", "warning_confirmed", "reason")
    )
    kinds = field_groups()
    sections = [FieldSection(g.label) for g in kinds]
    by_group = dict(zip([g.code for g in kinds], sections, strict=True))
    for f in shape.fields:
        by_group[f.group].rows.append(_row(f, report, before, counts, labels))
    key_of = {g.pk: g.key for g in shape.task_groups}
    return FormContext(
        fields=shape.fields,
        sections=[s for s in sections if s.rows],
        task_groups=shape.task_groups,
        current={code: Entry(state, number) for code, state, number, _c, _r in values},
        confirmed={code for code, _s, _n, confirmed, _r in values if confirmed},
        reasons={code: reason for code, _s, _n, _c, reason in values if reason},
        narratives={
            key_of[n.task_group_id]: n for n in report.narratives.all() if n.task_group_id in key_of
        },
        previous=previous,
        checks=checks_of(
            report,
            shape.fields,
            known,
            counts,
            previous_quarter(report, previous, before),
            shape.pairs,
        ),
        pairs=shape.pairs,
    )


def _row(
    f: Field,
    report: Report,
    before: dict[str, Entry],
    counts: dict[str, int],
    labels: dict[str, str],
) -> FieldRow:
    row = FieldRow(f, time_wording(f, report.period), before.get(f.code))
    if f.registry_count:
        row.registry = counts.get(f.registry_count, 0)
        row.registry_note = _("From the registry on %(date)s: %(n)s (%(what)s of %(unit)s).") % {
            "n": formats.num(row.registry),
            "what": labels.get(f.registry_count, f.registry_count),
            "unit": report.unit.name,
            "date": formats.day(report.period.cutoff),
        }
    return row


@dataclass(frozen=True)
class OpenSlot:
    """A period the reporter's unit is expected to report for and has no report yet."""

    unit_code: str
    unit_name: str
    period: ReportingPeriod
    programmes: tuple[str, ...] = ()  # the numbers of the programmes the report serves


def open_slots(user: User, today: dt.date) -> list[OpenSlot]:
    """Newest first; quarters whose cut-off has passed (a stock is known only then)."""
    if not user.is_reporter or user.unit_id is None:
        return []
    assignments = list(
        Assignment.objects.filter(unit_id=user.unit_id).select_related(
            "unit", "first_period", "last_period"
        )
    )
    if not assignments:
        return []
    done = set(Report.objects.filter(unit_id=user.unit_id).values_list("period_id", flat=True))
    periods = ReportingPeriod.objects.order_by("-year", "-quarter")
    every = list(programmes_shown().order_by("term_start", "pk"))
    slots = []
    for period in periods:
        if period.cutoff > today or period.pk in done:
            continue
        assignment = next((a for a in assignments if _covers(a, period)), None)
        if assignment is not None:
            serves = tuple(p.number for p in every if covers(p, period.year, period.quarter))
            slots.append(OpenSlot(assignment.unit.code, assignment.unit.name, period, serves))
    return slots


def _covers(assignment: Assignment, period: ReportingPeriod) -> bool:
    key = (period.year, period.quarter)
    first = assignment.first_period
    last = assignment.last_period
    unit = assignment.unit
    if key < (first.year, first.quarter):
        return False
    if last is not None and key > (last.year, last.quarter):
        return False
    return unit.valid_from <= period.cutoff and (
        unit.valid_to is None or period.cutoff < unit.valid_to
    )


@dataclass(frozen=True)
class Timeliness:
    """When the quarter's report was sent, as the report page tells it.

    Whether it came in on time is a fact about the quarter, judged on its first sending (later
    revisions keep it); the revision shown may have been sent again since, or be back with the
    reporter (returned, or reopened by the office) and not sent again yet.
    """

    on_time: bool | None  # None: never sent and not yet due
    days_late: int  # past the due date when first sent; if never sent, so far
    first_sent: dt.datetime | None = None
    sent_again: dt.datetime | None = None  # this revision's sending, when not the first
    waiting: bool = False  # sent before, now back with the reporter and not sent again yet
    sent_back: ReportEvent | None = None  # the return or reopening that sent it back

    @property
    def only_once(self) -> bool:
        """Sent once and that sending is what the page shows: no "first" to tell apart."""
        return self.first_sent is not None and self.sent_again is None and not self.waiting


def report_timeliness(
    report: Report, today: dt.date, sent_back: ReportEvent | None = None
) -> Timeliness:
    """`sent_back` is the quarter's latest return or reopening (`last_reason`), if any."""
    due = report.period.due
    first = report.first_submitted_at or report.submitted_at
    if first is None:
        return Timeliness(False, (today - due).days) if today > due else Timeliness(None, 0)
    late = (timezone.localdate(first) - due).days
    if report.is_editable:
        return Timeliness(late <= 0, max(late, 0), first, waiting=True, sent_back=sent_back)
    again = report.submitted_at if report.submitted_at not in (None, first) else None
    return Timeliness(late <= 0, max(late, 0), first, sent_again=again)


def previous_approved_revision(report: Report) -> Report | None:
    return (
        Report.objects.filter(
            unit_id=report.unit_id,
            period_id=report.period_id,
            revision__lt=report.revision,
            status=ReportStatus.APPROVED,
        )
        .order_by("-revision")
        .first()
    )


@dataclass(frozen=True)
class Waiting:
    """A report of the reporter's unit that waits on the reporter: returned, or not sent."""

    report: Report
    reason: str  # why it was returned ("" for a draft)


@dataclass(frozen=True)
class ToDo:
    returned: list[Waiting]
    drafts: list[Waiting]
    slots: list[OpenSlot]

    def __bool__(self) -> bool:
        return bool(self.returned or self.drafts or self.slots)

    @property
    def reopened(self) -> list[Waiting]:
        """Drafts of a quarter the office reopened (a reopening makes a new revision)."""
        return [w for w in self.drafts if w.report.revision > 1]

    @property
    def unsent(self) -> list[Waiting]:
        """First drafts not sent yet: due, with the quarters that have no report at all."""
        return [w for w in self.drafts if w.report.revision == 1]

    @property
    def due_count(self) -> int:
        return len(self.unsent) + len(self.slots)


def reporter_todo(user: User, today: dt.date) -> ToDo:
    """What a reporter has to do now, for the top of their home page: reports returned to
    them (with the reviewer's reason), drafts of ended quarters not yet sent, and ended
    quarters with no report at all. Newest first; five queries at most."""
    if not user.is_reporter or user.unit_id is None:
        return ToDo([], [], [])
    waiting = list(
        Report.objects.filter(
            unit_id=user.unit_id,
            is_latest=True,
            status__in=[ReportStatus.RETURNED, ReportStatus.DRAFT],
            period__cutoff__lte=today,
        )
        .select_related("period", "unit")
        .order_by("-period__year", "-period__quarter")
    )
    # Why each quarter came back: the latest return or reopen of any of its revisions (a
    # reopen is recorded on the approved revision it reopened).
    reasons: dict[int, str] = {}
    events = (
        ReportEvent.objects.filter(
            report__unit_id=user.unit_id,
            report__period_id__in=[r.period_id for r in waiting],
            action__in=[EventAction.RETURN, EventAction.REOPEN],
        )
        .exclude(reason="")
        .order_by("at", "pk")
    )
    for period_id, reason in events.values_list("report__period_id", "reason"):
        reasons[period_id] = reason  # the latest wins
    returned = [r for r in waiting if r.status == ReportStatus.RETURNED]
    drafts = [r for r in waiting if r.status == ReportStatus.DRAFT]
    return ToDo(
        returned=[Waiting(r, reasons.get(r.period_id, "")) for r in returned],
        drafts=[Waiting(r, reasons.get(r.period_id, "")) for r in drafts],
        slots=open_slots(user, today),
    )
