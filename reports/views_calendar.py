"""The office's changes to many quarters or many units at once: due dates set on the calendar
page, assignments ended or extended from the tracking pages.

Office staff only (403 otherwise). Every write is one call of a service in one transaction;
a refused change keeps what was typed and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedHttpRequest, office_required
from lib.identifiers import plain_number
from unions.forms import date_field
from unions.models import Unit

from .assignments import calendar_get, due_dates_set, today_period
from .assignments_bulk import END, EXTEND, assignments_bulk_change
from .forms_tracking import CalendarForm
from .models import Assignment, ReportingPeriod


def _fits(value: Any) -> bool:
    """Whether `value` can be an id at all (ASCII digits, not past the database's range)."""
    return plain_number(value) is not None


class CheckedIds(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Checkboxes of rows; a value that cannot be an id is an invalid choice, never a 500."""

    def _check_values(self, value: Any) -> Any:
        for one in value:
            if not _fits(one):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(one)[:20]},
                )
        return super()._check_values(value)  # type: ignore[misc]


class QuarterChoice(CheckedIds):
    def label_from_instance(self, obj: ReportingPeriod) -> str:
        due = date_format(obj.due, "SHORT_DATE_FORMAT")
        if obj.due_override:
            return _("%(quarter)s (due %(due)s, set by the office)") % {
                "quarter": obj.label,
                "due": due,
            }
        return _("%(quarter)s (due %(due)s)") % {"quarter": obj.label, "due": due}


class DueDatesForm(forms.Form):
    quarters = QuarterChoice(
        label=gettext_lazy("Quarters"),
        queryset=ReportingPeriod.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one quarter.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due"] = date_field(gettext_lazy("Due date"), required=False)
        self.fields["due"].help_text = gettext_lazy("Empty: the calendar's rule again.")


def _calendar_page(
    request: HttpRequest, due_form: DueDatesForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "form": CalendarForm(instance=calendar_get()),
        "due_form": due_form or DueDatesForm(prefix="due"),
        "periods": list(ReportingPeriod.objects.all()),
    }
    return render(request, "reports/tracking_calendar.html", context, status=status)


@login_required
@require_POST
@office_required
def due_dates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sets (or clears) the due date of the chosen quarters at once."""
    form = DueDatesForm(request.POST, prefix="due")
    if form.is_valid():
        quarters = list(form.cleaned_data["quarters"])
        try:
            due_dates_set(quarters, form.cleaned_data["due"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("due", message)
        else:
            names = ", ".join(p.label for p in quarters)
            messages.success(request, _("Due dates saved: %(quarters)s.") % {"quarters": names})
            return redirect("reports:calendar")
    return _calendar_page(request, form, status=400)


# --- assignments in bulk ---------------------------------------------------------------------


ACTIONS = [
    (END, gettext_lazy("End with this quarter")),
    (EXTEND, gettext_lazy("Extend until this quarter")),
]


class UnitChoice(CheckedIds):
    spans: dict[int, str] = {}

    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.code} — {obj.name} ({self.spans.get(obj.pk, '')})"


class PeriodChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _fits(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj: ReportingPeriod) -> str:
        return obj.label


def _spans() -> dict[int, str]:
    """Each unit's latest assignment in words, as `Quý 1/2024 – Quý 4/2026` (or `– …`)."""
    spans: dict[int, str] = {}
    rows = Assignment.objects.select_related("first_period", "last_period").order_by(
        "first_period__year", "first_period__quarter"
    )
    for a in rows:
        last = a.last_period.label if a.last_period else _("until further notice")
        spans[a.unit_id] = f"{a.first_period.label} – {last}"
    return spans


class BulkAssignmentsForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Change"), choices=ACTIONS, widget=forms.RadioSelect
    )
    last = PeriodChoice(
        label=gettext_lazy("Quarter"),
        queryset=ReportingPeriod.objects.all(),
        empty_label=None,
    )

    def __init__(self, text: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(assignments__isnull=False).distinct().order_by("code")
        if text:
            units = units.filter(pk__in=Unit.objects.search(text).values("pk"))
        field = UnitChoice(
            label=gettext_lazy("Units"),
            queryset=units,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": gettext_lazy("Choose at least one unit.")},
        )
        field.spans = _spans()
        self.fields = {"units": field, **self.fields}
        self.fields["last"].initial = today_period(timezone.localdate())


@login_required
@require_http_methods(["GET", "POST"])
@office_required
def assignments_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ends or extends the assignments of the chosen units at once (all or none)."""
    text = (request.GET.get("q") or "").strip()[:100]
    form = BulkAssignmentsForm(text, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = assignments_bulk_change(list(data["units"]), data["last"], data["action"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Assignments changed: %(n)d.") % {"n": count})
            return redirect("reports:assignments_bulk")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "q": text}
    return render(request, "reports/assignments_bulk.html", context, status=status)
