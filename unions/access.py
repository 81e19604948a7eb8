"""Who may see what. Every view finds its objects through these helpers.

Office staff, administrators and the Standing Committee see the whole province; a reporter
sees its own unit and every unit that was ever below it. Outside that scope the answer is 404,
so a reporter cannot even learn that another district's unit exists.

Access also follows dates: a unit's *figures* are the reporter's only for the time the unit
sat below the reporter's unit (`below_on_q`). A district dissolved on
1 July 2025 keeps reading its CĐCS' reports up to the dissolution, and none of their later
ones, although it may still open the CĐCS' page to read its history.

A reporter's scope is a subquery on the closure table, never a list of ids in Python: a
province's reporter sees about 3,600 units nationally, and loading their ids on every page
cost 15–22 ms; the database joins them in a fraction of that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from .identifiers import id_in_key
from .models import Unit, UnitClosure
from .selectors import unit_ever_below

if TYPE_CHECKING:
    from accounts.models import User


def visible_unit_ids(user: User) -> set[int] | None:
    """None means "everything"; otherwise the ids of units the user may see.

    Loads them all: prefer `visible_q`, `can_see` and `visible_among`, which do not.
    """
    if user.sees_whole_province:
        return None
    if user.unit_id is None:
        return set()
    return unit_ever_below(user.unit_id)


def visible_subquery(user: User) -> QuerySet[UnitClosure, Any] | None:
    """None means "everything"; otherwise a subquery of the ids of units the user may see."""
    if user.sees_whole_province:
        return None
    return UnitClosure.objects.filter(ancestor_id=user.unit_id).values("descendant_id")


def visible_q(user: User, field: str = "pk") -> Q:
    """Rows whose unit (`field`, the unit's id) the user may see; Q() for everything."""
    below = visible_subquery(user)
    if below is None:
        return Q()
    if user.unit_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": below})


def visible_units(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(visible_q(user))


def can_see(user: User, unit_id: int) -> bool:
    """Whether the user may see the unit: one indexed lookup, whatever the scope's size."""
    if user.sees_whole_province:
        return True
    return (
        user.unit_id is not None
        and UnitClosure.objects.filter(ancestor_id=user.unit_id, descendant_id=unit_id).exists()
    )


def visible_among(user: User, unit_ids: Iterable[int]) -> set[int]:
    """Those of `unit_ids` the user may see (to decide which names on a page are links)."""
    ids = set(unit_ids)
    if user.sees_whole_province or not ids:
        return ids
    if user.unit_id is None:
        return set()
    rows = UnitClosure.objects.filter(ancestor_id=user.unit_id, descendant_id__in=ids)
    return set(rows.values_list("descendant_id", flat=True))


def unit_by_key(units: QuerySet[Unit], key: str) -> Unit:
    """The unit of `units` that a URL names: by code, or by id as "~123" (unit.url_key)."""
    pk = id_in_key(key)
    return get_object_or_404(units, pk=pk) if pk is not None else get_object_or_404(units, code=key)


def unit_for_user(user: User, code: str) -> Unit:
    """The unit with `code` (or the URL key "~id") if the user may see it; 404 otherwise."""
    return unit_by_key(visible_units(user), code)


def require_office(user: User) -> None:
    """Unit management is for office staff and administrators only."""
    if not user.can_manage_units:
        raise PermissionDenied


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
