"""A report's history as its pages show it: every event of the unit's quarter, across
revisions, with the values each changed, and the latest reason a reporter must read.
The history is append-only; this module only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib import formats
from targets.models import Field

from .models import EventAction, Report, ReportEvent


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class EventRow:
    event: ReportEvent
    changes: list[ChangeRow]


def change_rows(changes: list[dict[str, str]], labels: dict[str, str]) -> list[ChangeRow]:
    return [_change(c, labels) for c in changes]


def _change(change: dict[str, str], labels: dict[str, str]) -> ChangeRow:
    code = change["field"]
    if code.startswith("narrative "):
        # Narrative texts are long; the history says which group changed, not the text.
        group = code.removeprefix("narrative ")
        return ChangeRow(_("Narrative %(group)s") % {"group": group}, "", _("text changed"))
    return ChangeRow(labels.get(code, code), _shown(change["old"]), _shown(change["new"]))


def _shown(raw: str) -> str:
    if raw == "":
        return _("not reported")
    if raw == "NA":
        return _("not applicable")
    if raw.isdigit():
        return formats.num(int(raw))
    return raw


def field_labels() -> dict[str, str]:
    return {f.code: f.label for f in Field.objects.all()}


def event_rows(events: list[ReportEvent], labels: dict[str, str]) -> list[EventRow]:
    return [EventRow(e, change_rows(e.changes, labels)) for e in events]


def report_history(report: Report) -> list[EventRow]:
    """Every event of this unit's report for the period, across revisions (two queries)."""
    events = list(
        ReportEvent.objects.filter(
            report__unit_id=report.unit_id, report__period_id=report.period_id
        )
        .select_related("actor", "report")
        .order_by("at", "pk")
    )
    return event_rows(_without_reopen_copies(events), field_labels())


def _without_reopen_copies(events: list[ReportEvent]) -> list[ReportEvent]:
    """Before 2026 a reopening was also recorded on the revision it reopened; the history is
    append-only, so that copy stays in the table and is skipped here (the one on the new
    revision, with the same reason, tells it)."""
    reopens = {(e.report.revision, e.reason) for e in events if e.action == EventAction.REOPEN}
    return [
        e
        for e in events
        if e.action != EventAction.REOPEN or (e.report.revision + 1, e.reason) not in reopens
    ]


def last_reason(report: Report) -> ReportEvent | None:
    """The latest return or reopen of the unit's report for the quarter, whose reason the
    reporter must read: on any revision of the quarter (a return is recorded on the revision
    returned, a reopen on the new draft), not only this one."""
    return quarter_last_reason(report.unit_id, report.period_id)


def quarter_last_reason(unit_id: int, period_id: int) -> ReportEvent | None:
    """`last_reason` for a unit and quarter known without their report (reminders)."""
    return (
        ReportEvent.objects.filter(
            report__unit_id=unit_id,
            report__period_id=period_id,
            action__in=[EventAction.RETURN, EventAction.REOPEN],
        )
        .exclude(reason="")
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
