"""The office's pages for who reports what and when: calendar, assignments, tracking grid.

Calendar and assignments are for office staff (403 otherwise); the tracking grid is also
readable by the Standing Committee. Every write is one call of a function in
`reports.assignments`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedHttpRequest, office_required, province_reader_required
from unions.models import Unit

from .assignments import (
    assignment_proposal,
    assignments_apply_proposal,
    calendar_get,
    calendar_save,
    coverage_check,
    period_by_code,
    today_period,
)
from .forms_tracking import AssignmentAddForm, AssignmentEndForm, CalendarForm, TrackingFilter
from .models import Assignment, AssignmentScope, ReportingPeriod
from .tracking import PageAsk, latest_cut_quarters, tracking_page
from .tracking_cells import rows_written


def _periods() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.all())


# --- views --------------------------------------------------------------------------------

TRACKING_PAGE_SIZE = 100  # rows of the grid a page (a national grid has thousands)


@province_reader_required
def tracking(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    periods = _periods()
    years = sorted({p.year for p in periods})
    form = TrackingFilter(years, request.GET or None)
    year = status = None
    text = ""
    if form.is_valid():
        year, status = form.cleaned_data["year"], form.cleaned_data["status"]
        text = form.cleaned_data["unit"]
    shown = [p for p in periods if p.year == year] if year else latest_cut_quarters(periods, today)
    # A national grid has thousands of rows: a page at a time (only its cells are built),
    # optionally one unit's name.
    ask = PageAsk(status or "", text, request.GET.get("page"), TRACKING_PAGE_SIZE)
    grid, page = tracking_page(shown, today, ask)
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "form": form,
        "grid": grid,
        "page": page,
        "rows": rows_written(request, page.object_list),
        "query": kept.urlencode(),
        "today": today,
    }
    return render(request, "reports/tracking_grid.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@office_required
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CalendarForm(request.POST or None, instance=calendar_get())
    if request.method == "POST" and form.is_valid():
        calendar_save(form.instance)
        messages.success(request, _("Calendar saved; cut-off and due dates recomputed."))
        return redirect("reports:calendar")
    from .views_calendar import DueDatesForm

    context = {"form": form, "periods": _periods(), "due_form": DueDatesForm(prefix="due")}
    return render(request, "reports/tracking_calendar.html", context)


def _chosen_period(request: HttpRequest) -> ReportingPeriod | None:
    code = request.GET.get("period", "")
    chosen = period_by_code(code) if "Q" in code.upper() else None
    return chosen or today_period(timezone.localdate())


def _assignments_context(
    request: HttpRequest,
    add_form: AssignmentAddForm | None = None,
    end_forms: dict[int, AssignmentEndForm] | None = None,
) -> dict[str, Any]:
    period = _chosen_period(request)
    assignments = Assignment.objects.select_related("unit", "first_period", "last_period").order_by(
        "unit__code", "first_period__year", "first_period__quarter"
    )
    end_forms = end_forms or {}
    rows = [
        (a, end_forms.get(a.pk) or AssignmentEndForm(a, prefix=f"end{a.pk}")) for a in assignments
    ]
    return {
        "periods": _periods(),
        "period": period,
        "rows": rows,
        "add_form": add_form or AssignmentAddForm(),
        "coverage": coverage_check(period) if period else None,
        "proposal": _proposal(period) if period and request.GET.get("propose") else None,
    }


def _proposal(period: ReportingPeriod) -> list[tuple[Unit, str]]:
    return [(p.unit, str(AssignmentScope(p.scope).label)) for p in assignment_proposal(period)]


@office_required
def assignments(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _assignments_context(request)
    return render(request, "reports/assignments_list.html", context)


@login_required
@require_POST
@office_required
def assignment_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AssignmentAddForm(request.POST)
    if form.is_valid():
        assignment = form.save()
        messages.success(request, _("Assignment added: %(a)s.") % {"a": assignment})
        return redirect("reports:assignments")
    context = _assignments_context(request, add_form=form)
    return render(request, "reports/assignments_list.html", context, status=400)


@login_required
@require_POST
@office_required
def assignment_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("first_period"), pk=pk)
    form = AssignmentEndForm(assignment, request.POST, prefix=f"end{pk}")
    if form.is_valid():
        form.save()
        messages.success(request, _("Assignment ended: %(a)s.") % {"a": assignment})
        return redirect("reports:assignments")
    context = _assignments_context(request, end_forms={pk: form})
    return render(request, "reports/assignments_list.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@office_required
def assignments_apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Replaces every assignment with the proposal from the tree, after a confirmation."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        created = assignments_apply_proposal()
        messages.success(
            request, _("Assignments replaced by the proposal: %(n)d assignments.") % {"n": created}
        )
        return redirect("reports:assignments")
    context = {"current": Assignment.objects.count()}
    return render(request, "reports/assignments_apply.html", context)
