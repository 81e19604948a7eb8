"""Shared by the reliability tests: quick personas and a report with values to break."""

from __future__ import annotations

import pytest
from django.db import connection

from reports.assignments import assignments_apply_proposal
from reports.numbers import Entry
from reports.services import ReportInput, report_save
from tests.conftest import opened, period

BASE_VALUES = {"members": 100, "workers_union_units": 120, "informed_ytd": 60}

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (row locks, pg_terminate_backend)"
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Personas are made in every test; hashing their passwords the production way is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def entries(values: dict[str, int]) -> ReportInput:
    return ReportInput(
        values={code: Entry.of(n) for code, n in values.items()}, confirmed_warnings=set(values)
    )


@pytest.fixture
def draft(small_tree, programme):
    """District D2's 2025Q3 report, saved once with three values."""
    assignments_apply_proposal()
    report = opened(small_tree.d2, period(programme, "2025Q3"), None)
    return report_save(report, entries(BASE_VALUES), version=report.version, actor=None)
