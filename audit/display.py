"""What the audit page shows for a recorded change, in the reader's language.

Entries keep what was recorded as plain text: field names, choice values ("submitted"),
"true"/"false", the password markers, Value's "NA"/"blank". They are never rewritten, so labels
and values are put into words here, when the page is read: a Vietnamese and an English reader
each see their own words, and a label corrected later shows in old entries too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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

from .recording import PASSWORD_CHANGED, PASSWORD_SET, rule_for

# Names the recorder writes that are not model fields; every audited field is labelled by its
# model's verbose_name. Keyed by (app label, model name, name as recorded).
LABELS: dict[tuple[str, str, str], Promise] = {
    ("reports", "value", "value"): _("value"),  # the projection of state and number
}


class DataFieldLabels:
    """Data-field codes in the reader's words: "Union members (members)". Report values are
    recorded by their field's code; the labels are read once (one query, a few dozen rows)
    when the first entry that names a data field is shown."""

    def __init__(self) -> None:
        self._labels: dict[str, str] | None = None

    def text(self, code: str) -> str:
        if self._labels is None:
            rows = _data_field_model().objects.only("code", "label_vi", "label_en")
            self._labels = {f.code: f.label for f in rows}
        label = self._labels.get(code)
        return f"{label} ({code})" if label else code


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
    return str(f.verbose_name)


def _data_field_model() -> Any:
    return apps.get_model("targets", "Field")


def _number(text: str) -> str:
    try:
        return number_format(Decimal(text))
    except InvalidOperation:
        return text


def _choice(f: models.Field[Any, Any], text: str) -> str:
    labels = {str(value): label for value, label in f.flatchoices}
    return str(labels.get(text, text))


def object_text(
    app_label: str, model_name: str, text: str, fields: DataFieldLabels | None = None
) -> str:
    """The recorded object's text; a report value's ("D2 2024Q3 r1 · members") names its
    data field by its label."""
    where, dot, code = text.rpartition(" · ")
    if (app_label, model_name) != ("reports", "value") or not dot:
        return text
    return f"{where}{dot}{(fields or DataFieldLabels()).text(code)}"


def value_text(
    app_label: str,
    model_name: str,
    name: str,
    text: str | None,
    fields: DataFieldLabels | None = None,
) -> str | None:
    """A recorded value in the reader's words; None (not mentioned) and "" stay as they are.
    A data field (recorded by its code) is named by its label."""
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
    if f is not None and f.is_relation and f.related_model is _data_field_model():
        return (fields or DataFieldLabels()).text(text)
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
    """A value as recorded ("NA", "blank" or "", a number), named as the value's state is."""
    state = {"NA": "na", "blank": "blank", "": "blank"}.get(text)
    if state is not None:
        return _choice(_field("reports", "value", "state"), state)
    return _number(text) if text.isdigit() else text


class KeptChanges:
    """The value changes recorded rows keep themselves (a report event's), in the reader's
    words, read for a whole page of entries in one query per kind of row."""

    def __init__(self, entries: Callable[[], Iterable[Any]] | None = None) -> None:
        self._entries = entries
        self._rows: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
        self._read: set[tuple[str, str]] = set()

    def rows(
        self, app_label: str, model_name: str, pk: str, fields: DataFieldLabels
    ) -> list[tuple[str, str | None, str | None]]:
        rule = rule_for(app_label, model_name)
        if rule is None or rule.kept_changes is None:
            return []
        if (app_label, model_name, pk) not in self._rows:
            self._load(app_label, model_name, pk, rule.kept_changes)
        return [
            (fields.text(code), _measured_value(old), _measured_value(new))
            for code, old, new in self._rows.get((app_label, model_name, pk), [])
        ]

    def _load(self, app_label: str, model_name: str, pk: str, read: Any) -> None:
        pks = {pk}
        if self._entries is not None and (app_label, model_name) not in self._read:
            entries = self._entries()
            pks |= {
                e.object_pk for e in entries if (e.app_label, e.model) == (app_label, model_name)
            }
        self._read.add((app_label, model_name))
        for key, rows in read(sorted(pks)).items():
            self._rows[(app_label, model_name, key)] = rows
        for key in pks:
            self._rows.setdefault((app_label, model_name, key), [])
