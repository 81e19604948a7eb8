"""Shared fixtures for the report pages: a real Chromium and a login helper."""

from __future__ import annotations


def login(page, live_server, username: str, password: str) -> None:
    """Logs in through the login form and waits for the next page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
