"""What the audit page shows for a recorded change, in the reader's language.

Entries keep what was recorded as plain text: field names, choice values ("submitted"),
"true"/"false", the password markers, Value's "NA"/"blank". They are never rewritten, so labels
and values are put into words here, when the page is read: a Vietnamese and an English reader
each see their own words, and a label corrected later shows in old entries too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .recording import PASSWORD_CHANGED, PASSWORD_SET

# Audited fields whose models give no verbose_name (Django then makes an English one from the
# attribute name, which no catalogue translates), and the names the recorder writes that are
# not fields. Keyed by (app label, model name, name as recorded).
LABELS: dict[tuple[str, str, str], Promise] = {
    ("targets", "taskgroup", "order"): _("order"),
    ("reports", "report", "is_latest"): _("latest revision"),
    ("reports", "report", "in_force"): _("in force"),
    ("reports", "report", "version"): _("version"),
    ("reports", "report", "submitted_at"): _("submitted at"),
    ("reports", "report", "approved_at"): _("approved at"),
    ("reports", "value", "value"): _("value"),  # the projection of state and number
    ("reports", "value", "warning_confirmed"): _("warning confirmed"),
}

# A reopened report's entry counts the copied values and narratives: "12 copied from r1".
_COPIED = re.compile(r"^(\d+) copied from r(\d+)$")


@cache
def _field(app_label: str, model_name: str, name: str) -> Any:
    """The model field (or reverse relation) recorded as `name`, None if it is gone."""
    try:
        return apps.get_model(app_label, model_name)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None


def field_label(app_label: str, model_name: str, name: str) -> str:
    """The field's label in the reader's language, else the name as recorded."""
    label = LABELS.get((app_label, model_name, name))
    if label is not None:
        return str(label)
    f = _field(app_label, model_name, name)
    if f is None:
        return name
    if not f.concrete:  # a reverse relation, such as a report's "values"
        return str(f.related_model._meta.verbose_name_plural)
    if isinstance(f.verbose_name, Promise):
        return str(f.verbose_name)
    if f.is_relation:  # a foreign key named after its model ("report", "task group")
        return str(f.related_model._meta.verbose_name)
    return str(f.verbose_name)


def _number(text: str) -> str:
    try:
        return number_format(Decimal(text))
    except InvalidOperation:
        return text


def _choice(f: models.Field[Any, Any], text: str) -> str:
    labels = {str(value): label for value, label in f.flatchoices}
    return str(labels.get(text, text))


def value_text(app_label: str, model_name: str, name: str, text: str | None) -> str | None:
    """A recorded value in the reader's words; None (not mentioned) and "" stay as they are."""
    if not isinstance(text, str) or not text:
        return text
    if name == "password":
        words = {PASSWORD_CHANGED: _("password changed"), PASSWORD_SET: _("password set")}
        return str(words.get(text, text))
    if (app_label, model_name, name) == ("reports", "value", "value"):
        return _measured_value(text)
    copied = _COPIED.match(text) if (app_label, model_name) == ("reports", "report") else None
    if copied is not None:
        return gettext("%(count)s copied from revision %(revision)s") % {
            "count": _number(copied[1]),
            "revision": copied[2],
        }
    f = _field(app_label, model_name, name)
    if f is None or not f.concrete or f.is_relation:
        return text
    if f.choices:
        return _choice(f, text)
    if isinstance(f, models.BooleanField):
        return {"true": gettext("yes"), "false": gettext("no")}.get(text, text)
    if isinstance(f, models.DecimalField):
        return _number(text)
    return text


def _measured_value(text: str) -> str:
    from reports.models import ValueState

    if text == "NA":
        return str(ValueState.NOT_APPLICABLE.label)
    if text == "blank":
        return str(ValueState.BLANK.label)
    return _number(text) if text.isdigit() else text
