"""A breakdown's rows laid out from what was read (`breakdown_totals.from_totals`, along the
tree as it was; `breakdown_today.from_kept`, along today's tree): every indicator's rows, sorted
with the units expected now first, then by name.

When only a page of the rows is shown, each row carries its numbers (sorting by value or
coverage, the filter by kind and the line that adds the rows up need them) and makes its full
result (target, status) when first asked for: the rows shown, or every row for a sort or
filter by status. What was read and the rows' numbers in order are the same for everyone
until a figure's input changes, so a large breakdown's are kept by the worker for the
figures' version they were read at (`rollup.figures_cache`); the rows themselves, and every
result, are made for each request from them.
"""

from __future__ import annotations

from collections.abc import Callable

from targets.models import Target

from .breakdown_totals import (
    Asked,
    Figuring,
    Read,
    RowsOf,
    figured,
    numbers_of,
    targets_by_indicator,
)
from .figures_cache import Kept
from .rows import BreakdownRow, Light, UnitRow, row_order, sorted_rows

Laid = dict[int, list[tuple[UnitRow, Light, bool]]]  # indicator → (unit, numbers, expected now)
KEPT: Kept[tuple[Read, Laid]] = Kept()


def laid_rows(
    asked: Asked,
    targets: list[Target] | None,
    how: tuple[object, ...],
    read_rows: Callable[[], tuple[Read, RowsOf | None]],
) -> dict[str, list[BreakdownRow]]:
    """Every indicator's rows (code → rows) from `read_rows()`; `how` names the reading (which
    tree, whether expected counts are kept) for the worker's memory."""
    if not asked.page:
        read, rows_of = read_rows()
        return {i.code: sorted_rows(rows) for i, rows in figured(asked, read, targets, rows_of)}
    key = (
        how, asked.programme.pk, asked.root.pk, tuple(p.pk for p in asked.periods),
        tuple(i.pk for i in asked.indicators), asked.today, asked.provisional,
    )  # fmt: skip
    read, laid = KEPT.get_or_make(key, lambda: _laid(asked, *read_rows()))
    by_indicator = targets_by_indicator(asked, targets)
    found: dict[str, list[BreakdownRow]] = {}
    for indicator in asked.indicators:
        figuring = Figuring(asked, indicator, by_indicator[indicator.pk], read)
        found[indicator.code] = [
            BreakdownRow(unit, figuring, now, pending=read.pending, light=light)
            for unit, light, now in laid[indicator.pk]
        ]
    return found


def _laid(asked: Asked, read: Read, rows_of: RowsOf | None) -> tuple[tuple[Read, Laid], int]:
    """Each indicator's rows as (unit, numbers, expected now), in the rows' order; and how
    many rows in all."""
    laid: Laid = {}
    for indicator in asked.indicators:
        wanted = rows_of(indicator) if rows_of is not None else None
        rows = [
            (unit, numbers_of(indicator, read.tables.get(unit_id)), read.expected_now(unit_id))
            for unit_id, unit in read.units.items()
            if wanted is None or unit_id in wanted
        ]
        rows.sort(key=lambda r: row_order(r[2], r[0].name))
        laid[indicator.pk] = rows
    return (read, laid), sum(len(rows) for rows in laid.values())
