"""The reporting calendar and who is expected to report in each quarter.

Assignments are data that office staff maintain; the portal proposes them from the tree as
it stood at each quarter's cut-off and checks that every CĐCS is covered exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.recording import audit_bulk_created
from targets.programmes import reporting_span
from unions.models import (
    GRASSROOTS_KINDS,
    UPPER_KINDS,
    Unit,
    UnitClosure,
    UnitKind,
    UnitLink,
    active_on_q,
)

from .assignments_bulk import end_problems
from .hooks import assignments_changing, calendar_changed
from .models import Assignment, AssignmentScope, ReportingCalendar, ReportingPeriod
from .periods import cutoff_date, due_date, quarters_between


def calendar_get() -> ReportingCalendar:
    """The federation's reporting calendar (one row, made on first use)."""
    calendar = ReportingCalendar.objects.order_by("pk").first()
    return calendar or ReportingCalendar.objects.create()


@transaction.atomic
def calendar_save(calendar: ReportingCalendar) -> list[ReportingPeriod]:
    """Saves the calendar and recomputes every quarter's cut-off and due date (and the totals
    of the quarters whose cut-off moved), in one transaction."""
    calendar.save()
    return periods_ensure()


@transaction.atomic
def periods_ensure() -> list[ReportingPeriod]:
    """Every quarter from the first programme's first reporting quarter to the end of the
    last programme's term, with cut-off and due dates from the calendar (a due date the
    office set for a quarter wins over the rule, unless the cut-off moved past it). Quarters are the
    federation's: a programme's reports begin with the quarter it was issued in, and a
    quarter outside every programme is never made (nor asked for)."""
    span = reporting_span()
    if span is None:
        return []
    calendar = calendar_get()
    overrides = {
        (p.year, p.quarter): p.due_override
        for p in ReportingPeriod.objects.filter(due_override__isnull=False)
    }
    periods = []
    for year, quarter in quarters_between(*span):
        cutoff = cutoff_date(year, quarter, calendar.cutoff_rule)
        override = overrides.get((year, quarter))
        if override is not None and override < cutoff:
            override = None  # the cut-off moved past it: the rule again
        period, _ = ReportingPeriod.objects.update_or_create(
            year=year,
            quarter=quarter,
            defaults={
                "cutoff": cutoff,
                "due": override or due_date(cutoff, calendar.due_days),
                "due_override": override,
            },
        )
        periods.append(period)
    # A moved cut-off can place a report under other units: the pre-summed totals of the
    # quarters whose cut-off changed are rebuilt here, in the same transaction.
    calendar_changed()
    return periods


@transaction.atomic
def due_dates_set(periods: list[ReportingPeriod], due: dt.date | None) -> list[ReportingPeriod]:
    """Sets the due date of every quarter in `periods` to `due` (None: back to the calendar's
    rule), all or none, then recomputes the quarters and what follows from their dates in the
    same transaction. Refused if `due` comes before a quarter's cut-off."""
    early = [p for p in periods if due is not None and due < p.cutoff]
    if early:
        raise ValidationError(
            [
                _("%(quarter)s: the due date cannot come before the cut-off (%(cutoff)s).")
                % {"quarter": p.label, "cutoff": date_format(p.cutoff, "SHORT_DATE_FORMAT")}
                for p in early
            ]
        )
    for period in periods:
        period.due_override = due
        period.save(update_fields=["due_override"])
    return periods_ensure()


def period_by_code(code: str) -> ReportingPeriod | None:
    from .periods import parse_period

    try:
        year, quarter = parse_period(code)
    except ValueError:
        return None
    return ReportingPeriod.objects.filter(year=year, quarter=quarter or 4).first()


@dataclass(frozen=True)
class Proposal:
    unit: Unit
    scope: str


def assignment_proposal(period: ReportingPeriod) -> list[Proposal]:
    """Who should report, from the tree at the cut-off.

    A union directly above grassroots reports for the CĐCS under it; a CĐCS directly under
    the province reports for itself; the province reports what it measures itself.
    """
    on = period.cutoff
    links = (
        UnitLink.objects.filter(active_on_q(on), active_on_q(on, "child__"))
        .filter(parent__kind=UnitKind.PROVINCE)
        .select_related("child", "parent")
    )
    proposals = []
    provinces = {}
    for link in links:
        provinces[link.parent.pk] = link.parent
        if link.child.kind in UPPER_KINDS:
            proposals.append(Proposal(link.child, AssignmentScope.SUBTREE))
        elif link.child.kind in GRASSROOTS_KINDS:
            proposals.append(Proposal(link.child, AssignmentScope.SELF))
    proposals += [Proposal(p, AssignmentScope.PROVINCE) for p in provinces.values()]
    return sorted(proposals, key=lambda p: (p.scope, p.unit.code))


@transaction.atomic
def assignments_apply_proposal() -> int:
    """Replaces the assignments with the proposal for every quarter of the reporting.

    Consecutive quarters with the same unit and scope become one assignment.
    """
    with assignments_changing(None):
        return _proposal_apply()


def _proposal_apply() -> int:
    Assignment.objects.all().delete()
    runs: dict[tuple[int, str], list[ReportingPeriod]] = {}
    created: list[Assignment] = []
    periods = periods_ensure()
    for index, period in enumerate(periods):
        current = {(p.unit.pk, p.scope) for p in assignment_proposal(period)}
        for key in list(runs):
            if key not in current:
                created.append(_assignment(key, runs.pop(key), periods, index))
        for key in current:
            runs.setdefault(key, []).append(period)
    for key, run in runs.items():
        created.append(_assignment(key, run, periods, None))
    Assignment.objects.bulk_create(created)
    audit_bulk_created(created)
    return len(created)


def _check_order(first: ReportingPeriod, last: ReportingPeriod | None) -> None:
    if last is not None and (last.year, last.quarter) < (first.year, first.quarter):
        raise ValidationError(_("The last quarter comes before the first."))


@transaction.atomic
def assignment_add(
    unit: Unit, scope: str, first: ReportingPeriod, last: ReportingPeriod | None
) -> Assignment:
    """`unit` reports for `scope` from `first` to `last` (None: until further notice)."""
    _check_order(first, last)
    with assignments_changing([unit.pk]):
        return Assignment.objects.create(
            unit=unit, scope=scope, first_period=first, last_period=last
        )


@transaction.atomic
def assignment_end(assignment: Assignment, last: ReportingPeriod) -> Assignment:
    """The assignment's last quarter is `last` (its audit entry is written with it)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _check_order(assignment.first_period, last)
    problems = end_problems(assignment, last)
    if problems:
        raise ValidationError(problems)
    assignment.last_period = last
    with assignments_changing([assignment.unit_id]):
        assignment.save(update_fields=["last_period"])
    return assignment


def _assignment(
    key: tuple[int, str],
    run: list[ReportingPeriod],
    periods: list[ReportingPeriod],
    end_index: int | None,
) -> Assignment:
    unit_id, scope = key
    return Assignment(
        unit_id=unit_id,
        scope=scope,
        first_period=run[0],
        last_period=run[-1] if end_index is not None else None,
    )


def covering_q(period: ReportingPeriod) -> Q:
    """Assignments that cover `period` and whose unit exists at its cut-off, as a filter."""
    return in_force_q(period) & active_on_q(period.cutoff, "unit__")


def in_force_q(period: ReportingPeriod) -> Q:
    """Assignments whose quarters include `period`, whether or not their unit exists at its
    cut-off (`covering_q` asks both)."""
    year, quarter = period.year, period.quarter
    starts_before = Q(first_period__year__lt=year) | Q(
        first_period__year=year, first_period__quarter__lte=quarter
    )
    ends_after = (
        Q(last_period__isnull=True)
        | Q(last_period__year__gt=year)
        | Q(last_period__year=year, last_period__quarter__gte=quarter)
    )
    return starts_before & ends_after


def assignments_for(period: ReportingPeriod) -> list[Assignment]:
    """Assignments covering `period` whose unit existed at the cut-off (one query)."""
    return list(
        Assignment.objects.filter(covering_q(period)).select_related("unit").order_by("unit__code")
    )


@dataclass
class Coverage:
    grassroots: int
    gaps: list[Unit] = field(default_factory=list)
    overlaps: list[tuple[Unit, list[Unit]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.gaps and not self.overlaps


def coverage_check(period: ReportingPeriod) -> Coverage:
    """Whether every CĐCS existing at the cut-off is in exactly one report of the quarter."""
    on = period.cutoff
    assignments = [a for a in assignments_for(period) if a.scope != AssignmentScope.PROVINCE]
    reporters = {a.unit.pk: a.unit for a in assignments}
    rows = UnitClosure.objects.filter(
        active_on_q(on),
        active_on_q(on, "descendant__"),
        ancestor_id__in=reporters,
        descendant__kind__in=list(GRASSROOTS_KINDS),
    ).values_list("ancestor_id", "descendant_id")
    self_only = {a.unit.pk for a in assignments if a.scope == AssignmentScope.SELF}
    covered_by: dict[int, list[int]] = {}
    for ancestor_id, descendant_id in rows:
        if ancestor_id in self_only and ancestor_id != descendant_id:
            continue
        covered_by.setdefault(descendant_id, []).append(ancestor_id)
    grassroots = {u.pk: u for u in Unit.objects.active_on(on).grassroots()}
    counts = Counter({pk: len(covered_by.get(pk, [])) for pk in grassroots})
    return Coverage(
        grassroots=len(grassroots),
        gaps=sorted((grassroots[pk] for pk, n in counts.items() if n == 0), key=lambda u: u.code),
        overlaps=[
            (grassroots[pk], [reporters[r] for r in covered_by[pk]])
            for pk, n in sorted(counts.items())
            if n > 1
        ],
    )


def today_period(today: dt.date) -> ReportingPeriod | None:
    """The last quarter whose cut-off has passed."""
    return ReportingPeriod.objects.filter(cutoff__lt=today).order_by("-year", "-quarter").first()
