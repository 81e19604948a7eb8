"""When a quarter's report was sent, and what became of it since, as the report page tells it.

Whether the report came in on time is a fact about the quarter, judged on its first sending;
a revision that was returned, reopened or sent again says so beside it, and the history lists
every event of the quarter once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports.assignments import assignments_apply_proposal
from reports.history import last_reason, report_history
from reports.models import EventAction, Report, ReportEvent
from reports.selectors import report_timeliness
from reports.services import report_approve, report_reopen, report_return
from reports.services import report_submit as submit
from tests.conftest import opened, period

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def q3(programme):
    assignments_apply_proposal()
    return period(programme, "2024Q3")


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def sent_on(report: Report, day: dt.date) -> Report:
    """Sends the report as if on `day` (its history too)."""
    earlier = report.first_submitted_at
    report = submit(report, version=report.version, actor=None)
    first = earlier or _at(day)
    Report.objects.filter(pk=report.pk).update(submitted_at=_at(day), first_submitted_at=first)
    event = ReportEvent.objects.filter(report=report, action=EventAction.SUBMIT).latest("pk")
    ReportEvent.objects.filter(pk=event.pk).update(at=_at(day))
    opened = ReportEvent.objects.filter(report=report, action=EventAction.CREATE, at__gt=_at(day))
    opened.update(at=_at(day - dt.timedelta(days=5)))
    report.refresh_from_db()
    return report


@pytest.fixture
def reopened(small_tree, q3, office_user) -> Report:
    """Sent ten days late, approved, then reopened by the office: the new draft."""
    report = opened(small_tree.d2, q3, None)
    report = sent_on(report, q3.due + dt.timedelta(days=10))
    report = report_approve(report, actor=office_user)
    return report_reopen(report, reason="Sửa số đoàn viên", actor=office_user)


def sent_text(client, report: Report) -> str:
    html = client.get(reverse("reports:detail", args=[report.pk])).text
    found = re.search(r'<dd id="report-sent">(.*?)</dd>', html, re.S)
    assert found is not None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[1])).strip()


def day(moment: dt.date | dt.datetime) -> str:
    return f"{moment:%d/%m/%Y}"


# --- the selector ------------------------------------------------------------------------------


def test_a_reopened_draft_keeps_the_quarters_first_sending_and_is_waiting(reopened, q3):
    today = q3.due + dt.timedelta(days=60)
    t = report_timeliness(reopened, today, last_reason(reopened))
    assert (t.on_time, t.days_late) == (False, 10)
    assert t.first_sent == _at(q3.due + dt.timedelta(days=10))
    assert t.waiting and not t.only_once and t.sent_again is None
    assert t.sent_back is not None and t.sent_back.action == EventAction.REOPEN


def test_a_report_never_sent_is_overdue_by_the_days_past_due(small_tree, q3):
    draft = opened(small_tree.d2, q3, None)
    t = report_timeliness(draft, q3.due + dt.timedelta(days=41))
    assert (t.on_time, t.days_late, t.first_sent, t.waiting) == (False, 41, None, False)
    assert report_timeliness(draft, q3.due).on_time is None


def test_a_report_sent_once_is_on_time_or_late_by_that_sending(small_tree, q3):
    report = sent_on(opened(small_tree.d2, q3, None), q3.due)
    t = report_timeliness(report, q3.due + dt.timedelta(days=30))
    assert (t.on_time, t.days_late, t.only_once) == (True, 0, True)


def test_a_reopening_is_recorded_once_and_the_history_lists_each_event_once_in_order(
    reopened,
):
    rows = report_history(reopened)
    actions = [row.event.action for row in rows]
    assert actions == ["create", "submit", "approve", "reopen"]
    [reopen] = [row.event for row in rows if row.event.action == EventAction.REOPEN]
    assert reopen.report_id == reopened.pk and reopen.reason == "Sửa số đoàn viên"
    earlier = Report.objects.get(unit=reopened.unit, period=reopened.period, revision=1)
    assert report_history(earlier) == rows  # the same history from either revision


# --- the report page ---------------------------------------------------------------------------


def test_the_reopened_drafts_page_tells_the_first_sending_and_that_it_is_not_sent_again(
    client, reopened, q3, office_user, district_reporter
):
    first = day(q3.due + dt.timedelta(days=10))
    today = day(timezone.localdate())
    for user in (office_user, district_reporter):
        client.force_login(user)
        text = sent_text(client, reopened)
        assert text == (
            f"first sent {first} 10 days late reopened on {today}, not sent again yet"
        ), user
        assert "overdue" not in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert sent_text(client, reopened) == (
        f"gửi lần đầu {first} muộn 10 ngày được mở lại để sửa ngày {today}, chưa gửi lại"
    )


def test_the_reopened_drafts_page_lists_the_reopening_once(client, reopened, office_user):
    client.force_login(office_user)
    html = client.get(reverse("reports:detail", args=[reopened.pk])).text
    actions = re.findall(r'<tr data-action="(\w+)">', html)
    assert actions == ["create", "submit", "approve", "reopen"]
    assert "(revision 1 → 2)" in re.sub(r"<[^>]+>", "", html)


def test_a_returned_report_tells_its_first_sending_then_that_it_was_sent_again(
    client, small_tree, q3, office_user
):
    report = sent_on(opened(small_tree.d2, q3, None), q3.due - dt.timedelta(days=2))
    report = report_return(report, reason="Thiếu số liệu", actor=office_user)
    client.force_login(office_user)
    first, today = day(q3.due - dt.timedelta(days=2)), day(timezone.localdate())
    assert sent_text(client, report) == (
        f"first sent {first} on time returned on {today}, not sent again yet"
    )
    report = sent_on(report, q3.due + dt.timedelta(days=20))
    again = timezone.localtime(_at(q3.due + dt.timedelta(days=20)))
    assert (
        sent_text(client, report)
        == f"first sent {first} on time sent again on {again:%d/%m/%Y %H:%M}"
    )


def test_a_correction_sent_after_an_approval_is_sent_again_and_the_quarter_stays_late(
    client, reopened, q3, office_user
):
    correction = sent_on(reopened, q3.due + dt.timedelta(days=70))
    client.force_login(office_user)
    first = day(q3.due + dt.timedelta(days=10))
    text = sent_text(client, correction)
    assert text.startswith(f"first sent {first} 10 days late sent again on ")
    approved = report_approve(correction, actor=office_user)
    assert sent_text(client, approved).startswith(f"first sent {first} 10 days late sent again")
    earlier = Report.objects.get(unit=reopened.unit, period=reopened.period, revision=1)
    sent = timezone.localtime(_at(q3.due + dt.timedelta(days=10)))
    assert sent_text(client, earlier) == f"{sent:%d/%m/%Y %H:%M} 10 days late"


def test_a_draft_never_sent_says_so_and_how_overdue_it_is(client, small_tree, q3, office_user):
    draft = opened(small_tree.d2, q3, None)
    client.force_login(office_user)
    overdue = (timezone.localdate() - q3.due).days
    assert sent_text(client, draft) == f"not sent yet overdue {overdue} days"


def test_the_reports_list_says_a_draft_revision_was_reopened(client, reopened, office_user):
    client.force_login(office_user)
    html = client.get(reverse("reports:list")).text
    row = re.search(
        rf"<tr[^>]*>(?:(?!</tr>).)*reports/{reopened.pk}/(?:(?!</tr>).)*</tr>", html, re.S
    )
    assert row is not None and "reopened, not sent again yet" in row[0]


def test_the_tracking_grid_and_the_reporters_to_do_agree_with_the_page(
    client, reopened, office_user, district_reporter
):
    client.force_login(office_user)
    html = client.get(reverse("reports:tracking"), {"year": "2024"}).text
    cell = re.search(
        rf'<td class="cell[^"]*">(?:(?!</td>).)*reports/{reopened.pk}/.*?</td>', html, re.S
    )
    assert cell is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell[0]))
    assert "approved" in text and "first sent 10 days late" in text and "overdue" not in text
    client.force_login(district_reporter)
    home = client.get(reverse("dashboards:unit", args=["D2"])).text
    assert "The report for Quarter 3/2024 was reopened for correction." in home


# --- the data migrations -----------------------------------------------------------------------


def _migration(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"reports.migrations.{name}")


def test_a_reopening_recorded_twice_before_is_listed_once_and_never_deleted(reopened):
    earlier = Report.objects.get(unit=reopened.unit, period=reopened.period, revision=1)
    legacy = ReportEvent.objects.create(
        report=earlier, action=EventAction.REOPEN, reason="Sửa số đoàn viên", version=4
    )
    assert [r.event.action for r in report_history(reopened)].count("reopen") == 1
    # The migration that once deleted such copies deletes nothing now: history is append-only.
    [operation] = _migration("0006_reopen_recorded_once").Migration.operations
    operation.code(apps, None)
    assert ReportEvent.objects.filter(pk=legacy.pk).exists()


def test_reports_sent_before_get_their_quarters_first_sending(reopened, q3):
    Report.objects.update(first_submitted_at=None)
    _migration("0005_report_first_submitted_at").first_sendings(apps, None)
    first = _at(q3.due + dt.timedelta(days=10))
    revisions = Report.objects.filter(unit=reopened.unit, period=reopened.period)
    assert {r.first_submitted_at for r in revisions} == {first}
