"""`/healthz` for a load balancer: 200 "ok" once the database answers `SELECT 1`, 503 otherwise.

Answered by the first middleware, before anything else looks at the request: no session, no
login, no language, no throttling, no HTTPS redirect and no host check (a load balancer probes
each instance by its address, over plain HTTP, with whatever Host header it likes). The answer
says nothing but "ok" or "unavailable", so it can be shown to anyone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/healthz"


def database_answers(alias: str = "default") -> bool:
    """Whether the database runs `SELECT 1` now. A connection that fails is dropped at the end
    of the request, as after any request (Django's request_finished), so the next probe
    connects again."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except DatabaseError:
        return False


def health_response() -> HttpResponse:
    ok = database_answers()
    response = HttpResponse(
        "ok\n" if ok else "unavailable\n",
        status=200 if ok else 503,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """First in MIDDLEWARE: `/healthz` (and `/healthz/`) never reach the rest of the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
