"""Everyone changes their own password; a forgotten one is replaced through an emailed link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.self_service import RESET_PER_ADDRESS, RESET_PER_EMAIL

OLD = "pw-for-tests-123"
NEW = "Lai-Chau-2026-moi"


@pytest.fixture
def reporter(district_reporter: User) -> User:
    district_reporter.email = "tamduong@example.vn"
    district_reporter.save()
    return district_reporter


def test_the_account_page_shows_the_own_account(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 200
    assert b"tamduong@example.vn" in response.content
    assert reverse("accounts:password_change").encode() in response.content


def test_a_reporter_changes_their_own_password_and_stays_logged_in(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password(NEW)
    assert client.get(reverse("accounts:me")).status_code == 200  # the session survives


def test_a_wrong_old_password_changes_nothing(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    reporter.refresh_from_db()
    assert reporter.check_password(OLD)


def _reset_link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_forgotten_password_sends_a_link_in_vietnamese_that_sets_a_new_password(reporter):
    visitor = Client()  # no language cookie: Vietnamese, as for a first visit
    response = visitor.post(reverse("accounts:password_reset"), {"email": "TamDuong@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tamduong@example.vn"]
    assert "mật khẩu" in message.subject
    assert "reporter_d2" in message.body
    link = _reset_link(message)
    form_page = visitor.get(link, follow=True)
    assert "Chọn mật khẩu mới" in form_page.content.decode()
    done = visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password(NEW)
    # the link works once
    again = visitor.get(link, follow=True)
    assert b'id="link-invalid"' in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, reporter):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_disabled_account_gets_no_link(client, reporter):
    reporter.is_active = False
    reporter.save()
    client.post(reverse("accounts:password_reset"), {"email": "tamduong@example.vn"})
    assert mail.outbox == []


def test_one_email_address_gets_a_few_links_an_hour_then_none(client, reporter):
    for _ in range(RESET_PER_EMAIL + 2):
        response = client.post(reverse("accounts:password_reset"), {"email": reporter.email})
        assert response.status_code == 302  # the same answer: nothing to learn from it
    assert len(mail.outbox) == RESET_PER_EMAIL


def test_one_address_asking_too_often_is_told_to_wait(reporter):
    visitor = Client(REMOTE_ADDR="10.9.9.9")
    visitor.cookies["django_language"] = "en"
    for number in range(RESET_PER_ADDRESS):
        email = f"someone{number}@example.vn"
        response = visitor.post(reverse("accounts:password_reset"), {"email": email})
        assert response.status_code == 302
    refused = visitor.post(reverse("accounts:password_reset"), {"email": reporter.email})
    assert refused.status_code == 429
    assert mail.outbox == []
    other = Client(REMOTE_ADDR="10.9.9.10")
    assert (
        other.post(reverse("accounts:password_reset"), {"email": reporter.email}).status_code == 302
    )
    assert len(mail.outbox) == 1


def test_the_login_page_offers_the_forgotten_password_link(client, db):
    response = client.get(reverse("accounts:login"))
    assert reverse("accounts:password_reset").encode() in response.content
