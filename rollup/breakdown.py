"""The breakdown of indicators by reporting unit: each row the figure `progress()` gives.

Two readings, chosen the way the roll-up chooses:

- along the tree as it was, from the pre-summed totals (`rollup.breakdown_totals`), with
  provisional figures corrected by the reports awaiting approval;
- along today's tree, from the sums kept along it (`rollup.breakdown_today`);
- totals or kept sums that cannot be trusted (never built, or the closure changed since),
  from raw values read once and split by reporting unit (`rollup.breakdown_values`).

Rows are the units expected to report in the period's latest quarter, plus (along the tree as
it was) units that reported earlier in the period and have since closed.
"""

from __future__ import annotations

from collections.abc import Sequence

from targets.models import Indicator, Programme, Target
from unions.models import Unit

from . import engine as rollup
from . import totals
from .breakdown_laid import laid_rows
from .breakdown_today import from_kept
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
from .spec import AS_WAS, Mode, PeriodSpec
from .today_kept import today_state

__all__ = [
    "STATUS_ORDER",
    "BreakdownRow",
    "BreakdownSum",
    "breakdown_sum",
    "breakdowns",
    "breakdowns_read",
    "complete",
    "covers",
    "indicator_breakdown",
    "indicator_breakdown_read",
    "reporting_below",
]


def indicator_breakdown(
    programme: Programme, indicator: Indicator, spec: PeriodSpec, root: Unit, mode: Mode
) -> list[BreakdownRow]:
    """One indicator for each reporting unit below `root`, each as `progress()` gives it."""
    return breakdowns(programme, [indicator], spec, root, mode)[indicator.code]


def indicator_breakdown_read(
    reads: rollup.Reads, indicator: Indicator, spec: PeriodSpec, root: Unit, *, page: bool = False
) -> list[BreakdownRow]:
    """`indicator_breakdown` from what `rollup.reads_for` read for `root`. `page`: only a page
    of the rows will be shown; their reports expected are read for the rows shown, by
    `complete`."""
    return breakdowns_read(reads, [indicator], spec, root, page=page)[indicator.code]


def breakdowns(
    programme: Programme,
    indicators: Sequence[Indicator],
    spec: PeriodSpec,
    root: Unit,
    mode: Mode,
) -> dict[str, list[BreakdownRow]]:
    """Several indicators' breakdowns for one period, sharing the reads (indicator code →
    rows sorted with the units expected now first, then by name)."""
    periods = rollup.periods_for(programme, spec, mode.today)
    asked = Asked(programme, list(indicators), spec, root, periods, mode.today, mode.provisional)
    if mode.tree != AS_WAS:
        kept_today = today_state(mode.today, indicators, periods) is not None
        return _figured(asked, mode.tree, None, trusted=kept_today, kept=kept_today)
    read = totals.totals_read(root, periods, indicators)
    kept = read is not None and read.expected is not None
    return _figured(asked, mode.tree, None, trusted=read is not None, kept=kept)


def breakdowns_read(
    reads: rollup.Reads,
    indicators: Sequence[Indicator],
    spec: PeriodSpec,
    root: Unit,
    *,
    page: bool = False,
) -> dict[str, list[BreakdownRow]]:
    """`breakdowns` from what `rollup.reads_for` read for `root` (the same tree, data and day),
    which saves reading the quarters, the totals' state and the targets again."""
    programme, mode = reads.programme, reads.mode
    # The totals of the root were read for every ended quarter when they can be trusted
    # (along the tree as it was), so for the quarters of `spec` too.
    periods = rollup.periods_in(reads.periods, spec)
    asked = Asked(
        programme, list(indicators), spec, root, periods, mode.today, mode.provisional, page
    )
    kept = reads.table is not None and reads.table.expected is not None
    # Along today's tree only the kept sums carry expected counts (not `today_sums`' ones).
    trusted = reads.table is not None and (mode.tree == AS_WAS or kept)
    return _figured(asked, mode.tree, reads.targets, trusted=trusted, kept=kept)


def _figured(
    asked: Asked, tree: str, targets: list[Target] | None, *, trusted: bool, kept: bool
) -> dict[str, list[BreakdownRow]]:
    if not asked.periods:
        return {i.code: [] for i in asked.indicators}
    if trusted and tree == AS_WAS:
        return laid_rows(asked, targets, (AS_WAS, kept), lambda: from_totals(asked, kept=kept))
    if trusted:
        return laid_rows(asked, targets, (tree,), lambda: (from_kept(asked), None))
    how = (tree, asked.provisional, asked.today)
    return {
        i.code: from_values(asked.programme, i, asked.spec, asked.root, asked.periods, how)
        for i in asked.indicators
    }
