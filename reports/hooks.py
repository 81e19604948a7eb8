"""Callbacks for what follows from reports in a layer above them (the roll-up totals, the
notifications).

`reports` must not import the roll-up, yet an approval and a calendar change must keep its
pre-summed totals current in their own transaction: the roll-up registers here when the apps
are ready, and the services call every listener inside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Report

ApprovalListener = Callable[..., None]  # (report, *, replaced: list[int]) -> None
CalendarListener = Callable[[], int]
ActionListener = Callable[..., object]  # (report, action, *, actor, reason="") -> Any

approval_listeners: list[ApprovalListener] = []
calendar_listeners: list[CalendarListener] = []
action_listeners: list[ActionListener] = []


def action_listen(listener: ActionListener) -> None:
    if listener not in action_listeners:
        action_listeners.append(listener)


def report_acted(report: Report, action: str, *, actor: object, reason: str = "") -> None:
    """In the transaction of a submission, return, approval or reopening: what follows from
    it in the layers above (the notifications queue their emails)."""
    for listener in action_listeners:
        listener(report, action, actor=actor, reason=reason)


def approval_listen(listener: ApprovalListener) -> None:
    if listener not in approval_listeners:
        approval_listeners.append(listener)


def calendar_listen(listener: CalendarListener) -> None:
    if listener not in calendar_listeners:
        calendar_listeners.append(listener)


def report_approved(report: Report, *, replaced: list[int]) -> None:
    """In the approval's transaction: `report` now counts, the reports in `replaced` no more."""
    for listener in approval_listeners:
        listener(report, replaced=replaced)


def calendar_changed() -> None:
    """In the calendar change's transaction, once the quarters' new cut-offs are saved."""
    for listener in calendar_listeners:
        listener()
