"""A page where a logged-in person creates and revokes their own API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .models import ApiToken
from .tokens import token_create, token_revoke

if TYPE_CHECKING:
    from accounts.models import User


def _account(request: HttpRequest) -> User:
    """The logged-in account (the views are behind login_required)."""
    return request.user  # type: ignore[return-value]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, such as “weekly Excel import”."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        # Shown on this response only, never stored or put in the session.
        _token, raw = token_create(user, form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "form": form,
        "raw": raw,
        "tokens": ApiToken.objects.filter(user=user),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_account(request))
    token_revoke(token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
