"""Writes of the briefing app: the office saves a synthesis (audited through `audit`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from reports.models import ReportingPeriod
from targets.models import TaskGroup

from .models import Synthesis


def synthesis_save(
    user: User, task_group: TaskGroup, period: ReportingPeriod, texts: dict[str, str]
) -> Synthesis:
    """Saves the province's synthesis for a task group and a quarter as a draft: only the
    provincial office writes it. `texts`: results, shortfalls and next_steps."""
    if not user.is_office:
        raise PermissionDenied
    with transaction.atomic():
        found = (
            Synthesis.objects.select_for_update()
            .filter(task_group=task_group, period=period)
            .first()
        )
        synthesis = found or Synthesis(task_group=task_group, period=period)
        for name in ("results", "shortfalls", "next_steps"):
            setattr(synthesis, name, texts.get(name, "").strip())
        synthesis.updated_by = user
        synthesis.save()
    return synthesis
