"""Sends the data reads of dashboards and the read API to a PostgreSQL read replica.

Active only when DATABASE_REPLICA_URL is set (the "replica" alias exists). Only reads of the
programme data (units, programmes and targets, reports and their values) made while serving a
GET under /dashboards/ or /api/v1/ go to the replica; accounts, sessions, tokens and login
throttling are always read from the primary (a replica a moment behind must not log anyone
out), as is everything inside a transaction and every write.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
DATA_APPS = frozenset({"unions", "targets", "reports"})
READ_PATHS = ("/dashboards/", "/api/v1/")
_reading: ContextVar[bool] = ContextVar("replica_reading", default=False)


def route(app_label: str, *, reading: bool, replica: bool, in_transaction: bool) -> str | None:
    """The alias a read goes to; None leaves it to the default."""
    if replica and reading and not in_transaction and app_label in DATA_APPS:
        return REPLICA
    return None


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return route(
            model._meta.app_label,
            reading=_reading.get(),
            replica=REPLICA in settings.DATABASES,
            in_transaction=connections["default"].in_atomic_block,
        )

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Marks GET requests for dashboards and the read API as replica reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request.method in ("GET", "HEAD") and request.path.startswith(READ_PATHS)
        token = _reading.set(reading and REPLICA in settings.DATABASES)
        try:
            return self.get_response(request)
        finally:
            _reading.reset(token)
