"""The home page's inbox: what awaits the office, the Standing Committee's short status and a
reporter's returned reports with their due date; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.assignments import assignments_apply_proposal
from reports.inbox import office_inbox
from reports.services import report_return, report_save, report_submit
from tests.conftest import approved, explained, opened, period

QUERIES = 9  # the late units are counted in one query, not listed

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def assigned(programme):
    assignments_apply_proposal()
    return programme


def _sent(unit, programme, code, actor):
    report = opened(unit, period(programme, code), actor)
    report = report_save(report, explained(report, {"members": 120}), version=1, actor=actor)
    return report_submit(report, version=report.version, actor=actor)


def test_the_office_sees_reports_awaiting_approval_oldest_first_with_sender(
    client, small_tree, assigned, office_user, district_reporter
):
    older = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    newer = _sent(small_tree.ward, assigned, "2025Q4", None)
    client.force_login(office_user)
    response = client.get("/")
    inbox = response.context["inbox"]
    assert [row.report.pk for row in inbox.awaiting] == [older.pk, newer.pk]
    page = response.content.decode()
    assert 'id="inbox-awaiting"' in page
    assert "Quarter 3/2025" in page or "Quý 3/2025" in page
    assert "reporter_d2" in page
    assert page.index(f'data-report="{older.pk}"') < page.index(f'data-report="{newer.pk}"')


def test_the_office_sees_returned_reports_with_the_reason_and_the_late_units(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    report_return(report, reason="Thiếu số đoàn viên nữ", actor=office_user)
    client.force_login(office_user)
    response = client.get("/")
    inbox = response.context["inbox"]
    assert [row.report.pk for row in inbox.returned] == [report.pk]
    page = response.content.decode()
    assert "Thiếu số đoàn viên nữ" in page
    assert inbox.overdue is not None and inbox.overdue.units >= 1
    assert "/reports/tracking/?status=late" in page


def test_the_office_inbox_runs_the_same_number_of_queries_for_one_or_many_reports(
    small_tree, assigned, office_user, district_reporter
):
    today = timezone.localdate()
    _sent(small_tree.d2, assigned, "2025Q1", district_reporter)
    with CaptureQueriesContext(connection) as one:
        office_inbox(office_user, today)
    for code in ("2025Q2", "2025Q3", "2025Q4"):
        _sent(small_tree.d2, assigned, code, district_reporter)
        _sent(small_tree.ward, assigned, code, None)
    with CaptureQueriesContext(connection) as many:
        inbox = office_inbox(office_user, today)
    assert inbox.awaiting_total == 7
    assert len(many.captured_queries) == len(one.captured_queries) == QUERIES


def test_the_committee_sees_a_short_status_and_no_list(
    client, small_tree, assigned, committee_user, district_reporter
):
    _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    client.force_login(committee_user)
    response = client.get("/")
    page = response.content.decode()
    assert 'id="inbox-status"' in page and 'id="inbox-awaiting"' not in page
    assert "1 report awaits the office" in page


def test_a_reporter_sees_its_returned_report_with_the_reason_and_the_due_date(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    report_return(report, reason="Sai số hội viên", actor=office_user)
    client.force_login(district_reporter)
    response = client.get("/", follow=True)
    page = response.content.decode()
    assert "Sai số hội viên" in page
    returned = page[page.index('class="returned"') :]
    assert "(due " in returned[: returned.index("</li>")]
    assert "inbox" not in response.context or response.context["inbox"] is None


def test_an_approved_report_leaves_the_inbox(client, small_tree, assigned, office_user):
    approved(small_tree.d2, assigned, "2025Q3", members=100)
    inbox = office_inbox(office_user, dt.date(2026, 1, 1))
    assert inbox.awaiting_total == 0 and inbox.awaiting == []


def test_each_report_awaiting_approval_says_how_many_fields_are_not_reported(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    blanks = report.values.filter(state="blank").count()
    assert blanks > 0
    client.force_login(office_user)
    response = client.get("/")
    assert response.context["inbox"].awaiting[0].blanks == blanks
    assert f"{blanks} fields not reported" in response.content.decode()
