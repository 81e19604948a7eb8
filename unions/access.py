"""Who may see what. Every view finds its objects through these helpers.

Office staff, administrators and the Standing Committee see the whole province; a reporter
sees its own unit and every unit that was ever below it. Outside that scope the answer is 404,
so a reporter cannot even learn that another district's unit exists.

Access also follows dates: a unit's *figures* are the reporter's only for the time the unit
sat below the reporter's unit (`below_on_q`, `unit_below_on`). A district dissolved on
1 July 2025 keeps reading its CĐCS' reports up to the dissolution, and none of their later
ones, although it may still open the CĐCS' page to read its history.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Unit, UnitClosure
from .selectors import unit_ever_below

if TYPE_CHECKING:
    from accounts.models import User


def visible_unit_ids(user: User) -> set[int] | None:
    """None means "everything"; otherwise the ids of units the user may see."""
    if user.sees_whole_province:
        return None
    if user.unit_id is None:
        return set()
    return unit_ever_below(user.unit_id)


def visible_units(user: User) -> QuerySet[Unit]:
    ids = visible_unit_ids(user)
    units = Unit.objects.all()
    return units if ids is None else units.filter(pk__in=ids)


def unit_for_user(user: User, code: str) -> Unit:
    """The unit with `code` if the user may see it; 404 otherwise."""
    return get_object_or_404(visible_units(user), code=code)


def require_office(user: User) -> None:
    """Unit management is for office staff and administrators only."""
    if not user.can_manage_units:
        raise PermissionDenied


def require_visible(user: User, unit: Unit) -> None:
    ids = visible_unit_ids(user)
    if ids is not None and unit.pk not in ids:
        raise Http404


def below_on_q(user: User, unit_ref: str, on_ref: str) -> Q:
    """A filter: the row's unit (`unit_ref`) sat at or below the user's unit on the row's date.

    `unit_ref` and `on_ref` name fields of the filtered model, e.g. "unit_id" and
    "period__cutoff". Office staff and the Standing Committee pass every row.
    """
    if user.sees_whole_province:
        return Q()
    if user.unit_id is None:
        return Q(pk__in=[])
    on = OuterRef(on_ref)
    below = UnitClosure.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        ancestor_id=user.unit_id,
        descendant_id=OuterRef(unit_ref),
        valid_from__lte=on,
    )
    return Q(Exists(below))


def unit_below_on(user: User, unit_id: int, on: dt.date) -> bool:
    """Whether the user may read the unit's figures of `on` (its unit held it that day)."""
    if user.sees_whole_province:
        return True
    if user.unit_id is None:
        return False
    return UnitClosure.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        ancestor_id=user.unit_id,
        descendant_id=unit_id,
        valid_from__lte=on,
    ).exists()
