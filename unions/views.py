"""Pages for the hierarchy: the tree on a date, search, a unit's page, and the office's forms.

Reads go through the access helpers (404 outside the user's subtree) and the selectors; every
write is one call of a reorganisation service made by a form's `submit()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.access import reads_whole_province, user_of

from .access import require_office, unit_for_user, visible_among, visible_units
from .forms import (
    MoveChildrenForm,
    TreeDateForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitEditForm,
    UnitFilter,
    UnitMergeForm,
    UnitMoveForm,
)
from .identifiers import code_problem
from .models import Unit, UnitKind, UnitLink, active_on_q
from .selectors import (
    LevelRow,
    reorganisation_days,
    unit_ancestors,
    unit_children,
    unit_history,
    unit_level_counts,
    unit_level_units,
)
from .services import ReorgError
from .views_picker import PICK_FIELDS

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 50


def quick_days() -> list[tuple[dt.date, str]]:
    """Days people compare the tree on, from the unit history: the end of the last full year
    before the first reorganisation, and the days the most units closed (15/06/2025, budget-paid
    CĐCS; 01/07/2025, districts, in Lai Châu's history)."""
    days = reorganisation_days()
    if not days:
        return []
    year_end = dt.date(days[0][0].year - 1, 12, 31)
    shown = [(year_end, formats.date_format(year_end, "SHORT_DATE_FORMAT"))]
    for day, closed in days:
        label = _("%(date)s: %(n)s units closed") % {
            "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
            "n": closed,
        }
        shown.append((day, label))
    return shown


def _linkable(user: User, units: Iterable[Unit | None]) -> Callable[[Unit | None], bool]:
    """Whether a page may link to one of `units`: only to units the user can open (one query
    about these units, not a load of the user's whole scope)."""
    ids = visible_among(user, (u.pk for u in units if u is not None))
    return lambda unit: unit is not None and unit.pk in ids


# A level with more units than this is shown in pages (a province can hold hundreds of CĐCS).
LEVEL_PAGE_SIZE = 200


def _level_unit(request: HttpRequest, user: User) -> Unit | None:
    """The unit whose level is shown: `unit` if asked for (404 outside the user's scope), else
    the user's own unit, or None for the roots (people who see the whole province)."""
    code = request.GET.get("unit", "").strip()
    if code:
        return unit_for_user(user, code)
    return None if reads_whole_province(request) else user.unit


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree on a day, one level at a time: the units directly under one unit, each with
    what lies below it and a link that opens its own level. Plain links, no script; each
    level costs a few queries whatever the size of the tree."""
    user = user_of(request)
    form = TreeDateForm(request.GET)
    on = form.day()
    focus = _level_unit(request, user)
    units: list[Unit] = []
    if focus is None and reads_whole_province(request):
        units = unit_level_units(on, None)
        if len(units) == 1:  # one province (or one national root): open it at once
            focus = units[0]
    existed = focus is None or focus.is_active_on(on)
    if focus is not None and existed:
        units = unit_level_units(on, focus)
    page = Paginator(units, LEVEL_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = unit_level_counts(on, page.object_list)
    above = unit_ancestors(focus, on) if focus is not None and existed else []
    linkable = _linkable(user, above)
    context = {
        "form": form,
        "on": on,
        "today": timezone.localdate(),
        "quick_days": quick_days(),
        "focus": focus,
        "chosen": focus.code if focus is not None and request.GET.get("unit") else "",
        "existed": existed,
        "path": [(a, linkable(a)) for a in above],
        "rows": rows,
        "page": page,
        "totals": _totals(focus, rows) if page.paginator.num_pages == 1 else None,
    }
    return render(request, "unions/tree.html", context)


def _totals(focus: Unit | None, rows: list[LevelRow]) -> tuple[int, int]:
    """(units, CĐCS) in the shown unit's subtree (the whole tree without one), itself
    included: on a day the tree is a tree, so it is the sum of its children's."""
    units = sum(1 + r.units_below for r in rows) + (focus is not None)
    grassroots = sum(r.grassroots_count + r.unit.is_grassroots for r in rows)
    return units, grassroots + (focus is not None and focus.is_grassroots)


def _parents_on(units: Iterable[Unit], on: dt.date) -> dict[int, Unit]:
    """Each unit's parent on `on`, in one query."""
    links = UnitLink.objects.filter(active_on_q(on), child__in=[u.pk for u in units])
    return {link.child_id: link.parent for link in links.select_related("parent")}


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    unit_filter = UnitFilter(request.GET, queryset=visible_units(user).order_by("code"))
    page = Paginator(unit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    on = unit_filter.day()
    parents = _parents_on(page.object_list, on)
    linkable = _linkable(user, parents.values())
    rows = [(unit, parents.get(unit.pk)) for unit in page.object_list]
    rows_linked = [(unit, parent, linkable(parent)) for unit, parent in rows]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": unit_filter,
        "page": page,
        "rows": rows_linked,
        "on": on,
        "query": query.urlencode(),
        **_closed_matches(request, user, page.paginator.count),
    }
    return render(request, "unions/search.html", context)


def _closed_matches(request: HttpRequest, user: User, found: int) -> dict[str, Any]:
    """When nothing active matches, whether closed units do (a district dissolved in 2025 is
    what people still search for): their number and the search that shows them."""
    if found or request.GET.get("status", UnitFilter.ACTIVE) == UnitFilter.ALL:
        return {}
    every = request.GET.copy()
    every["status"] = UnitFilter.ALL
    every.pop("page", None)
    closed = UnitFilter(every, queryset=visible_units(user)).qs.count()
    return {"closed_matches": closed, "closed_query": every.urlencode()} if closed else {}


def _detail_day(request: HttpRequest, unit: Unit) -> tuple[TreeDateForm, dt.date]:
    """The day whose children are listed: asked for, else today, else the unit's last day."""
    form = TreeDateForm(request.GET)
    on = form.day()
    if not form.data.get("on") and unit.last_day is not None:
        on = min(on, unit.last_day)
    return form, on


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user = user_of(request)
    unit = unit_for_user(user, code)
    form, on = _detail_day(request, unit)
    children = unit_children(unit, on)
    rows = unit_history(unit)
    before = list(unit.predecessors.order_by("code"))
    linkable = _linkable(user, [*(row.parent for row in rows), *before, unit.successor])
    history = [
        {
            "parent": row.parent,
            "linked": linkable(row.parent),
            "valid_from": row.valid_from,
            "last_day": row.valid_to - dt.timedelta(days=1) if row.valid_to else None,
        }
        for row in rows
    ]
    predecessors = [(p, linkable(p)) for p in before]
    closed = unit.valid_to is not None and unit.valid_to <= timezone.localdate()
    move_form: MoveChildrenForm | None = None
    if user.can_manage_units and children and not closed:
        move_form = MoveChildrenForm(
            prefix="move", parent=unit, children=children, initial={"on": timezone.localdate()}
        )
    checkboxes: list[Any] = list(move_form["units"]) if move_form else [None] * len(children)
    context = {
        "unit": unit,
        "form": form,
        "on": on,
        "closed": closed,
        "children": list(zip(children, checkboxes, strict=True)),
        "history": history,
        "predecessors": predecessors,
        "successor_linked": linkable(unit.successor),
        "can_manage": user.can_manage_units,
        "code_problem": code_problem(unit.code),
        "move_form": move_form,
    }
    return render(request, "unions/detail.html", context)


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: Promise,
    success: Promise,
    unit: Unit | None = None,
    template: str = "unions/form.html",
) -> HttpResponse:
    """Shows `form`; on a valid POST runs its service and goes to the unit's page.

    A ReorgError becomes a form error, so the page comes back with everything typed kept.
    """
    if request.method == "POST" and form.is_valid():
        try:
            target = form.submit()
        except ReorgError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(success) % {"unit": target.name})
            return redirect("unions:detail", target.url_key)
    context = {"form": form, "title": title, "unit": unit, "pick_fields": PICK_FIELDS}
    return render(request, template, context)


def _office_unit(request: HttpRequest, code: str) -> Unit:
    """404 outside the user's scope (as everywhere), then 403 for anyone but office staff."""
    user = user_of(request)
    unit = unit_for_user(user, code)
    require_office(user)
    return unit


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest) -> HttpResponse:
    require_office(user_of(request))
    initial = {"parent": request.GET.get("parent", ""), "valid_from": timezone.localdate()}
    if request.GET.get("kind") in UnitKind.values:
        initial["kind"] = request.GET["kind"]
    form = UnitCreateForm(_data(request), initial=initial)
    return _form_page(request, form, title=_("New unit"), success=_("%(unit)s was created."))


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    form = UnitEditForm(_data(request), unit=unit)
    return _form_page(
        request, form, title=_("Edit description"), success=_("%(unit)s was saved."), unit=unit
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_move_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    initial = {"on": timezone.localdate(), "new_parent": request.GET.get("new_parent", "")}
    form = UnitMoveForm(_data(request), unit=unit, initial=initial)
    return _form_page(
        request,
        form,
        title=_("Move to another parent"),
        success=_("%(unit)s was moved."),
        unit=unit,
    )


@login_required
@require_http_methods(["GET", "POST"])
def move_children(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    _form, on = _detail_day(request, unit)
    form = MoveChildrenForm(
        _data(request),
        prefix="move",
        parent=unit,
        children=unit_children(unit, on),
        initial={"on": timezone.localdate()},
    )
    return _form_page(
        request,
        form,
        title=_("Move units under this one"),
        success=_("The chosen units under %(unit)s were moved."),
        unit=unit,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_dissolve_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    form = UnitDissolveForm(
        _data(request), unit=unit, initial={"successor": request.GET.get("successor", "")}
    )
    return _form_page(
        request, form, title=_("Dissolve"), success=_("%(unit)s was dissolved."), unit=unit
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge_view(request: HttpRequest) -> HttpResponse:
    require_office(user_of(request))
    initial = {"into": request.GET.get("into", ""), "units": request.GET.get("units", "")}
    form = UnitMergeForm(_data(request), initial=initial)
    return _form_page(
        request,
        form,
        title=_("Merge units"),
        success=_("The units were merged into %(unit)s."),
    )
