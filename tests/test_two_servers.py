"""Two app servers on one PostgreSQL database: nothing lives in a process.

A reporter saves a report through one server; an office user reading through the other sees
it at once, and the reporter's session works on both (sessions are in the database). Also
the read-replica router's rule. PostgreSQL only: SQLite is one file for one machine.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.models import Role, User
from config.routers import REPLICA, route
from tests.conftest import make_user, opened, period

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pw-for-tests-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, content

    def login(self, username: str) -> None:
        _status, page = self.request("GET", "/accounts/login/")
        data = {"csrfmiddlewaretoken": token(page), "username": username, "password": PASSWORD}
        status, _page = self.request("POST", "/accounts/login/", data)
        assert status == 302, f"login as {username} failed"


def server_password(user: User) -> None:
    """A password hash the servers can check: the suite hashes with MD5, they do not."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "benchsalt", iterations=1000)
    user.save(update_fields=["password"])


def token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token"
    return found.group(1)


def start(port: int) -> subprocess.Popen[bytes]:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "AXES_ENABLED": "false"}
    env.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.Popen(  # noqa: S603 - our own manage.py, loopback only
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            Browser(port).request("GET", "/accounts/login/")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"no server on port {port} after 60 s")


@pytest.fixture
def two_servers() -> Iterator[tuple[int, int]]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two servers cannot share an SQLite file across machines")
    ports = free_port(), free_port()
    servers = [start(port) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_ready(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.mark.django_db(transaction=True)
def test_a_report_saved_through_one_server_is_seen_through_the_other_at_once(
    small_tree, programme, two_servers
):
    first, second = two_servers
    reporter = make_user("reporter_two", Role.REPORTER, small_tree.d2)
    office = make_user("office_two", Role.OFFICE, small_tree.province)
    for user in (reporter, office):
        server_password(user)
    report = opened(small_tree.d2, period(programme, "2024Q3"), reporter)

    writer = Browser(first)
    writer.login("reporter_two")
    _status, form = writer.request("GET", f"/reports/{report.pk}/edit/")
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version
    status, _page = writer.request(
        "POST",
        f"/reports/{report.pk}/edit/",
        {
            "csrfmiddlewaretoken": token(form),
            "version": version.group(1),
            "v_members": "4.321",
            "save": "1",
        },
    )
    assert status == 302

    reader = Browser(second)
    reader.login("office_two")
    status, page = reader.request("GET", f"/reports/{report.pk}/")
    assert status == 200 and "4.321" in page
    # The reporter's session, made on the first server, is good on the second.
    writer.port = second
    status, page = writer.request("GET", f"/reports/{report.pk}/edit/")
    assert status == 200 and 'value="4.321"' in page


def test_replica_takes_only_data_reads_outside_transactions():
    assert route("reports", reading=True, replica=True, in_transaction=False) == REPLICA
    assert route("targets", reading=True, replica=True, in_transaction=False) == REPLICA
    assert route("accounts", reading=True, replica=True, in_transaction=False) is None
    assert route("sessions", reading=True, replica=True, in_transaction=False) is None
    assert route("reports", reading=True, replica=True, in_transaction=True) is None
    assert route("reports", reading=False, replica=True, in_transaction=False) is None
    assert route("reports", reading=True, replica=False, in_transaction=False) is None
