"""Every place a username is created or changed refuses one that a reader could take for
another account's: Django's admin (add and change) and the office's bulk import, as the
account screen already does (test_usernames.py)."""

from __future__ import annotations

import pytest

from accounts.bulk import accounts_bulk_create
from accounts.models import User
from tests.accounts.test_admin_pages import GOOD_NEW_PASSWORD, admin_client

__all__ = ["admin_client"]  # fixture

ADD = "/admin/accounts/user/add/"


@pytest.mark.parametrize("username", ["аdministrator", "ADMINISTRATOR", "Administrator"])
def test_the_django_admin_refuses_a_look_alike_username(admin_client, admin_user, username):
    response = admin_client.post(
        ADD,
        {
            "username": username,
            "password1": GOOD_NEW_PASSWORD,
            "password2": GOOD_NEW_PASSWORD,
            "usable_password": "true",
            "role": "committee",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not User.objects.exclude(pk=admin_user.pk).exists()
    errors = response.context["adminform"].form.errors["username"]
    assert any("too like administrator" in e or "already exists" in e for e in errors)


def test_the_django_admin_accepts_a_distinct_username(admin_client, admin_user):
    response = admin_client.post(
        ADD,
        {
            "username": "nguyen.van.b",
            "password1": GOOD_NEW_PASSWORD,
            "password2": GOOD_NEW_PASSWORD,
            "usable_password": "true",
            "role": "committee",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="nguyen.van.b").exists()


def test_renaming_an_account_in_the_admin_to_a_look_alike_is_refused(
    admin_client, admin_user, district_reporter
):
    url = f"/admin/accounts/user/{district_reporter.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        username="аdminіstrator",  # Cyrillic а and і
        date_joined_0=district_reporter.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=district_reporter.date_joined.strftime("%H:%M:%S"),
        unit=str(district_reporter.unit_id),
        groups=[],
        user_permissions=[],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "too like administrator" in str(response.context["adminform"].form.errors)
    district_reporter.refresh_from_db()
    assert district_reporter.username == "reporter_d2"


def _csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_bulk_import_refuses_look_alikes_of_existing_accounts_and_of_each_other(
    office_user, small_tree
):
    text = (
        "username,full_name,email,unit,role\n"
        "оffice,Cyrillic O,o@example.vn,D2,reporter\n"  # looks like "office"
        "an.d2,Nguyễn Văn An,an@example.vn,D2,reporter\n"
        "AN.D2,Nguyễn Văn An,an2@example.vn,D2,reporter\n"
        "аn.d2,Cyrillic A,an3@example.vn,D2,reporter\n"
    )
    result = accounts_bulk_create(_csv(text), "accounts.csv", actor=office_user)
    messages = [str(e) for e in result.errors]
    assert "line 2: username оffice is too like office, another account's" in messages
    assert any(m.startswith("line 4: username AN.D2 is used twice") for m in messages)
    assert any(m.startswith("line 5: username аn.d2 is used twice") for m in messages)
    assert not User.objects.filter(email__startswith="an").exists()


def test_bulk_import_refuses_a_unit_code_that_could_mean_two_units(office_user, small_tree):
    from unions.models import Unit, UnitKind

    Unit.objects.create(  # saved before the code rule: differs from "D2" only in case
        code="d2", name="Old twin", kind=UnitKind.DISTRICT, valid_from=small_tree.d2.valid_from
    )
    text = (
        "username,full_name,email,unit,role\n"
        "an.d2,Nguyễn Văn An,an@example.vn,D2,reporter\n"
        "binh.d2,Lò Thị Bình,binh@example.vn,d2 ,reporter\n"
        "chi.d2,Tráng A Chi,chi@example.vn,D2 ,reporter\n"
    )
    result = accounts_bulk_create(_csv(text), "accounts.csv", actor=office_user)
    assert result.errors == []  # typed exactly: no doubt which unit
    created = dict(
        User.objects.filter(email__endswith="example.vn").values_list("username", "unit__name")
    )
    assert created == {"an.d2": "Unit D2", "binh.d2": "Old twin", "chi.d2": "Unit D2"}
    Unit.objects.create(
        code="Ab", name="A", kind=UnitKind.DISTRICT, valid_from=small_tree.d2.valid_from
    )
    Unit.objects.create(
        code="aB", name="B", kind=UnitKind.DISTRICT, valid_from=small_tree.d2.valid_from
    )
    text = "username,full_name,email,unit,role\ndung.ab,Dung,dung@example.vn,AB,reporter\n"
    result = accounts_bulk_create(_csv(text), "accounts.csv", actor=office_user)
    assert [str(e) for e in result.errors] == [
        "line 2: unit “AB” could mean Ab, aB; type the code exactly as written"
    ]
    assert not User.objects.filter(username="dung.ab").exists()


def test_the_django_admin_asks_a_reporter_for_a_unit_instead_of_failing(admin_client, admin_user):
    response = admin_client.post(
        ADD,
        {
            "username": "reporter.without.unit",
            "password1": GOOD_NEW_PASSWORD,
            "password2": GOOD_NEW_PASSWORD,
            "usable_password": "true",
            "role": "reporter",
        },
    )
    assert response.status_code == 200
    assert "A reporter must belong to a unit." in str(response.context["adminform"].form.errors)
    assert not User.objects.filter(username="reporter.without.unit").exists()
