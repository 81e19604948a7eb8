"""The replica rules against a real PostgreSQL streaming replica that lags on purpose.

The fixture starts a small primary and a streaming replica of it on loopback (ports 5433 and
5434, in a temporary folder), the replica replaying WAL 2 seconds late
(`recovery_min_apply_delay`). It needs PostgreSQL's server binaries (initdb, pg_ctl,
pg_basebackup) and is skipped without them or when the tests do not run on PostgreSQL. As
root, the clusters run as the `postgres` user, as PostgreSQL requires.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from config import routers
from config.routers import REPLICA, lsn_value, primary_lsn, replica_current_for

PRIMARY_PORT, REPLICA_PORT = 5433, 5434
DELAY_SECONDS = 2


def _bin_dir() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    return Path(found[-1]).parent if found else None


BIN = _bin_dir()
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(BIN is None, reason="needs PostgreSQL's server binaries"),
]


def _as_postgres(*args: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


def _run(*args: str) -> None:
    subprocess.run(_as_postgres(*args), check=True, capture_output=True, timeout=120)  # noqa: S603


def _ctl(data: Path, action: str, log: Path | None = None) -> None:
    extra = ["-l", str(log)] if log else []
    _run(str(BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "60", *extra, action)


def _config(port: int, name: str = "chitieu_replica_test") -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "OPTIONS": {"connect_timeout": 1},
    }


@pytest.fixture(scope="module")
def pair() -> Iterator[dict[str, Path]]:
    """A primary on 5433 and its streaming replica on 5434, 2 s behind."""
    root = Path(tempfile.mkdtemp(prefix="chitieu-replica-"))
    if os.geteuid() == 0:
        ids = pwd.getpwnam("postgres")
        os.chown(root, ids.pw_uid, ids.pw_gid)
    primary, replica = root / "primary", root / "replica"
    _run(str(BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {PRIMARY_PORT}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{root}'\n"
            "fsync = off\nwal_level = replica\nmax_wal_senders = 4\n"
        )
    _ctl(primary, "start", root / "primary.log")
    try:
        _run(
            str(BIN / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres"),
            *("-D", str(replica), "-R", "-X", "stream", "--no-sync"),
        )
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {REPLICA_PORT}\nrecovery_min_apply_delay = '{DELAY_SECONDS}s'\n"
                "hot_standby = on\n"
            )
        _ctl(replica, "start", root / "replica.log")
        _run(
            str(BIN / "psql"),
            *("-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres"),
            *("-c", "CREATE DATABASE chitieu_replica_test"),
        )
        yield {"primary": primary, "replica": replica}
    finally:
        for data in (replica, primary):
            if (data / "postmaster.pid").exists():
                _ctl(data, "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def databases(pair, monkeypatch, settings, django_db_blocker):
    """The router's connections pointed at the pair: "default" the primary, REPLICA the
    replica (the rest of the test process keeps its own database)."""
    handler = ConnectionHandler({"default": _config(PRIMARY_PORT), REPLICA: _config(REPLICA_PORT)})
    monkeypatch.setattr(routers, "connections", handler)
    monkeypatch.setattr(routers, "_down_until", [0.0])
    settings.REPLICA_MAX_LAG_SECONDS = 30
    settings.REPLICA_DOWN_SECONDS = 30
    with django_db_blocker.unblock():
        _wait(lambda: _replica_answers(handler))
        yield handler
        handler.close_all()


def _replica_answers(handler: ConnectionHandler) -> bool:
    try:
        with handler[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        handler[REPLICA].close()
        return False


def _wait(condition, seconds: float = 30) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "timed out"
        time.sleep(0.1)
    return time.monotonic() - started


def _replica_rows(handler: ConnectionHandler) -> int:
    with handler[REPLICA].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM figures")
        row = cursor.fetchone()
    return int(row[0])


def test_a_write_is_served_from_the_primary_until_the_replica_has_replayed_it(databases):
    with databases["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS figures (n integer)")
    _wait(lambda: _table_on_replica(databases))
    with databases["default"].cursor() as cursor:
        cursor.execute("INSERT INTO figures VALUES (1)")
    written = lsn_value(primary_lsn())
    assert written > 0
    before = _replica_rows(databases)
    assert not replica_current_for(written), "the replica was asked too early to be current"
    waited = _wait(lambda: replica_current_for(written), seconds=DELAY_SECONDS + 10)
    assert _replica_rows(databases) == before + 1  # current: the row is there
    assert waited >= DELAY_SECONDS - 1.0


def _table_on_replica(handler: ConnectionHandler) -> bool:
    try:
        _replica_rows(handler)
        return True
    except Exception:
        handler[REPLICA].close()
        return False


def test_a_stopped_replica_is_skipped_and_marked_down(databases, pair):
    assert replica_current_for(0)
    _ctl(pair["replica"], "stop")
    try:
        databases[REPLICA].close()
        started = time.monotonic()
        assert not replica_current_for(0)
        assert time.monotonic() - started < 3  # the connect timeout, not a hang
        assert routers._down_until[0] > time.monotonic() + 20
        assert not replica_current_for(0)  # marked down: not asked again
    finally:
        _ctl(pair["replica"], "start", pair["replica"].parent / "replica.log")
    routers._down_until[0] = 0.0
    _wait(lambda: _replica_answers(databases))
    assert replica_current_for(0)
