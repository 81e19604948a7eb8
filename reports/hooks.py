"""Callbacks for what follows from reports in a layer above them (the roll-up totals, the
notifications).

`reports` must not import the roll-up, yet an approval and a calendar change must keep its
pre-summed totals current in their own transaction: the roll-up registers here when the apps
are ready, and the services call every listener inside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from .models import Report

ApprovalListener = Callable[..., None]  # (report, *, replaced: list[int]) -> None
CalendarListener = Callable[[], int]
ActionListener = Callable[..., object]  # (report, action, *, actor, reason="") -> Any
# Told the units whose assignments are about to change (None: every assignment) while the old
# ones are still there; what it returns (if anything) is called after the change.
AssignmentListener = Callable[[frozenset[int] | None], Callable[[], None] | None]

approval_listeners: list[ApprovalListener] = []
calendar_listeners: list[CalendarListener] = []
action_listeners: list[ActionListener] = []
assignment_listeners: list[AssignmentListener] = []


def assignment_listen(listener: AssignmentListener) -> None:
    if listener not in assignment_listeners:
        assignment_listeners.append(listener)


@contextmanager
def assignments_changing(unit_ids: Iterable[int] | None) -> Iterator[None]:
    """Wraps a change to the assignments of the units (of every unit when None) in one
    transaction with what follows from it above (the expected-report counts)."""
    units = None if unit_ids is None else frozenset(unit_ids)
    with transaction.atomic():
        followers = [f for listener in assignment_listeners if (f := listener(units))]
        yield
        for follow in followers:
            follow()


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
