"""Account administration for the portal's administrators, and the login lockout page.

Every page here is for administrators (role admin, or a superuser); anyone else gets 403.
Views stay thin: a form validates, its `submit()` calls one service, a message says what
happened. The Django admin stays available to superusers for anything else.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .access import (
    AuthenticatedHttpRequest,
    account_admin_required,
    manages_accounts,
    office_required,
)
from .forms import AccountCreateForm, AccountEditForm, AccountFilter, AccountPasswordForm
from .models import User
from .services import AccountError, account_set_active, require_may_change

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

PAGE_SIZE = 50


def _account(request: AuthenticatedHttpRequest, pk: int) -> tuple[User, User]:
    """(the administrator, the account they may change); 403 for a superuser's account."""
    actor = request.user
    account = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    require_may_change(actor, account)
    return actor, account


@account_admin_required
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    accounts = User.objects.select_related("unit").order_by("username")
    found = AccountFilter(request.GET, queryset=accounts)
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/list.html",
        {"filter": found, "page": page, "query": query.urlencode()},
    )


def _form_page(
    request: HttpRequest, form: Any, title: StrOrPromise, account: User | None = None
) -> HttpResponse:
    context = {"form": form, "title": title, "account": account}
    return render(request, "accounts/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@account_admin_required
def account_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    actor = request.user
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = form.submit(actor)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": account.username})
            return redirect("accounts:edit", account.pk)
    return _form_page(request, form, _("New account"))


@login_required
@require_http_methods(["GET", "POST"])
@account_admin_required
def account_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    actor, account = _account(request, pk)
    form = AccountEditForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            form.submit(actor)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Account %(name)s saved.") % {"name": account.username})
            return redirect("accounts:edit", account.pk)
    return _form_page(request, form, _("Account"), account)


@login_required
@require_http_methods(["GET", "POST"])
@account_admin_required
def account_password(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    actor, account = _account(request, pk)
    form = AccountPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.submit(actor)
        messages.success(
            request,
            _("New password set for %(name)s; tell them in person or by phone.")
            % {"name": account.username},
        )
        return redirect("accounts:edit", account.pk)
    return _form_page(request, form, _("Reset password"), account)


@login_required
@require_POST
@office_required
def account_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Administrators, and office staff for reporters and Standing Committee readers."""
    actor = request.user
    account = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        account_set_active(account, active, actor=actor)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        text = _("Account %(name)s enabled.") if active else _("Account %(name)s disabled.")
        messages.success(request, text % {"name": account.username})
    if not manages_accounts(actor) and account.unit is not None:
        return redirect("accounts:unit", account.unit.url_key)
    return redirect("accounts:edit", account.pk)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes calls this when a username and address are locked out (AXES_LOCKOUT_CALLABLE)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked.html", context, status=429)
