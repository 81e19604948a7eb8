"""Forms for the hierarchy pages.

Units are chosen by code (office staff know them, and a code survives a renamed unit). Each
reorganisation form has `submit()`, which calls exactly one service and returns the unit whose
page to show next; the service's ReorgError is left to the view to show next to the form.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .identifiers import code_cleaned
from .lookup import CodeLookup, unit_by_code, units_by_codes
from .models import GRASSROOTS_KINDS, Sector, Unit, UnitKind, folded
from .services import UnitData, unit_create, unit_dissolve, unit_merge, unit_move, unit_update

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def date_field(label: StrOrPromise, *, required: bool = True) -> forms.DateField:
    """A day typed as dd/mm/yyyy (DATE_INPUT_FORMATS also accept yyyy-mm-dd)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"}),
    )


def normalized(text: str) -> str:
    """NFC, so a name typed with combining accents (as some keyboards send) still matches."""
    return unicodedata.normalize("NFC", text).strip()


def text_q(text: str) -> Q:
    """Code or name contains `text`, ignoring case and accents on every database: "đường",
    "ĐƯỜNG" and "duong" all find "Tam Đường" (see `unions.models.folded`)."""
    return Q(search_key__contains=folded(text))


def _lookup_errors(lookup: CodeLookup) -> list[forms.ValidationError]:
    errors = []
    if lookup.missing:
        errors.append(
            forms.ValidationError(
                _("No unit has the code(s) %(codes)s."),
                params={"codes": ", ".join(lookup.missing)},
            )
        )
    for code, matches in lookup.ambiguous.items():
        errors.append(
            forms.ValidationError(
                _("The code %(code)s could mean %(units)s; type it exactly as written."),
                params={"code": code, "units": ", ".join(matches)},
            )
        )
    return errors


class UnitCodeField(forms.CharField):
    """A unit code (any case), cleaned to the Unit; a code that could name two units (they
    differ only in case) is refused rather than guessed."""

    # The form page offers "Find a unit" next to the field, and with script a search as one
    # types (unions/views_picker.py, static/js/unit_picker.js).
    picker = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "data-unit-picker": reverse_lazy("unions:pick")}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Unit | None:
        code = super().clean(value)
        if not code:
            return None
        lookup = unit_by_code(code)
        if lookup.missing:
            raise forms.ValidationError(_("No unit has the code %(code)s."), params={"code": code})
        if not lookup.ok:
            raise forms.ValidationError(_lookup_errors(lookup))
        return lookup.found[code]


class UnitCodesField(forms.CharField):
    """Several unit codes separated by commas, spaces or new lines, cleaned to Units (each in
    any case, none a guess between two units)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[Unit]:
        codes = list(dict.fromkeys(c for c in re.split(r"[\s,;]+", super().clean(value)) if c))
        lookup = units_by_codes(codes)
        if not lookup.ok:
            raise forms.ValidationError(_lookup_errors(lookup))
        return list(dict.fromkeys(lookup.found[c] for c in codes))


class TreeDateForm(forms.Form):
    on = forms.DateField(
        label=_("Tree as of"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]  # type: ignore[no-any-return]
        return timezone.localdate()


class UnitFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Search: text, kind, and either the units active on a day or all of them."""

    ACTIVE, ALL = "active", "all"

    q = django_filters.CharFilter(label=_("Code or name"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=UnitKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(ACTIVE, _("Active on the date")), (ALL, _("All, closed ones too"))],
        empty_label=None,
        method="filter_nothing",
    )
    on = django_filters.DateFilter(
        label=_("Date"),
        method="filter_nothing",
        widget=forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"}),
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "status", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.input_type = "search"
        # Accents are optional: say so, since people would otherwise not try.
        self.form.fields["q"].widget.attrs["placeholder"] = _("Tam Đường or tam duong")
        self.form.fields["status"].required = False

    def filter_text(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        text = normalized(value)
        return queryset.filter(text_q(text)) if text else queryset

    def filter_nothing(self, queryset: QuerySet[Unit], name: str, value: Any) -> QuerySet[Unit]:
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset: QuerySet[Unit]) -> QuerySet[Unit]:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("status") == self.ALL:
            return queryset
        return queryset.active_on(self.day())  # type: ignore[attr-defined,no-any-return]

    def day(self) -> dt.date:
        cleaned = getattr(self.form, "cleaned_data", {})
        day: dt.date | None = cleaned.get("on")
        return day or timezone.localdate()


class UnitCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = UnitCodeField(
        label=_("Parent unit code"),
        required=False,
        help_text=_("Leave empty only for the provincial federation."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("— (not a grassroots union)")), *Sector.choices],
        required=False,
        help_text=_("Grassroots unions only."),
    )
    # xgettext:no-python-format
    budget_paid = forms.BooleanField(label=_("Paid 100% from the state budget"), required=False)
    valid_from = date_field(_("Valid from"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def submit(self) -> Unit:
        d = self.cleaned_data
        return unit_create(
            UnitData(
                code=code_cleaned(d["code"]),
                name=normalized(d["name"]),
                kind=d["kind"],
                valid_from=d["valid_from"],
                parent=d["parent"],
                sector=d["sector"] if d["kind"] in GRASSROOTS_KINDS else "",
                budget_paid=d["budget_paid"],
                note=d["note"],
            )
        )


class UnitEditForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        required=False,
        help_text=_(
            "Change it only to correct it: letters A–Z, digits and “-”, “_” or “.”. Files and "
            "programs that name the unit by its old code must then use the new one."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    # xgettext:no-python-format
    budget_paid = forms.BooleanField(label=_("Paid 100% from the state budget"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "code": unit.code,
                "name": unit.name,
                "sector": unit.sector,
                "budget_paid": unit.budget_paid,
                "note": unit.note,
            },
        )
        super().__init__(*args, **kwargs)
        self.unit = unit
        if not unit.is_grassroots:
            del self.fields["sector"]

    def submit(self) -> Unit:
        d = self.cleaned_data
        return unit_update(
            self.unit,
            code=self._new_code(),
            name=normalized(d["name"]),
            sector=d.get("sector", ""),
            budget_paid=d["budget_paid"],
            note=d["note"],
        )

    def _new_code(self) -> str:
        """The corrected code, or "" when the field was left as it was (a code saved before
        the code rule is kept until someone corrects it)."""
        typed: str = self.cleaned_data.get("code") or ""
        return code_cleaned(typed) if typed and typed != self.unit.code.strip() else ""


class UnitMoveForm(forms.Form):
    new_parent = UnitCodeField(label=_("New parent unit code"))
    on = date_field(_("From (first day under the new parent)"))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit

    def submit(self) -> Unit:
        unit_move([self.unit], self.cleaned_data["new_parent"], self.cleaned_data["on"])
        return self.unit


class MoveChildrenForm(forms.Form):
    """Moves several units now under `parent` at once (e.g. CĐCS of a dissolved district)."""

    units = forms.MultipleChoiceField(label=_("Units to move"), widget=forms.CheckboxSelectMultiple)
    new_parent = UnitCodeField(label=_("New parent unit code"))
    on = date_field(_("From (first day under the new parent)"))

    def __init__(self, *args: Any, parent: Unit, children: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.children = {u.code: u for u in children}
        units_field: forms.MultipleChoiceField = self.fields["units"]  # type: ignore[assignment]
        units_field.choices = [(u.code, f"{u.name} ({u.code})") for u in children]

    def submit(self) -> Unit:
        units = [self.children[code] for code in self.cleaned_data["units"]]
        unit_move(units, self.cleaned_data["new_parent"], self.cleaned_data["on"])
        return self.parent


class UnitDissolveForm(forms.Form):
    on = date_field(_("Dissolved on (first day it no longer exists)"))
    successor = UnitCodeField(
        label=_("Successor unit code"),
        required=False,
        help_text=_("Units still under this one move to the successor."),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit

    def submit(self) -> Unit:
        unit_dissolve(self.unit, self.cleaned_data["on"], successor=self.cleaned_data["successor"])
        return self.unit


class UnitMergeForm(forms.Form):
    units = UnitCodesField(
        label=_("Codes of the units to merge"),
        help_text=_("Separated by commas, spaces or new lines. Each is dissolved on the date."),
    )
    into = UnitCodeField(label=_("Code of the unit they merge into"))
    on = date_field(_("Merged on (first day of the merged unit)"))

    def submit(self) -> Unit:
        d = self.cleaned_data
        unit_merge(d["units"], d["into"], d["on"])
        return d["into"]  # type: ignore[no-any-return]
