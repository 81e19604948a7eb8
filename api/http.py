"""What every API endpoint shares: who is calling, and errors as JSON rather than pages.

A caller is either the logged-in session of the pages or `Authorization: Bearer <token>`.
When the header is present it alone decides, so a bad token is never rescued by a cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .tokens import token_user

if TYPE_CHECKING:
    from accounts.models import User

Endpoint = Callable[..., dict[str, Any] | list[Any]]


class BadRequest(Exception):
    """A parameter the API cannot read; the message tells the caller which and why."""


def error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def api_caller(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        return token_user(raw.strip())
    user = request.user
    return user if user.is_authenticated and user.is_active else None


def api_endpoint(view: Endpoint) -> Callable[..., HttpResponse]:
    """Wraps a view that takes (request, user, ...) and returns data to send as JSON."""

    # CSRF-exempt because an endpoint changes nothing: any method but GET and HEAD gets the
    # documented 405 JSON, also from a token client that carries no CSRF token.
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = _respond(view, request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper


def _respond(view: Endpoint, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = error(405, _("Only GET is allowed."))
        response["Allow"] = "GET, HEAD"
        return response
    user = api_caller(request)
    if user is None:
        return error(401, _("Log in, or send a valid token as 'Authorization: Bearer <token>'."))
    try:
        data = view(request, user, *args, **kwargs)
    except BadRequest as exc:
        return error(400, str(exc))
    except PermissionDenied as exc:
        return error(403, str(exc) or _("You may not do this."))
    except Http404:
        return error(404, _("Not found."))
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
