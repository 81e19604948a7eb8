"""Reorganisation services: the only writers of units, their parent links and the closure.

Each runs in one transaction, refuses bad input with a ReorgError in the user's language,
keeps the history (links are closed, never rewritten) and refreshes the closure table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.recording import audit_bulk_created, audit_bulk_updated
from lib.formats import day

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
    _units_reread([u for u in units if u is not None and u.pk is not None])


def _units_reread(units: Sequence[Unit]) -> None:
    """refresh_from_db for many units in one query (a move may carry a thousand)."""
    fresh = Unit.objects.in_bulk([u.pk for u in units])
    for unit in units:
        if unit.pk not in fresh:
            raise Unit.DoesNotExist(f"unit {unit.pk} no longer exists")
        stored = fresh[unit.pk]
        for f in Unit._meta.concrete_fields:
            setattr(unit, f.attname, getattr(stored, f.attname))
        unit._state.fields_cache.clear()  # as refresh_from_db: related objects are read again


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
            _("%(parent)s did not exist on %(date)s.") % {"parent": parent.name, "date": day(start)}
        )
    if parent.valid_to is not None and (end is None or end > parent.valid_to):
        raise ReorgError(
            _("%(parent)s ends on %(date)s; it cannot hold a unit beyond that date.")
            % {"parent": parent.name, "date": day(parent.last_day or parent.valid_to)}
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
def unit_update(
    unit: Unit, *, name: str, sector: str, budget_paid: bool, note: str = "", code: str = ""
) -> Unit:
    """Changes what describes a unit; dates and parents change only through the services below.

    A `code` other than the unit's corrects it (a typo, or a code saved before the code rule
    that breaks URLs or looks like another unit's), under the same checks as a new code."""
    if not name.strip():
        raise ReorgError(_("A unit needs a name."))
    if unit.is_grassroots and sector not in Sector.values:
        raise ReorgError(_("A grassroots union needs a sector."))
    fields = ["name", "sector", "budget_paid", "note"]
    code = code.strip()
    if code and code != unit.code:
        if Unit.objects.exclude(pk=unit.pk).filter(code=code).exists():
            raise ReorgError(
                _("The code %(code)s is already used by another unit.") % {"code": code}
            )
        _check_code(code, unit)
        unit.code = code
        fields.append("code")
    unit.name, unit.sector, unit.budget_paid, unit.note = name.strip(), sector, budget_paid, note
    if not unit.is_grassroots:
        unit.sector = ""
    unit.save(update_fields=fields)
    return unit


def _would_cycle(unit: Unit, parent: Unit, start: dt.date) -> bool:
    """Whether `parent` is `unit` or lies below it on some day from `start` on."""
    if unit.pk == parent.pk:
        return True
    return UnitClosure.objects.filter(
        overlapping_q(start, None), ancestor=unit, descendant=parent
    ).exists()


def _ever_above(unit: Unit) -> set[int]:
    """`unit` and every unit its parent links, whatever their dates, lead up to.

    closure_rebuild follows links without regard to their dates, so a link from a unit down to
    one of these would send it into endless recursion even when the dates never meet. One query
    a level, whatever the size of the tree.
    """
    found = frontier = {unit.pk}
    while frontier:
        parents = set(
            UnitLink.objects.filter(child_id__in=frontier).values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found = found | frontier
    return found


@dataclass
class _MovePlan:
    """What a move of many units needs to know about them, read in a few queries."""

    above_parent: set[int]  # units the new parent lay below on some day from the move on
    ever_above_parent: set[int]  # units the new parent's links lead up to, whatever the dates
    later_change: set[int]  # units with a parent link starting after the move
    current: dict[int, UnitLink]  # each unit's link on the day of the move

    @classmethod
    def read(cls, units: Sequence[Unit], new_parent: Unit, on: dt.date) -> _MovePlan:
        ids = [u.pk for u in units]
        later: set[int] = set()
        current: dict[int, UnitLink] = {}
        for chunk in _chunks(ids):
            later.update(
                UnitLink.objects.filter(child_id__in=chunk, valid_from__gt=on).values_list(
                    "child_id", flat=True
                )
            )
            links = UnitLink.objects.filter(active_on_q(on), child_id__in=chunk)
            for link in links.select_related("child", "parent").order_by("-valid_from"):
                current[link.child_id] = link  # the earliest, as .first() took it
        above = UnitClosure.objects.filter(overlapping_q(on, None), descendant=new_parent)
        return cls(
            above_parent=set(above.values_list("ancestor_id", flat=True)),
            ever_above_parent=_ever_above(new_parent),
            later_change=later,
            current=current,
        )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    size = 900 if connection.vendor == "sqlite" else 20_000
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _check_move(
    unit: Unit, new_parent: Unit, on: dt.date, plan: _MovePlan, moved: set[int]
) -> None:
    """Refuses the move of one unit, in the order of the checks people read in the form."""
    if not unit.is_active_on(on):
        raise ReorgError(
            _("%(unit)s did not exist on %(date)s.") % {"unit": unit.name, "date": day(on)}
        )
    if unit.pk == new_parent.pk or unit.pk in plan.above_parent:
        raise ReorgError(
            _("%(parent)s is %(unit)s itself or lies below it: the move would make a cycle.")
            % {"parent": new_parent.name, "unit": unit.name}
        )
    if unit.pk in plan.ever_above_parent:
        raise ReorgError(
            _("%(parent)s was below %(unit)s at another time; it cannot become its parent.")
            % {"parent": new_parent.name, "unit": unit.name}
        )
    _check_parent(new_parent, unit.kind, on, unit.valid_to)
    if unit.pk in plan.later_change:
        raise ReorgError(
            _(
                "%(unit)s already has a later change of parent; "
                "undo it before moving it from %(date)s."
            )
            % {"unit": unit.name, "date": day(on)}
        )
    current = plan.current.get(unit.pk)
    # A unit named twice is already under the new parent by the time its second turn comes.
    if unit.pk in moved or (current is not None and current.parent_id == new_parent.pk):
        raise ReorgError(
            _("%(unit)s is already under %(parent)s on %(date)s.")
            % {"unit": unit.name, "parent": new_parent.name, "date": day(on)}
        )


def _move_many(units: Sequence[Unit], new_parent: Unit, on: dt.date) -> None:
    """Checks every unit, then closes (or replaces) their links and opens new ones, in bulk.

    A few queries whatever the number of units; the audit log gets one entry per link as
    when each was saved on its own.
    """
    plan = _MovePlan.read(units, new_parent, on)
    moved: set[int] = set()
    for unit in units:
        _check_move(unit, new_parent, on, plan, moved)
        moved.add(unit.pk)
    links = [plan.current[u.pk] for u in units if u.pk in plan.current]
    for link in links:
        if link.valid_from == on:
            link.delete()  # rare (a second move on the same day): signals audit it
    closing = [link for link in links if link.valid_from != on]
    for chunk in _chunks([link.pk for link in closing]):
        UnitLink.objects.filter(pk__in=chunk).update(valid_to=on)
    changes = []
    for link in closing:
        changes.append((link, {"valid_to": link.valid_to}))
        link.valid_to = on
    audit_bulk_updated(changes)
    created = UnitLink.objects.bulk_create(
        [UnitLink(child=u, parent=new_parent, valid_from=on, valid_to=u.valid_to) for u in units],
        batch_size=500,
    )
    audit_bulk_created(created)


@transaction.atomic
def unit_move(units: Sequence[Unit], new_parent: Unit, on: dt.date) -> None:
    """Places `units` under `new_parent` from `on`; the old parent keeps them before that date."""
    if not units:
        raise ReorgError(_("Choose at least one unit to move."))
    _hierarchy_lock(*units, new_parent)
    _move_many(units, new_parent, on)
    closure_rebuild([u.pk for u in units])


@transaction.atomic
def unit_dissolve(unit: Unit, on: dt.date, successor: Unit | None = None) -> None:
    """Ends `unit` on `on` (its last day is the day before).

    Units still under it move to the successor; without a successor they must have been
    moved or dissolved first.
    """
    _hierarchy_lock(unit, successor)
    _dissolution_check(unit, on, successor)
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
            % {"count": len(children), "unit": unit.name, "date": day(on), "names": names}
        )
    if successor is not None and children:
        _move_many(children, successor, on)
    UnitLink.objects.filter(child=unit, valid_from__gte=on).delete()
    for link in UnitLink.objects.filter(active_on_q(on), child=unit):  # saved so it is audited
        link.valid_to = on
        link.save(update_fields=["valid_to"])
    unit.valid_to = on
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor"])
    closure_rebuild([unit.pk, *(c.pk for c in children)])


def _dissolution_check(unit: Unit, on: dt.date, successor: Unit | None) -> None:
    """Refuses a dissolution before the unit began or after it ended, and a successor that is
    the unit, below it, or not there on the day."""
    if on <= unit.valid_from:
        raise ReorgError(
            _("%(unit)s only began on %(date)s; it cannot be dissolved before then.")
            % {"unit": unit.name, "date": day(unit.valid_from)}
        )
    if unit.valid_to is not None and unit.valid_to <= on:
        raise ReorgError(
            _("%(unit)s was already dissolved on %(date)s.")
            % {"unit": unit.name, "date": day(unit.valid_to)}
        )
    if successor is not None:
        if successor.pk == unit.pk or _would_cycle(unit, successor, on):
            raise ReorgError(_("A unit cannot be succeeded by itself or by a unit below it."))
        if not successor.is_active_on(on):
            raise ReorgError(
                _("The successor %(unit)s does not exist on %(date)s.")
                % {"unit": successor.name, "date": day(on)}
            )


@transaction.atomic
def unit_merge(units: Sequence[Unit], into: Unit, on: dt.date) -> None:
    """Dissolves each of `units` on `on`, naming `into` as successor; their units move to it."""
    if not units:
        raise ReorgError(_("Choose at least one unit to merge."))
    if any(u.pk == into.pk for u in units):
        raise ReorgError(_("A unit cannot be merged into itself."))
    for unit in units:  # each dissolution takes the lock and reads its units again
        unit_dissolve(unit, on, successor=into)
