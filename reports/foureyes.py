"""Four eyes: whoever last changed a report revision's figures may not approve it.

The rule is on unless the setting `FOUR_EYES` is False. "Changed the figures" means a save
or an import of this revision that changed at least one figure (a narrative is not a figure);
a revision whose figures nobody changed (reopened and sent unchanged) may be approved by any
office account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from accounts.models import User

from .models import EventAction, Report, ReportEvent

FIGURE_ACTIONS = (EventAction.SAVE, EventAction.IMPORT)


def four_eyes_on() -> bool:
    return bool(getattr(settings, "FOUR_EYES", True))


@dataclass(frozen=True)
class LastEditor:
    user_id: int
    name: str


def _changes_figures(changes: object) -> bool:
    if not isinstance(changes, list):
        return False
    return any(
        isinstance(c, dict) and not str(c.get("field", "")).startswith("narrative ")
        for c in changes
    )


def last_figure_editors(report_ids: Iterable[int]) -> dict[int, LastEditor]:
    """For each report, who changed its figures last (reports nobody's edit changed are left
    out). One query, whatever the number of reports."""
    ids = list(report_ids)
    if not ids:
        return {}
    events = (
        ReportEvent.objects.filter(report_id__in=ids, action__in=FIGURE_ACTIONS)
        .exclude(actor=None)
        .order_by("at", "pk")
        .values_list("report_id", "actor_id", "actor__username", "actor__first_name", "changes")
    )
    found: dict[int, LastEditor] = {}
    for report_id, actor_id, username, first_name, changes in events:
        if _changes_figures(changes):
            found[report_id] = LastEditor(actor_id, first_name or username)
    return found


def approval_barred(report: Report, user: User) -> LastEditor | None:
    """The reason `user` may not approve `report` (they changed its figures last), or None."""
    if not four_eyes_on():
        return None
    editor = last_figure_editors([report.pk]).get(report.pk)
    if editor is not None and editor.user_id == user.pk:
        return editor
    return None
