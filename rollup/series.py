"""Every indicator quarter by quarter: the points behind the trends, charts and changes.

Part of the engine: each point is the indicator as it stood after one quarter, chosen the way
`engine.progress` chooses (a stock or a count since 1 January at that quarter, a flow summed
since 1 January or the term's start), from the pre-summed totals or the raw values that
`engine.reads_for` read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reports.models import ReportingPeriod
from reports.periods import quarter_label, quarter_short
from targets.models import Field, Indicator, IndicatorKind, Programme
from unions.models import Unit

from . import arithmetic as ar
from . import engine as rollup
from . import totals
from .engine import AS_WAS


class Quarterly:
    """A row of one quarter: its code (2025Q3, for URLs, files and the API) and its names in
    the reader's words ("Quý 3/2025" for tables and tooltips, "Q3/2025" for a chart's axis)."""

    quarter: tuple[int, int]

    @property
    def code(self) -> str:
        return f"{self.quarter[0]}Q{self.quarter[1]}"

    @property
    def label(self) -> str:
        return quarter_label(*self.quarter)

    @property
    def short(self) -> str:
        return quarter_short(*self.quarter)


@dataclass(frozen=True)
class Point(Quarterly):
    """An indicator as it stood after one quarter (year to date, or term to date for flows)."""

    quarter: tuple[int, int]
    cutoff: dt.date
    numerator: int | None
    denominator: int | None
    value: Decimal | None


def indicator_series(
    programme: Programme,
    unit: Unit,
    *,
    tree: str = AS_WAS,
    provisional: bool = False,
    today: dt.date,
    reads: rollup.Reads | None = None,
) -> dict[str, list[Point]]:
    """Every indicator quarter by quarter over the term so far, from one values query (none
    with `reads` from `rollup.reads_for` for the same unit, tree, data and day)."""
    if reads is None:
        reads = rollup.reads_for(programme, unit, tree=tree, provisional=provisional, today=today)
    periods, indicators, table = reads.periods, reads.indicators, reads.table
    cells = (
        {}
        if table is not None
        else rollup.cells(unit, periods, rollup.fields_of(indicators), tree, provisional, today)[0]
    )
    return {
        i.code: [_point(i, cells, p, periods, table) for p in periods if p.quarter]
        for i in indicators
    }


def _point(
    indicator: Indicator,
    cells: dict[int, list[ar.Cell]],
    period: ReportingPeriod,
    periods: list[ReportingPeriod],
    table: totals.Table | None = None,
) -> Point:
    key = (period.year, period.quarter)
    time_kind = indicator.numerator.time_kind
    if time_kind == "flow":
        # Flows add up since 1 January (annual indicators) or since the term began.
        annual = indicator.kind == IndicatorKind.ANNUAL
        window = {
            (p.year, p.quarter)
            for p in periods
            if (p.year, p.quarter) <= key and (not annual or p.year == period.year)
        }
    else:
        window = {key}
    if table is not None:
        f = table.figures(indicator, window)
        value = rollup.shown_value(f.value, indicator.display)
        return Point(key, period.cutoff, f.numerator, f.denominator, value)

    def pick(field: Field | None) -> list[ar.Cell]:
        if field is None:
            return []
        return [c for c in cells.get(field.pk, []) if c.quarter in window]

    if indicator.denominator is None:
        total = ar.field_total(pick(indicator.numerator), time_kind)
        value = Decimal(total.value) if total.value is not None else None
        return Point(key, period.cutoff, total.value, None, value)
    ratio = ar.ratio_total(pick(indicator.numerator), pick(indicator.denominator), time_kind)
    value = rollup.shown_value(ar.display_value(ratio.value, indicator.display), indicator.display)
    return Point(key, period.cutoff, ratio.numerator, ratio.denominator, value)
