"""No 500 for any input: what the portal answers to hostile requests and to a database outage.

`HostileInputMiddleware` refuses, before anything reads the session or the database, a request
carrying a NUL byte (PostgreSQL text cannot hold one, so it would fail deep in a query) or a
field longer than anything the portal takes. `server_error` (handler500) turns a lost database
connection into a 503 that says to try again. Both answer JSON under /api/ and a short
standalone page elsewhere, in the user's language (the language cookie, else Vietnamese).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

MAX_FIELD_CHARS = 20_000
MAX_PATH_CHARS = 2_000
API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def _language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _answer(
    request: HttpRequest, status: int, template: str, message: Callable[[], str]
) -> HttpResponse:
    with translation.override(_language(request)):
        if request.path_info.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse({"error": message()}, status=status)
        else:
            response = HttpResponse(render_to_string(template), status=status)
    add_never_cache_headers(response)
    return response


def bad_input(request: HttpRequest) -> HttpResponse:
    return _answer(
        request,
        400,
        "bad_input.html",
        lambda: _("The request holds characters or a field length the portal does not accept."),
    )


def _texts(request: HttpRequest) -> Iterable[str]:
    yield request.path_info
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from values
    yield from request.COOKIES
    yield from request.COOKIES.values()
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield value
    for _field, uploads in request.FILES.lists():
        yield from (upload.name or "" for upload in uploads)


def _hostile(request: HttpRequest) -> bool:
    if len(request.path_info) > MAX_PATH_CHARS:
        return True
    return any("\x00" in text or len(text) > MAX_FIELD_CHARS for text in _texts(request))


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            hostile = _hostile(request)
        except MultiPartParserError:
            hostile = True
        if hostile:
            return bad_input(request)
        return self.get_response(request)


def _database_down(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    )


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a 503 to try again when the database is away; JSON under /api/."""
    exc = sys.exc_info()[1]
    if _database_down(exc):
        response = _answer(
            request,
            503,
            "503.html",
            lambda: _("The portal's database is not answering. Try again in a minute."),
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.path_info.startswith(API_PREFIX):
        return _answer(request, 500, template_name, lambda: _("Server error."))
    return django_server_error(request, template_name)


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except DatabaseError:  # the session could not be read: nothing of the user's was shown
        return False


class PrivateResponsesMiddleware:
    """A Permissions-Policy on every answer, and `Cache-Control: no-store` on whatever a signed-in
    user sees and on every download, so that a shared office computer's cache and any proxy on
    the way keep no copy of a report."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        download = "attachment" in response.get("Content-Disposition", "")
        if download or _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
