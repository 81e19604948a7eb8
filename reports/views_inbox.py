"""The office inbox's form: approve several checked reports at once, without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, office_required

from .inbox import MAX_CHECKED, BulkApproval, approve_checked


def _number(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


def checked_reports(data: QueryDict) -> list[tuple[int, int | None]]:
    """The ids ticked in the form (`approve`), each with the version the page showed
    (`version-<id>`; None when missing, which is refused as a change). Text that is not a
    number is left out, as are repeats."""
    seen: dict[int, int | None] = {}
    for text in data.getlist("approve")[: MAX_CHECKED * 2]:
        pk = _number(text)
        if pk is not None and pk > 0 and pk not in seen:
            seen[pk] = _number(data.get(f"version-{pk}"))
    return list(seen.items())


def _tell(request: HttpRequest, result: BulkApproval) -> None:
    if result.approved:
        names = "; ".join(f"{r.unit.name} · {r.period.label}" for r in result.approved)
        count = len(result.approved)
        messages.success(
            request,
            ngettext(
                "Approved %(n)d report: %(names)s.", "Approved %(n)d reports: %(names)s.", count
            )
            % {"n": count, "names": names},
        )
    for refusal in result.refused:
        messages.error(
            request,
            _("Not approved: %(report)s. %(reason)s")
            % {"report": refusal.label, "reason": refusal.reason},
        )


@login_required
@require_POST
@office_required
def inbox_approve(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    checked = checked_reports(request.POST)
    if not checked:
        messages.error(request, _("Tick at least one report to approve."))
    else:
        _tell(request, approve_checked(user, checked))
    return redirect(reverse("home"))  # the result message is at the top of the page
