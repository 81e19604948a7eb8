"""Who is asking: the typed request of a logged-in user and the checks made on their role alone.

A foundation every layer may import (the import-linter contract says so): it imports no app.
Checks that depend on where a unit sits live with the hierarchy (`unions.access`) and the
reports (`reports.access`).
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


def office_required(view: View[P]) -> View[P]:
    """Logged in, and office staff or an administrator; 403 for anyone else."""

    def checked(
        request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase:
        if not user_of(request).is_office:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    update_wrapper(checked, view)
    return login_required(checked)
