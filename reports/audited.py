"""How the audit log records this app's models (registered by ReportsConfig.ready).

Report values are not logged one by one: a save records its changed values once, in its
`ReportEvent.changes` (field, old, new), and the log records the event (who, when, which
action) in one entry, whose page shows the values read from the event. Entries written per
value before this change stay readable (`audit.display`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.signals import post_save

from audit.models import AuditAction
from audit.recording import Rule, audit_register, audit_write, code_of, related

from .models import (
    Assignment,
    EventAction,
    Narrative,
    Report,
    ReportEvent,
    ReportingCalendar,
    ReportingPeriod,
    Value,
)


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


def _describe_event(event: ReportEvent) -> str:
    report = related(event, "report")
    where = _describe_report(report) if report is not None else f"#{event.report_id}"
    return f"{where} · {event.action}"


def _event_changes(pks: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The values report events changed, as the events keep them (the only record of them);
    a narrative's change is named by the log's own entry for it."""
    rows = ReportEvent.objects.filter(pk__in=[int(pk) for pk in pks if pk.isdigit()])
    return {
        str(pk): [
            (c["field"], c["old"], c["new"])
            for c in changes or []
            if not c["field"].startswith("narrative ")
        ]
        for pk, changes in rows.values_list("pk", "changes")
    }


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
    # A value change is recorded once, in its report event (ReportEvent.changes): the log
    # records the event, one entry per save, and its page reads the values from the event.
    audit_register(
        ReportEvent,
        Rule(describe=_describe_event, skip=frozenset({"changes"}), kept_changes=_event_changes),
    )
    audit_register(Narrative, Rule(describe=_describe_in_report("task_group")))
    post_save.connect(report_event_saved, sender=ReportEvent, dispatch_uid="audit:reopen")
