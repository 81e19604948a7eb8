"""`/healthz`: 200 "ok" after `SELECT 1`, 503 without the database; no login, no session, no
HTTPS redirect and no host check, since a load balancer probes each instance by address."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="10.0.0.7:8000")
print(response.status_code, response.content.decode().strip(), response.get("Location", ""),
      "sessionid" in response.cookies)
"""


def probe(database_url: str) -> str:
    """`/healthz` in a fresh process with production settings (DEBUG off, HTTPS redirect on,
    one allowed host) and the database at `database_url`."""
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"}
    env = {k: v for k, v in os.environ.items() if k not in unset and "REPLICA" not in k}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="portal.example",
        DATABASE_URL=database_url,
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_healthz_answers_ok_without_login_or_session(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert client.get("/healthz/").status_code == 200


def test_healthz_with_production_settings_neither_redirects_nor_checks_the_host(tmp_path):
    database = tmp_path / "portal.sqlite3"
    assert probe(f"sqlite:///{database}") == "200 ok  False"


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/chitieu_closed",  # nothing listens on port 1
        "sqlite:////nonexistent-folder/portal.sqlite3",  # cannot be opened
    ],
)
def test_healthz_is_503_without_the_database(database_url):
    assert probe(database_url) == "503 unavailable  False"


def test_other_pages_still_check_the_host(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
