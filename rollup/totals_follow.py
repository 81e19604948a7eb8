"""Keeping the totals exact in the transactions that change them: an approval adds its
report and takes out the ones it replaces (`totals_apply`), a reorganisation moves the sums of
the moved units' reports from the units that were above them to those above them now
(`follow_closure`). Both sum the reports in Python (`reports_own`) and add the difference to the
stored rows in one upsert; a full rewrite is `totals.totals_rebuild`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection
from django.db.models import Q

from lib.sql import chunks
from reports.models import Report, Value, ValueState
from targets.models import Frequency, Indicator
from unions.models import UnitClosure

from .expected import expected_follow
from .models import RollupTotal, RollupTotalsState, TodayTotal
from .totals import FIELD, PAIR, RECEIVED, closure_mark, summed_fields, totals_lock, totals_rebuild

K = TypeVar("K")
GIVEN = (ValueState.NUMBER, ValueState.BLANK, ValueState.NOT_APPLICABLE)  # counted apart
Key = tuple[int, int, str, int]  # ancestor, period, kind, item
Sums = list[int]  # numbers, blanks, not_applicable, total, denominator
Own = dict[tuple[str, int], Sums]  # (kind, item): what some reports add to each unit above
Place = tuple[int, int, dt.date]  # unit, period, cut-off: the reports there share ancestors


Cell = tuple[str, int | None]  # a value's state and number
ReportRow = tuple[int, int, int, dt.date, int]  # report, unit, period, cut-off, quarter


def _reports_read(report_ids: Iterable[int]) -> tuple[list[ReportRow], dict[int, dict[int, Cell]]]:
    """The reports and their values by field (two queries per 2,000 reports)."""
    reports: list[ReportRow] = []
    values: dict[int, dict[int, Cell]] = defaultdict(dict)
    for chunk in chunks(report_ids):
        reports += Report.objects.filter(pk__in=chunk).values_list(
            "pk", "unit_id", "period_id", "period__cutoff", "period__quarter"
        )
        for report_id, field_id, state, number in Value.objects.filter(
            report_id__in=chunk
        ).values_list("report_id", "field_id", "state", "number"):
            values[report_id][field_id] = (state, number)
    return reports, values


@dataclass(frozen=True)
class Summed:
    """What is summed: each summed field (province-only?), the annual ones, the pairs."""

    fields: dict[int, bool]
    annual: set[int]
    pairs: list[tuple[int, int, int]]  # indicator, numerator field, denominator field

    @classmethod
    def read(cls, any_reports: bool) -> Summed:
        fields = summed_fields() if any_reports else []
        return cls(
            fields={f.pk: f.province_only for f in fields},
            annual={f.pk for f in fields if f.frequency == Frequency.ANNUAL},
            pairs=list(
                Indicator.objects.filter(denominator__isnull=False).values_list(
                    "pk", "numerator_id", "denominator_id"
                )
            ),
        )


def _report_add(own: Own, mine: dict[int, Cell], summed: Summed) -> None:
    """Adds one report's values (those that count in its quarter) to `own`."""
    for field_id, (state, number) in mine.items():
        if field_id not in summed.fields:
            continue
        counts = [int(state == s) for s in GIVEN]
        _add(own, (FIELD, field_id), [*counts, number or 0, 0])
    for pk, num_id, den_id in summed.pairs:
        n, d = mine.get(num_id), mine.get(den_id)
        if n and d and n[0] == ValueState.NUMBER and d[0] == ValueState.NUMBER:
            _add(own, (PAIR, pk), [1, 0, 0, n[1] or 0, d[1] or 0])
    if any(not summed.fields.get(f, True) for f in mine):
        _add(own, (RECEIVED, 0), [1, 0, 0, 0, 0])


def reports_own(report_ids: Iterable[int]) -> dict[Place, Own]:
    """What the reports add to every unit above them, summed per unit and period (four
    queries for up to 2,000 reports)."""
    reports, values = _reports_read(report_ids)
    summed = Summed.read(bool(reports))
    result: dict[Place, Own] = {}
    for report_id, unit_id, period_id, cutoff, quarter in reports:
        own = result.setdefault((unit_id, period_id, cutoff), {})
        # A figure reported once a year counts from a fourth quarter's report only.
        mine = {
            f: v for f, v in values[report_id].items() if quarter == 4 or f not in summed.annual
        }
        _report_add(own, mine, summed)
    return result


def _add(into: dict[K, Sums], key: K, sums: Sums, times: int = 1) -> None:
    row = into.setdefault(key, [0, 0, 0, 0, 0])
    for i, x in enumerate(sums):
        row[i] += times * x


ClosureRows = dict[int, list[tuple[int, dt.date, dt.date | None]]]  # unit: (ancestor, from, to)


def _closure_rows(
    unit_ids: Iterable[int], first: dt.date | None = None, last: dt.date | None = None
) -> ClosureRows:
    """The closure rows above the units (only those in force some day of [first, last] when
    given): one query for up to 2,000 units."""
    rows: ClosureRows = defaultdict(list)
    for chunk in chunks(unit_ids):
        query = UnitClosure.objects.filter(descendant_id__in=chunk)
        if first is not None:
            query = query.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        if last is not None:
            query = query.filter(valid_from__lte=last)
        for unit_id, ancestor_id, start, end in query.values_list(
            "descendant_id", "ancestor_id", "valid_from", "valid_to"
        ):
            rows[unit_id].append((ancestor_id, start, end))
    return rows


def _ancestors(
    places: Iterable[Place], rows: ClosureRows | None = None
) -> dict[tuple[int, dt.date], Counter[int]]:
    """The units above (and including) each unit on each cut-off: the dates are picked out
    here from the closure rows of all the units, read in one query (or given)."""
    wanted: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, _period_id, cutoff in places:
        wanted[unit_id].add(cutoff)
    found: dict[tuple[int, dt.date], Counter[int]] = {
        (unit_id, cutoff): Counter() for unit_id, cutoffs in wanted.items() for cutoff in cutoffs
    }
    if not wanted:
        return found
    if rows is None:
        first = min(min(cutoffs) for cutoffs in wanted.values())
        last = max(max(cutoffs) for cutoffs in wanted.values())
        rows = _closure_rows(wanted, first, last)
    for unit_id, cutoffs in wanted.items():
        for ancestor_id, start, end in rows.get(unit_id, ()):
            for cutoff in cutoffs:
                if start <= cutoff and (end is None or cutoff < end):
                    found[(unit_id, cutoff)][ancestor_id] += 1
    return found


def _contributions(report_ids: list[int]) -> dict[Key, Sums]:
    """What the reports add to the totals of every unit above them (five queries)."""
    own = reports_own(report_ids)
    above = _ancestors(own)
    sums: dict[Key, Sums] = {}
    for (unit_id, period_id, cutoff), items in own.items():
        for ancestor, times in above[(unit_id, cutoff)].items():
            for (kind, item), add in items.items():
                _add(sums, (ancestor, period_id, kind, item), add, times)
    return sums


def upsert(delta: dict[Key, Sums], model: type[RollupTotal | TodayTotal] = RollupTotal) -> None:
    """Adds the delta to the stored sums in one statement; rows left all zero are dropped
    (a full rebuild writes none)."""
    rows: list[tuple[int | str, ...]] = [
        (*key, *sums) for key, sums in sorted(delta.items()) if any(sums)
    ]
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""INSERT INTO {table} (ancestor_id, period_id, kind, item, numbers, blanks,
                not_applicable, total, denominator)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (ancestor_id, period_id, kind, item) DO UPDATE SET
                numbers = {table}.numbers + excluded.numbers,
                blanks = {table}.blanks + excluded.blanks,
                not_applicable = {table}.not_applicable + excluded.not_applicable,
                total = {table}.total + excluded.total,
                denominator = {table}.denominator + excluded.denominator""",  # noqa: S608
            rows,
        )
    if any(min(sums[:3]) < 0 for sums in delta.values()):  # only a removal can empty a row
        ancestors = {key[0] for key in delta}
        for chunk in chunks(ancestors):
            model.objects.filter(
                ancestor_id__in=chunk,
                period_id__in={key[1] for key in delta},
                numbers=0,
                blanks=0,
                not_applicable=0,
                total=0,
                denominator=0,
            ).delete()


def totals_apply(report: Report, *, replaced: list[int]) -> None:
    """In the approval's transaction: add the approved report, take out the ones it replaces.

    One upsert that adds to the stored sums, so concurrent approvals under the same ancestor
    serialise on the rows instead of losing an update. Does nothing when the totals were
    never built (the roll-up then reads raw values anyway). Locks the totals'
    state row first (`totals_lock`), so that a reorganisation moving totals waits for the
    approval, or the approval for it.
    """
    if not totals_lock():
        return
    delta: dict[Key, Sums] = {}
    for sign, ids in ((1, [report.pk]), (-1, replaced)):
        for key, sums in _contributions(ids).items():
            _add(delta, key, sums, sign)
    upsert(delta)


def follow_closure(unit_ids: frozenset[int] | None) -> Callable[[], None] | None:
    """Closure listener (registered in `RollupConfig.ready`): keeps the totals exact through
    a reorganisation, in its transaction. Called before the closure rows of `unit_ids` are
    replaced: keeps those rows and the closure mark.

    The returned callable, run once the new rows are in, locks the totals (`totals_lock`:
    approvals that got there first have committed, later ones wait); then, if the totals were
    built against that mark, it sums the in-force reports of those units, takes the sums away
    from the units that were above them and adds them to the units now above them (one
    upsert), and marks the totals as built against the new closure. Totals already untrusted
    are left for `totals_rebuild`. A full closure rebuild (`unit_ids` None) rebuilds the
    totals, if they were ever built.
    """
    state = RollupTotalsState.objects.first()
    if state is None:
        return None
    if unit_ids is None:
        return _rebuild
    # The mark first: a reorganisation committed between the two reads changes the mark, so
    # these rows are never taken for the ones the totals were built along.
    mark = closure_mark()
    old_rows = _closure_rows(unit_ids)
    # The units' assignments counted along their closure rows before the change.
    expected = expected_follow(unit_ids) if state.expected else None

    def move() -> None:
        states = totals_lock()
        trusted = [s for s in states if s.closure_mark == mark]
        if not trusted:
            return
        if expected is not None:
            expected()
        upsert(_moved(unit_ids, old_rows))
        RollupTotalsState.objects.filter(pk__in=[s.pk for s in trusted]).update(
            closure_mark=closure_mark()
        )

    return move


def _rebuild() -> None:
    totals_rebuild()


def _moved(unit_ids: frozenset[int], old_rows: ClosureRows) -> dict[Key, Sums]:
    """What the units' in-force reports move: taken from the units that were above them (along
    `old_rows`), added to the units above them now."""
    report_ids: list[int] = []
    for chunk in chunks(unit_ids):
        report_ids += Report.objects.filter(in_force=True, unit_id__in=chunk).values_list(
            "pk", flat=True
        )
    own = reports_own(report_ids)
    before, after = _ancestors(own, old_rows), _ancestors(own)
    delta: dict[Key, Sums] = {}
    for (unit_id, period_id, cutoff), items in own.items():
        old, new = before[(unit_id, cutoff)], after[(unit_id, cutoff)]
        for ancestor in old.keys() | new.keys():
            if times := new[ancestor] - old[ancestor]:
                for (kind, item), add in items.items():
                    _add(delta, (ancestor, period_id, kind, item), add, times)
    return delta
