"""A username cannot pass for another account's: not by case, width, invisible or Cyrillic
characters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import AccountData, AccountError, account_create
from tests.accounts.test_admin_pages import admin_client, new_account_post

__all__ = ["admin_client"]  # fixture


@pytest.mark.parametrize(
    "look_alike", ["аdministrator", "ADMINISTRATOR", "ａｄｍｉｎｉｓｔｒａｔｏｒ", "adm1nistrat0r"]
)
def test_an_account_cannot_be_created_with_a_username_that_looks_like_anothers(
    admin_client, admin_user, look_alike
):
    response = admin_client.post(reverse("accounts:create"), new_account_post(username=look_alike))
    assert response.status_code in (200, 400)
    assert not User.objects.exclude(pk=admin_user.pk).filter(username__iexact=look_alike).exists()
    with pytest.raises(AccountError, match="too like administrator"):
        account_create(look_alike, AccountData("", "", "admin", None), "x", actor=admin_user)


def test_a_username_that_only_resembles_another_loosely_is_fine(admin_client, admin_user):
    response = admin_client.post(
        reverse("accounts:create"), new_account_post(username="administrators")
    )
    assert response.status_code == 302
