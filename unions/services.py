"""Reorganisation services: the only writers of units, their parent links and the closure.

Each runs in one transaction, refuses bad input with a ReorgError in the user's language,
keeps the history (links are closed, never rewritten) and refreshes the closure table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .closure import closure_rebuild
from .identifiers import code_problem, look_alike
from .models import (
    GRASSROOTS_KINDS,
    Sector,
    Unit,
    UnitClosure,
    UnitKind,
    UnitLink,
    active_on_q,
    overlapping_q,
)


class ReorgError(ValidationError):
    """A reorganisation that would break the hierarchy; the message says why."""


def _d(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# An application-wide key for PostgreSQL's advisory lock ("LC", then 1: the hierarchy).
HIERARCHY_LOCK = 0x4C43_0001


def _hierarchy_lock(*units: Unit | None) -> None:
    """Reorganisations one at a time, each seeing what the previous one committed.

    Each computes closure rows from the links it reads: two at once could each miss the
    other's change (a unit moved under a district that is moving to another province keeps
    the old province above it; a district dissolved while a unit moves under it ends with the
    unit still there). On PostgreSQL a transaction-level advisory lock, released at commit;
    SQLite lets only one transaction write at a time. The units were read before the lock,
    so they are read again.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HIERARCHY_LOCK])
    for unit in units:
        if unit is not None and unit.pk is not None:
            unit.refresh_from_db()


@dataclass(frozen=True)
class UnitData:
    code: str
    name: str
    kind: str
    valid_from: dt.date
    parent: Unit | None = None
    sector: str = ""
    budget_paid: bool = False
    valid_to: dt.date | None = None
    is_demo: bool = False
    note: str = ""


def _check_new_unit(data: UnitData) -> None:
    if not data.code.strip():
        raise ReorgError(_("A unit needs a code."))
    if not data.name.strip():
        raise ReorgError(_("A unit needs a name."))
    if data.kind not in UnitKind.values:
        raise ReorgError(_("Unknown unit kind “%(kind)s”.") % {"kind": data.kind})
    code = data.code.strip()  # compared as it will be stored
    if Unit.objects.filter(code=code).exists():
        raise ReorgError(_("The code %(code)s is already used by another unit.") % {"code": code})
    _check_code(code)
    if data.valid_to is not None and data.valid_to <= data.valid_from:
        raise ReorgError(_("The end date must be after the start date."))
    grassroots = data.kind in GRASSROOTS_KINDS
    if grassroots and data.sector not in Sector.values:
        raise ReorgError(_("A grassroots union needs a sector."))
    if not grassroots and data.sector:
        raise ReorgError(_("Only grassroots unions have a sector."))
    if data.kind != UnitKind.PROVINCE and data.parent is None:
        raise ReorgError(_("Only a provincial federation can stand without a parent."))


def _check_code(code: str, unit: Unit | None = None) -> None:
    """Safe in URLs and files, and not to be mistaken for another unit's code."""
    problem = code_problem(code)
    if problem:
        raise ReorgError(problem)
    others = Unit.objects.exclude(pk=unit.pk) if unit is not None else Unit.objects.all()
    other = look_alike(code, others.values_list("code", flat=True))
    if other is not None:
        raise ReorgError(
            _("The code %(code)s is too like %(other)s, the code of another unit.")
            % {"code": code, "other": other}
        )


def _check_parent(parent: Unit, child_kind: str, start: dt.date, end: dt.date | None) -> None:
    """The parent must exist on every day of [start, end) and be able to hold the child."""
    if not parent.is_active_on(start):
        raise ReorgError(
            _("%(parent)s did not exist on %(date)s.") % {"parent": parent.name, "date": _d(start)}
        )
    if parent.valid_to is not None and (end is None or end > parent.valid_to):
        raise ReorgError(
            _("%(parent)s ends on %(date)s; it cannot hold a unit beyond that date.")
            % {"parent": parent.name, "date": _d(parent.last_day or parent.valid_to)}
        )
    if parent.kind in GRASSROOTS_KINDS and child_kind not in GRASSROOTS_KINDS:
        raise ReorgError(_("A grassroots union can only hold grassroots units."))


@transaction.atomic
def unit_create(data: UnitData) -> Unit:
    _hierarchy_lock(data.parent)
    _check_new_unit(data)
    if data.parent is not None:
        _check_parent(data.parent, data.kind, data.valid_from, data.valid_to)
    unit = Unit.objects.create(
        code=data.code.strip(),
        name=data.name.strip(),
        kind=data.kind,
        sector=data.sector,
        budget_paid=data.budget_paid,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        is_demo=data.is_demo,
        note=data.note,
    )
    if data.parent is not None:
        UnitLink.objects.create(
            child=unit, parent=data.parent, valid_from=data.valid_from, valid_to=data.valid_to
        )
    closure_rebuild([unit.pk])
    return unit


@transaction.atomic
def unit_update(unit: Unit, *, name: str, sector: str, budget_paid: bool, note: str = "") -> Unit:
    """Changes what describes a unit; dates and parents change only through the services below."""
    if not name.strip():
        raise ReorgError(_("A unit needs a name."))
    if unit.is_grassroots and sector not in Sector.values:
        raise ReorgError(_("A grassroots union needs a sector."))
    unit.name, unit.sector, unit.budget_paid, unit.note = name.strip(), sector, budget_paid, note
    if not unit.is_grassroots:
        unit.sector = ""
    unit.save(update_fields=["name", "sector", "budget_paid", "note"])
    return unit


def _would_cycle(unit: Unit, parent: Unit, start: dt.date) -> bool:
    """Whether `parent` is `unit` or lies below it on some day from `start` on."""
    if unit.pk == parent.pk:
        return True
    return UnitClosure.objects.filter(
        overlapping_q(start, None), ancestor=unit, descendant=parent
    ).exists()


def _was_ever_below(lower: Unit, upper: Unit) -> bool:
    """Whether parent links, whatever their dates, lead up from `lower` to `upper`.

    closure_rebuild follows links without regard to their dates, so a link from `upper` down
    to `lower` would send it into endless recursion even when the dates never meet.
    """
    parents: dict[int, set[int]] = defaultdict(set)
    for child_id, parent_id in UnitLink.objects.values_list("child_id", "parent_id"):
        parents[child_id].add(parent_id)
    seen: set[int] = set()
    stack = [lower.pk]
    while stack:
        pk = stack.pop()
        if pk == upper.pk:
            return True
        if pk not in seen:
            seen.add(pk)
            stack.extend(parents[pk])
    return False


def _move_one(unit: Unit, new_parent: Unit, on: dt.date) -> None:
    if not unit.is_active_on(on):
        raise ReorgError(
            _("%(unit)s did not exist on %(date)s.") % {"unit": unit.name, "date": _d(on)}
        )
    if _would_cycle(unit, new_parent, on):
        raise ReorgError(
            _("%(parent)s is %(unit)s itself or lies below it: the move would make a cycle.")
            % {"parent": new_parent.name, "unit": unit.name}
        )
    if _was_ever_below(new_parent, unit):
        raise ReorgError(
            _("%(parent)s was below %(unit)s at another time; it cannot become its parent.")
            % {"parent": new_parent.name, "unit": unit.name}
        )
    _check_parent(new_parent, unit.kind, on, unit.valid_to)
    if UnitLink.objects.filter(child=unit, valid_from__gt=on).exists():
        raise ReorgError(
            _(
                "%(unit)s already has a later change of parent; "
                "undo it before moving it from %(date)s."
            )
            % {"unit": unit.name, "date": _d(on)}
        )
    current = UnitLink.objects.filter(active_on_q(on), child=unit).first()
    if current is not None and current.parent_id == new_parent.pk:
        raise ReorgError(
            _("%(unit)s is already under %(parent)s on %(date)s.")
            % {"unit": unit.name, "parent": new_parent.name, "date": _d(on)}
        )
    if current is not None and current.valid_from == on:
        current.delete()
    elif current is not None:
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    UnitLink.objects.create(child=unit, parent=new_parent, valid_from=on, valid_to=unit.valid_to)


@transaction.atomic
def unit_move(units: Sequence[Unit], new_parent: Unit, on: dt.date) -> None:
    """Places `units` under `new_parent` from `on`; the old parent keeps them before that date."""
    if not units:
        raise ReorgError(_("Choose at least one unit to move."))
    _hierarchy_lock(*units, new_parent)
    for unit in units:
        _move_one(unit, new_parent, on)
    closure_rebuild([u.pk for u in units])


@transaction.atomic
def unit_dissolve(unit: Unit, on: dt.date, successor: Unit | None = None) -> None:
    """Ends `unit` on `on` (its last day is the day before).

    Units still under it move to the successor; without a successor they must have been
    moved or dissolved first.
    """
    _hierarchy_lock(unit, successor)
    if on <= unit.valid_from:
        raise ReorgError(
            _("%(unit)s only began on %(date)s; it cannot be dissolved before then.")
            % {"unit": unit.name, "date": _d(unit.valid_from)}
        )
    if unit.valid_to is not None and unit.valid_to <= on:
        raise ReorgError(
            _("%(unit)s was already dissolved on %(date)s.")
            % {"unit": unit.name, "date": _d(unit.valid_to)}
        )
    if successor is not None:
        if successor.pk == unit.pk or _would_cycle(unit, successor, on):
            raise ReorgError(_("A unit cannot be succeeded by itself or by a unit below it."))
        if not successor.is_active_on(on):
            raise ReorgError(
                _("The successor %(unit)s does not exist on %(date)s.")
                % {"unit": successor.name, "date": _d(on)}
            )
    children = [
        link.child
        for link in UnitLink.objects.filter(overlapping_q(on, None), parent=unit).select_related(
            "child"
        )
        if link.child.valid_to is None or link.child.valid_to > on
    ]
    if children and successor is None:
        names = ", ".join(c.name for c in children[:5])
        raise ReorgError(
            _(
                "%(count)d units are still under %(unit)s on %(date)s (%(names)s…). "
                "Move them first or name a successor to receive them."
            )
            % {"count": len(children), "unit": unit.name, "date": _d(on), "names": names}
        )
    if successor is not None:
        for child in children:
            _move_one(child, successor, on)
    UnitLink.objects.filter(child=unit, valid_from__gte=on).delete()
    for link in UnitLink.objects.filter(active_on_q(on), child=unit):  # saved so it is audited
        link.valid_to = on
        link.save(update_fields=["valid_to"])
    unit.valid_to = on
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor"])
    closure_rebuild([unit.pk, *(c.pk for c in children)])


@transaction.atomic
def unit_merge(units: Sequence[Unit], into: Unit, on: dt.date) -> None:
    """Dissolves each of `units` on `on`, naming `into` as successor; their units move to it."""
    if not units:
        raise ReorgError(_("Choose at least one unit to merge."))
    if any(u.pk == into.pk for u in units):
        raise ReorgError(_("A unit cannot be merged into itself."))
    for unit in units:  # each dissolution takes the lock and reads its units again
        unit_dissolve(unit, on, successor=into)
