"""Forms of the programme screens: a draft's definition, typed by office staff.

Every form checks what the database would refuse (unique codes, a ratio without a
denominator, one target per scope) so a mistake comes back as a message next to what was
typed, never as an error page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unions.forms import UnitCodeField, date_field
from unions.models import Sector, Unit, UnitKind

from .models import Display, Field, Indicator, Programme, RegistryCount, Target, TaskGroup
from .models.registry import RegistryCountLocked


def english_optional(form: forms.BaseForm) -> None:
    """A draft may be saved before its English texts are written: the check lists each one
    missing, and a programme is not published until they are there."""
    for name, field in form.fields.items():
        if name.endswith("_en"):
            field.required = False


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    issued_on = date_field(_("Issued on"))
    term_start = date_field(_("Term starts"))
    term_end = date_field(_("Term ends"))

    class Meta:
        model = Programme
        fields = [
            "code",
            "number",
            "title_vi",
            "title_en",
            "issuer",
            "issued_on",
            "term_start",
            "term_end",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english_optional(self)
        issuers = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("valid_from")
        self.fields["issuer"].queryset = issuers  # type: ignore[attr-defined]
        if self.instance.pk is None and not self.is_bound and "issuer" not in self.initial:
            # A new programme is the provincial federation's, as a file without one says.
            self.initial["issuer"] = issuers.values_list("pk", flat=True).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        return data


class CopyForm(forms.Form):
    code = forms.SlugField(label=_("Code of the new programme"), max_length=40)
    number = forms.CharField(label=_("Number"), max_length=60)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Programme.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A programme with this code already exists."))
        return code


class ProgrammePartForm(forms.ModelForm):  # type: ignore[type-arg]
    """A row of a programme (task group, indicator): its code is unique in the programme."""

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        english_optional(self)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        model = type(self.instance)
        twins = model.objects.filter(programme=self.programme, code=code)
        if twins.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This code is already used in the programme."))
        return code


class TaskGroupForm(ProgrammePartForm):
    class Meta:
        model = TaskGroup
        fields = ["code", "title_vi", "title_en", "order"]
        widgets = {"title_vi": forms.TextInput(), "title_en": forms.TextInput()}


class IndicatorForm(ProgrammePartForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_vi",
            "name_en",
            "text_vi",
            "text_en",
            "kind",
            "numerator",
            "denominator",
            "display",
            "comparison",
            "order",
        ]
        widgets = {
            "text_vi": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("display") not in (None, Display.COUNT) and not data.get("denominator"):
            self.add_error("denominator", _("A percentage or a ratio needs a denominator field."))
        return data


class TargetForm(forms.ModelForm):  # type: ignore[type-arg]
    unit_code = UnitCodeField(label=_("Unit (code; empty for all)"), required=False)
    baseline_date = date_field(_("Baseline date"), required=False)

    class Meta:
        model = Target
        fields = ["indicator", "value", "year", "baseline_value", "baseline_date", "note"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        mine = Indicator.objects.filter(programme=programme)
        self.fields["indicator"].queryset = mine  # type: ignore[attr-defined]
        if self.instance.unit_id and not self.is_bound:
            self.initial["unit_code"] = self.instance.unit.code
        for name in ("value", "baseline_value"):  # 60, not the stored 60.0000
            stored = getattr(self.instance, name)
            if stored is not None and not self.is_bound:
                self.initial[name] = f"{stored.normalize():f}"
        self.order_fields(["indicator", "value", "year", "unit_code"])

    def clean_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("year")
        first, last = self.programme.term_start.year, self.programme.term_end.year
        if year is not None and not first <= year <= last:
            raise forms.ValidationError(
                _("Give a year of the term (%(first)s–%(last)s) or none for the term.")
                % {"first": first, "last": last}
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.unit = data.get("unit_code") or None
        same = Target.objects.filter(
            indicator=data.get("indicator"), year=data.get("year"), unit=self.instance.unit
        ).exclude(pk=self.instance.pk)
        if data.get("indicator") and same.exists():
            raise forms.ValidationError(
                _("This indicator already has a target for that year and unit.")
            )
        return data


class FieldForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new data field: the shared vocabulary grows, an existing meaning never changes."""

    group = forms.ChoiceField(label=_("group"))
    registry_count = forms.ChoiceField(label=_("known from the registry"), required=False)

    class Meta:
        model = Field
        fields = [
            "code",
            "label_vi",
            "label_en",
            "help_vi",
            "help_en",
            "group",
            "time_kind",
            "frequency",
            "registry_count",
            "counts_grassroots",
            "province_only",
            "order",
        ]
        widgets = {
            "help_vi": forms.Textarea(attrs={"rows": 2}),
            "help_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import field_groups

        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.code, g.label) for g in field_groups()]  # type: ignore[attr-defined]
        counts = [(c.code, c.label) for c in RegistryCount.objects.all()]
        self.fields["registry_count"].choices = [("", _("Not from the registry")), *counts]  # type: ignore[attr-defined]


class RegistryCountForm(forms.ModelForm):  # type: ignore[type-arg]
    """A count the registry knows: which kinds of unit, of which sectors. Rewording is always
    allowed; what it counts changes only while nothing relies on it (`RegistryCount.MEANING`)."""

    unit_kinds = forms.MultipleChoiceField(
        label=_("kinds of unit counted"),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("sectors counted (none: all)"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RegistryCount
        fields = ["code", "label_vi", "label_en", "unit_kinds", "sectors", "order"]

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if not self.errors:
            changed = self.instance.meaning_changes()
            if changed:
                self.add_error(None, RegistryCountLocked(self.instance, changed))


class DayForm(forms.Form):
    """The day a programme is published or closed from."""

    day = date_field(_("From"))

    def __init__(self, *args: Any, initial_day: dt.date, **kwargs: Any) -> None:
        kwargs["initial"] = {"day": initial_day}
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Programme definition file (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only; save nothing"), required=False)
