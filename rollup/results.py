"""One indicator's result from its figures: target, status, coverage, the path, rounding.

The figures come from sums (the pre-summed totals, today's tree's sums, the provisional
correction) or, when no sums can be trusted, from raw cells (`rollup.cells`); everything
after them is decided here, once, for every page, file and API answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from reports.models import ReportingPeriod
from targets.models import Display, Indicator, IndicatorKind, Programme, Target
from unions.models import Unit, UnitKind

from . import arithmetic as ar
from . import totals
from .spec import Coverage, IndicatorResult, PeriodSpec

Marks = dict[int, set[ar.Quarter]]  # field id → quarters a report awaiting approval gave a number


@dataclass(frozen=True)
class Context:
    """What every indicator of one unit and period shares."""

    programme: Programme
    unit: Unit
    spec: PeriodSpec
    periods: list[ReportingPeriod]
    targets: list[Target]
    expected: dict[tuple[int, int, bool], int]
    today: dt.date


@dataclass(frozen=True)
class Source:
    """Where the figures come from: sums (`table`, with `marks` for the figures not yet
    approved), or raw cells with the reports among them not yet approved (`awaiting`)."""

    table: totals.Table | None = None
    marks: Marks = field(default_factory=dict)
    cells: dict[int, list[ar.Cell]] = field(default_factory=dict)
    awaiting: set[int] = field(default_factory=set)


def indicator_result(ctx: Context, indicator: Indicator, source: Source) -> IndicatorResult:
    """The indicator for the unit and period, as every page shows it."""
    num_field = indicator.numerator
    figures = figures_of(indicator, source)
    annual = num_field.frequency == "annual"
    due = bool(ctx.periods) and (not annual or any(p.quarter == 4 for p in ctx.periods))
    reported, expected = (
        figures.reports,
        expected_for(indicator, figures.quarter, ctx.periods, ctx.expected),
    )
    year = ctx.spec.year if ctx.spec.kind != "term" else _last_year(ctx.periods)
    target_row = _target_for(
        ctx.targets, indicator, year if indicator.kind == IndicatorKind.ANNUAL else None, ctx.unit
    )
    target = target_row.value if target_row else None
    expected_now = _expected_now(ctx, indicator, target_row, figures.quarter)
    status = ar.judge(
        figures.value,
        ar.Goal(target, indicator.comparison, expected_now),
        final=_final(ctx.programme, ctx.spec, indicator, ctx.today),
        due=due,
        denominator=figures.denominator,
    )
    return IndicatorResult(
        indicator,
        figures.numerator,
        figures.denominator,
        shown_value(figures.value, indicator.display),
        target,
        status,
        Coverage(reported, expected),
        figures.quarter,
        expected_now=shown_value(expected_now, indicator.display),
        provisional=_provisional(ctx, indicator, source, figures.quarter),
    )


def _last_year(periods: list[ReportingPeriod]) -> int | None:
    return periods[-1].year if periods else None


def figures_of(indicator: Indicator, source: Source) -> totals.Figures:
    """The indicator's numerator, denominator, value (display unit, not rounded), the quarter
    taken and the reports behind it."""
    if source.table is not None:
        return source.table.figures(indicator)
    num_field, den_field = indicator.numerator, indicator.denominator
    num_cells = source.cells.get(num_field.pk, [])
    if den_field is None:
        total = ar.field_total(num_cells, num_field.time_kind)
        value = Decimal(total.value) if total.value is not None else None
        return totals.Figures(total.value, None, value, total.quarter, total.numbers)
    den_cells = source.cells.get(den_field.pk, [])
    ratio = ar.ratio_total(num_cells, den_cells, num_field.time_kind)
    quarter = None if num_field.time_kind == "flow" else _ratio_quarter(num_cells, den_cells)
    value = ar.display_value(ratio.value, indicator.display)
    return totals.Figures(ratio.numerator, ratio.denominator, value, quarter, ratio.reports)


def _provisional(
    ctx: Context, indicator: Indicator, source: Source, quarter: ar.Quarter | None
) -> bool:
    """Whether a report not yet approved gave a number for the indicator's numerator in the
    quarter shown (a stock, a count since 1 January) or in any quarter (a flow)."""
    shown = {quarter} if quarter is not None else {(p.year, p.quarter) for p in ctx.periods}
    if source.table is not None:
        return bool(source.marks.get(indicator.numerator_id, set()) & shown)
    return any(
        c.state == ar.NUMBER and c.quarter in shown and c.report in source.awaiting
        for c in source.cells.get(indicator.numerator_id, [])
    )


def _target_for(
    targets: list[Target], indicator: Indicator, year: int | None, unit: Unit
) -> Target | None:
    def rank(t: Target) -> tuple[bool, bool]:
        return (t.unit_id == unit.pk, t.year == year)

    # A share (98% informed) applies to every unit; a count (24.500 members) is the
    # province's, and a lower unit has one only if staff set it for that unit.
    shared = indicator.display != Display.COUNT or unit.kind == UnitKind.PROVINCE
    candidates = [
        t
        for t in targets
        if t.indicator_id == indicator.pk
        and t.year in (None, year)
        and (t.unit_id == unit.pk or (t.unit_id is None and shared))
    ]
    return max(candidates, key=rank) if candidates else None


def _final(programme: Programme, spec: PeriodSpec, indicator: Indicator, today: dt.date) -> bool:
    if indicator.kind == IndicatorKind.TERM:
        # A term indicator is only missed once the term is over; before, it is on a path.
        return programme.term_end < today
    year = spec.year if spec.year is not None else today.year
    quarter_done = spec.kind != "quarter" or spec.quarter == 4
    return quarter_done and dt.date(year, 12, 31) < today


def quarter_complete(coverage: dict[tuple[int, int], Coverage], quarter: tuple[int, int]) -> bool:
    """Every expected report of the quarter is in (a quarter not read counts as complete)."""
    found = coverage.get(quarter)
    return found is None or found.reported >= found.expected


def change_shown(
    now: Decimal | None,
    then: Decimal | None,
    quarters: tuple[tuple[int, int] | None, tuple[int, int] | None],
    coverage: dict[tuple[int, int], Coverage],
    province_only: bool = False,
) -> Decimal | None:
    """A change between two figures, or None: `rollup.changes.change_explained`, which also
    says why none is shown."""
    from .changes import change_explained

    return change_explained(now, then, quarters, coverage, province_only).value


PLACES: dict[str, int] = {Display.PERCENT: 1, Display.RATIO: 2, Display.COUNT: 0}
STEPS = {display: Decimal(1).scaleb(-places) for display, places in PLACES.items()}


def shown_value(value: Decimal | None, display: str) -> Decimal | None:
    """A figure as every page, file and API answer gives it: a percentage to one decimal
    (85,3%), a ratio per CĐCS to two, a count whole; half up, as on paper. Status is judged
    on the figure before rounding."""
    if value is None:
        return None
    # A display's value (a str) finds its step: no enum or Decimal made for each of thousands
    # of rows.
    step = STEPS.get(display)
    if step is None:
        step = Decimal(1).scaleb(-PLACES.get(Display(display), 2))
    return value.quantize(step, rounding=ROUND_HALF_UP)


class Shares(Protocol):
    """What adding a breakdown's row up needs of it: its numerator, denominator and the
    quarter shown (an `IndicatorResult`, or the numbers a row has before its result)."""

    @property
    def numerator(self) -> int | None: ...
    @property
    def denominator(self) -> int | None: ...
    @property
    def quarter(self) -> ar.Quarter | None: ...


def counts_toward(row: Shares, total: IndicatorResult) -> bool:
    """Whether a unit's figure is part of a total's: a flow is summed over every quarter, so
    every unit's share is; a stock or a count since 1 January is the total's quarter only, so
    a unit whose latest figure is from an earlier quarter (closed since, or late) is not."""
    if row.numerator is None:
        return False
    if total.indicator.numerator.time_kind == "flow":
        return True
    return row.quarter is not None and row.quarter == total.quarter


def _ratio_quarter(num: list[ar.Cell], den: list[ar.Cell]) -> tuple[int, int] | None:
    den_keys = {(c.report, c.quarter) for c in den if c.state == ar.NUMBER}
    quarters = [
        c.quarter for c in num if c.state == ar.NUMBER and (c.report, c.quarter) in den_keys
    ]
    return max(quarters) if quarters else None


def expected_for(
    indicator: Indicator,
    quarter: ar.Quarter | None,
    periods: list[ReportingPeriod],
    expected: dict[tuple[int, int, bool], int],
) -> int:
    """The reports expected behind a figure: in every quarter for a flow, in the quarter
    shown for a stock or a count since 1 January (else the last quarter it was due)."""
    num_field = indicator.numerator
    if num_field.time_kind == "flow":
        keys = [(p.year, p.quarter) for p in periods]
    elif quarter is not None:
        keys = [quarter]
    else:
        due = [p for p in periods if num_field.frequency != "annual" or p.quarter == 4]
        keys = [(due[-1].year, due[-1].quarter)] if due else []
    return sum(expected.get((*k, num_field.province_only), 0) for k in keys)


def _expected_now(
    ctx: Context, indicator: Indicator, target: Target | None, quarter: ar.Quarter | None
) -> Decimal | None:
    """Where the value should stand now: the path to a term count, a share of a ytd target."""
    if target is None or quarter is None:
        return None
    cutoff = next((p.cutoff for p in ctx.periods if (p.year, p.quarter) == quarter), None)
    if indicator.display == Display.COUNT and target.baseline_value is not None and cutoff:
        return ar.path_value(
            target.baseline_value,
            target.baseline_date or ctx.programme.term_start,
            target.value,
            ctx.programme.term_end,
            cutoff,
        )
    if indicator.numerator.time_kind == "ytd":
        return target.value * ar.year_fraction(quarter[1])
    return None
