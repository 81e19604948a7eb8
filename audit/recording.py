"""Writes audit entries for every change to the audited models.

Signals are the one place that sees every write path (services, forms, the Django admin,
imports, management commands), which is what an audit log needs; they record, they never
decide anything. pre_save reads the stored row (one query, on writes only) so that an update
records only the fields that really changed, with their old and new values as text.

Not itemised: rows written by QuerySet.update() or bulk_create(), which send no signals. The
services that bulk-create or bulk-update call `audit_bulk_created` or `audit_bulk_updated`
(one entry per row all the same, written in one statement); a reopened report's copied values and
narratives are counted in one entry (`reports.audited`, through `audit_write`).

Which models are audited, and how each is described, is said by its own app: its AppConfig.ready
calls `audit_register`, so this app imports none of them.
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

from lib.formats import day_kept, moment_kept

from .chain import EntryContent, entries_append, entry_append
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
    # Changes the rows themselves keep (a report event's values, recorded there only): read
    # from them by primary key, for a page of entries at once, as (name, before, after) text.
    kept_changes: Callable[[list[str]], dict[str, list[tuple[str, str, str]]]] | None = None


def related(instance: models.Model, name: str) -> Any:
    """The related object `name` of `instance`, None if it is gone."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def code_of(obj: Any) -> str:
    """How the log names a related object: its code, username or description."""
    if obj is None:
        return ""
    for attr in ("code", "username"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    rule = _RULES.get(type(obj))
    return rule.describe(obj) if rule is not None else str(obj)


# Filled by each app's AppConfig.ready (`audit_register`): the audit app imports none of them.
_RULES: dict[type[models.Model], Rule] = {}


def audit_register(model: type[models.Model], rule: Rule | None = None) -> None:
    """Records every save and delete of `model` from now on, as `rule` says."""
    _RULES[model] = rule or Rule()
    uid = f"audit:{model._meta.label}"
    pre_save.connect(before_saved, sender=model, dispatch_uid=uid)
    post_save.connect(saved, sender=model, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, dispatch_uid=uid)


def audited_models() -> dict[type[models.Model], Rule]:
    return _RULES


def rule_for(app_label: str, model_name: str) -> Rule | None:
    """The rule of a model named as an entry names it, None if it is no longer audited."""
    for model, rule in _RULES.items():
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name):
            return rule
    return None


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    skip = audited_models()[model].skip
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip)


def text(value: Any) -> str:
    """A value as the log keeps it: dates as dd/mm/yyyy, whatever the reader's language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return moment_kept(value)
    if isinstance(value, dt.date):
        return day_kept(value)
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
        return text(value)
    if f.is_relation and value is not None:
        if instance is not None:
            return code_of(related(instance, name))
        stored = f.related_model._base_manager.filter(pk=value).first()  # type: ignore[union-attr]
        return code_of(stored) if stored is not None else f"#{value}"
    return text(value)


def _write(instance: models.Model, action: str, before: Row, after: Row) -> AuditEntry:
    return entry_append(_entry(instance, action, before, after))


def _entry(instance: models.Model, action: str, before: Row, after: Row) -> EntryContent:
    """What an entry says of `instance` being created, changed or deleted (written by
    `entry_append`, or `entries_append` for many at once)."""
    model = type(instance)
    context = audit_context()
    actor_id, username = context.actor()
    return EntryContent(
        actor_id=actor_id,
        actor_username=username,
        via=context.via,
        via_detail=context.detail,
        app_label=model._meta.app_label,
        model=model._meta.model_name or "",
        object_pk=str(instance.pk),
        object_repr=audited_models()[model].describe(instance)[:300],
        action=action,
        before=before,
        after=after,
    )


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
        entry_append(entry)


def _update_entry(
    sender: type[models.Model], instance: models.Model, stored: Row
) -> EntryContent | None:
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


def audit_write(instance: models.Model, action: str, before: Row, after: Row) -> AuditEntry:
    """An entry written by hand, for a change no save of `instance` shows (copied rows)."""
    return _write(instance, action, before, after)
