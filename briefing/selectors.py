"""The units' narratives for the office, the committee and the workbook, and the syntheses.

`unit_narratives` is the one reading of which report's narrative counts for a quarter: the
report in force (with provisional data, a submitted revision replaces the approved one it
corrects). The workbook's narrative sheet, this app's page and the annual report all use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from reports.models import Narrative, Report, ReportingPeriod, ReportStatus
from targets.models import Programme, TaskGroup
from unions.models import UPPER_KINDS, Unit, vi_sort_key

from .models import Synthesis


def unit_order(unit: Unit) -> tuple[bool, Any]:
    """Units directly above grassroots first, then CĐCS reporting for themselves; by name,
    in Vietnamese alphabetical order."""
    return (unit.kind not in UPPER_KINDS and unit.kind != "province", vi_sort_key(unit.name))


@dataclass(frozen=True)
class NarrativeRow:
    unit: Unit
    task_group: str
    order: int
    results: str
    shortfalls: str
    next_steps: str
    code: str = ""  # the task group's code, 3.1 … 3.8


def _chosen_reports(period: ReportingPeriod, provisional: bool) -> list[int]:
    wanted = Q(in_force=True)
    if provisional:
        wanted |= Q(is_latest=True, status=ReportStatus.SUBMITTED)
    chosen: dict[int, tuple[bool, int]] = {}
    for pk, unit_id, in_force in Report.objects.filter(wanted, period=period).values_list(
        "pk", "unit_id", "in_force"
    ):
        if unit_id not in chosen or not in_force:
            chosen[unit_id] = (in_force, pk)
    return [pk for _, pk in chosen.values()]


def unit_narratives(
    period: ReportingPeriod | None,
    provisional: bool = False,
    *,
    task_group: TaskGroup | None = None,
    unit_ids: set[int] | None = None,
) -> list[NarrativeRow]:
    """What each reporting unit wrote in the report in force for the quarter; only one task
    group's and only some units' when asked."""
    if period is None:
        return []
    rows = (
        Narrative.objects.filter(report_id__in=_chosen_reports(period, provisional))
        .exclude(results="", shortfalls="", next_steps="")
        .select_related("task_group", "report__unit")
    )
    if task_group is not None:
        rows = rows.filter(task_group=task_group)
    if unit_ids is not None:
        rows = rows.filter(report__unit_id__in=unit_ids)
    out = [
        NarrativeRow(
            n.report.unit,
            f"{n.task_group.code}. {n.task_group.title}",
            n.task_group.order,
            n.results,
            n.shortfalls,
            n.next_steps,
            n.task_group.code,
        )
        for n in rows
    ]
    return sorted(out, key=lambda r: (*unit_order(r.unit), r.unit.pk, r.order))


def search(rows: list[NarrativeRow], words: str) -> list[NarrativeRow]:
    """The rows whose unit name or texts hold every word typed, case and accents as typed."""
    needles = [w.casefold() for w in words.split() if w]
    if not needles:
        return rows

    def hay(r: NarrativeRow) -> str:
        return " ".join((r.unit.name, r.results, r.shortfalls, r.next_steps)).casefold()

    return [r for r in rows if all(n in hay(r) for n in needles)]


# --- identical texts grouped ----------------------------------------------------------------

PARTS = ("results", "shortfalls", "next_steps")


@dataclass
class SharedText:
    """One text and every unit that wrote it, named once."""

    part: str  # results, shortfalls or next_steps
    text: str
    units: list[Unit] = field(default_factory=list)


@dataclass
class GroupTexts:
    code: str
    title: str
    order: int
    texts: list[SharedText]


def grouped(rows: list[NarrativeRow]) -> list[GroupTexts]:
    """Per task group, each distinct text of each part once, with the units that wrote it."""
    groups: dict[str, GroupTexts] = {}
    seen: dict[tuple[str, str, str], SharedText] = {}
    for row in rows:
        group = groups.setdefault(row.code, GroupTexts(row.code, row.task_group, row.order, []))
        for part in PARTS:
            text = str(getattr(row, part)).strip()
            if not text:
                continue
            key = (row.code, part, " ".join(text.split()).casefold())
            if key not in seen:
                seen[key] = SharedText(part, text)
                group.texts.append(seen[key])
            seen[key].units.append(row.unit)
    out = sorted(groups.values(), key=lambda g: g.order)
    for group in out:
        group.texts.sort(key=lambda t: (PARTS.index(t.part), -len(t.units)))
    return out


# --- syntheses --------------------------------------------------------------------------------


def syntheses(programme: Programme, periods: list[ReportingPeriod]) -> dict[str, Synthesis]:
    """The office's syntheses for the programme's task groups, by task group code: for each,
    the one of the latest of `periods` that has any text."""
    found: dict[str, Synthesis] = {}
    rows = (
        Synthesis.objects.filter(task_group__programme=programme, period__in=periods)
        .select_related("task_group", "period")
        .order_by("period__year", "period__quarter")
    )
    for s in rows:
        if not s.is_empty:
            found[s.task_group.code] = s
    return found


def synthesis_for(task_group: TaskGroup, period: ReportingPeriod) -> Synthesis | None:
    return Synthesis.objects.filter(task_group=task_group, period=period).first()
