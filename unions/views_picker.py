"""Finding a unit by name for a form's unit code field (a parent, a successor, a merge).

One endpoint, `/units/pick/?q=…`, serves both ways of using it: with script, the form's field
asks it for JSON while someone types (static/js/unit_picker.js) and offers the units found;
without script, the link next to the field opens it as a page, a search and a list of units,
each with a link back to the form with that unit's code filled in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from accounts.access import user_of

from .access import require_office, visible_units
from .forms import normalized, text_q
from .models import GRASSROOTS_KINDS, Unit

if TYPE_CHECKING:
    from accounts.models import User

PICK_LIMIT = 15
# The form fields the page may fill in, so that `field` cannot name anything else.
PICK_FIELDS = frozenset({"parent", "new_parent", "successor", "into"})


def units_matching(user: User, text: str, on: dt.date, limit: int = PICK_LIMIT) -> list[Unit]:
    """Units open on `on` whose code or name contains `text` (accents optional), that the user
    can see: unions that can hold others first, then CĐCS, each by code."""
    folded = normalized(text)
    if len(folded) < 2:
        return []
    found = visible_units(user).active_on(on).filter(text_q(folded))  # type: ignore[attr-defined]
    units: list[Unit] = list(found.order_by("code")[: limit * 4])
    units.sort(key=lambda u: (u.kind in GRASSROOTS_KINDS, u.code))
    return units[:limit]


def _back(request: HttpRequest, field: str) -> str:
    """The form to return to (a page under /units/ of this site), or ""."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    if field not in PICK_FIELDS or not allowed or not target.startswith("/units/"):
        return ""
    return target


def _with_code(target: str, field: str, code: str) -> str:
    parts = urlsplit(target)
    query = QueryDict(parts.query, mutable=True)
    query[field] = code
    return urlunsplit(("", "", parts.path, query.urlencode(), ""))


@login_required
@require_GET
def unit_pick(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_office(user)
    text = request.GET.get("q", "")[:100]
    units = units_matching(user, text, timezone.localdate())
    if request.GET.get("format") == "json":
        rows = [{"code": u.code, "name": u.name, "kind": u.get_kind_display()} for u in units]
        return JsonResponse({"units": rows})
    field = request.GET.get("field", "")
    back = _back(request, field)
    rows_html = [(u, _with_code(back, field, u.code) if back else "") for u in units]
    keep = urlencode({"field": field, "next": back}) if back else ""
    context = {"q": text, "rows": rows_html, "back": back, "field": field, "keep": keep}
    return render(request, "unions/pick.html", context)
