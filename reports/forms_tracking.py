"""The forms of the office's tracking pages: calendar, assignments, the tracking grid's filter.

They validate what was typed; every write is one call of a service in `reports.assignments`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from unions.lookup import unit_by_code
from unions.models import Unit

from .assignments import assignment_add, assignment_end, period_by_code
from .assignments_bulk import end_problems
from .models import Assignment, AssignmentScope, ReportingCalendar, ReportingPeriod
from .periods import parse_quarter_typed
from .tracking import STATUS_LABELS, CellStatus


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
    """A quarter of the reporting calendar typed as people write it ("Quý 3/2025") or by its
    code (2025Q3)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("As “Quarter 3/2025”."))
        super().__init__(max_length=20, **kwargs)

    def clean(self, value: Any) -> ReportingPeriod | None:
        text = super().clean(value)
        if not text:
            return None
        typed = parse_quarter_typed(text)
        period = period_by_code(f"{typed[0]}Q{typed[1]}") if typed else None
        if period is None:
            raise forms.ValidationError(
                gettext_lazy("Not a quarter of the reporting calendar (write “Quarter 3/2025”).")
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
        lookup = unit_by_code(code)
        if lookup.missing:
            raise forms.ValidationError(gettext_lazy("No unit has this code."))
        if lookup.ambiguous:
            raise forms.ValidationError(
                gettext_lazy("The code %(code)s could mean %(units)s; type it exactly as written."),
                params={"code": code, "units": ", ".join(lookup.ambiguous[code])},
            )
        return lookup.found[code]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and _key(last) < _key(first):
            self.add_error("last", gettext_lazy("The last quarter comes before the first."))
        return data

    def save(self) -> Assignment:
        data = self.cleaned_data
        return assignment_add(data["unit"], data["scope"], data["first"], data["last"])


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
        return assignment_end(self.assignment, self.cleaned_data["last"])


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
    unit = forms.CharField(
        label=gettext_lazy("Unit (code or name)"), max_length=100, required=False, strip=True
    )

    def __init__(self, years: list[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext_lazy("Latest four quarters"))]
        self.fields["year"].choices = choices + [(y, str(y)) for y in years]  # type: ignore[attr-defined]
