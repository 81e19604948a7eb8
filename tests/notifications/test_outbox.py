"""Notifications: queued with the report action, sent by the cron command, retried on failure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification, Preference, State
from notifications.services import MAX_ATTEMPTS, outbox_send
from reports.assignments import assignments_apply_proposal
from reports.models import ReportStatus
from reports.services import report_approve, report_reopen, report_return, report_submit
from tests.conftest import approved, period

FAILING = "tests.notifications.test_outbox.FailingBackend"


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


@pytest.fixture
def people(office_user, district_reporter):
    office_user.email = "vanphong@example.vn"
    office_user.save()
    district_reporter.email = "tamduong@example.vn"
    district_reporter.save()
    return office_user, district_reporter


@pytest.fixture
def draft(small_tree, programme, people):
    assignments_apply_proposal()
    return approved(small_tree.d2, programme, "2025Q3", approve=False, members=100)


def test_submitting_queues_an_email_to_the_office_and_sends_nothing_yet(draft, people):
    office, _reporter = people
    assert draft.status == ReportStatus.SUBMITTED
    note = Notification.objects.get(kind=Kind.SUBMITTED)
    assert note.recipient == office
    assert note.state == State.PENDING
    assert "Quý 3/2025" in note.subject  # Vietnamese, whatever the sender's language
    assert f"/reports/{draft.pk}/" in note.body
    assert mail.outbox == []


def test_return_approval_and_reopening_tell_the_units_reporters_with_the_reason(draft, people):
    office, reporter = people
    returned = report_return(draft, reason="Thiếu số liệu A02", actor=office)
    note = Notification.objects.get(kind=Kind.RETURNED)
    assert note.recipient == reporter
    assert "Thiếu số liệu A02" in note.body
    again = report_submit(returned, version=returned.version, actor=reporter)
    done = report_approve(again, actor=office)
    assert Notification.objects.filter(kind=Kind.APPROVED, recipient=reporter).exists()
    report_reopen(done, reason="Sửa số đoàn viên", actor=office)
    reopened = Notification.objects.get(kind=Kind.REOPENED)
    assert "Sửa số đoàn viên" in reopened.body


def test_nobody_is_told_of_their_own_action(draft, people):
    office, _reporter = people
    report_return(draft, reason="x", actor=office)
    assert not Notification.objects.filter(recipient=office, kind=Kind.RETURNED).exists()
    # the office member who submitted for the unit is not told of the sending either
    assert Notification.objects.filter(kind=Kind.SUBMITTED, recipient=office).count() == 1


def test_an_action_rolled_back_leaves_no_notification(draft, people):
    office, _reporter = people
    with pytest.raises(RuntimeError), transaction.atomic():
        report_return(draft, reason="x", actor=office)
        raise RuntimeError
    assert not Notification.objects.filter(kind=Kind.RETURNED).exists()


def test_a_person_who_turned_a_kind_off_gets_none_of_it(small_tree, programme, people):
    office, _reporter = people
    Preference.objects.create(account=office, submitted=False)
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2025Q3", approve=False, members=100)
    assert not Notification.objects.filter(kind=Kind.SUBMITTED).exists()


def test_the_command_sends_the_outbox_once(draft, people):
    call_command("send_notifications")
    assert [m.to for m in mail.outbox] == [["vanphong@example.vn"]]
    assert Notification.objects.get().state == State.SENT
    call_command("send_notifications")
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_failed_email_is_retried_later_then_given_up(draft, people):
    now = timezone.now()
    result = outbox_send(now=now)
    note = Notification.objects.get()
    assert (result.sent, result.retried) == (0, 1)
    assert note.state == State.PENDING and note.attempts == 1
    assert note.next_attempt_at == now + dt.timedelta(minutes=5)
    assert "mail server down" in note.last_error
    assert outbox_send(now=now).retried == 0  # not due yet
    for _ in range(MAX_ATTEMPTS - 1):
        now += dt.timedelta(days=1)
        outbox_send(now=now)
    note.refresh_from_db()
    assert note.state == State.FAILED and note.attempts == MAX_ATTEMPTS


def test_a_report_action_succeeds_while_the_mail_server_is_down(small_tree, programme, people):
    with override_settings(EMAIL_BACKEND=FAILING):
        assignments_apply_proposal()
        report = approved(small_tree.d2, programme, "2025Q3", members=100)
    assert report.status == ReportStatus.APPROVED


def test_account_page_saves_the_email_choices(client, people):
    _office, reporter = people
    client.force_login(reporter)
    page = client.get(reverse("accounts:me")).content.decode()
    assert 'name="returned"' in page and 'name="submitted"' not in page
    client.post(reverse("notifications:preferences"), {"returned": "on"})
    choice = Preference.objects.get(account=reporter)
    assert choice.returned and not choice.approved and not choice.reminder


def test_the_remind_button_emails_the_units_reporters_now(
    client, small_tree, programme, people, django_capture_on_commit_callbacks
):
    office, _reporter = people
    assignments_apply_proposal()
    quarter = period(programme, "2025Q3")
    client.force_login(office)
    grid = client.get(reverse("reports:tracking")).content.decode()
    assert reverse("notifications:remind") in grid
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notifications:remind"), {"unit": "D2", "period": quarter.pk}
        )
    assert response.status_code == 302
    note = Notification.objects.get(kind=Kind.REMINDER)
    assert note.recipient.username == "reporter_d2"
    assert note.state == State.SENT
    assert [m.to for m in mail.outbox] == [["tamduong@example.vn"]]
    assert "Quý 3/2025" in mail.outbox[0].subject


def test_only_office_staff_may_remind(client, small_tree, programme, people):
    _office, reporter = people
    assignments_apply_proposal()
    client.force_login(reporter)
    quarter = period(programme, "2025Q3")
    response = client.post(reverse("notifications:remind"), {"unit": "D2", "period": quarter.pk})
    assert response.status_code == 403
    assert not Notification.objects.exists()
