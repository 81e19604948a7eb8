"""Reported figures for the dashboards, a way to grow the tree, and a real Chromium."""

from __future__ import annotations

import pytest

from reports.assignments import assignments_apply_proposal
from tests.conftest import SmallTree, approved, make_unit
from unions.models import UnitKind


@pytest.fixture
def reported(small_tree: SmallTree, programme) -> SmallTree:
    """Before and after the 2025 reform: D1 reports until June, the ward from July."""
    t = small_tree
    assignments_apply_proposal()
    approved(t.d1, programme, "2024Q4", members=95, workers_union_units=110, informed_ytd=100)
    approved(t.d2, programme, "2024Q4", members=190, workers_union_units=210, informed_ytd=200)
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220)
    approved(t.d2, programme, "2025Q3", court_cases=2, court_cases_supported=1)
    return t


def grow(tree: SmallTree, programme, count: int, start: int = 0) -> None:
    """Adds `count` district federations, each with one approved 2025Q4 report."""
    units = [make_unit(f"X{start + i:03}", UnitKind.DISTRICT, tree.province) for i in range(count)]
    assignments_apply_proposal()
    for i, unit in enumerate(units):
        approved(unit, programme, "2025Q4", members=50 + i, workers_union_units=60, informed_ytd=55)


PERSONA_PASSWORD = "pw-for-tests-123"


def login(page, live_server, username: str, password: str = PERSONA_PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
