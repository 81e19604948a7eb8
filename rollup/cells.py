"""Raw values as cells: the roll-up's reading when no sums can be trusted.

The pre-summed totals (`rollup.totals`), today's tree's sums (`rollup.today_sums`) and the
provisional correction (`rollup.provisional`) serve every page; when the totals cannot be
trusted (never built, or built against another tree or calendar), the figures are computed
from the values themselves, read here once per call whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q

from reports.models import (
    Assignment,
    AssignmentScope,
    Report,
    ReportingPeriod,
    ReportStatus,
    Value,
)
from targets.models import Field, Frequency
from unions.models import Unit, UnitClosure, UnitLink, active_on_q

from . import arithmetic as ar
from .spec import AS_WAS
from .today import below_today_q


def _report_filter(provisional: bool) -> Q:
    """The reports whose values count: the approved revision in force; with provisional
    figures, a unit's submitted latest revision instead of the one in force it corrects."""
    if not provisional:
        return Q(report__in_force=True)
    awaiting = Q(report__is_latest=True, report__status=ReportStatus.SUBMITTED)
    corrected = Report.objects.filter(
        unit=OuterRef("report__unit"),
        period=OuterRef("report__period"),
        is_latest=True,
        status=ReportStatus.SUBMITTED,
    )
    return awaiting | (Q(report__in_force=True) & ~Q(Exists(corrected)))


def cells(
    unit: Unit,
    periods: list[ReportingPeriod],
    fields: list[Field],
    tree: str,
    provisional: bool,
    today: dt.date,
) -> tuple[dict[int, list[ar.Cell]], set[int]]:
    """Values by field id as Cells, from the reports that lie in the unit's subtree; and the
    reports among them not yet approved."""
    # A figure reported once a year counts from a fourth quarter's report only.
    values = Value.objects.filter(
        _report_filter(provisional), report__period__in=periods, field__in=fields
    ).exclude(field__frequency=Frequency.ANNUAL, report__period__quarter__lt=4)
    if tree == AS_WAS:
        in_subtree = UnitClosure.objects.filter(
            ancestor=unit,
            descendant=OuterRef("report__unit"),
            valid_from__lte=OuterRef("report__period__cutoff"),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("report__period__cutoff")))
        values = values.filter(Exists(in_subtree))
    else:
        # Along today's tree, decided in the database (`rollup.today`).
        values = values.filter(below_today_q(unit, today, "report__unit"))
    rows = values.values_list(
        "report_id", "report__period__year", "report__period__quarter", "report__status",
        "field_id", "state", "number",
    )  # fmt: skip
    by_field: dict[int, list[ar.Cell]] = defaultdict(list)
    awaiting: set[int] = set()
    for report_id, year, quarter, status, field_id, state, number in rows:
        by_field[field_id].append(ar.Cell(report_id, (year, quarter), state, number))
        if status != ReportStatus.APPROVED:
            awaiting.add(report_id)
    return by_field, awaiting


def places_today(today: dt.date) -> dict[int, int | None]:
    """Where each unit's values belong along today's tree (None: nowhere today)."""
    units: dict[int, tuple[int | None, dt.date | None]] = {
        pk: (successor, end)
        for pk, successor, end in Unit.objects.values_list("id", "successor_id", "valid_to")
    }
    last_parent = {
        child: parent
        for child, parent, end in UnitLink.objects.values_list("child_id", "parent_id", "valid_to")
        if end is not None and units.get(child, (None, None))[1] == end
    }
    return {pk: _place_today(pk, units, last_parent, today) for pk in units}


def _place_today(
    pk: int,
    units: dict[int, tuple[int | None, dt.date | None]],
    last_parent: dict[int, int],
    today: dt.date,
) -> int | None:
    seen: set[int] = set()
    current: int | None = pk
    while current is not None and current not in seen:
        successor, end = units[current]
        if end is None or end > today:
            return current
        seen.add(current)
        current = successor if successor is not None else last_parent.get(current)
    return None


def expected_now_below(
    unit_ids: list[int], periods: list[ReportingPeriod], today: dt.date
) -> dict[int, dict[tuple[int, int, bool], int]]:
    """Along today's tree, for several units at once (the breakdown by unit): the assignments
    whose unit's values belong below each unit today (`places_today`), per quarter they
    cover while their unit existed. Three reads whatever the number of units."""
    places = places_today(today)
    above: dict[int, list[int]] = defaultdict(list)  # a unit today → the given units over it
    rows_today = UnitClosure.objects.filter(active_on_q(today), ancestor_id__in=unit_ids)
    for ancestor, descendant in rows_today.values_list("ancestor_id", "descendant_id"):
        above[descendant].append(ancestor)
    counts: dict[int, dict[tuple[int, int, bool], int]] = defaultdict(lambda: defaultdict(int))
    # Every assignment, filtered here: the units below a root today can be tens of thousands,
    # too many for an IN list.
    rows = Assignment.objects.values_list(
        "unit_id",
        "scope",
        "first_period__year",
        "first_period__quarter",
        "last_period__year",
        "last_period__quarter",
        "unit__valid_from",
        "unit__valid_to",
    )
    for unit_id, scope, first_y, first_q, last_y, last_q, start, end in rows:
        place = places.get(unit_id)
        owners = above.get(place, []) if place is not None else []
        if not owners:
            continue
        for p in periods:
            key = (p.year, p.quarter)
            after_end = last_y is not None and key > (last_y, last_q)
            alive = start <= p.cutoff and (end is None or p.cutoff < end)
            if key >= (first_y, first_q) and not after_end and alive:
                for owner in owners:
                    counts[owner][(p.year, p.quarter, scope == AssignmentScope.PROVINCE)] += 1
    return counts


def received(cells: dict[int, list[ar.Cell]], fields: list[Field]) -> dict[tuple[int, int], int]:
    """Reports received per quarter among `cells`; the provincial office's own report is not
    one of the expected reporting units, so its fields do not count."""
    counted = {f.pk for f in fields if not f.province_only}
    reports: dict[tuple[int, int], set[int]] = defaultdict(set)
    for field_id, field_cells in cells.items():
        if field_id in counted:
            for cell in field_cells:
                reports[cell.quarter].add(cell.report)
    return {quarter: len(found) for quarter, found in reports.items()}
