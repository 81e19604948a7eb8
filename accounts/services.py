"""Writes to accounts: creating, re-scoping, disabling and resetting passwords.

Every change goes through one of these functions, in a transaction, so the audit log has a
single place to listen. Who may call them is checked here too: only administrators manage
accounts, only a superuser changes a superuser, and nobody disables their own account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lib.identifiers import look_alike
from unions.models import Unit

from .models import Role, User

LIMITED_ROLES = frozenset({Role.REPORTER, Role.COMMITTEE})  # what office staff may manage


class AccountError(Exception):
    """A change the rules refuse; the message is shown to the administrator."""


@dataclass(frozen=True)
class AccountData:
    full_name: str
    email: str
    role: str
    unit: Unit | None


def username_look_alike(username: str) -> str | None:
    """An existing username that a reader could take for `username` (case, width, invisible
    characters, Cyrillic or Greek look-alikes: unions.identifiers.skeleton)."""
    return look_alike(username, User.objects.values_list("username", flat=True))


def require_account_admin(actor: User) -> None:
    if not actor.can_manage_accounts:
        raise PermissionDenied


def require_may_change(actor: User, account: User) -> None:
    """Only a superuser may change a superuser, or the portal's admin role could take over one."""
    require_account_admin(actor)
    if account.is_superuser and not actor.is_superuser:
        raise PermissionDenied


def may_set_active(actor: User, account: User) -> bool:
    """Administrators enable and disable the accounts they may change; office staff those of
    reporters and Standing Committee readers (people who leave a unit), never their own."""
    if account.pk == actor.pk:
        return False
    if actor.can_manage_accounts:
        return not account.is_superuser or actor.is_superuser
    return actor.is_office and not account.is_superuser and account.role in LIMITED_ROLES


def _apply(account: User, data: AccountData) -> None:
    if data.role == Role.REPORTER and data.unit is None:
        raise AccountError(_("A reporter must belong to a unit."))
    # A Vietnamese name is written family name first; it is kept whole in first_name.
    account.first_name, account.last_name = data.full_name.strip(), ""
    account.email = data.email.strip()
    account.role = data.role
    account.unit = data.unit


@transaction.atomic
def account_create(username: str, data: AccountData, password: str, *, actor: User) -> User:
    require_account_admin(actor)
    other = username_look_alike(username)
    if other is not None:
        raise AccountError(
            _("The username %(username)s is too like %(other)s, another account's.")
            % {"username": username, "other": other}
        )
    account = User(username=username)
    _apply(account, data)
    account.set_password(password)
    account.save()
    return account


@transaction.atomic
def account_update(account: User, data: AccountData, *, actor: User) -> User:
    require_may_change(actor, account)
    _apply(account, data)
    account.save(update_fields=["first_name", "last_name", "email", "role", "unit"])
    return account


@transaction.atomic
def account_set_active(account: User, active: bool, *, actor: User) -> User:
    """A disabled account cannot log in; its sessions and API tokens stop working at once."""
    if not active and account.pk == actor.pk:
        raise AccountError(_("You cannot disable your own account."))
    if not may_set_active(actor, account):
        raise PermissionDenied
    account.is_active = active
    account.save(update_fields=["is_active"])
    return account


@transaction.atomic
def account_set_password(account: User, password: str, *, actor: User) -> None:
    """Sets a new password (the old sessions end) and lifts a login lockout on the account."""
    from axes.utils import reset

    require_may_change(actor, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    reset(username=account.username)
