"""Who may see what. Every view finds its objects through these helpers.

Office staff, administrators and the Standing Committee see the whole province; a reporter
sees its own unit and every unit that was ever below it. Outside that scope the answer is 404,
so a reporter cannot even learn that another district's unit exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Unit
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
