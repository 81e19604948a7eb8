"""Office staff create the accounts of a unit from a file (see accounts.bulk), list a unit's
accounts and disable those of people who left. Administrators keep the full account pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from unions.access import unit_by_key
from unions.importing import ImportFileError
from unions.models import Unit

from .access import AuthenticatedHttpRequest, office_required
from .bulk import accounts_bulk_create
from .models import User
from .self_service import invitations_send
from .services import may_set_active

MAX_UPLOAD = 2 * 1024 * 1024


class AccountsFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("Columns: username, full_name, email, unit, role."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return bytes(upload.read())


@login_required
@require_http_methods(["GET", "POST"])
@office_required
def accounts_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    actor = request.user
    posted = request.method == "POST"
    form = AccountsFileForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.files["file"]
        name = getattr(upload, "name", None) or "accounts.csv"
        try:
            result = accounts_bulk_create(form.cleaned_data["file"], name, actor=actor)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            context["result"] = result
            if result.created:
                _invite(request, result.created)
    failed = bool(form.errors) or bool(context.get("result") and result.errors)
    return render(request, "accounts/import.html", context, status=400 if failed else 200)


def _invite(request: HttpRequest, created: list[User]) -> None:
    try:
        invitations_send(created, request)
    except OSError:
        # The accounts exist; the mail server did not answer. Each person can still ask for
        # the link themselves ("Forgotten your password?"), which sends the same email.
        messages.warning(
            request,
            _(
                "%(count)d accounts created, but the emails could not be sent; ask each person to "
                "use “Forgotten your password?” on the login page."
            )
            % {"count": len(created)},
        )
        return
    messages.success(
        request,
        _("%(count)d accounts created; each was emailed a link to choose a password.")
        % {"count": len(created)},
    )


@office_required
def unit_accounts(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    actor = request.user
    unit = unit_by_key(Unit.objects.all(), code)
    accounts = User.objects.filter(unit=unit).order_by("username")
    rows = [(a, may_set_active(actor, a)) for a in accounts]
    return render(request, "accounts/unit_accounts.html", {"unit": unit, "rows": rows})
