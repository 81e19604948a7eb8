"""A breakdown's rows: one reporting unit's figure each, how they add up to the total, and
which units report (shared by the readings from totals and from raw values)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from reports.assignments import in_force_q
from reports.models import Assignment, AssignmentScope, ReportingPeriod
from unions.models import Unit, UnitClosure, active_on_q, vi_sort_key

from . import arithmetic as ar
from .results import Shares, counts_toward
from .spec import IndicatorResult

STATUS_ORDER = [
    ar.Status.NOT_ACHIEVED,
    ar.Status.AT_RISK,
    ar.Status.ON_TRACK,
    ar.Status.ACHIEVED,
    ar.Status.NOT_YET_DUE,
    ar.Status.NO_TARGET,
    ar.Status.NOTHING_TO_MEASURE,
    ar.Status.NO_DATA,
]


@dataclass(frozen=True, eq=False)
class Pending:
    """What completing a row's coverage needs: the period's quarters, and whether the totals
    keep the expected counts (`today`: those kept along today's tree do)."""

    periods: list[ReportingPeriod]
    kept: bool
    today: bool = False


@dataclass(frozen=True, slots=True)
class Light:
    """What sorting by value or coverage and adding the rows up need of a row, known before
    its full result: the figures (`totals.Figures`), the value as shown, the reports behind."""

    numerator: int | None
    denominator: int | None
    quarter: ar.Quarter | None
    value: Decimal | None  # as shown (rounded), as `IndicatorResult.value`
    reported: int


class UnitRow(NamedTuple):
    """A unit as a breakdown row reads it (`shown_units`): a national root has 4,240 rows, of
    which a page shows 100, and a model instance for each costs more than its figure."""

    id: int
    code: str
    name: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    db: str = DEFAULT_DB_ALIAS  # where it was read (rows related to it are read there too)

    def unit(self) -> Unit:
        """The unit, as a query with `.only()` on these fields would give it."""
        return Unit.from_db(self.db, UNIT_FIELDS, self[: len(UNIT_FIELDS)])


UNIT_FIELDS = ("id", "code", "name", "kind", "valid_from", "valid_to")


def shown_units(units: QuerySet[Unit]) -> list[UnitRow]:
    """The units as rows read them, in no particular order (the rows are sorted after)."""
    read = units.order_by().values_list(*UNIT_FIELDS)
    db = read.db
    return [UnitRow(i, code, name, kind, start, to, db) for i, code, name, kind, start, to in read]


class BreakdownRow:
    """One reporting unit's figure. `result` is the full `IndicatorResult`, or a function
    that makes it from the unit on first use, `light` then its numbers: a national root has
    thousands of rows, of which a page shows 100, and sorting by name, kind, value or
    coverage, the filter by kind and the line that adds the rows up need only the numbers
    (taken from the result instead once it is made: a sort or filter by status). Slotted, and
    its unit's model instance made when asked for: each object a row holds is one more for
    the garbage collector to go over while the thousands of rows are made."""

    __slots__ = ("_light", "_result", "_unit", "expected_now", "in_sum", "kind", "name", "pending")

    def __init__(
        self,
        unit: Unit | UnitRow,
        result: IndicatorResult | Callable[[Unit], IndicatorResult],
        expected_now: bool,  # expected to report in the period's latest quarter
        pending: Pending | None = None,
        light: Light | None = None,
    ) -> None:
        # The unit's model instance is made when something asks for it (the rows shown); its
        # name and kind sort and filter every row.
        self._unit = unit
        self.name, self.kind = unit.name, unit.kind
        self._result = result
        self.expected_now = expected_now
        self.in_sum = True  # its figure is part of the total's (`breakdown_sum`)
        # Its reports expected are still to be read (`rollup.breakdown.complete`): a page
        # shows 100 of thousands of rows, and sorts and filters on everything but them.
        self.pending = pending
        self._light = light

    @property
    def unit(self) -> Unit:
        if isinstance(self._unit, UnitRow):
            self._unit = self._unit.unit()
        return self._unit

    @property
    def result(self) -> IndicatorResult:
        if not isinstance(self._result, IndicatorResult):
            self._result = self._result(self.unit)
        return self._result

    def _numbers(self) -> Light | IndicatorResult:
        """The result once made; before, the light numbers."""
        if isinstance(self._result, IndicatorResult) or self._light is None:
            return self.result
        return self._light

    @property
    def shares(self) -> Shares:
        return self._numbers()

    @property
    def status(self) -> str:
        return str(self.result.status)

    @property
    def sort_value(self) -> Decimal:
        value = self._numbers().value
        return value if value is not None else Decimal(-1)

    @property
    def reported(self) -> int:
        """The reports behind the figure (the coverage's first number)."""
        numbers = self._numbers()
        return numbers.reported if isinstance(numbers, Light) else numbers.coverage.reported

    @property
    def status_rank(self) -> int:
        return STATUS_ORDER.index(self.result.status)

    @property
    def name_key(self) -> Any:
        """The unit's name for sorting, in Vietnamese alphabetical order."""
        return vi_sort_key(self.name)


@dataclass(frozen=True)
class BreakdownSum:
    """How the rows make up the total: the rows counted add up to `numerator` (and
    `denominator`); what the total holds beyond them (reports of units not listed, such as a
    CĐCS that reported for itself before it moved) is the rest; the rows apart are figures of
    another quarter (a unit closed since, or late), shown with their date, never added."""

    numerator: int
    denominator: int | None
    rest_numerator: int
    rest_denominator: int | None
    apart: int

    @property
    def adds_up(self) -> bool:
        return self.rest_numerator == 0 and not self.rest_denominator


def breakdown_sum(rows: Sequence[BreakdownRow], total: IndicatorResult) -> BreakdownSum:
    """Marks each row as counted in the total or apart (`counts_toward`) and sums the
    counted ones."""
    ratio = total.indicator.denominator_id is not None
    num = den = apart = 0
    for row in rows:
        shares = row.shares
        row.in_sum = counts_toward(shares, total)
        if row.in_sum:
            num += shares.numerator or 0
            den += shares.denominator or 0
        elif shares.numerator is not None:
            apart += 1
    return BreakdownSum(
        numerator=num,
        denominator=den if ratio else None,
        rest_numerator=(total.numerator or 0) - num,
        rest_denominator=((total.denominator or 0) - den) if ratio else None,
        apart=apart,
    )


def row_order(expected_now: bool, name: str) -> tuple[bool, Any]:
    """Where a row stands: the units expected now first, then by name in Vietnamese order."""
    return (not expected_now, vi_sort_key(name))


def sorted_rows(rows: list[BreakdownRow]) -> list[BreakdownRow]:
    return sorted(rows, key=lambda r: row_order(r.expected_now, r.name))


def covers(a: Assignment, period: ReportingPeriod) -> bool:
    """The assignment asks for a report in `period` (and its unit exists at the cut-off)."""
    key = (period.year, period.quarter)
    first = (a.first_period.year, a.first_period.quarter)
    last = (a.last_period.year, a.last_period.quarter) if a.last_period else (9999, 4)
    return first <= key <= last and a.unit.is_active_on(period.cutoff)


def reporting_below(unit: Unit, period: ReportingPeriod) -> QuerySet[Unit]:
    """Units expected to report in `period` that lie in `unit`'s subtree then, as a query
    (the rows of `covers` below the unit, decided in the database)."""
    below = UnitClosure.objects.filter(active_on_q(period.cutoff), ancestor=unit, depth__gt=0)
    assigned = (
        Assignment.objects.filter(
            in_force_q(period),
            unit_id__in=below.values("descendant_id"),
        )
        .exclude(scope=AssignmentScope.PROVINCE)
        .values("unit_id")
    )
    # `covering_q`, its unit's lifetime asked of the units read rather than joined in the
    # assignments' subquery: PostgreSQL read every unit of the country for that join.
    return Unit.objects.filter(active_on_q(period.cutoff), pk__in=assigned)


Span = tuple[dt.date, dt.date | None]


def within(spans: list[Span], on: dt.date) -> bool:
    return any(s <= on and (e is None or on < e) for s, e in spans)
