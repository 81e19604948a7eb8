"""The read API: thin views that check parameters, find objects through the access helpers
and return what the roll-up and the selectors say, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from rollup.engine import AS_NOW, AS_WAS, PeriodSpec, progress
from targets.models import Indicator, Programme, Target
from targets.programmes import programme_default, programmes_shown
from unions.access import unit_for_user, visible_q, visible_unit_ids
from unions.models import Unit, UnitKind, UnitLink, active_on_q
from unions.selectors import unit_history

from . import serialize as js
from .http import BadRequest, api_endpoint
from .openapi import UNIT_PAGE_DEFAULT, UNIT_PAGE_MAX, openapi_document

if TYPE_CHECKING:
    from accounts.models import User


def _param(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "").strip()


def _programme(request: HttpRequest) -> Programme:
    """The programme named by `programme`, else the one in force today, else the last one
    that ended (`targets.programmes.programme_default`, as every page)."""
    code = _param(request, "programme")
    if code:
        found = programmes_shown().filter(code=code).first()
        if found is None:
            raise BadRequest(_("Unknown programme %(code)s.") % {"code": code})
        return found
    current = programme_default(timezone.localdate())
    if current is None:
        raise Http404
    return current


def _period(text: str, programme: Programme) -> PeriodSpec:
    if not text:
        raise BadRequest(_("Give a period: a quarter such as 2024Q3, a year, or 'term'."))
    try:
        spec = PeriodSpec.parse(text)
    except ValueError:
        raise BadRequest(
            _("Period %(text)s is not a quarter such as 2024Q3, a year, or 'term'.")
            % {"text": text}
        ) from None
    first, last = programme.term_start.year, programme.term_end.year
    if spec.year is not None and not first <= spec.year <= last:
        raise BadRequest(
            _("Period %(text)s lies outside the programme's term (%(first)s–%(last)s).")
            % {"text": text, "first": first, "last": last}
        )
    return spec


def _tree(request: HttpRequest) -> str:
    tree = _param(request, "tree") or AS_WAS
    if tree not in (AS_WAS, AS_NOW):
        raise BadRequest(_("tree must be as_was or as_now."))
    return tree


def _provisional(request: HttpRequest, user: User) -> bool:
    include = _param(request, "include")
    if include not in ("", "provisional"):
        raise BadRequest(_("include may only be 'provisional'."))
    if include and not user.is_office:
        raise PermissionDenied(_("Only provincial office staff may include provisional data."))
    return bool(include)


def _date(request: HttpRequest, name: str) -> dt.date:
    text = _param(request, name)
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadRequest(
            _("%(name)s must be a date written YYYY-MM-DD.") % {"name": name}
        ) from None


@api_endpoint
def progress_view(request: HttpRequest, user: User) -> dict[str, Any]:
    tree, provisional = _tree(request), _provisional(request, user)
    programme = _programme(request)
    spec = _period(_param(request, "period"), programme)
    code = _param(request, "unit")
    if not code:
        raise BadRequest(_("Give a unit code."))
    unit = unit_for_user(user, code)
    return js.progress_json(progress(programme, unit, spec, tree=tree, provisional=provisional))


def _page_params(request: HttpRequest) -> tuple[int, int]:
    """`limit` (1 to UNIT_PAGE_MAX, default UNIT_PAGE_DEFAULT) and `offset` (0 or more)."""
    limit, offset = _param(request, "limit"), _param(request, "offset")
    if limit and not (limit.isdecimal() and 1 <= int(limit) <= UNIT_PAGE_MAX):
        raise BadRequest(
            _("limit must be a whole number from 1 to %(most)d.") % {"most": UNIT_PAGE_MAX}
        )
    if offset and not offset.isdecimal():
        raise BadRequest(_("offset must be a whole number, 0 or more."))
    return int(limit or UNIT_PAGE_DEFAULT), int(offset or 0)


@api_endpoint
def unit_list(request: HttpRequest, user: User) -> dict[str, Any]:
    on = _date(request, "on")
    kind = _param(request, "kind")
    if kind and kind not in UnitKind.values:
        raise BadRequest(_("Unknown unit kind %(kind)s.") % {"kind": kind})
    limit, offset = _page_params(request)
    # The caller's scope is a subquery on the closure, not a list of ids.
    units = Unit.objects.active_on(on).search(_param(request, "q")).filter(visible_q(user))
    if kind:
        units = units.filter(kind=kind)
    count = units.count()
    rows = list(units.order_by("code")[offset : offset + limit]) if offset < count else []
    parents = dict(
        UnitLink.objects.filter(active_on_q(on), child__in=[u.pk for u in rows]).values_list(
            "child_id", "parent__code"
        )
    )
    following = None
    if offset + len(rows) < count:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(offset + limit), str(limit)
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "on": js.day(on),
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": following,
        "units": [js.unit_json(u, parents.get(u.pk)) for u in rows],
    }


@api_endpoint
def unit_detail(request: HttpRequest, user: User, code: str) -> dict[str, Any]:
    unit = unit_for_user(user, code)
    history = unit_history(unit)
    today = timezone.localdate()
    current = next(
        (
            h.parent.code
            for h in history
            if h.valid_from <= today and (h.valid_to is None or today < h.valid_to)
        ),
        None,
    )
    successor = unit.successor.code if unit.successor is not None else None
    return {
        **js.unit_json(unit, current),
        "successor": successor,
        "parents": [js.history_json(h) for h in history],
    }


@api_endpoint
def programme_list(request: HttpRequest, user: User) -> dict[str, Any]:
    return {"programmes": [js.programme_summary(p) for p in programmes_shown()]}


@api_endpoint
def programme_detail(request: HttpRequest, user: User, code: str) -> dict[str, Any]:
    programme = get_object_or_404(programmes_shown(), code=code)
    targets = Prefetch(
        "targets", queryset=Target.objects.select_related("unit").order_by("year", "unit__code")
    )
    indicators = (
        Indicator.objects.filter(programme=programme)
        .select_related("numerator", "denominator")
        .prefetch_related(targets)
    )
    visible = visible_unit_ids(user)
    return {
        **js.programme_summary(programme),
        "indicators": [_indicator_with_targets(i, visible) for i in indicators],
        "task_groups": [{"code": g.code, "title": g.title} for g in programme.task_groups.all()],
    }


def _indicator_with_targets(indicator: Indicator, visible: set[int] | None) -> dict[str, Any]:
    targets = [
        t
        for t in indicator.targets.all()
        if t.unit_id is None or visible is None or t.unit_id in visible
    ]
    return {
        **js.indicator_json(indicator),
        "numerator": indicator.numerator.code,
        "denominator": indicator.denominator.code if indicator.denominator else None,
        "targets": [js.target_json(t) for t in targets],
    }


def openapi(request: HttpRequest) -> JsonResponse:
    """The description of the API is public: it holds no data."""
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})
