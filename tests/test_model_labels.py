"""Every model and field a person can see is named in Vietnamese: the Django admin, the audit
page and the forms built from models take their labels from the models' verbose names."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from reports.assignments import assignments_apply_proposal
from reports.models import Assignment

PORTAL_APPS = ("accounts", "api", "audit", "reports", "targets", "unions")
# Derived tables that no page, form or admin shows (rebuilt from the data people enter).
DERIVED = {"unions.UnitClosure", "targets.RollupTotal", "targets.RollupTotalsState"}


def _portal_models() -> list[type]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PORTAL_APPS and m._meta.label not in DERIVED
    ]


def _in(language: str, text: object) -> str:
    with translation.override(language):
        return str(text)


def test_every_model_and_field_has_a_label_the_vietnamese_catalogue_translates():
    untranslated = []
    for model in _portal_models():
        meta = model._meta
        labels = {
            "(model)": meta.verbose_name,
            "(plural)": meta.verbose_name_plural,
            **{f.name: f.verbose_name for f in meta.concrete_fields if not f.primary_key},
        }
        for name, label in labels.items():
            if not isinstance(label, Promise) or _in("vi", label) == _in("en", label):
                untranslated.append(f"{meta.label}.{name}: {_in('en', label)}")
    assert untranslated == []


def _labels(html: str) -> set[str]:
    """The texts of a page's form labels and table headings, without the trailing colon."""
    found = re.findall(r"<label[^>]*>([^<]+)</label>|<th[^>]*>\s*([^<]+?)\s*<", html)
    return {text.strip().rstrip(":").strip() for pair in found for text in pair if text.strip()}


@pytest.mark.parametrize("model_name", ["assignment", "user"])
def test_the_admin_change_page_in_vietnamese_names_no_field_in_english(
    client, admin_user, programme, model_name
):
    assignments_apply_proposal()
    obj = Assignment.objects.first() if model_name == "assignment" else admin_user
    assert obj is not None
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    app_label = obj._meta.app_label
    html = client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])).text
    english = {_in("en", f.verbose_name).capitalize() for f in obj._meta.concrete_fields}
    shown = _labels(html)
    assert shown & english == set()
    assert _in("vi", obj._meta.get_field("unit").verbose_name).capitalize() in shown
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert "Portal" not in headings and "Role and unit" not in headings
