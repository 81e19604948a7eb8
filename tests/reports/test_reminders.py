"""`send_reminders`: who gets an e-mail, when, and never twice."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.assignments import assignments_apply_proposal
from reports.models import Reminder
from reports.services import report_approve, report_return, report_submit
from reports.tracking import reminder_allowed, reminder_kind
from tests.conftest import opened, period

DUE = dt.date(2024, 10, 15)  # 2024Q3: cut-off 30/09/2024, due 15 days later


def run(today: dt.date, *extra: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--today", today.isoformat(), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def reporters(programme, district_reporter, other_district_reporter, ward_reporter):
    assignments_apply_proposal()
    for user, email in (
        (district_reporter, "d2@example.vn"),
        (other_district_reporter, "d1@example.vn"),
        (ward_reporter, "w1@example.vn"),
    ):
        user.email = email
        user.save()
    return programme


def test_reminder_kinds_follow_the_due_date():
    assert reminder_kind(DUE, DUE - dt.timedelta(days=3)) == "due_soon"
    assert reminder_kind(DUE, DUE - dt.timedelta(days=4)) is None
    assert reminder_kind(DUE, DUE) is None
    assert reminder_kind(DUE, DUE + dt.timedelta(days=1)) == "overdue"


def test_an_overdue_reminder_waits_seven_days_and_none_is_sent_twice_a_day():
    today = dt.date(2024, 11, 1)
    assert reminder_allowed("overdue", today, [])
    assert not reminder_allowed("overdue", today, [today - dt.timedelta(days=6)])
    assert reminder_allowed("overdue", today, [today - dt.timedelta(days=7)])
    assert not reminder_allowed("due_soon", today, [today])


def test_reporters_are_reminded_three_days_before_the_due_date(reporters, mailoutbox):
    run(DUE - dt.timedelta(days=3))
    assert sorted(m.to[0] for m in mailoutbox) == ["d1@example.vn", "d2@example.vn"]
    body = next(m for m in mailoutbox if m.to == ["d2@example.vn"]).body
    assert "Unit D2" in body and "15/10/2024" in body and "/reports/" in body


def test_no_reminder_four_days_before_the_due_date(reporters, mailoutbox):
    run(DUE - dt.timedelta(days=4))
    assert mailoutbox == []


def test_running_twice_on_the_same_day_sends_each_reminder_once(reporters, mailoutbox):
    run(DUE - dt.timedelta(days=3))
    run(DUE - dt.timedelta(days=3))
    assert len(mailoutbox) == 2
    assert Reminder.objects.filter(kind="due_soon").count() == 2


def test_submitted_and_approved_reports_are_not_chased_but_returned_ones_are(
    small_tree, reporters, office_user, district_reporter, other_district_reporter, mailoutbox
):
    q3 = period(reporters, "2024Q3")
    d2 = opened(small_tree.d2, q3, district_reporter)
    d2 = report_submit(d2, version=d2.version, actor=district_reporter)
    report_approve(d2, actor=office_user)
    d1 = opened(small_tree.d1, q3, other_district_reporter)
    d1 = report_submit(d1, version=d1.version, actor=other_district_reporter)
    report_return(d1, reason="Thiếu số liệu", actor=office_user)
    run(DUE + dt.timedelta(days=2))
    assert [m.to for m in mailoutbox] == [["d1@example.vn"]]
    assert f"/reports/{d1.pk}/" in mailoutbox[0].body


def test_a_returned_report_is_chased_as_returned_with_the_reason_not_as_never_sent(
    small_tree, reporters, office_user, other_district_reporter, mailoutbox
):
    q3 = period(reporters, "2024Q3")
    d1 = opened(small_tree.d1, q3, other_district_reporter)
    d1 = report_submit(d1, version=d1.version, actor=other_district_reporter)
    report_return(d1, reason="Thiếu số liệu quý 3", actor=office_user)
    run(DUE + dt.timedelta(days=2))
    returned = next(m for m in mailoutbox if m.to == ["d1@example.vn"])
    assert returned.subject == "Trả lại để sửa: báo cáo Quý 3/2024"
    assert "được trả lại để sửa và chưa gửi lại" in returned.body
    assert "Thiếu số liệu quý 3" in returned.body
    assert "nhập và gửi" not in returned.body  # not asked to fill in a report never sent
    never_sent = next(m for m in mailoutbox if m.to == ["d2@example.vn"])
    assert "trả lại" not in never_sent.body


def test_overdue_reminders_go_out_at_most_once_a_week(reporters, mailoutbox):
    run(DUE + dt.timedelta(days=1))
    assert len(mailoutbox) == 2
    run(DUE + dt.timedelta(days=2))
    run(DUE + dt.timedelta(days=7))
    assert len(mailoutbox) == 2
    run(DUE + dt.timedelta(days=8))
    assert len(mailoutbox) == 4


def test_a_dry_run_sends_and_records_nothing(reporters, mailoutbox):
    out = run(DUE - dt.timedelta(days=3), "--dry-run")
    assert mailoutbox == [] and not Reminder.objects.exists()
    assert "Would send 2" in out


def test_units_not_expected_that_quarter_are_not_reminded(reporters, mailoutbox):
    # 2025Q3: the dissolved district D1 is gone, the ward W1 reports for its CĐCS.
    due = period(reporters, "2025Q3").due
    run(due - dt.timedelta(days=3))
    assert sorted(m.to[0] for m in mailoutbox) == ["d2@example.vn", "w1@example.vn"]


def test_inactive_accounts_and_accounts_without_email_get_nothing(
    reporters, district_reporter, other_district_reporter, mailoutbox
):
    district_reporter.is_active = False
    district_reporter.save()
    other_district_reporter.email = ""
    other_district_reporter.save()
    run(DUE - dt.timedelta(days=3))
    assert mailoutbox == []


def test_a_malformed_today_is_refused(reporters):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "31/12/2024", stdout=StringIO())


def test_the_home_pages_count_of_late_units_is_the_reminders_list(
    small_tree, reporters, office_user, district_reporter, other_district_reporter, ward_reporter
):
    from reports.services import report_reopen
    from reports.tracking import pending_count, reminders_pending

    q3 = period(reporters, "2024Q3")
    late = DUE + dt.timedelta(days=2)

    def both() -> tuple[int, int]:
        return len(reminders_pending(q3, late)), pending_count(q3, late)

    never = both()
    assert never[0] == never[1] and never[0] > 0
    d2 = opened(small_tree.d2, q3, district_reporter)  # a draft is still late
    assert both() == never
    d2 = report_submit(d2, version=d2.version, actor=district_reporter)  # sent: not late
    assert both() == (never[0] - 1,) * 2
    d2 = report_approve(d2, actor=office_user)
    report_reopen(d2, reason="Sửa số liệu", actor=office_user)  # the approved one counts
    assert both() == (never[0] - 1,) * 2
    d1 = opened(small_tree.d1, q3, other_district_reporter)
    d1 = report_submit(d1, version=d1.version, actor=other_district_reporter)
    report_return(d1, reason="Thiếu", actor=office_user)  # returned: late again
    assert both() == (never[0] - 1,) * 2
    assert pending_count(q3, DUE - dt.timedelta(days=1)) == 0  # not due, no line
