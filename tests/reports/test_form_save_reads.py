"""The form and its save read what they need once: the checks the form shows are the service's,
the sharp changes a save leaves unconfirmed are those the stored report holds, and the pages'
queries stay few (issue 14: the mixed load's saves)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.assignments import assignments_apply_proposal
from reports.models import Report
from reports.numbers import Entry
from reports.selectors import report_form_context
from reports.services import (
    ReportInput,
    report_approve,
    report_findings,
    report_save,
    report_save_checked,
    report_submit,
    unconfirmed_warnings,
)
from tests.conftest import opened, period


@pytest.fixture
def jumped(small_tree, programme, office_user, district_reporter) -> Report:
    """Q2 approved with 1.000 members and 40 informed; a Q3 draft of the reporter's unit."""
    assignments_apply_proposal()
    q2 = opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    values = {"members": Entry.of(1000), "informed_ytd": Entry.of(40)}
    q2 = report_save(q2, ReportInput(values=values), version=1, actor=None)
    report_approve(report_submit(q2, version=q2.version, actor=None), actor=office_user)
    return opened(small_tree.d2, period(programme, "2024Q3"), district_reporter)


def _save(report: Report, values: dict[str, Entry], confirmed: set[str]) -> dict[str, str]:
    data = ReportInput(values=values, confirmed_warnings=confirmed)
    report.refresh_from_db()
    saved = report_save_checked(report, data, version=report.version, actor=None)
    assert saved.pending == unconfirmed_warnings(saved.report)
    return saved.pending


def test_a_save_tells_the_sharp_changes_left_unconfirmed_as_the_stored_report_holds_them(
    jumped,
):
    assert set(_save(jumped, {"members": Entry.of(300)}, set())) == {"members"}
    assert _save(jumped, {"members": Entry.of(300)}, {"members"}) == {}
    # A save without the confirmed value keeps its confirmation; a new jump waits for its own.
    assert set(_save(jumped, {"informed_ytd": Entry.of(400)}, set())) == {"informed_ytd"}
    assert set(_save(jumped, {"members": Entry.of(2500)}, set())) == {"members", "informed_ytd"}
    # A value put back within bounds leaves nothing to confirm.
    assert _save(jumped, {"members": Entry.of(1000), "informed_ytd": Entry.of(40)}, set()) == {}


def test_the_form_checks_values_as_the_service_does(jumped):
    ctx = report_form_context(jumped)
    for values in (
        {"members": Entry.of(300)},
        {"grassroots_total": Entry.of(50), "informed_ytd": Entry.of(10)},
        {"members": Entry.na(), "informed_ytd": Entry.of(5000)},
        {},
    ):
        assert ctx.checks.check(values) == report_findings(jumped, values)
    assert ctx.checks.check({"members": Entry.of(300)}).warnings  # a check that can fail
    assert ctx.checks.check({"grassroots_total": Entry.of(50)}).errors


def test_the_form_and_a_valid_save_run_few_queries(
    client, jumped, district_reporter, django_assert_max_num_queries
):
    edit = reverse("reports:edit", args=[jumped.pk])
    client.force_login(district_reporter)
    with django_assert_max_num_queries(20):  # 27 when the form checked the report again
        shown = client.get(edit)
    data = {  # what a browser sends back
        b.html_name: "on" if b.widget_type == "checkbox" else str(b.value())
        for b in shown.context["form"]
        if b.value() not in (None, False)
    }
    data.update(v_members="300", save="1")
    # 36 on PostgreSQL (the audit log's locks), 34 on SQLite; before, the save read the
    # form's whole context and checked the report twice: 56 on SQLite.
    with django_assert_max_num_queries(36):
        assert client.post(edit, data).status_code == 302
    assert "members" in unconfirmed_warnings(jumped)
