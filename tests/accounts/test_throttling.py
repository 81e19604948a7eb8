"""Login throttling: five wrong passwords lock one username from one address for 15 minutes.

django-axes is off for the rest of the suite (the test client's login() passes no request);
these tests switch it on and log in through the login page, as a person does.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User

PASSWORD = "pw-for-tests-123"
pytestmark = pytest.mark.usefixtures("axes_on")


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


def visitor(address: str = "10.0.0.1") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def log_in(client: Client, username: str, password: str):
    client.cookies["django_language"] = "en"
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong-password")
        assert response.status_code in (200, 429)


def test_five_failures_lock_the_account_from_that_address(district_reporter):
    client = visitor()
    fail(client, "reporter_d2", 5)
    response = log_in(client, "reporter_d2", PASSWORD)
    assert response.status_code == 429
    assert "Login locked" in response.text
    assert "Try again in 15 minutes" in response.text
    assert not logged_in(client)


def test_four_failures_do_not_lock_and_success_resets_the_count(district_reporter):
    client = visitor()
    fail(client, "reporter_d2", 4)
    assert log_in(client, "reporter_d2", PASSWORD).status_code == 302
    client.logout()
    fail(client, "reporter_d2", 4)
    assert log_in(client, "reporter_d2", PASSWORD).status_code == 302


def test_lockout_leaves_other_users_and_other_addresses_alone(
    district_reporter, other_district_reporter
):
    attacker = visitor("10.0.0.66")
    fail(attacker, "reporter_d2", 6)
    colleague = visitor("10.0.0.66")
    assert log_in(colleague, "reporter_d1", PASSWORD).status_code == 302
    elsewhere = visitor("10.0.0.2")
    assert log_in(elsewhere, "reporter_d2", PASSWORD).status_code == 302


def test_the_lockout_page_speaks_the_portals_default_language(district_reporter):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "reporter_d2", "password": "x"})
    response = client.post(reverse("accounts:login"), {"username": "reporter_d2", "password": "x"})
    assert response.status_code == 429
    assert '<html lang="vi">' in response.text


def test_password_reset_by_an_administrator_lifts_the_lockout(
    client, admin_user, district_reporter
):
    locked = visitor()
    fail(locked, "reporter_d2", 5)
    assert log_in(locked, "reporter_d2", PASSWORD).status_code == 429
    client.force_login(admin_user)
    new = "Đèo-Ô-Quy-Hồ-2143"
    response = client.post(
        reverse("accounts:password", args=[district_reporter.pk]),
        {"new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert log_in(locked, "reporter_d2", new).status_code == 302


def test_a_disabled_account_is_refused_even_with_the_right_password(district_reporter):
    User.objects.filter(pk=district_reporter.pk).update(is_active=False)
    client = visitor()
    response = log_in(client, "reporter_d2", PASSWORD)
    assert response.status_code == 200
    assert not logged_in(client)


def behind_proxy(forwarded_for: str) -> Client:
    """A request as gunicorn sees it behind nginx: the proxy's address, the chain in XFF."""
    return Client(
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for, HTTP_ACCEPT_LANGUAGE="en"
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_follows_the_client_not_the_proxy(district_reporter):
    fail(behind_proxy("203.0.113.7"), "reporter_d2", 5)
    assert log_in(behind_proxy("203.0.113.7"), "reporter_d2", PASSWORD).status_code == 429
    # Everyone arrives from 127.0.0.1, yet a colleague elsewhere still logs in.
    assert log_in(behind_proxy("198.51.100.4"), "reporter_d2", PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_an_address_the_client_writes_itself_is_not_believed(district_reporter):
    # The attacker prepends a fresh address each time; nginx appends the real one.
    for n in range(5):
        response = log_in(behind_proxy(f"10.9.9.{n}, 203.0.113.7"), "reporter_d2", "wrong")
        assert response.status_code in (200, 429)
    assert (
        log_in(behind_proxy("10.9.9.99, 203.0.113.7"), "reporter_d2", PASSWORD).status_code == 429
    )


def test_without_trusted_proxies_forwarded_for_is_ignored(district_reporter):
    for n in range(5):
        client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
        client.post(reverse("accounts:login"), {"username": "reporter_d2", "password": "x"})
    response = log_in(
        Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="10.1.1.50"), "reporter_d2", PASSWORD
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", "127.0.0.1"),  # no proxy configured: the header is ignored
        (1, "", "127.0.0.1"),  # came round the proxy: its own address
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        (2, "1.1.1.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a load balancer, then nginx
        (2, "203.0.113.7", "127.0.0.1"),  # shorter than the chain of proxies
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_end_of_the_chain(
    rf, settings, proxies, forwarded_for, expected
):
    from accounts.addresses import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


def test_guesses_spread_over_many_usernames_lock_the_address(district_reporter):
    client = visitor("10.0.0.7")
    for n in range(5):
        fail(client, f"guess{n}", 4)  # four per username: no single pair reaches five
    response = log_in(client, "reporter_d2", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert log_in(visitor("10.0.0.8"), "reporter_d2", PASSWORD).status_code == 302


def test_a_few_typos_in_an_office_behind_one_address_lock_no_one(district_reporter):
    office = visitor("10.0.0.9")
    for n in range(6):
        fail(office, f"colleague{n}", 3)  # 18 failures from the address
    assert log_in(office, "reporter_d2", PASSWORD).status_code == 302
