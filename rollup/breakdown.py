"""The breakdown of indicators by reporting unit: each row the figure `progress()` gives.

Two readings, chosen the way the roll-up chooses:

- along the tree as it was, from the pre-summed totals (`rollup.breakdown_totals`), with
  provisional figures corrected by the reports awaiting approval;
- today's tree, or totals that cannot be trusted (never built, or the closure changed since),
  from raw values read once and split by reporting unit (`rollup.breakdown_values`).

Rows are the units expected to report in the period's latest quarter, plus (along the tree as
it was) units that reported earlier in the period and have since closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from targets.models import Indicator, Programme
from unions.models import Unit

from . import engine as rollup
from . import totals
from .breakdown_totals import Asked, complete, from_totals
from .breakdown_values import from_values
from .rows import (
    STATUS_ORDER,
    BreakdownRow,
    BreakdownSum,
    breakdown_sum,
    covers,
    reporting_below,
)
from .spec import AS_WAS, PeriodSpec

__all__ = [
    "STATUS_ORDER",
    "BreakdownRow",
    "BreakdownSum",
    "breakdown_sum",
    "breakdowns",
    "complete",
    "covers",
    "indicator_breakdown",
    "reporting_below",
]


def indicator_breakdown(
    programme: Programme,
    indicator: Indicator,
    spec: PeriodSpec,
    root: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
    reads: rollup.Reads | None = None,
    page: bool = False,
) -> list[BreakdownRow]:
    """One indicator for each reporting unit below `root`, each as `progress()` gives it.
    `page`: only a page of the rows will be shown; their reports expected are read for
    the rows shown, by `complete`."""
    found = breakdowns(
        programme, [indicator], spec, root,
        tree=tree, provisional=provisional, today=today, reads=reads, page=page,
    )  # fmt: skip
    return found[indicator.code]


def breakdowns(
    programme: Programme,
    indicators: Sequence[Indicator],
    spec: PeriodSpec,
    root: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
    reads: rollup.Reads | None = None,
    page: bool = False,
) -> dict[str, list[BreakdownRow]]:
    """Several indicators' breakdowns for one period, sharing the reads (indicator code →
    rows sorted with the units expected now first, then by name). `reads`, from
    `rollup.reads_for` for the same root, tree, data and day, saves reading the quarters,
    the totals' state and the targets again."""
    if reads is None:
        periods = rollup.periods_for(programme, spec, today)
        read = totals.totals_read(root, periods, indicators) if tree == AS_WAS else None
        trusted, kept = read is not None, read is not None and read.expected is not None
    else:
        # The totals of the root were read for every ended quarter when they can be trusted
        # (along the tree as it was), so for the quarters of `spec` too.
        periods = rollup.periods_in(reads.periods, spec)
        trusted = tree == AS_WAS and reads.table is not None
        kept = reads.table is not None and reads.table.expected is not None
    if not periods:
        return {i.code: [] for i in indicators}
    if trusted:
        asked = Asked(programme, list(indicators), spec, root, periods, today, provisional, page)
        return from_totals(asked, None if reads is None else reads.targets, kept=kept)
    return {
        i.code: from_values(programme, i, spec, root, periods, (tree, provisional, today))
        for i in indicators
    }
