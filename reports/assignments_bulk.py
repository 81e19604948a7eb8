"""Ending or extending many units' assignments at once (the office, from the tracking pages).

The bulk service checks every unit's current assignment (its latest) first and changes
nothing unless all of them can be changed, in one transaction. Each change is a `save()`, so
each is audited, within `assignments_changing`, so the expected-report counts follow.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.formats import day
from unions.models import Unit

from .hooks import assignments_changing
from .models import Assignment, Report, ReportingPeriod, ReportStatus

END = "end"
EXTEND = "extend"


def _key(period: ReportingPeriod) -> tuple[int, int]:
    return period.year, period.quarter


def current_assignment(unit: Unit) -> Assignment | None:
    """The unit's latest assignment (the one an end or an extension changes)."""
    return (
        Assignment.objects.filter(unit=unit)
        .select_related("unit", "first_period", "last_period")
        .order_by("-first_period__year", "-first_period__quarter")
        .first()
    )


def _approved_after(unit: Unit, last: ReportingPeriod) -> ReportingPeriod | None:
    """The first quarter after `last` in which the unit has an approved report."""
    later = (
        Report.objects.filter(unit=unit, status=ReportStatus.APPROVED)
        .select_related("period")
        .order_by("period__year", "period__quarter")
    )
    return next((r.period for r in later if _key(r.period) > _key(last)), None)


def end_problems(assignment: Assignment, last: ReportingPeriod) -> list[str]:
    """Why `assignment` cannot end with `last` (empty when it can)."""
    unit = assignment.unit
    if _key(last) < _key(assignment.first_period):
        return [
            _("%(unit)s: its assignment begins in %(first)s, after %(last)s.")
            % {"unit": unit.code, "first": assignment.first_period.label, "last": last.label}
        ]
    approved = _approved_after(unit, last)
    if approved is not None:
        return [
            _("%(unit)s: a report for %(quarter)s is already approved; end it no earlier.")
            % {"unit": unit.code, "quarter": approved.label}
        ]
    return []


def extend_problems(assignment: Assignment, last: ReportingPeriod) -> list[str]:
    """Why `assignment` cannot run until `last` (empty when it can)."""
    unit = assignment.unit
    current = assignment.last_period
    if current is None:
        return [_("%(unit)s: its assignment has no end to extend.") % {"unit": unit.code}]
    if _key(last) <= _key(current):
        return [
            _("%(unit)s: its assignment already runs until %(last)s.")
            % {"unit": unit.code, "last": current.label}
        ]
    if unit.valid_to is not None and unit.valid_to <= last.cutoff:
        return [
            _("%(unit)s: the unit closed on %(day)s, before the cut-off of %(quarter)s.")
            % {"unit": unit.code, "day": day(unit.valid_to), "quarter": last.label}
        ]
    return []


@transaction.atomic
def assignments_bulk_change(units: list[Unit], last: ReportingPeriod, action: str) -> int:
    """Ends (END) or extends (EXTEND) the current assignment of every unit in `units` to the
    quarter `last`: all of them, or none with every reason why not. Returns how many."""
    found = [(unit, current_assignment(unit)) for unit in units]
    check = end_problems if action == END else extend_problems
    problems = [
        _("%(unit)s: the unit has no assignment.") % {"unit": unit.code}
        for unit, assignment in found
        if assignment is None
    ]
    chosen = [a for _unit, a in found if a is not None]
    for assignment in chosen:
        problems += check(assignment, last)
    if not units:
        problems.append(_("Choose at least one unit."))
    if problems:
        raise ValidationError(problems)
    # Each a save(), so each is audited; the expected-report counts follow in this transaction.
    with assignments_changing([a.unit_id for a in chosen]):
        for assignment in chosen:
            assignment.last_period = last
            assignment.save(update_fields=["last_period"])
    return len(chosen)
