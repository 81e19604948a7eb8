"""How the audit log records this app's models (registered by ReportsConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.signals import post_save

from audit.models import AuditAction
from audit.recording import Row, Rule, audit_register, audit_write, code_of, related

from .models import (
    Assignment,
    EventAction,
    Narrative,
    Report,
    ReportEvent,
    ReportingCalendar,
    ReportingPeriod,
    Value,
    ValueState,
)


def _value_text(row: Row) -> str:
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
    unit, period = related(report, "unit"), related(report, "period")
    return f"{code_of(unit)} {code_of(period)} r{report.revision}"


def _describe_in_report(name: str) -> Callable[[Any], str]:
    def describe(instance: Any) -> str:
        report = related(instance, "report")
        where = _describe_report(report) if report is not None else f"#{instance.report_id}"
        return f"{where} · {code_of(related(instance, name))}"

    return describe


def _describe_assignment(a: Assignment) -> str:
    first, last = code_of(related(a, "first_period")), code_of(related(a, "last_period"))
    return f"{code_of(related(a, 'unit'))} {first}–{last or '…'}"


def report_event_saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """A reopened report's new revision starts with copies made by bulk_create: count them."""
    if kwargs.get("raw") or not kwargs.get("created") or instance.action != EventAction.REOPEN:
        return
    report = instance.report
    if not report.is_latest:
        return
    copied_from = f"r{report.revision - 1}"
    values = Value.objects.filter(report=report).count()
    narratives = Narrative.objects.filter(report=report).count()
    audit_write(
        report,
        AuditAction.UPDATE,
        {"values": "0", "narratives": "0"},
        {
            "values": f"{values} copied from {copied_from}",
            "narratives": f"{narratives} copied from {copied_from}",
        },
    )


def audit_connect() -> None:
    audit_register(ReportingCalendar, Rule(describe=lambda c: str(c.get_cutoff_rule_display())))
    audit_register(ReportingPeriod, Rule(describe=lambda p: p.code))
    audit_register(Assignment, Rule(describe=_describe_assignment))
    audit_register(
        Report,
        Rule(
            describe=_describe_report,
            skip=frozenset({"created_at", "updated_at", "updated_by"}),
        ),
    )
    audit_register(Value, Rule(describe=_describe_in_report("field"), project=_project_value))
    audit_register(Narrative, Rule(describe=_describe_in_report("task_group")))
    post_save.connect(report_event_saved, sender=ReportEvent, dispatch_uid="audit:reopen")
