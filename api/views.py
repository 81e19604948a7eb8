"""The read API: thin typed endpoints that find objects through the access helpers and return
what the roll-up and the selectors say. django-ninja checks the parameters against their types
and patterns (`api/params.py`) and generates the OpenAPI document from them and from the answer
schemas (`api/schemas.py`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import P, PathEx, QueryEx

from accounts.access import includes_provisional
from rollup.engine import PeriodSpec, progress
from rollup.freshness import figures_as_of
from targets.models import Indicator, Programme, Target
from targets.programmes import programme_default, programmes_shown
from unions.access import unit_for_user, visible_q, visible_unit_ids
from unions.models import Unit, UnitKind, UnitLink, active_on_q
from unions.selectors import unit_history

from . import schemas as s
from . import serialize as js
from .http import BadRequest, BearerToken, PortalSession, ReadApi, Renderer, install_error_handlers
from .openapi import openapi_document
from .params import (
    PERIOD_PATTERN,
    UNIT_OFFSET_MAX,
    UNIT_PAGE_DEFAULT,
    UNIT_PAGE_MAX,
    Day,
    WholeNumber,
)

if TYPE_CHECKING:
    from accounts.models import User

DESCRIPTION = (
    "Read-only access to programmes, units and progress against every target, with the same "
    "access rules as the portal's pages: reporters see their own subtree (404 outside it), "
    "office staff, administrators and the Standing Committee see the whole province. "
    "Authenticate with the portal's session cookie or with 'Authorization: Bearer <token>' "
    "(tokens are created on the portal's API tokens page or with `manage.py create_api_token`); "
    "when the header is sent it alone decides. Every error, including an unknown URL under "
    '/api/v1/, is {"error": message} in the caller\'s language. Only GET and HEAD are allowed.'
)

api = ReadApi(
    title="Lai Châu Labour Federation targets portal: read API",
    version="1.0.0",
    description=DESCRIPTION,
    auth=[BearerToken(), PortalSession()],
    renderer=Renderer(),
    openapi_url=None,
    docs_url=None,
    urls_namespace="api",
)
install_error_handlers(api)

UNAUTHORISED = "Not logged in, or the token is unknown, revoked or its account disabled."
UNKNOWN = "Unknown unit, or outside the caller's subtree."


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _programme(code: str | None) -> Programme:
    """The programme named by `programme`, else the one in force today, else the last one
    that ended (`targets.programmes.programme_default`, as every page)."""
    if code is not None:
        found = programmes_shown().filter(code=code).first()
        if found is None:
            raise BadRequest(_("Unknown programme %(code)s.") % {"code": code})
        return found
    current = programme_default(timezone.localdate())
    if current is None:
        raise Http404
    return current


def _period(text: str, programme: Programme) -> PeriodSpec:
    spec = PeriodSpec.parse(text)  # the pattern has already refused anything else
    first, last = programme.term_start.year, programme.term_end.year
    if spec.year is not None and not first <= spec.year <= last:
        raise BadRequest(
            _("Period %(text)s lies outside the programme's term (%(first)s–%(last)s).")
            % {"text": text, "first": first, "last": last}
        )
    return spec


def _as_of() -> dt.datetime:
    """How current the figures are, to the minute as the pages say it ("số liệu tính đến
    HH:MM"), in local time with its offset. Taken before they are read and rounded down, so
    the figures are at least this current."""
    return timezone.localtime(figures_as_of()).replace(second=0, microsecond=0)


@api.get(
    "/progress/",
    response={200: s.Progress, 400: s.Error, 401: s.Error, 403: s.Error, 404: s.Error},
    url_name="progress",
    operation_id="progress",
    summary="Every indicator of a programme for a unit's subtree and a period",
    openapi_extra={
        "responses": {
            400: {"description": "A bad period, tree, include or programme."},
            401: {"description": UNAUTHORISED},
            403: {"description": "include=provisional asked for by someone not office staff."},
            404: {"description": UNKNOWN},
        }
    },
)
def progress_view(
    request: HttpRequest,
    unit: QueryEx[str, P(min_length=1, description="Unit code.")],
    period: QueryEx[
        str,
        P(
            pattern=PERIOD_PATTERN,
            description="A quarter (year to date) such as 2024Q3, a year such as 2024, or "
            "'term'; a year outside the programme's term is a 400.",
        ),
    ],
    programme: QueryEx[
        str | None,
        P(
            min_length=1,
            description="Programme code; default the programme whose term contains today, else "
            "the latest. An unknown code is a 400.",
        ),
    ] = None,
    tree: QueryEx[
        Literal["as_was", "as_now"],
        P(description="as_was: the tree as it stood in each quarter; as_now: along today's tree."),
    ] = "as_was",
    include: QueryEx[
        Literal["provisional"] | None,
        P(
            description="'provisional' adds submitted, not yet approved reports (office staff "
            "and administrators only; 403 for others)."
        ),
    ] = None,
) -> dict[str, Any]:
    user = _caller(request)
    if include and not includes_provisional(user):
        raise PermissionDenied(_("Only provincial office staff may include provisional data."))
    found = _programme(programme)
    spec = _period(period, found)
    subtree = unit_for_user(user, unit)
    as_of = _as_of()
    figures = progress(found, subtree, spec, tree=tree, provisional=bool(include))
    return {"as_of": as_of, **js.progress_json(figures)}


def _parent_codes(units: list[Unit], day: dt.date) -> dict[int, str]:
    links = UnitLink.objects.filter(active_on_q(day), child__in=[u.pk for u in units])
    return dict(links.values_list("child_id", "parent__code"))


def _next_page(request: HttpRequest, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset + limit), str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


# The defaults of limit and offset sit in P(): ninja loses a signature default when the type
# is itself Annotated (WholeNumber), so they have none in the signature.
@api.get(
    "/units/",
    response={200: s.UnitList, 400: s.Error, 401: s.Error},
    url_name="unit_list",
    operation_id="unitList",
    summary="Units the caller may see that existed on a date",
    openapi_extra={
        "responses": {
            400: {"description": "A bad date, kind, limit or offset."},
            401: {"description": UNAUTHORISED},
        }
    },
)
def unit_list(
    request: HttpRequest,
    *,
    on: QueryEx[Day | None, P(description="Date, YYYY-MM-DD (default today).")] = None,
    q: QueryEx[
        str, P(description="Part of a code or name, in any case, with or without accents.")
    ] = "",
    kind: QueryEx[UnitKind | None, P(description="Only units of this kind.")] = None,
    limit: QueryEx[
        WholeNumber,
        P(default=UNIT_PAGE_DEFAULT, ge=1, le=UNIT_PAGE_MAX, description="Units a page."),
    ],
    offset: QueryEx[
        WholeNumber,
        P(
            default=0,
            ge=0,
            le=UNIT_OFFSET_MAX,
            description="Units to skip, in order of code; `next` gives the next page.",
        ),
    ],
) -> dict[str, Any]:
    day = on or timezone.localdate()
    # The caller's scope is a subquery on the closure, not a list of ids.
    units = Unit.objects.active_on(day).search(q.strip()).filter(visible_q(_caller(request)))
    if kind:
        units = units.filter(kind=kind)
    count = units.count()
    rows = list(units.order_by("code")[offset : offset + limit]) if offset < count else []
    parents = _parent_codes(rows, day)
    more = offset + len(rows) < count
    return {
        "on": js.day(day),
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _next_page(request, offset, limit) if more else None,
        "units": [js.unit_json(u, parents.get(u.pk)) for u in rows],
    }


@api.get(
    "/units/{code}/",
    response={200: s.UnitDetail, 401: s.Error, 404: s.Error},
    url_name="unit_detail",
    operation_id="unitDetail",
    summary="One unit with its history of parents",
    openapi_extra={
        "responses": {401: {"description": UNAUTHORISED}, 404: {"description": UNKNOWN}}
    },
)
def unit_detail(
    request: HttpRequest, code: PathEx[str, P(description="Unit code.")]
) -> dict[str, Any]:
    unit = unit_for_user(_caller(request), code)
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


@api.get(
    "/programmes/",
    response={200: s.ProgrammeList, 401: s.Error},
    url_name="programme_list",
    operation_id="programmeList",
    summary="Every programme",
    openapi_extra={"responses": {401: {"description": UNAUTHORISED}}},
)
def programme_list(request: HttpRequest) -> dict[str, Any]:
    return {"programmes": [js.programme_summary(p) for p in programmes_shown()]}


@api.get(
    "/programmes/{code}/",
    response={200: s.ProgrammeDetail, 401: s.Error, 404: s.Error},
    url_name="programme_detail",
    operation_id="programmeDetail",
    summary="A programme with its indicators, their data fields and targets",
    openapi_extra={
        "responses": {
            401: {"description": UNAUTHORISED},
            404: {"description": "Unknown programme."},
        }
    },
)
def programme_detail(
    request: HttpRequest,
    code: PathEx[str, P(description="Programme code, such as 03-ctr-ldld-2023.")],
) -> dict[str, Any]:
    programme = get_object_or_404(programmes_shown(), code=code)
    targets = Prefetch(
        "targets", queryset=Target.objects.select_related("unit").order_by("year", "unit__code")
    )
    indicators = (
        Indicator.objects.filter(programme=programme)
        .select_related("numerator", "denominator")
        .prefetch_related(targets)
    )
    visible = visible_unit_ids(_caller(request))
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
    """The description of the API, generated from the code; public: it holds no data."""
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})
