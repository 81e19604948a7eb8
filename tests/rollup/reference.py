"""A brute-force reference roll-up, written from DOMAIN.md §2, §4 and §8 alone.

It shares no code with the engine: nothing from `rollup`, `dashboards`, `unions.closure` or
`targets.programmes`. It reads the raw rows (units, parent links, quarters, assignments,
reports, values, fields, indicators) with plain `values_list` and computes in plain Python,
walking the parent links date by date instead of reading the closure table. It is slow on
purpose: every figure is found by looking at every report.

The rules it follows:

- a report counts when it is the approved revision in force; with provisional figures, a
  submitted latest revision replaces the one in force;
- along the tree as it was, a report rolls up through the parents its unit had on the
  quarter's cut-off; along today's tree, a unit that closed follows its successor chain (or,
  closed without one, the parent it last had), and a unit still open follows itself, placed
  where it stands today;
- a stock or a year-to-date count takes the latest quarter of the period in which some
  report gave a number, summed over that quarter's reports only; a flow sums every quarter;
- a ratio sums numerators and denominators over the reports that gave both as numbers;
- blank, "not applicable" and 0 stay apart; a field asked once a year counts in a
  fourth-quarter report only;
- coverage is the reports that gave the figure's numbers over the reports expected in the
  quarters it reads: the assignments covering the quarter whose unit existed at the cut-off
  and lies, on the same tree, below the unit shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reports.models import Assignment, Report, ReportingPeriod, Value
from targets.models import Field, Indicator, Programme
from unions.models import Unit, UnitLink

WAS, NOW = "as_was", "as_now"
Quarter = tuple[int, int]


@dataclass(frozen=True)
class Figure:
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    quarter: Quarter | None
    reported: int
    expected: int


@dataclass
class Snapshot:
    """Every raw row the reference needs, read once."""

    units: dict[int, tuple[dt.date, dt.date | None, int | None]]  # from, to, successor
    links: list[tuple[int, int, dt.date, dt.date | None]]  # child, parent, from, to
    periods: dict[int, tuple[int, int, dt.date]]  # year, quarter, cut-off
    assignments: list[tuple[int, str, int, int | None]]  # unit, scope, first, last period
    reports: list[tuple[int, int, int, int, str, bool, bool]]
    values: dict[int, dict[int, tuple[str, int | None]]]  # report: field: (state, number)
    fields: dict[int, tuple[str, str, bool]]  # time kind, frequency, province only
    indicators: list[tuple[str, int, int | None, str]]  # code, numerator, denominator, display
    reporting: tuple[Quarter, Quarter]  # the programme's first and last quarter


def _quarter_of(day: dt.date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def snapshot(programme: Programme) -> Snapshot:
    values: dict[int, dict[int, tuple[str, int | None]]] = defaultdict(dict)
    for report_id, field_id, state, number in Value.objects.values_list(
        "report_id", "field_id", "state", "number"
    ):
        values[report_id][field_id] = (state, number)
    term_start, term_end, issued = Programme.objects.values_list(
        "term_start", "term_end", "issued_on"
    ).get(pk=programme.pk)
    return Snapshot(
        units={
            pk: (start, end, successor)
            for pk, start, end, successor in Unit.objects.values_list(
                "id", "valid_from", "valid_to", "successor_id"
            )
        },
        links=list(UnitLink.objects.values_list("child_id", "parent_id", "valid_from", "valid_to")),
        periods={
            pk: (year, quarter, cutoff)
            for pk, year, quarter, cutoff in ReportingPeriod.objects.values_list(
                "id", "year", "quarter", "cutoff"
            )
        },
        assignments=list(
            Assignment.objects.values_list("unit_id", "scope", "first_period_id", "last_period_id")
        ),
        reports=list(
            Report.objects.values_list(
                "id", "unit_id", "period_id", "revision", "status", "is_latest", "in_force"
            )
        ),
        values=dict(values),
        fields={
            pk: (time_kind, frequency, province_only)
            for pk, time_kind, frequency, province_only in Field.objects.values_list(
                "id", "time_kind", "frequency", "province_only"
            )
        },
        indicators=list(
            Indicator.objects.filter(programme_id=programme.pk)
            .order_by("order", "code")
            .values_list("code", "numerator_id", "denominator_id", "display")
        ),
        reporting=(_quarter_of(max(term_start, issued)), _quarter_of(term_end)),
    )


# The tree --------------------------------------------------------------------------------------


def _exists(snap: Snapshot, unit: int, day: dt.date) -> bool:
    start, end, _successor = snap.units[unit]
    return start <= day and (end is None or day < end)


def _chain_up(snap: Snapshot, unit: int, day: dt.date) -> set[int]:
    """The unit and every unit above it on `day`, walking the parent links; empty when the
    unit did not exist that day."""
    if not _exists(snap, unit, day):
        return set()
    found = {unit}
    current = unit
    while True:
        parents = [
            p
            for c, p, start, end in snap.links
            if c == current and start <= day and (end is None or day < end)
        ]
        assert len(parents) <= 1, f"unit {current} has two parents on {day}"
        if not parents or parents[0] in found:
            return found
        current = parents[0]
        found.add(current)


def _place_today(snap: Snapshot, unit: int, today: dt.date) -> int | None:
    """Where a unit's values stand along today's tree: itself while it exists, else its
    successor's place, else (closed without one) the place of the parent it last had."""
    seen: set[int] = set()
    current: int | None = unit
    while current is not None and current not in seen:
        seen.add(current)
        _start, end, successor = snap.units[current]
        if end is None or end > today:
            return current
        if successor is not None:
            current = successor
            continue
        own = sorted((start, p) for c, p, start, _end in snap.links if c == current)
        current = own[-1][1] if own else None
    return None


class Tree:
    """Answers "does unit u's report of this quarter roll up into unit x?" on one tree."""

    def __init__(self, snap: Snapshot, tree: str, today: dt.date) -> None:
        self.snap, self.tree, self.today = snap, tree, today
        self._memo: dict[tuple[int, dt.date], set[int]] = {}

    def _above(self, unit: int, day: dt.date) -> set[int]:
        key = (unit, day)
        if key not in self._memo:
            self._memo[key] = _chain_up(self.snap, unit, day)
        return self._memo[key]

    def under(self, unit: int, cutoff: dt.date, shown: int) -> bool:
        if self.tree == WAS:
            return shown in self._above(unit, cutoff)
        place = _place_today(self.snap, unit, self.today)
        return place is not None and shown in self._above(place, self.today)


# The figures -----------------------------------------------------------------------------------


def _quarters(snap: Snapshot, spec: tuple[str, int | None, int | None], today: dt.date):
    """The periods of the spec that ended by `today` within the programme's reporting:
    {period id: (year, quarter, cut-off)}."""
    kind, year, quarter = spec
    first, last = snap.reporting
    chosen = {}
    for pk, (y, q, cutoff) in snap.periods.items():
        if cutoff > today or not first <= (y, q) <= last:
            continue
        if kind != "term" and y != year:
            continue
        if kind == "quarter" and q > (quarter or 4):
            continue
        chosen[pk] = (y, q, cutoff)
    return chosen


def _counting_reports(snap: Snapshot, provisional: bool) -> dict[tuple[int, int], int]:
    """(unit, period): the report whose values count."""
    by_key: dict[tuple[int, int], list[tuple[int, str, bool, bool]]] = defaultdict(list)
    for pk, unit, period, _revision, status, is_latest, in_force in snap.reports:
        by_key[(unit, period)].append((pk, status, is_latest, in_force))
    chosen = {}
    for key, revisions in by_key.items():
        submitted = [pk for pk, status, latest, _f in revisions if latest and status == "submitted"]
        counting = [pk for pk, status, _l, force in revisions if force and status == "approved"]
        if provisional and submitted:
            chosen[key] = submitted[0]
        elif counting:
            chosen[key] = counting[0]
    return chosen


def _number(snap: Snapshot, report: int, field: int, quarter: int) -> int | None:
    """The report's number for the field, or None (blank, NA, absent, or an annual field
    outside the fourth quarter)."""
    _kind, frequency, _province = snap.fields[field]
    if frequency == "annual" and quarter != 4:
        return None
    state, number = snap.values.get(report, {}).get(field, ("blank", None))
    return number if state == "number" else None


def _expected(snap: Snapshot, tree: Tree, shown: int, period: int, province_only: bool) -> int:
    year, quarter, cutoff = snap.periods[period]
    count = 0
    for unit, scope, first, last in snap.assignments:
        if (scope == "province") != province_only:
            continue
        first_q = snap.periods[first][:2]
        last_q = snap.periods[last][:2] if last is not None else (9999, 4)
        if not first_q <= (year, quarter) <= last_q:
            continue
        if not _exists(snap, unit, cutoff):
            continue
        if tree.under(unit, cutoff, shown):
            count += 1
    return count


def _display(numerator: int | None, denominator: int | None, display: str) -> Decimal | None:
    if numerator is None:
        return None
    if denominator is None:
        return Decimal(numerator)
    if denominator == 0:
        return None
    share = Decimal(numerator) / Decimal(denominator)
    # As every reader sees it (DOMAIN §4.2, "85,3%"): a percentage to one decimal, a ratio
    # per CĐCS to two, half up as on paper.
    if display == "percent":
        return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if display == "ratio":
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return share


def reference(
    snap: Snapshot,
    shown: int,
    spec: tuple[str, int | None, int | None],
    *,
    tree: str,
    provisional: bool,
    today: dt.date,
) -> dict[str, Figure]:
    """Every indicator of the snapshot's programme for unit `shown`; `spec` is
    ("quarter", year, q) for the year up to that quarter, ("year", year, None) or
    ("term", None, None)."""
    periods = _quarters(snap, spec, today)
    walk = Tree(snap, tree, today)
    counting = _counting_reports(snap, provisional)
    # Per period, the reports below `shown` on this tree: [(report, quarter number)].
    below: dict[int, list[int]] = defaultdict(list)
    for (unit, period), report in counting.items():
        if period in periods and walk.under(unit, periods[period][2], shown):
            below[period].append(report)
    order = sorted(periods, key=lambda pk: periods[pk][:2])
    out = {}
    for code, num_field, den_field, display in snap.indicators:
        time_kind, frequency, province_only = snap.fields[num_field]
        # Per period: [(numerator, denominator)] of the reports that gave the figure.
        given: dict[int, list[tuple[int, int | None]]] = {}
        for pk in order:
            q = periods[pk][1]
            rows: list[tuple[int, int | None]] = []
            for report in below[pk]:
                n = _number(snap, report, num_field, q)
                if n is None:
                    continue
                if den_field is None:
                    rows.append((n, None))
                    continue
                d = _number(snap, report, den_field, q)
                if d is not None:
                    rows.append((n, d))
            given[pk] = rows
        if time_kind == "flow":
            taken = [pk for pk in order if given[pk]]
            read = list(order)
            quarter = None
        else:
            latest = [pk for pk in order if given[pk]]
            taken = latest[-1:]
            if taken:
                read = taken
            else:
                due = [pk for pk in order if frequency != "annual" or periods[pk][1] == 4]
                read = due[-1:]
            quarter = periods[taken[0]][:2] if taken else None
        summed = [row for pk in taken for row in given[pk]]
        numerator = sum(n for n, _ in summed) if summed else None
        denominator = None
        if den_field is not None and summed:
            denominator = sum(d or 0 for _, d in summed)
        expected = sum(_expected(snap, walk, shown, pk, province_only) for pk in read)
        out[code] = Figure(
            numerator,
            denominator,
            _display(numerator, denominator, display),
            quarter,
            len(summed),
            expected,
        )
    return out
