"""Sends the data reads of dashboards and the read API to a PostgreSQL read replica.

Active only when DATABASE_REPLICA_URL is set (the "replica" alias exists). Only reads of the
programme data (units, programmes and targets, reports and their values) made while serving a
GET under /dashboards/ or /api/v1/ go to the replica; accounts, sessions, tokens and login
throttling are always read from the primary (a replica a moment behind must not log anyone
out), as is everything inside a transaction and every write.

A replica lags, so a request goes to it only when it is known to be current enough:

- read-your-writes: a request that may have written leaves the primary's WAL position (LSN)
  in a cookie; that browser's reads stay on the primary until the replica has replayed it;
- figures current for everyone: a report event (submission, approval, return, reopening) or a
  reorganisation leaves its LSN in the shared cache, and every dashboard read stays on the
  primary until the replica has replayed it;
- health: the replica is asked its replayed LSN and its lag before each such request (a short
  connect timeout); unreachable, it is marked down for REPLICA_DOWN_SECONDS, and lagging by
  more than REPLICA_MAX_LAG_SECONDS it is skipped; the primary answers instead;
- rows related to an object are read from the database the object came from.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
DATA_APPS = frozenset({"unions", "targets", "reports"})
READ_PATHS = ("/dashboards/", "/api/v1/")
_reading: ContextVar[bool] = ContextVar("replica_reading", default=False)
LSN_COOKIE = "primary_lsn"
GLOBAL_LSN_KEY = "replica:global-lsn"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The replica's replayed position, and its lag when it has something left to replay.
REPLICA_STATE_SQL = """
    SELECT pg_last_wal_replay_lsn()::text,
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""
_down_until: list[float] = [0.0]  # monotonic time until which the replica is not asked


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def lsn_value(text: str | None) -> int:
    """A PostgreSQL LSN ("16/B374D848") as a number; 0 for none or nonsense."""
    high, sep, low = (text or "").partition("/")
    try:
        return (int(high, 16) << 32) + int(low, 16) if sep else 0
    except ValueError:
        return 0


def primary_lsn() -> str | None:
    """The primary's current WAL position (None when it is not PostgreSQL)."""
    if connections["default"].vendor != "postgresql":
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return str(row[0]) if row else None


def replica_current_for(required: int) -> bool:
    """Whether the replica is up, not lagging beyond the limit, and has replayed `required`."""
    if time.monotonic() < _down_until[0]:
        return False
    replica = connections[REPLICA]
    if replica.vendor != "postgresql":
        return True
    try:
        with replica.cursor() as cursor:
            cursor.execute(REPLICA_STATE_SQL)
            replayed, lag = cursor.fetchone() or (None, None)
    except DatabaseError:
        _down_until[0] = time.monotonic() + settings.REPLICA_DOWN_SECONDS
        replica.close()
        return False
    if replayed is None:  # not in recovery: the "replica" is a primary itself
        return True
    if lag is not None and float(lag) > settings.REPLICA_MAX_LAG_SECONDS:
        return False
    return lsn_value(replayed) >= required


def mark_global_write(*args: Any, **kwargs: Any) -> None:
    """After this transaction commits, everyone's dashboard reads wait for the replica to pass
    its position (a report event or a reorganisation changes everyone's figures)."""

    def remember() -> None:
        lsn = primary_lsn()
        if lsn is not None and lsn_value(lsn) > lsn_value(cache.get(GLOBAL_LSN_KEY)):
            cache.set(GLOBAL_LSN_KEY, lsn, None)

    transaction.on_commit(remember)


def route(app_label: str, *, reading: bool, replica: bool, in_transaction: bool) -> str | None:
    """The alias a read goes to; None leaves it to the default."""
    if replica and reading and not in_transaction and app_label in DATA_APPS:
        return REPLICA
    return None


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db in settings.DATABASES:
            return str(instance._state.db)  # related rows from where their object came
        return route(
            model._meta.app_label,
            reading=_reading.get(),
            replica=replica_configured(),
            in_transaction=connections["default"].in_atomic_block,
        )

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Marks GET requests for dashboards and the read API as replica reads when the replica is
    current enough for this browser and for everyone; remembers where a writing request left
    the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        if replica_configured():
            _listen_to_global_writes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        configured = replica_configured()
        reading = (
            configured and request.method in ("GET", "HEAD") and request.path.startswith(READ_PATHS)
        )
        if reading:
            required = max(
                lsn_value(request.COOKIES.get(LSN_COOKIE)), lsn_value(cache.get(GLOBAL_LSN_KEY))
            )
            reading = replica_current_for(required)
        token = _reading.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if configured and request.method not in SAFE_METHODS:
            self._remember_write(request, response)
        return response

    def _remember_write(self, request: HttpRequest, response: HttpResponse) -> None:
        lsn = primary_lsn()
        if lsn is not None:
            response.set_cookie(
                LSN_COOKIE,
                lsn,
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )


def _listen_to_global_writes() -> None:
    from reports.models import ReportEvent
    from unions.closure import closure_listen

    post_save.connect(mark_global_write, sender=ReportEvent, dispatch_uid="replica:report-event")
    closure_listen(_closure_changed)


def _closure_changed(unit_ids: frozenset[int] | None) -> None:
    mark_global_write()
