"""Writes audit entries for every change to the audited models.

Signals are the one place that sees every write path (services, forms, the Django admin,
imports, management commands), which is what an audit log needs; they record, they never
decide anything. pre_save reads the stored row (one query, on writes only) so that an update
records only the fields that really changed, with their old and new values as text.

Not itemised: rows written by QuerySet.update() or bulk_create(), which send no signals. The
services that bulk-create or bulk-update call `audit_bulk_created` or `audit_bulk_updated`
(one entry per row all the same, written in one statement); a reopened report's copied values and
narratives are counted in one entry (see `report_event_saved`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .chain import entries_append, entry_append
from .context import audit_context
from .models import AuditAction, AuditEntry

# What the log says instead of a password hash, which it never copies.
PASSWORD_CHANGED = "password changed"  # noqa: S105
PASSWORD_SET = "password set"  # noqa: S105

Row = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    """How one model appears in the log."""

    describe: Callable[[Any], str] = str
    skip: frozenset[str] = frozenset()
    # Turns a stored row (attname -> value) into what the log compares and shows.
    project: Callable[[type[models.Model], Row], Row] | None = None


def _related(instance: models.Model, name: str) -> Any:
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _code(obj: Any) -> str:
    if obj is None:
        return ""
    for attr in ("code", "username"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    rule = audited_models().get(type(obj))
    return rule.describe(obj) if rule is not None else str(obj)


def _value_text(row: Row) -> str:
    from reports.models import ValueState

    state = row.get("state")
    if state == ValueState.NUMBER:
        return str(row.get("number"))
    return "NA" if state == ValueState.NOT_APPLICABLE else "blank"


def _project_value(model: type[models.Model], row: Row) -> Row:
    projected = {k: v for k, v in row.items() if k not in ("state", "number")}
    if "state" in row or "number" in row:
        projected["value"] = _value_text(row)
    return projected


def _describe_report(report: Any) -> str:
    unit, period = _related(report, "unit"), _related(report, "period")
    return f"{_code(unit)} {_code(period)} r{report.revision}"


def _describe_in_report(name: str) -> Callable[[Any], str]:
    def describe(instance: Any) -> str:
        report = _related(instance, "report")
        where = _describe_report(report) if report is not None else f"#{instance.report_id}"
        return f"{where} · {_code(_related(instance, name))}"

    return describe


def _rules() -> dict[type[models.Model], Rule]:
    from accounts.models import User
    from briefing.models import Synthesis
    from reports.models import (
        Assignment,
        Narrative,
        Report,
        ReportingCalendar,
        ReportingPeriod,
        Value,
    )
    from targets.models import Field, FieldGroup, Indicator, Programme, Target, TaskGroup
    from unions.models import Unit, UnitLink

    return {
        Unit: Rule(skip=frozenset({"search_key"})),  # derived from code and name
        UnitLink: Rule(
            describe=lambda link: (
                f"{_code(_related(link, 'child'))} → {_code(_related(link, 'parent'))}"
                f" {_text(link.valid_from)}"
            )
        ),
        Programme: Rule(describe=lambda p: f"{p.number} ({p.code})"),
        Field: Rule(describe=lambda f: f"{f.code}: {f.label_vi}"),
        Indicator: Rule(describe=lambda i: f"{i.code} {i.name_vi}"),
        Target: Rule(describe=lambda t: f"{_code(_related(t, 'indicator'))} {t.year or 'term'}"),
        TaskGroup: Rule(describe=lambda g: f"{g.code}. {g.title_vi}"),
        FieldGroup: Rule(describe=lambda g: f"{g.code}: {g.label_vi}"),
        ReportingCalendar: Rule(describe=lambda c: str(c.get_cutoff_rule_display())),
        ReportingPeriod: Rule(describe=lambda p: p.code),
        Assignment: Rule(
            describe=lambda a: (
                f"{_code(_related(a, 'unit'))} {_code(_related(a, 'first_period'))}"
                f"–{_code(_related(a, 'last_period')) or '…'}"
            )
        ),
        Report: Rule(
            describe=_describe_report,
            skip=frozenset({"created_at", "updated_at", "updated_by"}),
        ),
        Value: Rule(describe=_describe_in_report("field"), project=_project_value),
        Narrative: Rule(describe=_describe_in_report("task_group")),
        User: Rule(describe=lambda u: u.get_username(), skip=frozenset({"last_login"})),
        Synthesis: Rule(
            describe=lambda s: f"{_code(_related(s, 'task_group'))} {_code(_related(s, 'period'))}",
            skip=frozenset({"updated_at"}),
        ),
    }


@cache
def audited_models() -> dict[type[models.Model], Rule]:
    return _rules()


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    skip = audited_models()[model].skip
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _comparable(f: models.Field[Any, Any], value: Any) -> Any:
    try:
        return f.to_python(value)
    except ValidationError:
        return value


def _row(model: type[models.Model], values: Row, only: Iterable[str] | None = None) -> Row:
    """Name -> comparable value for the audited fields present in `values` (keyed by attname)."""
    wanted = None if only is None else set(only)
    row: Row = {}
    for f in _fields(model):
        if f.attname in values and (wanted is None or f.name in wanted or f.attname in wanted):
            row[f.name] = _comparable(f, values[f.attname])
    rule = audited_models()[model]
    return rule.project(model, row) if rule.project else row


def _instance_values(instance: models.Model) -> Row:
    return {f.attname: getattr(instance, f.attname) for f in _fields(type(instance))}


def _shown(model: type[models.Model], name: str, value: Any, instance: models.Model | None) -> str:
    """The text the log keeps for one value; passwords are never copied."""
    if name == "password":
        return PASSWORD_SET if value else ""
    try:
        f = model._meta.get_field(name)
    except Exception:  # a projected name such as Value's "value"
        return _text(value)
    if f.is_relation and value is not None:
        if instance is not None:
            return _code(_related(instance, name))
        related = f.related_model._base_manager.filter(pk=value).first()  # type: ignore[union-attr]
        return _code(related) if related is not None else f"#{value}"
    return _text(value)


def _write(instance: models.Model, action: str, before: Row, after: Row) -> AuditEntry:
    return entry_append(**_entry(instance, action, before, after))


def _entry(instance: models.Model, action: str, before: Row, after: Row) -> dict[str, Any]:
    """What an entry says of `instance` being created, changed or deleted (written by
    `entry_append`, or `entries_append` for many at once)."""
    model = type(instance)
    context = audit_context()
    actor_id, username = context.actor()
    return {
        "actor_id": actor_id,
        "actor_username": username,
        "via": context.via,
        "via_detail": context.detail,
        "app_label": model._meta.app_label,
        "model": model._meta.model_name or "",
        "object_pk": str(instance.pk),
        "object_repr": audited_models()[model].describe(instance)[:300],
        "action": action,
        "before": before,
        "after": after,
    }


def _non_empty(model: type[models.Model], row: Row, instance: models.Model) -> Row:
    return {
        name: _shown(model, name, value, instance)
        for name, value in row.items()
        if not (value is None or value is False or value == "")
    }


def before_saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance._state.adding or instance.pk is None:
        return
    only = kwargs.get("update_fields")
    attnames = [f.attname for f in _fields(sender) if only is None or f.name in only]
    stored = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    instance.__dict__["_audit_stored"] = stored


def saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    stored = instance.__dict__.pop("_audit_stored", None)
    if kwargs.get("created") or stored is None:
        after = _non_empty(sender, _row(sender, _instance_values(instance)), instance)
        action = AuditAction.CREATE if kwargs.get("created") else AuditAction.UPDATE
        _write(instance, action, {}, after)
        return
    entry = _update_entry(sender, instance, stored)
    if entry is not None:
        entry_append(**entry)


def _update_entry(
    sender: type[models.Model], instance: models.Model, stored: Row
) -> dict[str, Any] | None:
    """The entry for an update from the `stored` values (by attname) to the instance's, if any
    field changed."""
    old = _row(sender, stored)
    new = _row(sender, _instance_values(instance), only=stored.keys())
    changed = [name for name in old if old[name] != new.get(name)]
    if not changed:
        return None
    before = {name: _shown(sender, name, old[name], None) for name in changed}
    after = {name: _shown(sender, name, new[name], instance) for name in changed}
    if "password" in changed:
        before["password"], after["password"] = "", PASSWORD_CHANGED
    return _entry(instance, AuditAction.UPDATE, before, after)


def deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    before = _non_empty(sender, _row(sender, _instance_values(instance)), instance)
    _write(instance, AuditAction.DELETE, before, {})


def audit_bulk_created(objects: Sequence[models.Model]) -> None:
    """One create entry per object that bulk_create wrote (it sends no signals)."""
    if not objects:
        return
    relations = [f.name for f in type(objects[0])._meta.concrete_fields if f.is_relation]
    prefetch_related_objects(list(objects), *relations)
    entries = []
    for instance in objects:
        model = type(instance)
        after = _non_empty(model, _row(model, _instance_values(instance)), instance)
        entries.append(_entry(instance, AuditAction.CREATE, {}, after))
    entries_append(entries)


def audit_bulk_updated(changes: Sequence[tuple[models.Model, Row]]) -> None:
    """One update entry per (object, its stored values by attname) that QuerySet.update()
    changed (it sends no signals); the objects carry the new values, as a save() would."""
    entries = [_update_entry(type(instance), instance, stored) for instance, stored in changes]
    entries_append([e for e in entries if e is not None])


def report_event_saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """A reopened report's new revision starts with copies made by bulk_create: count them."""
    from reports.models import EventAction, Narrative, Value

    if kwargs.get("raw") or not kwargs.get("created") or instance.action != EventAction.REOPEN:
        return
    report = instance.report
    if not report.is_latest:
        return
    copied_from = f"r{report.revision - 1}"
    values = Value.objects.filter(report=report).count()
    narratives = Narrative.objects.filter(report=report).count()
    _write(
        report,
        AuditAction.UPDATE,
        {"values": "0", "narratives": "0"},
        {
            "values": f"{values} copied from {copied_from}",
            "narratives": f"{narratives} copied from {copied_from}",
        },
    )


def connect() -> None:
    from reports.models import ReportEvent

    for model in audited_models():
        uid = f"audit:{model._meta.label}"
        pre_save.connect(before_saved, sender=model, dispatch_uid=uid)
        post_save.connect(saved, sender=model, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, dispatch_uid=uid)
    post_save.connect(report_event_saved, sender=ReportEvent, dispatch_uid="audit:reopen")
