"""Personas and small builders shared by the whole suite.

The `small_tree` is the province in miniature: a province, two districts with two CĐCS each,
and on 1 July 2025 district 1 dissolved with its CĐCS moved under a new ward union.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache

from accounts.models import Role, User
from unions.models import Sector, Unit, UnitKind
from unions.services import UnitData, unit_create, unit_dissolve, unit_move

START = dt.date(2020, 1, 1)
REFORM = dt.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache. Ids repeat between tests on SQLite, so the tree's
    cached counts (keyed by closure version and ids) could otherwise outlive the data they were
    computed from; and an entry cached by an earlier test with a lifetime (the demo banner's
    check, 300 s) could expire in the middle of a test that counts queries. The same for the
    breakdowns a worker keeps by figures' version: a rolled-back test gives its versions
    again."""
    from rollup.breakdown_laid import KEPT

    cache.clear()
    KEPT.clear()


def make_unit(
    code: str,
    kind: str,
    parent: Unit | None,
    *,
    start: dt.date = START,
    sector: str = "",
    budget_paid: bool = False,
    name: str | None = None,
) -> Unit:
    if kind in (UnitKind.GRASSROOTS, UnitKind.OCCUPATIONAL) and not sector:
        sector = Sector.PRIVATE
    return unit_create(
        UnitData(
            code=code,
            name=name or f"Unit {code}",
            kind=kind,
            valid_from=start,
            parent=parent,
            sector=sector,
            budget_paid=budget_paid,
        )
    )


@dataclass
class SmallTree:
    province: Unit
    d1: Unit
    d2: Unit
    ward: Unit
    c11: Unit
    c12: Unit
    c21: Unit
    c22: Unit

    def refresh(self) -> None:
        for unit in vars(self).values():
            unit.refresh_from_db()


@pytest.fixture
def small_tree(db) -> SmallTree:
    province = make_unit("P", UnitKind.PROVINCE, None, start=dt.date(2004, 1, 1))
    d1 = make_unit("D1", UnitKind.DISTRICT, province)
    d2 = make_unit("D2", UnitKind.DISTRICT, province)
    c11 = make_unit("C11", UnitKind.GRASSROOTS, d1, sector=Sector.PRIVATE)
    c12 = make_unit("C12", UnitKind.GRASSROOTS, d1, sector=Sector.ADMINISTRATIVE, budget_paid=True)
    c21 = make_unit("C21", UnitKind.GRASSROOTS, d2, sector=Sector.STATE_ENTERPRISE)
    c22 = make_unit("C22", UnitKind.GRASSROOTS, d2, sector=Sector.COOPERATIVE)
    ward = make_unit("W1", UnitKind.COMMUNE, province, start=REFORM)
    unit_move([c11, c12], ward, REFORM)
    unit_dissolve(d1, REFORM, successor=ward)
    tree = SmallTree(province, d1, d2, ward, c11, c12, c21, c22)
    tree.refresh()
    return tree


def make_user(username: str, role: str, unit: Unit | None) -> User:
    user = User.objects.create_user(
        username=username, password="pw-for-tests-123", role=role, unit=unit
    )
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


@pytest.fixture
def office_user(small_tree: SmallTree) -> User:
    return make_user("office", Role.OFFICE, small_tree.province)


@pytest.fixture
def admin_user(small_tree: SmallTree) -> User:
    return make_user("administrator", Role.ADMIN, small_tree.province)


@pytest.fixture
def committee_user(small_tree: SmallTree) -> User:
    return make_user("committee", Role.COMMITTEE, small_tree.province)


@pytest.fixture
def district_reporter(small_tree: SmallTree) -> User:
    return make_user("reporter_d2", Role.REPORTER, small_tree.d2)


@pytest.fixture
def other_district_reporter(small_tree: SmallTree) -> User:
    return make_user("reporter_d1", Role.REPORTER, small_tree.d1)


@pytest.fixture
def ward_reporter(small_tree: SmallTree) -> User:
    return make_user("reporter_w1", Role.REPORTER, small_tree.ward)


@pytest.fixture
def programme(small_tree: SmallTree):
    """Programme 03 with its fields, indicators and every quarter of the term."""
    from reports.assignments import periods_ensure
    from targets.services import programme_03_load

    programme = programme_03_load()
    periods_ensure()
    return programme


def period(programme, code: str):
    from reports.assignments import period_by_code

    found = period_by_code(code)
    assert found is not None, code
    return found


# --- real browser -------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_or_skip() -> None:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


@pytest.fixture
def browser() -> Iterator[object]:
    """Chromium through Playwright, one per test: Playwright's sync API runs an event loop,
    and two of them must never be alive at once in one process."""
    _chromium_or_skip()
    # live_server runs in a thread; Playwright's sync API looks async to Django.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
            # ORM calls made while Playwright's loop runs get their own connections; close
            # them, or PostgreSQL refuses to drop the test database.
            connections.close_all()


@pytest.fixture
def chromium(browser):  # type: ignore[no-untyped-def]
    return browser


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshots(screenshot_dir: Path) -> Path:
    return screenshot_dir


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("domcontentloaded")


# --- language --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read messages in English (the msgids); the Vietnamese screens are checked in the
    browser tests and tests/test_language.py, which ask for Vietnamese themselves."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def client():
    from django.conf import settings
    from django.test import Client

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


# --- reports in a given state ---------------------------------------------------------


def approved(unit, programme, code: str, approve: bool = True, narratives=None, **values):
    """A report of `unit` for the quarter `code`, saved with `values` (numbers or Entry),
    submitted, and approved unless `approve` is False; warnings count as confirmed."""
    from reports.numbers import Entry
    from reports.services import (
        ReportInput,
        report_approve,
        report_open,
        report_save,
        report_submit,
        unreported_rest,
    )

    report = report_open(unit, period(programme, code), None)
    entries = {k: v if isinstance(v, Entry) else Entry.of(v) for k, v in values.items()}
    blanks, reasons = unreported_rest(report, entries, "not part of this test")
    data = ReportInput(
        values={**blanks, **entries},
        narratives=narratives or {},
        confirmed_warnings=set(values),
        not_reported=reasons,
    )
    report = report_save(report, data, version=report.version, actor=None)
    report = report_submit(report, version=report.version, actor=None)
    return report_approve(report, actor=None) if approve else report


def explained(report, values=None, **kwargs):
    """A ReportInput with `values` (numbers or Entry) and every other field the report asks
    for left blank with a reason, so that the report can be sent (its sending refuses empty
    fields without one). Keyword arguments go to ReportInput."""
    from reports.numbers import Entry
    from reports.services import ReportInput, unreported_rest

    given = {k: v if isinstance(v, Entry) else Entry.of(v) for k, v in (values or {}).items()}
    blanks, reasons = unreported_rest(report, given, "not part of this test")
    return ReportInput(values={**blanks, **given}, not_reported=reasons, **kwargs)


def opened(unit, quarter, actor=None):
    """`report_open`, with every field the report asks for already marked "not reported"
    (reason "not part of this test") where it has no value, and the counts the registry knows
    filled in as the form fills them: what a test that sends a report
    with a few figures needs, as sending refuses empty fields without a reason. Written as
    test data (no save, no history entry, version unchanged)."""
    from reports.models import Value, ValueState
    from reports.registry import registry_counts
    from reports.services import report_fields, report_open

    report = report_open(unit, quarter, actor)
    have = set(report.values.values_list("field_id", flat=True))
    asked = report_fields(report.period, province=report.unit.kind == "province")
    known = registry_counts(report.unit, report.period.cutoff)

    def value(f):  # a count the registry knows is what the form fills in for it
        if f.registry_count:
            return Value(
                report=report, field=f, state=ValueState.NUMBER, number=known[f.registry_count]
            )
        return Value(report=report, field=f, state=ValueState.BLANK, reason="not part of this test")

    Value.objects.bulk_create(value(f) for f in asked if f.pk not in have)
    return report


def untouched(report) -> bool:
    """Whether the report still holds only what `opened` put there: a refused save wrote
    nothing."""
    return all(
        (v.state == "blank" and v.reason == "not part of this test")
        or (v.state == "number" and v.field.registry_count)
        for v in report.values.select_related("field")
    )
