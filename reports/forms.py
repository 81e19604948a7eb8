"""The quarterly report form and the small forms of the review workflow.

Input names: `v_<field>` (the number as typed), `na_<field>` (not applicable),
`confirm_<field>` (a sharp jump confirmed), `n_<group>_<part>` (narratives; "3.1" → "3_1").
Blank, "not applicable" and 0 are kept apart all the way to the database.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from lib import widgets
from targets.models import Field, TaskGroup
from unions.models import Unit

from .merge import canonical, entry_of
from .models import Report, ReportingPeriod, ReportStatus
from .numbers import Entry, NumberError, parse_entry, thousands_mark
from .services import ReportInput
from .validation import pair_message, pairs_over

NARRATIVE_PARTS = (
    ("results", gettext_lazy("Results")),
    ("shortfalls", gettext_lazy("Shortfalls")),
    ("next_steps", gettext_lazy("Next steps")),
)

NUMBER_ERRORS = {
    "negative": gettext_lazy("Enter a number that is not negative."),
    "too large": gettext_lazy("This number is too large."),
}
# What the form says of numbers, by the thousands mark of the language it reads them in: the
# example is the one the form accepts, whatever language the words are translated into.
NOT_WHOLE = {
    ".": gettext_lazy("Enter a whole number, such as 1.234 (a dot or a space between thousands)."),
    ",": gettext_lazy(
        "Enter a whole number, such as 1,234 (a comma or a space between thousands)."
    ),
}
NUMBER_HELP = {
    ".": gettext_lazy(
        "Type whole numbers; 1.234 and 1 234 both mean one thousand two hundred and "
        "thirty-four. Leave a field empty if you have no figure, tick “N/A” if it does not "
        "apply to your unit; 0 means none."
    ),
    ",": gettext_lazy(
        "Type whole numbers; 1,234 and 1 234 both mean one thousand two hundred and "
        "thirty-four. Leave a field empty if you have no figure, tick “N/A” if it does not "
        "apply to your unit; 0 means none."
    ),
}


def narrative_name(group_code: str, part: str) -> str:
    return f"n_{group_code.replace('.', '_')}_{part}"


class ReportForm(forms.Form):
    """Numbers are read in `language` (the active one unless told): 1.234 in Vietnamese,
    1,234 in English; its messages are in the active language, which the request sets."""

    version = forms.IntegerField(widget=widgets.HiddenInput)

    def __init__(
        self,
        *args: Any,
        fields: list[Field],
        task_groups: list[TaskGroup],
        pairs: list[tuple[str, str]] | None = None,
        language: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.language = language or get_language()
        self.report_fields = fields
        self.task_groups = task_groups
        self.pairs = pairs or []
        for f in fields:
            self._value_inputs(f)
        self._narrative_inputs(task_groups)
        # The inputs both this person and someone else changed, awaiting a choice: only
        # they have one (a form of 150 inputs built its choices for every one).
        self.fields["clashes"] = forms.CharField(
            required=False, max_length=20000, widget=widgets.HiddenInput
        )
        for key in self.clash_keys:
            self.fields[f"pick_{key}"] = forms.ChoiceField(
                label=_("Keep which?"),
                required=False,
                choices=[("mine", _("Mine")), ("theirs", _("Theirs"))],
                widget=forms.RadioSelect,
            )

    def _value_inputs(self, f: Field) -> None:
        """A field's value, "not applicable", the confirmation of a sharp change, the reason
        it is not reported, and the merge's inputs."""
        self.fields[f"v_{f.code}"] = forms.CharField(
            label=f.label,
            required=False,
            max_length=40,
            widget=widgets.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "class": "number"}
            ),
        )
        self.fields[f"na_{f.code}"] = forms.BooleanField(
            label=_("Not applicable"), required=False, widget=widgets.CheckboxInput
        )
        self.fields[f"confirm_{f.code}"] = forms.BooleanField(
            label=_("I confirm this value"), required=False, widget=widgets.CheckboxInput
        )
        self.fields[f"nr_{f.code}"] = forms.CharField(
            label=_("Not reported because"),
            required=False,
            max_length=300,
            widget=widgets.TextInput,
        )
        self._merge_inputs(f.code)

    def _narrative_inputs(self, task_groups: list[TaskGroup]) -> None:
        for group in task_groups:
            for part, label in NARRATIVE_PARTS:
                name = narrative_name(group.key, part)
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=10000,
                    widget=widgets.Textarea(attrs={"rows": 3}),
                )
                self._merge_inputs(name)

    def _merge_inputs(self, key: str) -> None:
        """What the person started from (`o_`); their choice when both changed it is added
        for the clashes only."""
        self.fields[f"o_{key}"] = forms.CharField(
            required=False, max_length=10000, strip=False, initial="", widget=widgets.HiddenInput
        )

    @staticmethod
    def initial_for(
        entries: dict[str, Entry],
        confirmed: set[str],
        narratives: dict[str, Any],
        version: int,
        language: str | None = None,
        reasons: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        from .selectors import entry_text

        language = language or get_language()
        initial: dict[str, Any] = {"version": version}
        for code, entry in entries.items():
            initial[f"o_{code}"] = canonical(entry)
            initial[f"v_{code}"] = entry_text(entry, language)
            initial[f"na_{code}"] = entry.state == "na"
            initial[f"confirm_{code}"] = code in confirmed
        for code, reason in (reasons or {}).items():
            initial[f"nr_{code}"] = reason
        for code, narrative in narratives.items():
            for part, _label in NARRATIVE_PARTS:
                initial[narrative_name(code, part)] = getattr(narrative, part)
                initial[f"o_{narrative_name(code, part)}"] = getattr(narrative, part)
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.entries: dict[str, Entry] = {}
        for f in self.report_fields:
            entry = self._entry(f.code, cleaned)
            if entry is not None:
                self.entries[f.code] = entry
        self._apply_choices(cleaned)
        if self.errors:
            # The save stops here, before the service checks the report: check the pairs whose
            # two values were read now, so that one save tells of every problem. A form without
            # other errors leaves them to the service, which also shows the sharp jumps beside
            # them (and add_findings names the denominators).
            labels = self._labels()
            for num_code, den_code, num, den in pairs_over(self.entries, self._pairs()):
                self.add_error(f"v_{num_code}", pair_message(num, den, labels[den_code]))
        return cleaned

    @property
    def clash_keys(self) -> list[str]:
        """The inputs the form names as clashes that it has (a value's or a narrative's)."""
        raw = self.data.get("clashes", "") if self.is_bound else self.initial.get("clashes", "")
        return [key for key in str(raw or "").split(",") if f"o_{key}" in self.fields]

    def _apply_choices(self, cleaned: dict[str, Any]) -> None:
        """Where both people changed an input, the person's explicit choice: theirs is what
        the conflict screen started from (`o_`); without a choice nothing is saved."""
        for key in self.clash_keys:
            pick = cleaned.get(f"pick_{key}")
            target = f"v_{key}" if f"v_{key}" in self.fields else key
            if not pick:
                self.add_error(f"pick_{key}", _("Choose your value or theirs."))
            elif pick == "theirs":
                theirs = cleaned.get(f"o_{key}") or ""
                if target == key:
                    cleaned[key] = theirs
                else:
                    self.entries[key] = entry_of(theirs)

    @property
    def number_help(self) -> str:
        """The line above the form on how to type numbers, with this form's example."""
        return str(NUMBER_HELP[thousands_mark(self.language)])

    def _labels(self) -> dict[str, str]:
        return {f.code: f.label for f in self.report_fields}

    def _pairs(self) -> list[tuple[str, str]]:
        """(numerator, denominator) of the programme's percentages among the form's fields,
        as the service checks them (a ratio per CĐCS may exceed its denominator)."""
        codes = {f.code for f in self.report_fields}
        return [(n, d) for n, d in self.pairs if n in codes and d in codes]

    def _entry(self, code: str, cleaned: dict[str, Any]) -> Entry | None:
        text = (cleaned.get(f"v_{code}") or "").strip()
        if cleaned.get(f"na_{code}"):
            if text and text.upper() != "NA":
                self.add_error(
                    f"v_{code}", _("Either enter a number or tick “not applicable”, not both.")
                )
                return None
            return Entry.na()
        try:
            return parse_entry(text, self.language)
        except NumberError as error:
            reason = str(error)
            message = NUMBER_ERRORS.get(reason) or NOT_WHOLE[thousands_mark(self.language)]
            self.add_error(f"v_{code}", str(message))
            return None

    def report_input(self) -> ReportInput:
        narratives = {
            group.key: tuple(
                self.cleaned_data.get(narrative_name(group.key, part), "").strip()
                for part, _label in NARRATIVE_PARTS
            )
            for group in self.task_groups
        }
        confirmed = {
            f.code for f in self.report_fields if self.cleaned_data.get(f"confirm_{f.code}")
        }
        reasons = {f.code: self.cleaned_data.get(f"nr_{f.code}", "") for f in self.report_fields}
        return ReportInput(
            values=dict(self.entries),
            narratives=narratives,
            confirmed_warnings=confirmed,
            not_reported=reasons,
        )

    def add_findings(self, errors: dict[str, list[str]]) -> None:
        """Places the service's findings next to their inputs (or above the form). A numerator
        above its denominator is worded again with the denominator's label, which the service
        may not know."""
        labels = self._labels()
        named = {
            (num_code, pair_message(num, den)): pair_message(num, den, labels[den_code])
            for num_code, den_code, num, den in pairs_over(self.entries, self._pairs())
        }
        for code, messages in errors.items():
            name = f"v_{code}" if f"v_{code}" in self.fields else None
            for message in messages:
                worded = named.get((code, message), message)
                # The form may have found it already (a pair, when other values were bad).
                if worded not in self.errors.get(name or "__all__", []):
                    self.add_error(name, worded)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReportFilter(django_filters.FilterSet):  # type: ignore[misc]
    period = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Period"),
        queryset=ReportingPeriod.objects.order_by("-year", "-quarter"),
        empty_label=gettext_lazy("All periods"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=ReportStatus.choices,
        empty_label=gettext_lazy("All statuses"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("All units"),
    )

    class Meta:
        model = Report
        fields = ["period", "status", "unit"]

    def __init__(self, *args: Any, office: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if office:
            self.filters["unit"].queryset = Unit.objects.filter(
                pk__in=Report.objects.values("unit_id")
            ).order_by("code")
        else:
            del self.filters["unit"]
        # Quarters in the reader's words ("Quý 3/2026"); the URL keeps the period's id. After
        # the filters are settled: the form is built from them once, here.
        self.form.fields["period"].label_from_instance = lambda p: p.label
