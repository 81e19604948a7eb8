"""Hardening: the Content Security Policy holds on every page in a real browser, every response
carries it, and `manage.py check --deploy` finds nothing with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from reports.assignments import assignments_apply_proposal
from tests.conftest import approved, login, opened, period

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pw-for-tests-123"
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def policy_of(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


# --- headers ------------------------------------------------------------------------------


def test_login_page_carries_the_policy_and_refuses_framing(client, db):
    response = client.get(reverse("accounts:login"))
    assert policy_of(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_carry_the_policy(client, office_user, programme):
    client.force_login(office_user)
    for name in ("home", "dashboards:overview", "unions:tree", "reports:list"):
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert policy_of(response) == POLICY, name


def test_session_cookie_is_http_only_and_expires(client, office_user):
    from django.conf import settings

    response = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert 0 < int(cookie["max-age"]) <= 8 * 3600


def test_no_template_has_inline_script_or_style():
    """The policy forbids them; a new one would break the page silently in the browser."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for marker in (" style=", "<style", " onclick=", " onchange=", " onsubmit=", "javascript:"):
            if marker in text:
                offenders.append(f"{path.relative_to(ROOT)}: {marker.strip()}")
        if "<script" in text.replace("<script src=", "").replace('<script type="module" src=', ""):
            offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
    assert offenders == []


# --- production settings -------------------------------------------------------------------


def check_deploy() -> subprocess.CompletedProcess[str]:
    # Only the production variables: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this
    # process, and a deployment must not.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    unset |= {"SECURE_SSL_REDIRECT", "SECURE_COOKIES"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="portal.example",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout, result.stdout


# --- real browser ----------------------------------------------------------------------------


def visit(page, path: str, violations: list[str]) -> None:
    before = len(violations)
    response = page.goto(f"{page.base_url}{path}")
    page.wait_for_load_state("load")
    assert response is not None and response.status < 400, (path, response and response.status)
    assert len(violations) == before, (path, violations[before:])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(
    page, small_tree, programme, office_user, district_reporter, admin_user
):
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2024Q4", members=190, workers_union_units=210)
    approved(small_tree.d2, programme, "2025Q2", members=200, workers_union_units=220)
    draft = opened(small_tree.d2, period(programme, "2025Q3"), None)

    violations: list[str] = []

    def listen(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", listen)
    page.on("pageerror", lambda error: violations.append(f"script error: {error}"))

    visit(page, "/accounts/login/", violations)
    login(page, "office", PASSWORD)
    for path in (
        "/",
        "/dashboards/",
        "/dashboards/?year=2025",
        "/dashboards/membership/",
        "/dashboards/indicator/A01/",
        "/dashboards/unit/D2/",
        "/units/",
        "/units/search/?q=C",
        "/units/D2/",
        "/reports/",
        f"/reports/{draft.pk}/",
        "/reports/tracking/",
        "/reports/calendar/",
        "/reports/assignments/",
        "/programmes/",
    ):
        visit(page, path, violations)

    page.context.clear_cookies()
    login(page, "reporter_d2", PASSWORD)
    visit(page, "/reports/", violations)
    visit(page, f"/reports/{draft.pk}/edit/", violations)
    page.fill("input.number >> nth=0", "abc")
    page.click("button[type=submit].primary >> nth=0")
    page.wait_for_load_state("load")
    assert violations == []

    page.context.clear_cookies()
    login(page, "administrator", PASSWORD)
    for path in ("/accounts/", "/accounts/new/", f"/accounts/{district_reporter.pk}/"):
        visit(page, path, violations)
    assert violations == []
