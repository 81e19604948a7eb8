"""The read replica is used only when it is current enough; otherwise the primary answers.

These tests drive the router's decisions with a stand-in for the replica connection (its
replayed position, its lag, or a failure); tests/test_replica_real.py runs the same rules
against a real streaming replica that lags.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import RequestFactory

from config import routers
from config.routers import (
    GLOBAL_LSN_KEY,
    LSN_COOKIE,
    REPLICA,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    lsn_value,
    replica_current_for,
)
from unions.models import Unit


class FakeCursor:
    def __init__(self, row, error):
        self.row, self.error = row, error

    def __enter__(self):
        if self.error:
            raise DatabaseError("replica unreachable")
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, params=None):
        pass

    def fetchone(self):
        return self.row


class FakeReplica:
    vendor = "postgresql"

    def __init__(self, replayed="0/100", lag=0.0, error=False):
        self.row, self.error, self.closed, self.asked = (replayed, lag), error, False, 0

    def cursor(self):
        self.asked += 1
        return FakeCursor(self.row, self.error)

    def close(self):
        self.closed = True


@contextmanager
def replica(monkeypatch, settings, fake):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    real = routers.connections

    class Connections:
        def __getitem__(self, alias):
            return fake if alias == REPLICA else real[alias]

    monkeypatch.setattr(routers, "connections", Connections())
    monkeypatch.setattr(routers, "_down_until", [0.0])
    yield fake


def test_lsns_compare_as_numbers():
    assert lsn_value("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert lsn_value("1/0") > lsn_value("0/FFFFFFFF")
    assert lsn_value(None) == lsn_value("") == lsn_value("nonsense") == lsn_value("x/y") == 0


def test_a_replica_serves_only_once_it_has_replayed_the_write(monkeypatch, settings):
    with replica(monkeypatch, settings, FakeReplica(replayed="0/200")):
        assert replica_current_for(lsn_value("0/100"))
        assert replica_current_for(lsn_value("0/200"))
        assert not replica_current_for(lsn_value("0/201"))


def test_a_lagging_replica_is_skipped(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    with replica(monkeypatch, settings, FakeReplica(lag=6.0)):
        assert not replica_current_for(0)
    with replica(monkeypatch, settings, FakeReplica(lag=4.0)):
        assert replica_current_for(0)


def test_an_unreachable_replica_is_marked_down_for_a_while(monkeypatch, settings):
    settings.REPLICA_DOWN_SECONDS = 30
    with replica(monkeypatch, settings, FakeReplica(error=True)) as fake:
        assert not replica_current_for(0)
        assert fake.closed and fake.asked == 1
        assert not replica_current_for(0)
        assert fake.asked == 1  # not asked again while marked down
        routers._down_until[0] = time.monotonic() - 1
        fake.error = False
        assert replica_current_for(0)


def _served_by_replica(middleware, request) -> bool:
    seen = []

    def view(req):
        seen.append(routers._reading.get())
        return HttpResponse("ok")

    middleware.get_response = view
    middleware(request)
    return seen[0]


@pytest.mark.django_db
def test_reads_after_a_write_or_an_approval_stay_on_the_primary(monkeypatch, settings):
    with replica(monkeypatch, settings, FakeReplica(replayed="0/200")):
        middleware = ReplicaReadsMiddleware(lambda r: HttpResponse())
        factory = RequestFactory()
        assert _served_by_replica(middleware, factory.get("/dashboards/"))
        assert not _served_by_replica(middleware, factory.get("/reports/"))
        mine = factory.get("/dashboards/")
        mine.COOKIES[LSN_COOKIE] = "0/300"  # this browser wrote after what the replica has
        assert not _served_by_replica(middleware, mine)
        routers.cache.set(GLOBAL_LSN_KEY, "0/250")  # someone approved a report
        assert not _served_by_replica(middleware, factory.get("/api/v1/units/"))
        routers.cache.set(GLOBAL_LSN_KEY, "0/150")
        assert _served_by_replica(middleware, factory.get("/api/v1/units/"))


def test_related_rows_are_read_from_the_database_their_object_came_from(small_tree):
    unit = Unit.objects.get(code="C21")
    unit._state.db = REPLICA
    router = ReplicaRouter()
    unit._state.db = "default"
    assert router.db_for_read(Unit, instance=unit) == "default"
