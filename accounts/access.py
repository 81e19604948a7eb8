"""Who is asking: the typed request of a logged-in user and the checks made on their role alone.

A foundation every layer may import (the import-linter contract says so): it imports no app.
Checks that depend on where a unit sits live with the hierarchy (`unions.access`) and the
reports (`reports.access`).

The decorators log in first. A view that takes only some methods puts the method check between
the login and the role (`@login_required`, `@require_POST`, `@office_required`), so a wrong
method is 405 for everyone, as the access matrix (tests/test_access_matrix.py) says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .models import User

if TYPE_CHECKING:

    class AuthenticatedHttpRequest(HttpRequest):
        """A request that `login_required` let through: its user is an account."""

        user: User

else:
    AuthenticatedHttpRequest = HttpRequest

P = ParamSpec("P")
View = Callable[Concatenate["AuthenticatedHttpRequest", P], HttpResponseBase]


def user_of(request: HttpRequest) -> User:
    """The logged-in account of a request that `login_required` let through."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _role_required(allowed: Callable[[User], bool]) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        def checked(
            request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            if not allowed(user_of(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        update_wrapper(checked, view)
        return login_required(checked)

    return decorator


def office_required(view: View[P]) -> View[P]:
    """Logged in, and office staff or an administrator; 403 for anyone else."""
    return _role_required(lambda user: user.is_office)(view)


def manages_accounts(user: User) -> bool:
    """Administrators and superusers manage every account; office staff only enable and
    disable those of a unit's people, from the unit's page."""
    return user.can_manage_accounts


def account_admin_required(view: View[P]) -> View[P]:
    """Logged in, and managing accounts (an administrator or a superuser); 403 for anyone
    else, office staff included."""
    return _role_required(manages_accounts)(view)


def province_reader_required(view: View[P]) -> View[P]:
    """Logged in, and reading the whole province (office, administrators, the Standing
    Committee); 403 for a unit's reporter."""
    return _role_required(lambda user: user.sees_whole_province)(view)


# Decisions a page takes in part on the role (the rest of the page is open to every account).


def reads_whole_province(request: HttpRequest) -> bool:
    """Whether the caller reads the whole province (office, administrators, the Standing
    Committee): its pages start at the province, a reporter's at its own unit."""
    return user_of(request).sees_whole_province


def office_staff(request: HttpRequest) -> bool:
    """Whether the caller is office staff or an administrator: the writes a page offers only
    to them (the Standing Committee and reporters read)."""
    return user_of(request).is_office


def includes_provisional(user: User) -> bool:
    """Whether the account may add submitted, not yet approved reports to the figures (office
    staff and administrators), on a page or through the API."""
    return user.is_office


def may_include_provisional(request: HttpRequest) -> bool:
    """Whether the caller of a page may add provisional figures: the others are not offered
    the choice."""
    return includes_provisional(user_of(request))
