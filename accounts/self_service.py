"""What every account does for itself: its page, its password, a forgotten password.

The forgotten-password flow is Django's (signed, single-use tokens that expire after
PASSWORD_RESET_TIMEOUT), with the portal's templates and two limits kept in the cache: so many
requests per address and per email address an hour. Past the address limit the page says to
wait; past the email limit the answer is the usual "sent" page without sending, so that nobody
can flood a mailbox or learn which addresses have accounts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from notifications.models import Preference

from .addresses import client_address
from .models import User
from .throttle import throttle_allows, throttle_key

RESET_WINDOW = 3600
RESET_PER_ADDRESS = 10
RESET_PER_EMAIL = 3


@login_required
def account_me(request: HttpRequest) -> HttpResponse:
    from notifications.preferences import preference_fields, preference_for

    account: User = request.user  # type: ignore[assignment]
    preference = preference_for(account)
    choices = [
        (
            name,
            getattr(Preference._meta.get_field(name), "verbose_name", name),
            getattr(preference, name),
        )
        for name in preference_fields(account)
    ]
    return render(request, "accounts/me.html", {"account": account, "choices": choices})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:me")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PortalPasswordResetForm(PasswordResetForm):
    """Also reaches accounts created from a file, which have no password until they set one."""

    def get_users(self, email: str) -> Any:
        found = User.objects.filter(email__iexact=email.strip(), is_active=True)
        return (u for u in found if u.email)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        address = client_address(self.request) or "unknown"
        if not throttle_allows(
            throttle_key("reset-address", address), RESET_PER_ADDRESS, RESET_WINDOW
        ):
            context = {"minutes": RESET_WINDOW // 60}
            return render(self.request, "accounts/password_reset_wait.html", context, status=429)
        email = form.cleaned_data["email"]
        if not throttle_allows(throttle_key("reset-email", email), RESET_PER_EMAIL, RESET_WINDOW):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        from axes.utils import reset

        response = super().form_valid(form)
        reset(username=form.user.get_username())  # a locked-out person regains their login
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def invitations_send(accounts: list[User], request: HttpRequest) -> None:
    """Emails each new account the link to choose its first password (the reset link)."""
    form = PortalPasswordResetForm()
    site = request.get_host()
    for account in accounts:
        context = {
            "email": account.email,
            "domain": site,
            "site_name": site,
            "uid": urlsafe_base64_encode(force_bytes(account.pk)),
            "user": account,
            "token": default_token_generator.make_token(account),
            "protocol": "https" if request.is_secure() else "http",
        }
        form.send_mail(
            PasswordResetView.subject_template_name,
            PasswordResetView.email_template_name,
            context,
            None,
            account.email,
        )
