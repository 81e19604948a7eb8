"""What the roll-up is asked for and what it answers: the period, the tree, the figures.

Shared by the engine's parts (`rollup.engine`, `rollup.cells`, `rollup.results`) and
re-exported by `rollup.engine`, where callers import them from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from reports.models import ReportingPeriod
from reports.periods import quarter_label
from targets.models import Field, Indicator, Programme
from targets.programmes import reporting_quarters
from unions.models import Unit

from . import arithmetic as ar

AS_WAS, AS_NOW = "as_was", "as_now"


@dataclass(frozen=True)
class Mode:
    """How figures are read: on which day, along which tree, with or without the figures of
    reports awaiting approval."""

    today: dt.date
    tree: str = AS_WAS
    provisional: bool = False


@dataclass(frozen=True)
class PeriodSpec:
    """A quarter (year to date), a calendar year, or the term to date."""

    kind: str  # "quarter" | "year" | "term"
    year: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> PeriodSpec:
        from reports.periods import parse_period

        if text.strip().lower() == "term":
            return cls("term")
        year, quarter = parse_period(text)
        return cls("quarter", year, quarter) if quarter else cls("year", year)

    @property
    def code(self) -> str:
        if self.kind == "term":
            return "term"
        return f"{self.year}Q{self.quarter}" if self.kind == "quarter" else str(self.year)

    @property
    def label(self) -> str:
        """In the reader's words: "Quý 3/2024" (the year up to it), "2024", the term to date."""
        if self.kind == "quarter" and self.year and self.quarter:
            return quarter_label(self.year, self.quarter)
        return _("term to date") if self.kind == "term" else str(self.year)

    def previous(self) -> PeriodSpec | None:
        if self.kind == "quarter" and self.year and self.quarter:
            if self.quarter == 1:
                return PeriodSpec("quarter", self.year - 1, 4)
            return PeriodSpec("quarter", self.year, self.quarter - 1)
        if self.kind == "year" and self.year:
            return PeriodSpec("year", self.year - 1)
        return None


@dataclass(frozen=True)
class Coverage:
    reported: int
    expected: int


@dataclass
class IndicatorResult:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    value: Decimal | None  # in the display unit: percent, ratio per unit, or count
    target: Decimal | None
    status: ar.Status
    coverage: Coverage
    quarter: tuple[int, int] | None  # the quarter whose figures are shown (stocks, ytd)
    expected_now: Decimal | None = None  # where the value should stand on the path
    provisional: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass
class Progress:
    programme: Programme
    unit: Unit
    spec: PeriodSpec
    tree: str
    provisional: bool
    periods: list[ReportingPeriod]
    results: list[IndicatorResult] = field(default_factory=list)
    expected_reports: int = 0
    received_reports: int = 0


def periods_for(programme: Programme, spec: PeriodSpec, today: dt.date) -> list[ReportingPeriod]:
    """The quarters of `spec` within the programme's reporting that have ended by `today`."""
    (first_year, first_q), (last_year, last_q) = reporting_quarters(programme)
    ended = ReportingPeriod.objects.filter(cutoff__lte=today).filter(
        Q(year__gt=first_year) | Q(year=first_year, quarter__gte=first_q)
    )
    ended = ended.filter(Q(year__lt=last_year) | Q(year=last_year, quarter__lte=last_q))
    return periods_in(list(ended.order_by("year", "quarter")), spec)


def periods_in(periods: list[ReportingPeriod], spec: PeriodSpec) -> list[ReportingPeriod]:
    """The quarters of `spec` among `periods`."""
    if spec.kind == "term" or spec.year is None:
        return list(periods)
    chosen = [p for p in periods if p.year == spec.year]
    if spec.kind == "quarter":
        chosen = [p for p in chosen if p.quarter <= (spec.quarter or 4)]
    return chosen


def fields_of(indicators: Iterable[Indicator]) -> list[Field]:
    """The indicators' numerator and denominator fields, each once."""
    found = {f.pk: f for i in indicators for f in (i.numerator, i.denominator) if f is not None}
    return list(found.values())
