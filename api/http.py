"""What every API endpoint shares: who is calling, errors as JSON rather than pages, and the
headers of a private, read-only answer.

A caller is either the logged-in session of the pages or `Authorization: Bearer <token>`.
When the header is present it alone decides, so a bad token is never rescued by a cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer

from .params import refusal
from .tokens import token_user

if TYPE_CHECKING:
    from accounts.models import User

View = Callable[..., HttpResponse]


class BadRequest(Exception):
    """A parameter the API cannot read; the message tells the caller which and why."""


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class ReadApi(NinjaAPI):
    def get_content_type(self) -> str:
        return "application/json"  # UTF-8 by definition (RFC 8259), as the API always said


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: a live token of an active account (hashed, api/tokens)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_user(token.strip()) if token.strip() else None


class PortalSession(APIKeyCookie):
    """The pages' login session, unless an Authorization header is sent (it alone decides)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # the API only reads: GET and HEAD change nothing

    def _get_key(self, request: HttpRequest) -> str | None:
        if "Authorization" in request.headers:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None:
            return None
        user = request.user
        return user if user.is_authenticated and user.is_active else None


def error(status: int, message: str) -> JsonResponse:
    response = JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _refused(request: HttpRequest, exc: ValidationError | type[ValidationError]) -> HttpResponse:
    if not isinstance(exc, ValidationError):
        exc = exc([])
    first = exc.errors[0] if exc.errors else {}
    location = first.get("loc", ()) if isinstance(first, dict) else ()
    name = str(location[1]) if len(location) > 1 else ""
    return error(400, refusal(name, request.GET.get(name, "")))


def install_error_handlers(api: NinjaAPI) -> None:
    """Every refusal is `{"error": message}` in the caller's language."""
    api.add_exception_handler(ValidationError, _refused)
    api.add_exception_handler(BadRequest, lambda request, exc: error(400, str(exc)))
    api.add_exception_handler(
        AuthenticationError,
        lambda request, exc: error(
            401, _("Log in, or send a valid token as 'Authorization: Bearer <token>'.")
        ),
    )
    api.add_exception_handler(
        PermissionDenied, lambda request, exc: error(403, str(exc) or _("You may not do this."))
    )
    api.add_exception_handler(Http404, lambda request, exc: error(404, _("Not found.")))


def not_allowed() -> JsonResponse:
    response = error(405, _("Only GET is allowed."))
    response["Allow"] = "GET, HEAD"
    return response


def get_only(view: View) -> View:
    """HEAD answered as GET; any other method the documented 405 JSON."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return not_allowed()
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"  # the server sends no body
        return response

    return wrapper


def read_only(view: View) -> View:
    """An endpoint's view as the URL configuration serves it: GET and HEAD only, and a private
    answer that varies by caller."""
    inner = get_only(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = inner(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any URL under /api/v1/ that names no endpoint: the documented JSON 404, or as before
    (Django's APPEND_SLASH) a redirect to the endpoint when only the final slash is missing."""
    path = request.path_info
    if settings.APPEND_SLASH and not path.endswith("/"):
        try:
            endpoint = resolve(f"{path}/").url_name is not None
        except Resolver404:
            endpoint = False
        if endpoint:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return error(404, _("Not found."))
