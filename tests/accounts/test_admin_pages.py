"""The portal's own account pages: only administrators manage accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.conftest import make_user

PASSWORD = "pw-for-tests-123"
GOOD_NEW_PASSWORD = "Cây-xanh-Sìn-Hồ-2025"


def new_account_post(**overrides: str) -> dict[str, str]:
    data = {
        "username": "nguyenvana",
        "full_name": "Nguyễn Văn A",
        "email": "a@example.vn",
        "role": Role.REPORTER,
        "unit": "c21",
        "password1": GOOD_NEW_PASSWORD,
        "password2": GOOD_NEW_PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def portal_admin(small_tree) -> User:
    """The portal's admin role without being a Django superuser."""
    return User.objects.create_user(
        username="portaladmin", password=PASSWORD, role=Role.ADMIN, unit=small_tree.province
    )


def account_urls(account: User) -> list[str]:
    return [
        reverse("accounts:list"),
        reverse("accounts:create"),
        reverse("accounts:edit", args=[account.pk]),
        reverse("accounts:password", args=[account.pk]),
    ]


# --- access -----------------------------------------------------------------------------


def test_administrator_opens_every_account_page(admin_client, district_reporter):
    for url in account_urls(district_reporter):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "persona", ["office_user", "committee_user", "district_reporter", "ward_reporter"]
)
def test_everyone_but_administrators_is_refused(client, request, persona, other_district_reporter):
    client.force_login(request.getfixturevalue(persona))
    for url in account_urls(other_district_reporter):
        assert client.get(url).status_code == 403, url
    if persona == "office_user":
        return  # office staff disable reporters' accounts (tests/accounts/test_bulk.py)
    toggle = reverse("accounts:active", args=[other_district_reporter.pk])
    assert client.post(toggle, {"active": "0"}).status_code == 403
    other_district_reporter.refresh_from_db()
    assert other_district_reporter.is_active


def test_anonymous_visitor_is_sent_to_login(client, district_reporter):
    for url in account_urls(district_reporter):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_only_administrators_see_the_accounts_link(client, admin_user, office_user):
    link = f'href="{reverse("accounts:list")}"'
    client.force_login(admin_user)
    assert link in client.get(reverse("home"), follow=True).text
    client.force_login(office_user)
    assert link not in client.get(reverse("home"), follow=True).text


def test_portal_admin_cannot_change_a_superuser(client, portal_admin, admin_user):
    client.force_login(portal_admin)
    assert client.get(reverse("accounts:list")).status_code == 200
    assert client.get(reverse("accounts:edit", args=[admin_user.pk])).status_code == 403
    assert client.get(reverse("accounts:password", args=[admin_user.pk])).status_code == 403
    response = client.post(reverse("accounts:active", args=[admin_user.pk]), {"active": "0"})
    assert response.status_code == 403


# --- list -------------------------------------------------------------------------------


def test_list_filters_by_role_unit_and_status(
    admin_client, office_user, district_reporter, other_district_reporter
):
    other_district_reporter.is_active = False
    other_district_reporter.save()

    def listed(**params: str) -> set[str]:
        response = admin_client.get(reverse("accounts:list"), params)
        return {a.username for a in response.context["page"].object_list}

    assert listed(role="reporter") == {"reporter_d2", "reporter_d1"}
    assert listed(unit="d2") == {"reporter_d2"}
    assert listed(active="no") == {"reporter_d1"}
    assert "reporter_d1" not in listed(active="yes")
    assert listed(q="office") == {"office"}


def test_list_runs_a_constant_number_of_queries(
    admin_client, small_tree, django_assert_max_num_queries
):
    for n in range(30):
        make_user(f"user{n}", Role.REPORTER, small_tree.c21)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("accounts:list"))
    assert response.context["page"].paginator.count == 31


# --- create -----------------------------------------------------------------------------


def test_administrator_creates_a_reporter_who_can_log_in(admin_client, small_tree, client):
    response = admin_client.post(reverse("accounts:create"), new_account_post())
    account = User.objects.get(username="nguyenvana")
    assert response.status_code == 302
    assert response.url == reverse("accounts:edit", args=[account.pk])
    assert (account.role, account.unit, account.get_full_name()) == (
        Role.REPORTER,
        small_tree.c21,
        "Nguyễn Văn A",
    )
    assert not account.is_staff and not account.is_superuser
    fresh = type(client)()
    assert fresh.login(username="nguyenvana", password=GOOD_NEW_PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short."),
        ("password123", "This password is too common."),
        ("84736251908", "This password is entirely numeric."),
        ("nguyenvana1", "The password is too similar to the username."),
    ],
)
def test_new_account_password_goes_through_the_validators(
    admin_client, small_tree, password, message
):
    response = admin_client.post(
        reverse("accounts:create"), new_account_post(password1=password, password2=password)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.filter(username="nguyenvana").exists()


def test_bad_input_keeps_what_was_typed(admin_client, small_tree):
    response = admin_client.post(
        reverse("accounts:create"), new_account_post(unit="NOPE", password2="different-Pw-99")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "No unit has the code NOPE." in form.errors["unit"]
    assert "The two passwords differ." in form.errors["password2"]
    assert 'value="NOPE"' in response.text
    assert 'value="Nguyễn Văn A"' in response.text
    assert 'value="a@example.vn"' in response.text


def test_a_reporter_needs_a_unit(admin_client, small_tree):
    response = admin_client.post(reverse("accounts:create"), new_account_post(unit=""))
    assert response.status_code == 400
    assert "A reporter must belong to a unit." in response.context["form"].errors["unit"]


def test_office_staff_may_have_no_unit(admin_client, small_tree):
    response = admin_client.post(
        reverse("accounts:create"), new_account_post(role=Role.OFFICE, unit="")
    )
    assert response.status_code == 302
    assert User.objects.get(username="nguyenvana").unit is None


def test_a_closed_unit_is_refused(admin_client, small_tree):
    response = admin_client.post(reverse("accounts:create"), new_account_post(unit="D1"))
    assert response.status_code == 400
    assert "The unit D1 is closed" in response.context["form"].errors["unit"][0]


def test_usernames_are_unique_ignoring_case(admin_client, district_reporter):
    response = admin_client.post(
        reverse("accounts:create"), new_account_post(username="REPORTER_D2")
    )
    assert response.status_code == 400
    assert "An account with this username already exists." in response.text


# --- edit and re-scope -----------------------------------------------------------------


def test_rescoping_moves_a_reporter_to_another_unit(admin_client, district_reporter, small_tree):
    url = reverse("accounts:edit", args=[district_reporter.pk])
    form = admin_client.get(url).context["form"]
    assert form.initial["unit"] == "D2"
    response = admin_client.post(
        url, {"full_name": "Lò Thị B", "email": "", "role": Role.REPORTER, "unit": "W1"}
    )
    assert response.status_code == 302
    district_reporter.refresh_from_db()
    assert (district_reporter.unit, district_reporter.first_name) == (small_tree.ward, "Lò Thị B")


def test_rescoped_reporter_sees_only_the_new_unit(client, admin_user, district_reporter):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:edit", args=[district_reporter.pk]),
        {"full_name": "Lò Văn C", "email": "", "role": Role.REPORTER, "unit": "W1"},
    )
    assert response.status_code == 302
    client.force_login(User.objects.get(pk=district_reporter.pk))
    assert client.get(reverse("unions:detail", args=["C11"])).status_code == 200
    assert client.get(reverse("unions:detail", args=["C21"])).status_code == 404


def test_an_account_keeps_its_closed_unit_when_other_details_change(
    admin_client, other_district_reporter
):
    response = admin_client.post(
        reverse("accounts:edit", args=[other_district_reporter.pk]),
        {"full_name": "Name", "email": "x@example.vn", "role": Role.REPORTER, "unit": "D1"},
    )
    assert response.status_code == 302
    other_district_reporter.refresh_from_db()
    assert other_district_reporter.email == "x@example.vn"


def test_role_change_to_reporter_without_unit_is_refused(admin_client, office_user):
    office_user.unit = None
    office_user.save()
    response = admin_client.post(
        reverse("accounts:edit", args=[office_user.pk]),
        {"full_name": "Office", "email": "", "role": Role.REPORTER, "unit": ""},
    )
    assert response.status_code == 400
    assert "A reporter must belong to a unit." in response.context["form"].errors["unit"]
    office_user.refresh_from_db()
    assert office_user.role == Role.OFFICE


# --- disable, enable, passwords ----------------------------------------------------------


def test_disabled_account_cannot_log_in_and_enabled_again_can(admin_client, district_reporter):
    url = reverse("accounts:active", args=[district_reporter.pk])
    assert admin_client.post(url, {"active": "0"}).status_code == 302
    district_reporter.refresh_from_db()
    assert not district_reporter.is_active

    from django.test import Client

    visitor = Client()
    response = visitor.post(
        reverse("accounts:login"), {"username": "reporter_d2", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in visitor.session

    admin_client.post(url, {"active": "1"})
    response = visitor.post(
        reverse("accounts:login"), {"username": "reporter_d2", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_disabling_ends_an_open_session(client, admin_user, district_reporter):
    from django.test import Client

    reporter = Client()
    reporter.force_login(district_reporter)
    assert reporter.get(reverse("reports:list")).status_code == 200
    client.force_login(admin_user)
    client.post(reverse("accounts:active", args=[district_reporter.pk]), {"active": "0"})
    assert reporter.get(reverse("reports:list")).status_code == 302


def test_administrator_cannot_disable_themselves(admin_client, admin_user):
    response = admin_client.post(
        reverse("accounts:active", args=[admin_user.pk]), {"active": "0"}, follow=True
    )
    assert "You cannot disable your own account." in response.text
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_toggle_refuses_get(admin_client, district_reporter):
    url = reverse("accounts:active", args=[district_reporter.pk])
    assert admin_client.get(url).status_code == 405


def test_password_reset_sets_a_validated_password(admin_client, district_reporter):
    url = reverse("accounts:password", args=[district_reporter.pk])
    weak = admin_client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400
    assert "This password is too common." in weak.text
    response = admin_client.post(
        url, {"new_password1": GOOD_NEW_PASSWORD, "new_password2": GOOD_NEW_PASSWORD}
    )
    assert response.status_code == 302
    district_reporter.refresh_from_db()
    assert district_reporter.check_password(GOOD_NEW_PASSWORD)
    assert not district_reporter.check_password(PASSWORD)


def test_unknown_account_is_404(admin_client, small_tree):
    assert admin_client.get(reverse("accounts:edit", args=[999999])).status_code == 404


def test_disabling_stops_the_accounts_api_token(admin_client, district_reporter):
    from django.test import Client

    from api.tokens import token_create

    _token, raw = token_create(district_reporter, "phone")
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert caller.get("/api/v1/units/").status_code == 200
    admin_client.post(reverse("accounts:active", args=[district_reporter.pk]), {"active": "0"})
    assert caller.get("/api/v1/units/").status_code == 401
