"""A change between two figures, and why none is shown when a figure is missing.

Part of the engine: `change_explained` is the one rule for showing a change (both figures
there, both quarters with every expected report in, except the province's own figures, which
wait on nobody), and it says which part of that rule left the change out. `year_on_year`
also tells apart a quarter a year before that the programme did not cover, or that the unit
did not exist in, from a quarter that simply has no figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from reports.periods import quarter_end
from targets.models import Programme
from targets.programmes import reporting_quarters
from unions.models import Unit

from .engine import Coverage, IndicatorResult, quarter_complete
from .series import Point

Quarter = tuple[int, int]


class Gap(StrEnum):
    """Why no change is shown."""

    NO_QUARTER = "no_quarter"
    NO_FIGURE = "no_figure"
    NO_FIGURE_THEN = "no_figure_then"
    NOT_IN_PROGRAMME = "not_in_programme"
    UNIT_ABSENT = "unit_absent"
    INCOMPLETE_NOW = "incomplete_now"
    INCOMPLETE_THEN = "incomplete_then"


WORDS = {
    Gap.NO_QUARTER: _("no quarter of the year has ended yet"),
    Gap.NO_FIGURE: _("no figure for this quarter"),
    Gap.NO_FIGURE_THEN: _("no figure for the quarter compared"),
    Gap.NOT_IN_PROGRAMME: _("the programme did not cover the quarter compared"),
    Gap.UNIT_ABSENT: _("the unit did not exist in the quarter compared"),
    Gap.INCOMPLETE_NOW: _("reports for this quarter are not all in"),
    Gap.INCOMPLETE_THEN: _("reports for the quarter compared were not all in"),
}


@dataclass(frozen=True)
class Change:
    value: Decimal | None
    gap: Gap | None = None

    @property
    def why(self) -> str:
        """Why no change is shown, in the reader's words ("" when one is)."""
        return str(WORDS[self.gap]) if self.gap is not None else ""


def change_explained(
    now: Decimal | None,
    then: Decimal | None,
    quarters: tuple[Quarter | None, Quarter | None],
    coverage: dict[Quarter, Coverage],
    province_only: bool = False,
) -> Change:
    """`now - then` where both quarters have all their reports in: a change taken at a quarter
    with reports missing compares part of the units with all of them (a fall in members that
    is only a late report)."""
    now_q, then_q = quarters
    if now is None:
        return Change(None, Gap.NO_FIGURE)
    if then is None:
        return Change(None, Gap.NO_FIGURE_THEN)
    if not province_only:
        if now_q is not None and not quarter_complete(coverage, now_q):
            return Change(None, Gap.INCOMPLETE_NOW)
        if then_q is not None and not quarter_complete(coverage, then_q):
            return Change(None, Gap.INCOMPLETE_THEN)
    return Change(now - then)


def absent_then(quarter: Quarter, unit: Unit, programme: Programme) -> Gap:
    """Why a quarter compared has no figure: before the programme's reporting, before or after
    the unit's life, or simply none."""
    if quarter < reporting_quarters(programme)[0]:
        return Gap.NOT_IN_PROGRAMME
    if not unit.is_active_on(quarter_end(*quarter)):
        return Gap.UNIT_ABSENT
    return Gap.NO_FIGURE_THEN


def year_on_year(
    result: IndicatorResult,
    points: list[Point],
    quarter: Quarter | None,
    coverage: dict[Quarter, Coverage],
    unit: Unit,
    programme: Programme,
) -> Change:
    """Against the same quarter a year before ("so với cùng kỳ năm trước"): a year not over
    yet is compared with the same months of the year before, not with all of it."""
    if quarter is None:
        return Change(None, Gap.NO_QUARTER)
    if result.value is None:
        return Change(None, Gap.NO_FIGURE)
    by_quarter = {p.quarter: p.value for p in points}
    then = (quarter[0] - 1, quarter[1])
    only = result.indicator.numerator.province_only
    change = change_explained(
        by_quarter.get(quarter), by_quarter.get(then), (quarter, then), coverage, only
    )
    if change.gap == Gap.NO_FIGURE_THEN:
        return Change(None, absent_then(then, unit, programme))
    return change


def quarter_on_quarter(
    points: list[Point], coverage: dict[Quarter, Coverage], province_only: bool = False
) -> Change:
    """The last quarter against the one before it (both with figures and complete)."""
    if not points:
        return Change(None, Gap.NO_FIGURE)
    if len(points) < 2:
        return Change(None, Gap.NO_FIGURE_THEN)
    now, then = points[-1], points[-2]
    quarters = (now.quarter, then.quarter)
    return change_explained(now.value, then.value, quarters, coverage, province_only)
