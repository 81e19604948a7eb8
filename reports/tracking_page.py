"""The tracking grid a page at a time, at national size (thousands of reporting units).

Only light rows are read for every unit: the quarters' assignments (without their units),
the units with a report there, and the row units' code, name, kind and lifetime, each by
one array parameter instead of thousands; each quarter's completeness is counted in the
database. The page's rows alone are built (`tracking_grid.rows_built`). A filter by status
decides which rows it keeps from the working revisions of every unit grouped in the
database, by the rules every cell follows (`tracking_filter`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from lib.sql import ids_q
from unions.models import Unit

from .assignments import in_force_q
from .models import Assignment, Report, ReportingPeriod, ReportStatus
from .tracking_filter import units_matching
from .tracking_grid import (
    KIND_ORDER,
    Asked,
    Column,
    Grid,
    QuarterUnits,
    Row,
    quarters_of,
    rows_built,
)

LightUnit = tuple[int, str, str, str]  # id, code, name, kind


@dataclass(frozen=True)
class PageAsk:
    """Which rows of the grid: a cell status ("late" for late or overdue), a unit's code or
    name, the page number (as the query string gives it) and its size."""

    status: str = ""
    text: str = ""
    number: str | None = None
    size: int = 100


def tracking_page(
    periods: Sequence[ReportingPeriod], today: dt.date, ask: PageAsk
) -> tuple[Grid, Page[Row]]:
    """The grid's columns and one page of its rows (those of `tracking_grid`, in its order),
    in a fixed number of queries however many units report."""
    quarters, units = _light(periods, Asked())
    if ask.text:
        wanted = ask.text.casefold()
        units = [u for u in units if wanted in u[1].casefold() or wanted in u[2].casefold()]
    if ask.status:
        kept = units_matching(quarters, [u[0] for u in units], ask.status, today)
        units = [u for u in units if u[0] in kept]
    shown = Paginator(units, ask.size).get_page(ask.number)
    rows = rows_built(quarters, list(shown.object_list), today)
    page = Page(rows, shown.number, cast("Paginator[Row]", shown.paginator))
    return Grid(_columns(quarters), rows), page


def _light(
    periods: Sequence[ReportingPeriod], asked: Asked
) -> tuple[list[QuarterUnits], list[LightUnit]]:
    """Each quarter's expected and assigned units, and the row units in the grid's order
    (the province, the other units, then CĐCS; by code within each): three queries."""
    in_force = Q(pk__in=[])
    for p in periods:
        in_force |= in_force_q(p)
    assigned = list(
        Assignment.objects.filter(in_force)
        .order_by()
        .values_list(
            "unit_id",
            "scope",
            "first_period__year",
            "first_period__quarter",
            "last_period__year",
            "last_period__quarter",
        )
    )
    working = Report.objects.filter(Q(is_latest=True) | Q(in_force=True), period__in=periods)
    reported = set(working.order_by().values_list("unit_id", flat=True).distinct())
    found = Unit.objects.filter(ids_q("pk", {r[0] for r in assigned} | reported)).order_by()
    units = {
        u[0]: u for u in found.values_list("id", "code", "name", "kind", "valid_from", "valid_to")
    }
    # The unit's lifetime beside each assignment, as `tracking_grid.quarters_read` reads it.
    rows = [(*r, *units[r[0]][4:]) for r in assigned]
    quarters, ids = quarters_of(periods, rows, asked)
    shown = [units[pk][:4] for pk in ids | reported]
    return quarters, sorted(shown, key=lambda u: (KIND_ORDER.get(u[3], 1), u[1]))


def _columns(quarters: list[QuarterUnits]) -> list[Column]:
    """Each quarter's completeness over its expected units: those with the quarter submitted
    or approved counted in the database (one query)."""
    # As `cell_status`: approved in force, or the working revision submitted.
    done = Q(in_force=True) | Q(
        is_latest=True, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    )
    counts = {
        f"done{i}": Count(
            "unit_id",
            distinct=True,
            filter=done & Q(period=q.period) & ids_q("unit_id", q.expected),
        )
        for i, q in enumerate(quarters)
        if q.expected
    }
    found = (
        Report.objects.filter(period__in=[q.period for q in quarters])
        .order_by()
        .aggregate(**counts)
        if counts
        else {}
    )
    return [
        Column(q.period, found.get(f"done{i}", 0), len(q.expected)) for i, q in enumerate(quarters)
    ]
