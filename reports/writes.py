"""The rows a save writes: a report's values and narratives, each only where it changed, and
the changes its event records (`services.report_save`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from targets.models import Field, TaskGroup

from .models import Narrative, Report, Value, ValueState
from .numbers import Entry
from .validation import Findings


@dataclass
class ReportInput:
    values: dict[str, Entry] = field(default_factory=dict)
    narratives: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    confirmed_warnings: set[str] = field(default_factory=set)
    # Why a field left blank is not reported (field code → reason); ignored for other values.
    not_reported: dict[str, str] = field(default_factory=dict)


def write_values(
    report: Report,
    rows: dict[str, Value],
    current: dict[str, Entry],
    data: ReportInput,
    findings: Findings,
) -> list[dict[str, str]]:
    """Writes `data`'s values over `rows` (the report's, by field code), and adds the values
    it creates to them."""
    missing = [code for code in data.values if code not in rows]
    fields = {f.code: f for f in Field.objects.filter(code__in=missing)} if missing else {}
    changes: list[dict[str, str]] = []
    for code, entry in data.values.items():
        old = current.get(code, Entry.blank())
        value = rows.get(code) or Value(report=report, field=fields[code])
        confirmed = code in findings.warnings and code in data.confirmed_warnings
        # A reason given now replaces the one kept; a save that gives none (an Excel upload)
        # keeps it while the field stays blank.
        reason = data.not_reported.get(code, value.reason).strip()[:300]
        reason = reason if entry.state == ValueState.BLANK else ""
        if (
            old != entry
            or value.pk is None
            or value.warning_confirmed != confirmed
            or value.reason != reason
        ):
            value.state, value.number, value.warning_confirmed, value.reason = (
                entry.state,
                entry.number,
                confirmed,
                reason,
            )
            value.save()
        rows[code] = value
        if old != entry:
            changes.append({"field": code, "old": old.display(), "new": entry.display()})
    return changes


def write_narratives(
    report: Report, texts: dict[str, tuple[str, str, str]], task_groups: list[TaskGroup]
) -> list[dict[str, str]]:
    """`task_groups`: those of the report's quarter (`report_task_groups`)."""
    groups = {g.key: g for g in task_groups}
    key_of = {g.pk: key for key, g in groups.items()}
    existing = {key_of.get(n.task_group_id): n for n in report.narratives.all()}
    changes = []
    for code, (results, shortfalls, next_steps) in texts.items():
        narrative = existing.get(code) or Narrative(report=report, task_group=groups[code])
        old = (narrative.results, narrative.shortfalls, narrative.next_steps)
        if old != (results, shortfalls, next_steps):
            narrative.results, narrative.shortfalls, narrative.next_steps = (
                results,
                shortfalls,
                next_steps,
            )
            narrative.save()
            changes.append({"field": f"narrative {code}", "old": "…", "new": "…"})
    return changes
