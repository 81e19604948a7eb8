"""The office's pages for who reports what and when: calendar, assignments, tracking grid.

Calendar and assignments are for office staff (403 otherwise); the tracking grid is also
readable by the Standing Committee. Every write is one call of a function in
`reports.assignments`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unions.access import require_office
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
from .assignments_bulk import assignment_end as end_assignment
from .assignments_bulk import end_problems
from .models import Assignment, AssignmentScope, ReportingCalendar, ReportingPeriod
from .tracking import (
    STATUS_LABELS,
    CellStatus,
    latest_cut_quarters,
    tracking_grid,
)

if TYPE_CHECKING:
    from accounts.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _periods() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.all())


# --- forms --------------------------------------------------------------------------------


class CalendarForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReportingCalendar
        fields = ["cutoff_rule", "due_days"]
        widgets = {"cutoff_rule": forms.RadioSelect}

    def clean_due_days(self) -> int:
        days: int = self.cleaned_data["due_days"]
        if days > 90:
            raise forms.ValidationError(gettext_lazy("At most 90 days."))
        return days


class PeriodCodeField(forms.CharField):
    """A quarter of the reporting calendar typed as 2025Q3."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("As 2025Q3."))
        super().__init__(max_length=6, **kwargs)

    def clean(self, value: Any) -> ReportingPeriod | None:
        text = super().clean(value)
        if not text:
            return None
        period = period_by_code(text)
        if period is None or "Q" not in text.upper():
            raise forms.ValidationError(
                gettext_lazy("Not a quarter of the reporting calendar (write 2025Q3).")
            )
        return period


def _key(period: ReportingPeriod) -> tuple[int, int]:
    return period.year, period.quarter


class AssignmentAddForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Unit code"), max_length=32)
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=AssignmentScope.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"] = PeriodCodeField(label=gettext_lazy("First quarter"))
        self.fields["last"] = PeriodCodeField(
            label=gettext_lazy("Last quarter"),
            required=False,
            help_text=gettext_lazy("Empty: until further notice."),
        )

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        unit = Unit.objects.filter(code__iexact=code).first()
        if unit is None:
            raise forms.ValidationError(gettext_lazy("No unit has this code."))
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and _key(last) < _key(first):
            self.add_error("last", gettext_lazy("The last quarter comes before the first."))
        return data

    def save(self) -> Assignment:
        data = self.cleaned_data
        return Assignment.objects.create(
            unit=data["unit"],
            scope=data["scope"],
            first_period=data["first"],
            last_period=data["last"],
        )


class AssignmentEndForm(forms.Form):
    def __init__(self, assignment: Assignment, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["last"] = PeriodCodeField(label=gettext_lazy("Last quarter"))

    def clean_last(self) -> ReportingPeriod:
        last: ReportingPeriod = self.cleaned_data["last"]
        if _key(last) < _key(self.assignment.first_period):
            raise forms.ValidationError(gettext_lazy("The last quarter comes before the first."))
        problems = end_problems(self.assignment, last)
        if problems:
            raise forms.ValidationError(problems)
        return last

    def save(self) -> Assignment:
        return end_assignment(self.assignment, self.cleaned_data["last"])


STATUS_FILTER = [
    ("", gettext_lazy("All")),
    *[(s.value, STATUS_LABELS[s]) for s in CellStatus if s != CellStatus.NOT_EXPECTED],
    ("late", gettext_lazy("late or overdue")),
]


class TrackingFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUS_FILTER, required=False)

    def __init__(self, years: list[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext_lazy("Latest four quarters"))]
        self.fields["year"].choices = choices + [(y, str(y)) for y in years]  # type: ignore[attr-defined]


# --- views --------------------------------------------------------------------------------


@login_required
def tracking(request: HttpRequest) -> HttpResponse:
    if not _user(request).sees_whole_province:
        raise PermissionDenied
    today = timezone.localdate()
    periods = _periods()
    years = sorted({p.year for p in periods})
    form = TrackingFilter(years, request.GET or None)
    year = status = None
    if form.is_valid():
        year, status = form.cleaned_data["year"], form.cleaned_data["status"]
    shown = [p for p in periods if p.year == year] if year else latest_cut_quarters(periods, today)
    grid = tracking_grid(shown, today, status or "")
    context = {"form": form, "grid": grid, "today": today}
    return render(request, "reports/tracking_grid.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    require_office(_user(request))
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


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    require_office(_user(request))
    context = _assignments_context(request)
    return render(request, "reports/assignments_list.html", context)


@login_required
@require_POST
def assignment_add(request: HttpRequest) -> HttpResponse:
    require_office(_user(request))
    form = AssignmentAddForm(request.POST)
    if form.is_valid():
        assignment = form.save()
        messages.success(request, _("Assignment added: %(a)s.") % {"a": assignment})
        return redirect("reports:assignments")
    context = _assignments_context(request, add_form=form)
    return render(request, "reports/assignments_list.html", context, status=400)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(_user(request))
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
def assignments_apply(request: HttpRequest) -> HttpResponse:
    """Replaces every assignment with the proposal from the tree, after a confirmation."""
    require_office(_user(request))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        created = assignments_apply_proposal()
        messages.success(
            request, _("Assignments replaced by the proposal: %(n)d assignments.") % {"n": created}
        )
        return redirect("reports:assignments")
    context = {"current": Assignment.objects.count()}
    return render(request, "reports/assignments_apply.html", context)
