"""The indicator arithmetic, as pure functions (no database, no Django models).

Rules (DOMAIN.md §4): counts are stored, never percentages; a roll-up sums numerators and
denominators and then divides; stocks and year-to-date counts take the latest reported quarter
of the period, summed over that quarter's reports; flows are summed over all quarters; blank,
"not applicable" and 0 stay apart, and every total says how many reports it covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

NUMBER, BLANK, NA = "number", "blank", "na"

Quarter = tuple[int, int]  # (year, quarter)


@dataclass(frozen=True)
class Cell:
    """One reported value: which report (unit) and quarter it comes from, and what it says."""

    report: int
    quarter: Quarter
    state: str
    number: int | None = None


@dataclass(frozen=True)
class Total:
    """A field summed over reports: the sum of numbers and how many reports said what."""

    value: int | None  # None when no report gave a number
    quarter: Quarter | None  # the quarter taken (stocks, year-to-date); None for flows
    numbers: int = 0
    blanks: int = 0
    not_applicable: int = 0


def latest_quarter(cells: Iterable[Cell]) -> Quarter | None:
    """The latest quarter in which at least one report gave a number."""
    quarters = [c.quarter for c in cells if c.state == NUMBER]
    return max(quarters) if quarters else None


def field_total(cells: Sequence[Cell], time_kind: str) -> Total:
    """Sums one field over reports and quarters according to its time behaviour."""
    if time_kind == "flow":
        chosen, quarter = list(cells), None
    else:
        quarter = latest_quarter(cells)
        chosen = [c for c in cells if c.quarter == quarter] if quarter else list(cells)
    numbers = [c.number for c in chosen if c.state == NUMBER and c.number is not None]
    return Total(
        value=sum(numbers) if numbers else None,
        quarter=quarter,
        numbers=len(numbers),
        blanks=sum(1 for c in chosen if c.state == BLANK),
        not_applicable=sum(1 for c in chosen if c.state == NA),
    )


@dataclass(frozen=True)
class Ratio:
    numerator: int | None
    denominator: int | None
    reports: int  # reports whose figures are in the ratio

    @property
    def value(self) -> Decimal | None:
        if self.numerator is None or not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)


def ratio_total(num_cells: Sequence[Cell], den_cells: Sequence[Cell], time_kind: str) -> Ratio:
    """Numerator and denominator summed over the reports that gave both.

    A report that gave a denominator but left the numerator blank is left out of both sums,
    so that a blank never reads as 0 and pulls the rate down.
    """
    den_by_key = {(c.report, c.quarter): c for c in den_cells if c.state == NUMBER}
    pairs = [
        (n, den_by_key[(n.report, n.quarter)])
        for n in num_cells
        if n.state == NUMBER and (n.report, n.quarter) in den_by_key
    ]
    if time_kind != "flow":
        quarter = max((n.quarter for n, _ in pairs), default=None)
        pairs = [(n, d) for n, d in pairs if n.quarter == quarter]
    if not pairs:
        return Ratio(None, None, 0)
    return Ratio(
        numerator=sum(n.number or 0 for n, _ in pairs),
        denominator=sum(d.number or 0 for _, d in pairs),
        reports=len({n.report for n, _ in pairs}),
    )


def display_value(ratio_value: Decimal | None, display: str) -> Decimal | None:
    """A ratio in the indicator's display unit: percent (×100), ratio per unit, or count."""
    if ratio_value is None:
        return None
    return ratio_value * 100 if display == "percent" else ratio_value


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_ACHIEVED = "not_achieved"
    NOT_YET_DUE = "not_yet_due"
    NO_TARGET = "no_target"  # a figure, but no target set for this unit (nothing to judge)
    NOTHING_TO_MEASURE = "nothing_to_measure"  # the reports said 0 of 0: no share to judge
    NO_DATA = "no_data"  # no report gave a number


def meets(value: Decimal, target: Decimal, comparison: str) -> bool:
    return value > target if comparison == "gt" else value >= target


AT_RISK_MARGIN = Decimal("0.95")  # within 5% of the expected value is still on track


@dataclass(frozen=True)
class Goal:
    """What a value is judged against: the target, how it is met ("gt" more than, else at
    least), and where the value should stand by now on the path to it (None: the target
    itself)."""

    target: Decimal | None
    comparison: str
    expected: Decimal | None = None


def judge(
    value: Decimal | None,
    goal: Goal,
    *,
    final: bool,
    due: bool = True,
    denominator: int | None = None,
) -> Status:
    """Status of a value against its goal.

    `final`: the period is over (the year or the term has ended), so a miss is a miss.
    `due`: whether the figures were due yet (a once-a-year field before its Q4 report is not).
    The goal's `expected` value: within 5% of it is on track, below that at risk.
    `denominator`: a share's summed denominator. Reports that gave 0 of 0 (a commune union
    without CĐCS) were received and measured nothing: that is not "no data", and neither
    achieved nor missed.
    """
    if not due:
        return Status.NOT_YET_DUE
    if value is None:
        return Status.NOTHING_TO_MEASURE if denominator == 0 else Status.NO_DATA
    if goal.target is None:
        return Status.NO_TARGET
    if meets(value, goal.target, goal.comparison):
        return Status.ACHIEVED
    if final:
        return Status.NOT_ACHIEVED
    mark = goal.target if goal.expected is None else goal.expected
    return Status.ON_TRACK if value >= mark * AT_RISK_MARGIN else Status.AT_RISK


def path_value(
    baseline: Decimal, baseline_date: dt.date, target: Decimal, target_date: dt.date, on: dt.date
) -> Decimal:
    """The straight path from the baseline to the target, read on `on`."""
    span = (target_date - baseline_date).days
    if span <= 0:
        return target
    elapsed = min(max((on - baseline_date).days, 0), span)
    return baseline + (target - baseline) * Decimal(elapsed) / Decimal(span)


def year_fraction(quarter: int) -> Decimal:
    """How much of the year a year-to-date count covers after `quarter`."""
    return Decimal(quarter) / Decimal(4)


def projection(points: Sequence[tuple[dt.date, int]], on: dt.date) -> Decimal | None:
    """Least-squares line through (date, value) points, read on `on`; None with < 2 points."""
    if len(points) < 2:
        return None
    xs = [Decimal(p[0].toordinal()) for p in points]
    ys = [Decimal(p[1]) for p in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs, Decimal(0)) / n, sum(ys, Decimal(0)) / n
    var = sum(((x - mean_x) ** 2 for x in xs), Decimal(0))
    if var == 0:
        return None
    covariance = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Decimal(0))
    slope = covariance / var
    return mean_y + slope * (Decimal(on.toordinal()) - mean_x)
