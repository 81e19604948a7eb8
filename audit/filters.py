"""The filters of the audit page."""

from __future__ import annotations

from functools import cache
from typing import Any

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEntry
from .recording import audited_models


@cache
def model_labels() -> dict[str, Any]:
    """model name ("unit") -> its translatable label, for the audited models."""
    return {m._meta.model_name or "": m._meta.verbose_name for m in audited_models()}


def _model_choices() -> list[tuple[str, str]]:
    choices = [(name, capfirst(label)) for name, label in model_labels().items()]
    return sorted(choices, key=lambda choice: str(choice[1]))


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric"})


class AuditFilter(django_filters.FilterSet):  # type: ignore[misc]
    model = django_filters.ChoiceFilter(
        label=_("What"), choices=_model_choices, empty_label=_("Everything")
    )
    object = django_filters.CharFilter(
        label=_("Object id"), field_name="object_pk", widget=forms.HiddenInput
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("Any action")
    )
    actor = django_filters.CharFilter(
        label=_("User name"), field_name="actor_username", lookup_expr="icontains"
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=_date_input()
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="at", lookup_expr="date__lte", widget=_date_input()
    )
    q = django_filters.CharFilter(
        label=_("Object contains"), field_name="object_repr", lookup_expr="icontains"
    )

    class Meta:
        model = AuditEntry
        fields = ["model", "object", "action", "actor", "since", "until", "q"]
