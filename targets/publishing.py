"""A programme's way from draft to published: the check, the publication, the early close.

The check lists every problem in words, so office staff can correct the draft themselves. A
programme is published only once checked and without problems, from the first day of a
quarter that has not begun yet or is the current one: the reports of earlier quarters stay as
they were reported. Publishing builds, in its own transaction, what the layers above need (the
quarters, the roll-up's pre-summed totals) through `targets.hooks`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _

from .hooks import programme_published
from .models import Display, Indicator, Programme, ProgrammeStatus, Target
from .programmes import quarter_of

HUNDRED = Decimal(100)


class ProgrammeRefused(ValidationError):
    """A change of a programme's status that its rules refuse."""


def _number(value: Decimal | None) -> str:
    """A target as people write it: 130, 12,5 (Vietnamese) or 12.5 (English)."""
    return formats.localize(Decimal(format((value or Decimal(0)).normalize(), "f")))


def _texts_missing(what: str, obj: object, names: list[str]) -> list[str]:
    problems = []
    for name in names:
        if not str(getattr(obj, f"{name}_vi", "") or "").strip():
            problems.append(_("%(what)s: the Vietnamese text is missing.") % {"what": what})
        if not str(getattr(obj, f"{name}_en", "") or "").strip():
            problems.append(_("%(what)s: the English text is missing.") % {"what": what})
    return problems


def _indicator_problems(indicator: Indicator, programme: Programme) -> list[str]:
    what = _("Indicator %(code)s") % {"code": indicator.code}
    # Two texts: each missing one is named, so the check never lists the same line twice.
    problems = _texts_missing(_("%(what)s, short name") % {"what": what}, indicator, ["name"])
    text = _("%(what)s, text of the programme") % {"what": what}
    problems += _texts_missing(text, indicator, ["text"])
    if indicator.numerator_id is None:
        problems.append(_("%(what)s has no data field to count.") % {"what": what})
    if indicator.display != Display.COUNT and indicator.denominator_id is None:
        problems.append(
            _("%(what)s is shown as a percentage or a ratio but has no denominator field.")
            % {"what": what}
        )
    targets = list(indicator.targets.all())
    if not targets:
        problems.append(_("%(what)s has no target.") % {"what": what})
    for target in targets:
        problems += _target_problems(target, indicator, programme, what)
    return problems


def _target_problems(
    target: Target, indicator: Indicator, programme: Programme, what: str
) -> list[str]:
    problems = []
    if target.value < 0 or (indicator.display == Display.PERCENT and target.value > HUNDRED):
        problems.append(
            _("%(what)s: the target %(value)s is out of range.")
            % {"what": what, "value": _number(target.value)}
        )
    if target.year is not None and not (
        programme.term_start.year <= target.year <= programme.term_end.year
    ):
        problems.append(
            _("%(what)s: the target's year %(year)s is outside the term.")
            % {"what": what, "year": target.year}
        )
    if indicator.display == Display.PERCENT and (target.baseline_value or 0) > HUNDRED:
        problems.append(
            _("%(what)s: the baseline %(value)s is out of range.")
            % {"what": what, "value": _number(target.baseline_value)}
        )
    return problems


def programme_check(programme: Programme) -> list[str]:
    """Every problem of the programme, in words (in the active language)."""
    problems = _texts_missing(_("The programme's title"), programme, ["title"])
    indicators = list(
        programme.indicators.select_related("numerator", "denominator")
        .order_by("order", "code")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("pk")))
    )
    if not indicators:
        problems.append(_("The programme has no indicator."))
    fields = {}
    for indicator in indicators:
        problems += _indicator_problems(indicator, programme)
        for f in (indicator.numerator, indicator.denominator):
            if f is not None:
                fields[f.code] = f
    for group in programme.task_groups.all():
        what = _("Task group %(code)s") % {"code": group.code}
        problems += _texts_missing(what, group, ["title"])
    for code in sorted(fields):
        what = _("Data field %(code)s") % {"code": code}
        problems += _texts_missing(what, fields[code], ["label"])
    return problems


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def programme_mark_checked(programme: Programme) -> list[str]:
    """Runs the check; a draft without problems becomes checked. Returns the problems."""
    current = _locked(programme)
    if not current.is_editable:
        raise ProgrammeRefused(_("Only a draft can be checked."))
    problems = programme_check(current)
    current.status = ProgrammeStatus.DRAFT if problems else ProgrammeStatus.CHECKED
    current.save(update_fields=["status"])
    programme.status = current.status
    return problems


@transaction.atomic
def programme_publish(programme: Programme, from_day: dt.date, today: dt.date) -> Programme:
    """Publishes a checked programme from the first day of a quarter (the current one or a
    later one): from that quarter the reports ask for its fields; the quarters and the roll-up
    follow in this transaction."""
    current = _locked(programme)
    if current.status != ProgrammeStatus.CHECKED:
        raise ProgrammeRefused(_("Only a checked programme can be published; check it first."))
    problems = programme_check(current)
    if problems:
        raise ProgrammeRefused(problems)
    year, quarter = quarter_of(from_day)
    if from_day != dt.date(year, quarter * 3 - 2, 1):
        raise ProgrammeRefused(_("Publish from the first day of a quarter."))
    if quarter_of(from_day) < quarter_of(today):
        raise ProgrammeRefused(
            _("Publish from the current quarter or a later one: earlier quarters stay as reported.")
        )
    if not current.term_start <= from_day <= current.term_end:
        raise ProgrammeRefused(_("Publish from a day within the programme's term."))
    current.status = ProgrammeStatus.PUBLISHED
    current.published_from = from_day
    current.save(update_fields=["status", "published_from"])
    programme_published(current)
    return current


@transaction.atomic
def programme_close(programme: Programme, from_day: dt.date, today: dt.date) -> Programme:
    """Closes a published programme early from the first day of a quarter (the current one or
    a later one): from that quarter its fields are no longer asked for; the quarters before
    keep it, so its figures stay readable."""
    current = _locked(programme)
    if current.status != ProgrammeStatus.PUBLISHED:
        raise ProgrammeRefused(_("Only a published programme can be closed."))
    if current.published_from is not None and from_day <= current.published_from:
        raise ProgrammeRefused(_("Close it after the day it was published from."))
    if from_day > current.term_end:
        raise ProgrammeRefused(_("Its term ends before that day: there is nothing to close."))
    year, quarter = quarter_of(from_day)
    if from_day != dt.date(year, quarter * 3 - 2, 1):
        raise ProgrammeRefused(
            _("Close it from the first day of a quarter: the quarters before keep it.")
        )
    if quarter_of(from_day) < quarter_of(today):
        raise ProgrammeRefused(
            _("Close it from the current quarter or a later one: earlier quarters were reported.")
        )
    current.status = ProgrammeStatus.CLOSED
    current.closed_from = from_day
    current.save(update_fields=["status", "closed_from"])
    return current
