"""The account page's notification choices, and the tracking grid's "remind" button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import office_staff, user_of
from reports.models import ReportingPeriod
from unions.models import Unit

from .preferences import CHOICES, preferences_set
from .services import notify_remind, outbox_send


@login_required
@require_POST
def preferences_save(request: HttpRequest) -> HttpResponse:
    ticked = {name for name in CHOICES if request.POST.get(name) == "on"}
    preferences_set(user_of(request), ticked)
    messages.success(request, _("Your email choices are saved."))
    return redirect("accounts:me")


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    if not office_staff(request):
        raise PermissionDenied
    unit = get_object_or_404(Unit, code=request.POST.get("unit", ""))
    period = get_object_or_404(ReportingPeriod, pk=request.POST.get("period") or 0)
    queued = notify_remind(unit, period, actor=actor)
    if queued:
        # Sent now, after the commit; whatever fails stays queued for the cron command.
        transaction.on_commit(lambda: outbox_send(only=queued))
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d account of %(unit)s.",
                "Reminder sent to %(count)d accounts of %(unit)s.",
                len(queued),
            )
            % {"count": len(queued), "unit": unit.name},
        )
    else:
        messages.warning(
            request,
            _("%(unit)s has no active account with an email address to remind.")
            % {"unit": unit.name},
        )
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return redirect(back if back and safe else "reports:tracking")
