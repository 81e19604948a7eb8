"""The access matrix: every URL of the portal, asked by every persona, answers as the table says.

`RULES` holds one entry per URL name. Each entry maps a *case* to the answers of the seven
personas, in the column order of `PERSONAS`:

    anonymous, administrator, office staff, Standing Committee reader,
    reporter of district D2, reporter of district D1 (dissolved 1/7/2025), reporter of ward W1

A case names the object the URL points at (a unit code, a report of the `world` such as
"d2_draft", an account, a token) and may carry a query string ("A01?unit=D1"); a case starting
with "POST " is sent as a POST with the data from `_post_data` (what follows "#" names the
form's subject where the URL has none, as the unit of "reports:open"), any other as a GET.
Answers are status codes, with two spellings for redirects: "login" (302 to the login page)
and "302" (any other redirect).

A URL pattern without an entry fails `test_every_url_of_the_portal_has_an_access_rule`: add a
row saying what each persona gets. Only the Django admin (superusers, its own permission
system, tested by Django) and the i18n `set_language` view (public, changes only the visitor's
own language cookie) are skipped.

Every refused request (login, 401, 403, 404, 405) is also checked to have changed nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from api.tokens import token_create
from reports.assignments import assignments_apply_proposal
from reports.models import Assignment, Report
from reports.numbers import Entry
from reports.services import ReportInput, report_approve, report_save, report_submit
from targets.models import RegistryCount
from tests.conftest import opened, period

PERSONAS = (
    "anonymous",
    "admin",
    "office",
    "committee",
    "reporter_d2",
    "reporter_d1",
    "reporter_w1",
)
LOGIN = "/accounts/login/"
REFUSED = {"login", "401", "403", "404", "405"}

# Skipped on purpose: the Django admin (superusers only, Django's own permission checks) and
# set_language (public; it only sets the visitor's language cookie).
SKIPPED_PREFIXES = ("admin/",)
SKIPPED_NAMES = {"set_language"}

# --- the rules ----------------------------------------------------------------------------
#                        anon  admin office cttee  D2    D1    W1
EVERYONE = "login 200   200    200    200   200   200"
PROVINCE_READERS = "login 200 200 200 403 403 403"
OFFICE = "login 200   200    403    403   403   403"
ADMIN = "login 200   403    403    403   403   403"
POST_ONLY = "login 405 405   405    405   405   405"
# Office pages about one unit: 403 for roles that may not act, 404 outside a reporter's scope.
OFFICE_ON_D2 = "login 200 200 403 403 404 404"
OFFICE_ON_C11 = "login 200 200 403 404 403 403"
PUBLIC = "200 200 200 200 200 200 200"
API_EVERYONE = "401 200   200    200    200   200   200"
P03 = "03-ctr-ldld-2023"
# A published programme's definition is fixed: not found for office staff, refused to others.
PUBLISHED_FIXED = "login 404 404 403 403 403 403"

RULES: dict[str, dict[str, str]] = {
    # --- home and accounts ---
    "home": {"": "login 200 200 200 302 302 302"},  # reporters go to their unit's dashboard
    "accounts:login": {"": "200 302 302 302 302 302 302"},  # a logged-in visitor is sent on
    "accounts:logout": {
        "": "405 405 405 405 405 405 405",
        "POST": "login login login login login login login",
    },
    "accounts:list": {"": ADMIN, "?q=reporter": ADMIN},
    # everyone's own account and password; the forgotten-password pages are public
    "accounts:me": {"": EVERYONE},
    "accounts:password_change": {"": EVERYONE, "POST": "login 200 200 200 200 200 200"},
    "accounts:password_reset": {"": PUBLIC, "POST": "302 302 302 302 302 302 302"},
    "accounts:password_reset_done": {"": PUBLIC},
    "accounts:password_reset_confirm": {"MQ/bad-token": PUBLIC},
    "accounts:password_reset_complete": {"": PUBLIC},
    # office staff create accounts from a file and disable reporters' accounts
    "accounts:import": {"": OFFICE, "POST": "login 400 400 403 403 403 403"},
    "accounts:unit": {"D2": OFFICE, "NOPE": "login 404 404 403 403 403 403"},
    "accounts:create": {"": ADMIN, "POST": "login 400 403 403 403 403 403"},
    "accounts:edit": {
        "account_d2": ADMIN,
        "account_office": ADMIN,
        "POST account_d2": "login 302 403 403 403 403 403",
    },
    "accounts:password": {
        "account_d2": ADMIN,
        "POST account_d2": "login 302 403 403 403 403 403",
    },
    "accounts:active": {
        "account_d2": POST_ONLY,
        "POST account_d2": "login 302 302 403 403 403 403",
    },
    # --- units ---
    "unions:tree": {"": EVERYONE},
    "unions:search": {"": EVERYONE, "?q=C": EVERYONE},
    "unions:new": {"": OFFICE, "POST": "login 200 200 403 403 403 403"},
    "unions:merge": {"": OFFICE, "POST": "login 200 200 403 403 403 403"},
    # finding a unit by name for the office's unit forms (JSON, or a search page without script)
    "unions:pick": {"?q=unit": OFFICE, "?q=unit&format=json": OFFICE},
    "unions:detail": {
        "P": "login 200 200 200 404 404 404",
        "D2": "login 200 200 200 200 404 404",
        "C21": "login 200 200 200 200 404 404",
        "D1": "login 200 200 200 404 200 404",
        "C11": "login 200 200 200 404 200 200",
        "W1": "login 200 200 200 404 404 200",
        "NOPE": "login 404 404 404 404 404 404",
    },
    "unions:edit": {
        "D2": OFFICE_ON_D2,
        "C11": OFFICE_ON_C11,
        "POST D2": "login 302 302 403 403 404 404",
    },
    "unions:move": {"D2": OFFICE_ON_D2, "C11": OFFICE_ON_C11, "POST C11": OFFICE_ON_C11},
    "unions:move_children": {"D2": OFFICE_ON_D2, "POST D2": OFFICE_ON_D2},
    "unions:dissolve": {"D2": OFFICE_ON_D2, "C11": OFFICE_ON_C11, "POST D2": OFFICE_ON_D2},
    # --- programmes ---
    "targets:programme_list": {"": EVERYONE},
    "targets:field_list": {"": EVERYONE},
    "targets:programme_detail": {
        "03-ctr-ldld-2023": EVERYONE,
        "nope": "login 404 404 404 404 404 404",
    },
    # office staff prepare programmes; programme 03 is published, so only its targets change
    "targets:programme_new": {"": OFFICE, "POST": "login 200 200 403 403 403 403"},
    "targets:programme_import": {"": OFFICE, "POST": "login 200 200 403 403 403 403"},
    "targets:programme_export": {P03: OFFICE, "nope": "login 404 404 403 403 403 403"},
    "targets:programme_copy": {
        P03: OFFICE,
        f"POST {P03}": "login 200 200 403 403 403 403",
    },
    "targets:programme_edit": {P03: PUBLISHED_FIXED, f"POST {P03}": PUBLISHED_FIXED},
    "targets:programme_check": {P03: POST_ONLY, f"POST {P03}": PUBLISHED_FIXED},
    "targets:programme_publish": {P03: OFFICE, f"POST {P03}": "login 200 200 403 403 403 403"},
    "targets:programme_close": {P03: OFFICE, f"POST {P03}": "login 200 200 403 403 403 403"},
    "targets:field_new": {P03: PUBLISHED_FIXED, f"POST {P03}": PUBLISHED_FIXED},
    "targets:part_new": {
        f"{P03}/indicator": PUBLISHED_FIXED,
        f"{P03}/target": OFFICE,
        f"{P03}/nothing": "login 404 404 403 403 403 403",
        f"POST {P03}/target": "login 200 200 403 403 403 403",
    },
    "targets:part_edit": {
        f"{P03}/target/target_a01": OFFICE,
        f"{P03}/indicator/indicator_a01": PUBLISHED_FIXED,
        f"{P03}/target/missing": "login 404 404 403 403 403 403",
        f"POST {P03}/target/target_a01": "login 200 200 403 403 403 403",
    },
    # registry counts are data the office keeps (a field names one by its code)
    "targets:registry_count_list": {"": OFFICE},
    "targets:registry_count_new": {"": OFFICE, "POST": "login 200 200 403 403 403 403"},
    "targets:registry_count_edit": {
        "registry_all": OFFICE,
        "missing": "login 404 404 403 403 403 403",
        "POST registry_all": "login 200 200 403 403 403 403",
    },
    "targets:part_delete": {
        f"{P03}/target/target_a01": POST_ONLY,
        f"POST {P03}/target/target_a01": PUBLISHED_FIXED,
    },
    # --- reports ---
    "reports:list": {"": EVERYONE, "?status=approved": EVERYONE},
    "reports:open": {
        "": POST_ONLY,
        "POST #D2": "login 302 302 403 302 404 404",
        "POST #C21": "login 302 302 403 403 404 404",
        "POST #W1": "login 302 302 403 404 404 302",
    },
    "reports:detail": {
        "d2_draft": "login 200 200 200 200 404 404",
        "d2_approved": "login 200 200 200 200 404 404",
        "c21_draft": "login 200 200 200 200 404 404",
        "d1_approved": "login 200 200 200 404 200 404",
        "w1_draft": "login 200 200 200 404 404 200",
        "missing": "login 404 404 404 404 404 404",
    },
    "reports:edit": {
        "d2_draft": "login 200 200 403 200 404 404",
        "d2_approved": "login 302 302 403 302 404 404",  # not editable: back to the report
        "c21_draft": "login 200 200 403 403 404 404",
        "d1_draft": "login 200 200 403 404 200 404",
        "w1_draft": "login 200 200 403 404 404 200",
        "POST d2_draft": "login 302 302 403 302 404 404",
        "POST c21_draft": "login 302 302 403 403 404 404",
    },
    "reports:submit": {
        "d2_draft": POST_ONLY,
        "POST d2_draft": "login 302 302 403 302 404 404",
        "POST c21_draft": "login 302 302 403 403 404 404",
        "POST w1_draft": "login 302 302 403 404 404 302",
    },
    "reports:return": {
        "d2_submitted": POST_ONLY,
        "POST d2_submitted": "login 302 302 403 403 404 404",
    },
    # Office staff approve checked reports from their inbox (each checked again).
    "reports:inbox_approve": {"": POST_ONLY, "POST": "login 302 302 403 403 403 403"},
    "reports:approve": {
        "d2_submitted": POST_ONLY,
        "POST d2_submitted": "login 302 302 403 403 404 404",
    },
    "reports:reopen": {
        "d2_approved": POST_ONLY,
        "POST d2_approved": "login 302 302 403 403 404 404",
        "POST d1_approved": "login 302 302 403 404 403 404",
    },
    "reports:diff": {
        "d2_approved": "login 200 200 200 200 404 404",
        "d1_approved": "login 200 200 200 404 200 404",
    },
    "reports:excel_download": {
        "d2_draft": "login 200 200 200 200 404 404",
        "d1_approved": "login 200 200 200 404 200 404",
        "w1_draft": "login 200 200 200 404 404 200",
    },
    "reports:excel_upload": {
        "d2_draft": "login 200 200 403 200 404 404",
        "c21_draft": "login 200 200 403 403 404 404",
        "d2_approved": "login 403 403 403 403 404 404",
        "POST d2_draft": "login 400 400 403 400 404 404",  # not a workbook: the form says so
    },
    "reports:excel_confirm": {
        "d2_draft": POST_ONLY,
        "POST d2_draft": "login 302 302 403 302 404 404",  # no preview stored: upload again
        "POST w1_draft": "login 302 302 403 404 404 302",
    },
    "reports:tracking": {"": PROVINCE_READERS},
    "reports:calendar": {"": OFFICE, "POST": "login 302 302 403 403 403 403"},
    "reports:assignments": {"": OFFICE},
    "reports:assignment_add": {"": POST_ONLY, "POST": "login 302 302 403 403 403 403"},
    "reports:assignment_end": {
        "assignment": POST_ONLY,
        "POST assignment": "login 400 400 403 403 403 403",
    },
    "reports:assignments_apply": {"": OFFICE, "POST": "login 302 302 403 403 403 403"},
    "reports:due_dates": {"": POST_ONLY, "POST": "login 302 302 403 403 403 403"},
    "reports:assignments_bulk": {"": OFFICE, "POST": "login 400 400 403 403 403 403"},
    # --- dashboards ---
    "dashboards:overview": {"": "login 200 200 200 302 302 302"},
    "dashboards:unit": {
        "P": "login 200 200 200 404 404 404",
        "D2": "login 200 200 200 200 404 404",
        "D1": "login 200 200 200 404 200 404",
        "W1": "login 200 200 200 404 404 200",
    },
    "dashboards:indicator": {
        "A01": EVERYONE,
        "A01?unit=D1": "login 200 200 200 404 200 404",
        "T01?unit=D2": "login 200 200 200 200 404 404",
        "ZZZ": "login 404 404 404 404 404 404",
    },
    "dashboards:membership": {
        "": EVERYONE,
        "?unit=D2": "login 200 200 200 200 404 404",
    },
    # --- notifications: everyone's own email choices; office staff remind a unit ---
    "notifications:preferences": {"": POST_ONLY, "POST": "login 302 302 302 302 302 302"},
    "notifications:remind": {"": POST_ONLY, "POST": "login 302 302 403 403 403 403"},
    # --- print views (answer like the pages they print) ---
    "printing:report": {
        "d2_approved": "login 200 200 200 200 404 404",
        "d1_approved": "login 200 200 200 404 200 404",
        "w1_draft": "login 200 200 200 404 404 200",
        "missing": "login 404 404 404 404 404 404",
    },
    "printing:overview": {
        "": EVERYONE,
        "?unit=D1": "login 200 200 200 404 200 404",
        "?unit=W1&year=2025": "login 200 200 200 404 404 200",
    },
    # --- exports (downloads answer like the pages they come from) ---
    "exports:workbook": {"": PROVINCE_READERS, "?year=2025&quarter=4": PROVINCE_READERS},
    "exports:csv": {
        "overview": "login 200 200 200 302 302 302",  # reporters: their own unit's table
        "membership": EVERYONE,
        "membership?unit=D1": "login 200 200 200 404 200 404",
        "unit/D2": "login 200 200 200 200 404 404",
        "unit/C11": "login 200 200 200 404 200 200",
        "unit/P": "login 200 200 200 404 404 404",
        "indicator/A01": EVERYONE,
        "indicator/A01?unit=D2": "login 200 200 200 200 404 404",
        "indicator/ZZZ": "login 404 404 404 404 404 404",
        "nope": "login 404 404 404 404 404 404",
    },
    # --- narratives read as one: the office writes the synthesis, reporters read their own ---
    "briefing:narratives": {
        "": EVERYONE,
        "?unit=D1": "login 200 200 200 404 200 404",
        "?group=9.9": "login 404 404 404 404 404 404",
        "POST": "login 302 302 403 403 403 403",
    },
    "printing:annual_report": {
        "": OFFICE,
        "?year=2025": OFFICE,
        "?year=abc": "login 400 400 403 403 403 403",
        "?year=2031": "login 400 400 403 403 403 403",
    },
    # --- audit log (office staff read and filter it) ---
    "audit:list": {"": OFFICE, "?q=D2": OFFICE, "POST": POST_ONLY},  # read only: no POST at all
    # --- read API (each persona also asks with its own token: same answers) ---
    "api:progress": {
        "?unit=D2&period=2025Q2": "401 200 200 200 200 404 404",
        "?unit=W1&period=2025": "401 200 200 200 404 404 200",
        "?unit=D2&period=2025Q2&include=provisional": "401 200 200 403 403 403 403",
        "POST": "405 405 405 405 405 405 405",
    },
    "api:unit_list": {"": API_EVERYONE, "?q=C1": API_EVERYONE},
    "api:unit_detail": {
        "D2": "401 200 200 200 200 404 404",
        "C11": "401 200 200 200 404 200 200",
        "P": "401 200 200 200 404 404 404",
    },
    "api:programme_list": {"": API_EVERYONE},
    "api:programme_detail": {
        "03-ctr-ldld-2023": API_EVERYONE,
        "nope": "401 404 404 404 404 404 404",
    },
    "api:openapi": {"": "200 200 200 200 200 200 200"},  # describes the API, holds no data
    # --- API token pages (each account sees and revokes only its own tokens) ---
    "api:tokens": {"": EVERYONE, "POST": EVERYONE},
    "api:token_revoke": {
        "token_d2": POST_ONLY,
        "POST token_d2": "login 404 404 404 302 404 404",
    },
}


def _post_data(world: World, name: str, label: str) -> dict[str, Any]:
    """Form data meant to change something, so a refusal can be seen to change nothing."""
    report = world.reports.get(label)
    version = {"version": str(report.version)} if report else {}
    data: dict[str, dict[str, Any]] = {
        "accounts:create": {"username": "intruder", "role": "admin"},
        "accounts:edit": {"full_name": "Changed", "role": "admin", "unit": ""},
        "accounts:password": {"new_password1": "N3w-pass-word!", "new_password2": "N3w-pass-word!"},
        "accounts:active": {"active": "0"},
        "accounts:password_change": {"old_password": "wrong", "new_password1": "x"},
        "accounts:password_reset": {"email": "nobody@example.invalid"},
        "notifications:remind": {"unit": "D2", "period": world.pks["period"]},
        "reports:inbox_approve": {
            "approve": str(world.pks["d2_submitted"]),
            f"version-{world.pks['d2_submitted']}": str(world.reports["d2_submitted"].version),
        },
        "unions:new": {"code": "X9", "name": "Intruder", "kind": "district"},
        "unions:merge": {"into": "D2", "units": "C21"},
        "unions:edit": {"name": "Renamed"},
        "unions:move": {"parent": "P", "on": "2026-01-01"},
        "unions:move_children": {"move-parent": "P", "move-on": "2026-01-01"},
        "unions:dissolve": {"on": "2026-01-01"},
        "targets:programme_edit": {"title_en": "Changed"},
        "targets:part_edit": {"value": "1"},
        "targets:part_new": {"value": "1"},
        "reports:open": {"unit": label.removeprefix("POST "), "period": "2025Q4"},
        "reports:edit": {**version, "v_members": "4321"},
        "reports:submit": version,
        "reports:return": {"reason": "Thiếu số liệu"},
        "reports:reopen": {"reason": "Sửa số liệu"},
        "reports:excel_confirm": version,
        "reports:excel_upload": {"file": _named(b"not a workbook", "report.xlsx")},
        "reports:calendar": {"cutoff_rule": "day14", "due_days": "20"},
        "reports:assignment_add": {"unit": "C21", "scope": "self", "first": "2025Q1"},
        "reports:assignments_apply": {"confirm": "yes"},
        "reports:due_dates": {"due-quarters": world.pks["period"], "due-due": ""},
        "api:tokens": {"name": "script"},
    }
    return data.get(name, {})


def _named(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


# --- the world the rules speak of ---------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Seven personas per test: hashing their passwords the production way takes seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    users: dict[str, User | None]
    reports: dict[str, Report] = field(default_factory=dict)
    pks: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    # One client for every request: a new one loads the middleware again, and WhiteNoise's
    # scan of the static files then costs more than the request.
    client: Client = field(default_factory=Client)


def _reported(unit, programme, code: str, *, submit: bool = False, approve: bool = False):
    report = opened(unit, period(programme, code), None)
    values = {"members": 100, "workers_union_units": 120, "informed_ytd": 60}
    data = ReportInput(
        values={k: Entry.of(v) for k, v in values.items()}, confirmed_warnings=set(values)
    )
    report = report_save(report, data, version=report.version, actor=None)
    if submit or approve:
        report = report_submit(report, version=report.version, actor=None)
    return report_approve(report, actor=None) if approve else report


@pytest.fixture
def world(
    small_tree,
    programme,
    admin_user,
    office_user,
    committee_user,
    district_reporter,
    other_district_reporter,
    ward_reporter,
) -> World:
    t = small_tree
    users: dict[str, User | None] = dict(
        zip(
            PERSONAS,
            (
                None,
                admin_user,
                office_user,
                committee_user,
                district_reporter,
                other_district_reporter,
                ward_reporter,
            ),
            strict=True,
        )
    )
    assignments_apply_proposal()
    world = World(users=users)
    world.reports = {
        "d2_submitted": _reported(t.d2, programme, "2025Q1", submit=True),
        "d2_approved": _reported(t.d2, programme, "2025Q2", approve=True),
        "d2_draft": _reported(t.d2, programme, "2025Q3"),
        "c21_draft": _reported(t.c21, programme, "2025Q3"),
        "d1_draft": _reported(t.d1, programme, "2025Q1"),
        "d1_approved": _reported(t.d1, programme, "2025Q2", approve=True),
        "w1_draft": _reported(t.ward, programme, "2025Q4"),
    }
    world.pks = {label: r.pk for label, r in world.reports.items()}
    world.pks["missing"] = 999999
    world.pks["account_d2"] = district_reporter.pk
    world.pks["account_office"] = office_user.pk
    world.pks["period"] = period(programme, "2025Q4").pk
    world.pks["assignment"] = Assignment.objects.order_by("pk").values_list("pk", flat=True)[0]
    token, raw = token_create(district_reporter, "tests")
    world.pks["token_d2"] = token.pk
    world.pks["target_a01"] = programme.indicators.get(code="A01").targets.get().pk
    world.pks["indicator_a01"] = programme.indicators.get(code="A01").pk
    world.pks["registry_all"] = RegistryCount.objects.get(code="grassroots_all").pk
    for name, user in users.items():
        if user is not None:
            world.tokens[name] = raw if name == "reporter_d2" else token_create(user, "t")[1]
    return world


# --- walking the URLs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]


def portal_routes() -> list[Route]:
    """Every named URL pattern, namespaces included, less the documented skips."""
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
                    continue
                found.append(Route(name, route, tuple(entry.pattern.regex.groupindex)))

    walk(get_resolver(), "", None)
    return found


def _parts(label: str) -> list[str]:
    """The URL arguments a case names: "members/D2" gives two, "" none."""
    target = label.removeprefix("POST").strip().partition("#")[0].partition("?")[0]
    return target.split("/") if target else []


def _route_for(routes: list[Route], name: str, label: str) -> Route:
    """The pattern of `name` taking as many arguments as the case names (names may repeat)."""
    fits = [r for r in routes if r.name == name and len(r.params) == len(_parts(label))]
    assert fits, f"{name}: no pattern takes the arguments of case {label!r}"
    return fits[0]


def test_every_url_of_the_portal_has_an_access_rule():
    routes = portal_routes()
    missing = [f"{r.name} (/{r.route})" for r in routes if r.name not in RULES]
    assert not missing, (
        "No access rule for these URLs: "
        + ", ".join(missing)
        + ". Add an entry to RULES in tests/test_access_matrix.py saying what each persona "
        "gets (and a case inside and outside a reporter's scope if the URL names a unit or report)."
    )
    untried = [
        f"{r.name} (/{r.route})"
        for r in routes
        if not any(len(_parts(label)) == len(r.params) for label in RULES[r.name])
    ]
    assert not untried, f"No case in RULES reaches these patterns: {untried}"
    stale = sorted(set(RULES) - {r.name for r in routes})
    assert not stale, f"RULES name URLs that no longer exist: {stale}"
    unnamed = [r.route for r in routes if r.name in ("None", "") or r.name.endswith(":None")]
    assert not unnamed, f"Give these URL patterns a name so they can have a rule: {unnamed}"


def _url(route: Route, world: World, label: str) -> str:
    query = label.partition("#")[0].partition("?")[2]
    kwargs: dict[str, Any] = {}
    for param, value in zip(route.params, _parts(label), strict=True):
        kwargs[param] = world.pks[value] if param == "pk" else value
    url = reverse(route.name, kwargs=kwargs)
    return f"{url}?{query}" if query else url


def _answer(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    return str(response.status_code)


SNAPSHOT_EXCLUDE = {"sessions", "axes", "admin", "contenttypes", "auth", "audit"}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row the portal keeps (sessions, login attempts and the audit log aside)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_EXCLUDE:
            continue
        values = list(model.objects.order_by("pk").values())
        for row in values:
            row.pop("last_login", None)
        rows[model._meta.label] = values
    return rows


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each persona's request starts from the same world: whatever it wrote is undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def ask(world: World, route: Route, label: str, persona: str, *, token: bool = False) -> str:
    user = world.users[persona]
    client = world.client
    client.cookies.clear()
    headers: dict[str, str] = {}
    if token and user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
    elif user is not None:
        client.force_login(user)
    url = _url(route, world, label)
    if not label.startswith("POST"):
        return _answer(client.get(url, **headers))
    target = label.partition("#")[2] or "/".join(_parts(label))
    before = snapshot()
    answer = _answer(client.post(url, _post_data(world, route.name, target), **headers))
    if answer in REFUSED:
        assert snapshot() == before, f"POST {url} as {persona} was refused ({answer}) but wrote"
    return answer


def _expected(line: str) -> dict[str, str]:
    answers = line.split()
    assert len(answers) == len(PERSONAS), f"{line!r}: one answer per persona {PERSONAS}"
    return dict(zip(PERSONAS, answers, strict=True))


def _is_api(name: str) -> bool:
    from api.urls import HTML_PAGES

    return name.startswith("api:") and name.removeprefix("api:") not in HTML_PAGES | {"openapi"}


def _group(name: str) -> str:
    return name.partition(":")[0] if ":" in name else "home"


GROUPS = sorted({_group(name) for name in RULES})


@pytest.mark.parametrize("group", GROUPS)
def test_each_persona_gets_the_answer_the_rules_give(world, group):
    """One test per part of the portal (building the world once per URL would take minutes)."""
    routes = portal_routes()
    wrong = []
    for name in sorted(n for n in RULES if _group(n) == group):
        for label, line in RULES[name].items():
            route = _route_for(routes, name, label)
            for persona, expected in _expected(line).items():
                tries = [False, True] if _is_api(name) and persona != "anonymous" else [False]
                for token in tries:
                    with rolled_back():
                        got = ask(world, route, label, persona, token=token)
                    if got != expected:
                        how = " with a token" if token else ""
                        case = f"{name} {label or ''}".strip()
                        wrong.append(f"{case} as {persona}{how}: expected {expected}, got {got}")
    assert not wrong, "\n  ".join(["Answers that differ from RULES:", *wrong])
