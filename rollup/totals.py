"""Pre-aggregated roll-up totals: approved figures summed per ancestor unit and quarter.

A national roll-up over raw values scans every value of the term (about half a second with
120,000 CĐCS); the same figures summed per ancestor unit, quarter and field are a few hundred
rows. The rules of DOMAIN.md §4 survive the summing because what the arithmetic needs is kept:

- stocks and year-to-date counts take the latest quarter in which some report gave a number:
  per quarter we keep how many reports gave a number, a blank or "not applicable", and the sum;
- a ratio sums numerator and denominator over the reports that gave both (a blank numerator
  does not pull the rate down): per indicator and quarter we keep the paired sums and how many
  reports were paired, so a field shared by two indicators is paired separately for each.

Only the figures that count without "provisional" (in-force, approved revisions) along the
tree as it was are summed; the roll-up reads raw values for everything else. The totals are
written in the transaction of every approval (`totals_apply`) and of every reorganisation
(`follow_closure`, a listener of `unions.closure`), so they are never stale. A calendar change
moves cut-offs; `reports.assignments.periods_ensure` rebuilds the quarters whose cut-off moved
in its transaction (`follow_calendar`, a listener of
`reports.hooks`). The roll-up still checks both (`closure_mark`,
`cutoffs`) and reads raw values where they do not match; totals it stopped trusting are never
patched, only rebuilt (`manage.py rebuild_totals`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Max, Q

from reports.models import Assignment, AssignmentScope, Report, ReportingPeriod, Value, ValueState
from targets.models import Field, Frequency, Indicator
from unions.models import Unit, UnitClosure

from . import arithmetic as ar
from .expected import EXPECTED, expected_follow, expected_rebuild
from .models import RollupTotal, RollupTotalsState

Quarter = tuple[int, int]
S = TypeVar("S")
K = TypeVar("K")
FIELD, PAIR, RECEIVED = "field", "pair", "received"


def model() -> type[RollupTotal]:
    return RollupTotal


def closure_mark() -> int:
    return UnitClosure.objects.aggregate(m=Max("id"))["m"] or 0


# Reading ---------------------------------------------------------------------------------------


@dataclass
class FieldSum:
    numbers: int = 0
    blanks: int = 0
    not_applicable: int = 0
    total: int = 0


@dataclass
class PairSum:
    reports: int = 0
    numerator: int = 0
    denominator: int = 0


@dataclass
class Figures:
    """What the roll-up needs of one indicator: as `rollup` computes it from cells."""

    numerator: int | None
    denominator: int | None
    value: Decimal | None  # display unit, not rounded
    quarter: Quarter | None
    reports: int


@dataclass
class Table:
    """Totals of one unit's subtree, by quarter."""

    fields: dict[int, dict[Quarter, FieldSum]] = field(default_factory=lambda: defaultdict(dict))
    pairs: dict[int, dict[Quarter, PairSum]] = field(default_factory=lambda: defaultdict(dict))
    received: dict[Quarter, int] = field(default_factory=dict)
    # Expected reports per (year, quarter, province report?), when the totals keep them.
    expected: dict[tuple[int, int, bool], int] | None = None

    def figures(self, indicator: Indicator, window: Iterable[Quarter] | None = None) -> Figures:
        """The indicator over the given quarters (all read quarters when None)."""
        keep = None if window is None else set(window)
        time_kind = indicator.numerator.time_kind
        if indicator.denominator_id is None:
            sums = _within(self.fields.get(indicator.numerator_id, {}), keep)
            total = field_total(sums, time_kind)
            value = Decimal(total.value) if total.value is not None else None
            return Figures(total.value, None, value, total.quarter, total.numbers)
        pairs = _within(self.pairs.get(indicator.pk, {}), keep)
        ratio, quarter = ratio_total(pairs, time_kind)
        value = ar.display_value(ratio.value, indicator.display)
        return Figures(ratio.numerator, ratio.denominator, value, quarter, ratio.reports)


def _within(by_quarter: dict[Quarter, S], keep: set[Quarter] | None) -> dict[Quarter, S]:
    return by_quarter if keep is None else {q: s for q, s in by_quarter.items() if q in keep}


def field_total(by_quarter: dict[Quarter, FieldSum], time_kind: str) -> ar.Total:
    """`arithmetic.field_total` over per-quarter sums instead of cells."""
    if time_kind == "flow":
        chosen, quarter = list(by_quarter.values()), None
    else:
        given = [q for q, s in by_quarter.items() if s.numbers]
        quarter = max(given) if given else None
        chosen = [by_quarter[quarter]] if quarter else list(by_quarter.values())
    numbers = sum(s.numbers for s in chosen)
    return ar.Total(
        value=sum(s.total for s in chosen) if numbers else None,
        quarter=quarter,
        numbers=numbers,
        blanks=sum(s.blanks for s in chosen),
        not_applicable=sum(s.not_applicable for s in chosen),
    )


def ratio_total(
    by_quarter: dict[Quarter, PairSum], time_kind: str
) -> tuple[ar.Ratio, Quarter | None]:
    """`arithmetic.ratio_total` over per-quarter paired sums; also the quarter taken."""
    paired = {q: s for q, s in by_quarter.items() if s.reports}
    if not paired:
        return ar.Ratio(None, None, 0), None
    quarter = None if time_kind == "flow" else max(paired)
    chosen = list(paired.values()) if quarter is None else [paired[quarter]]
    return (
        ar.Ratio(
            numerator=sum(s.numerator for s in chosen),
            denominator=sum(s.denominator for s in chosen),
            reports=sum(s.reports for s in chosen),
        ),
        quarter,
    )


def totals_read(
    unit: Unit, periods: list[ReportingPeriod], indicators: Iterable[Indicator] = ()
) -> Table | None:
    """The unit's totals for the periods, or None when the totals cannot be trusted (never
    built, the closure changed since, or one of `indicators` pairs fields the totals were not
    built with: a ratio indicator added or changed since). Two queries."""
    state = RollupTotalsState.objects.first()
    if state is None or state.closure_mark != closure_mark():
        return None
    if not covers_indicators(state, indicators):
        return None
    if any(state.cutoffs.get(str(p.pk)) != p.cutoff.isoformat() for p in periods):
        return None  # the calendar changed since the totals were built
    quarters = {p.pk: (p.year, p.quarter) for p in periods}
    table = Table(expected={} if state.expected else None)
    rows = RollupTotal.objects.filter(ancestor=unit, period_id__in=list(quarters)).values_list(
        "period_id", "kind", "item", "numbers", "blanks", "not_applicable", "total", "denominator"
    )
    for period_id, kind, item, numbers, blanks, na, total, den in rows:
        q = quarters[period_id]
        if kind == FIELD:
            table.fields[item][q] = FieldSum(numbers, blanks, na, total)
        elif kind == PAIR:
            table.pairs[item][q] = PairSum(numbers, total, den)
        elif kind == EXPECTED:
            if table.expected is not None:
                table.expected[(*q, bool(item))] = numbers
        else:
            table.received[q] = numbers
    return table


# Writing ---------------------------------------------------------------------------------------


def _summed_fields() -> list[Field]:
    """Every field an indicator of any programme reads: the totals serve every programme."""
    return list(
        Field.objects.filter(
            Q(numerator_of__isnull=False) | Q(denominator_of__isnull=False)
        ).distinct()
    )


def _lock_totals() -> list[RollupTotalsState]:
    """Locks the totals' state row (PostgreSQL; SQLite has one writer anyway); none when the
    totals were never built.

    Whoever changes totals takes this lock first: an approval (`totals_apply`), a rebuild, a
    reorganisation (`follow_closure`, once its new closure rows are in). So an approval that
    comes after a reorganisation sums along the closure it committed, and a reorganisation
    that comes after an approval sees the report in force.
    """
    return list(RollupTotalsState.objects.select_for_update().order_by("pk")[:1])


@transaction.atomic
def totals_rebuild(periods: Iterable[ReportingPeriod] | None = None) -> int:
    """Rewrites the totals from the values, in three set-based queries.

    With `periods`, only those quarters' totals and cut-offs are rewritten (after a calendar
    change); the closure mark is then kept, so totals built against an older closure stay
    untrusted. Returns how many rows the rewritten quarters have.
    """
    every = ReportingPeriod.objects.all()
    chosen = list(every if periods is None else every.filter(pk__in=[p.pk for p in periods]))
    if periods is not None and not chosen:
        return 0
    state = next(iter(_lock_totals()), None)
    period_ids = [p.pk for p in chosen]
    RollupTotal.objects.filter(period_id__in=period_ids).delete()
    fields = _summed_fields()
    counted = [f.pk for f in fields if not f.province_only]
    # A figure reported once a year counts from a fourth quarter's report only.
    annual = [f.pk for f in fields if f.frequency == Frequency.ANNUAL] or [0]
    some_annual = ", ".join(["%s"] * len(annual))
    t = {
        "total": RollupTotal._meta.db_table,
        "value": Value._meta.db_table,
        "report": Report._meta.db_table,
        "period": ReportingPeriod._meta.db_table,
        "closure": UnitClosure._meta.db_table,
        "indicator": Indicator._meta.db_table,
    }
    columns = (
        "ancestor_id, period_id, kind, item, numbers, blanks, not_applicable, total, denominator"
    )
    some_periods = ", ".join(["%s"] * len(period_ids)) or "NULL"
    under = f"""
        JOIN {t["report"]} r ON r.id = v.report_id AND r.in_force
        JOIN {t["period"]} p ON p.id = r.period_id AND p.id IN ({some_periods})
        JOIN {t["closure"]} c ON c.descendant_id = r.unit_id AND c.valid_from <= p.cutoff
             AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)
    """
    # Table names come from the models' meta; every value is a query parameter.
    number, blank, na = ValueState.NUMBER, ValueState.BLANK, ValueState.NOT_APPLICABLE
    some = ", ".join(["%s"] * len(fields)) or "NULL"
    some_counted = ", ".join(["%s"] * len(counted)) or "NULL"
    field_rows = f"""INSERT INTO {t["total"]} ({columns})
        SELECT c.ancestor_id, r.period_id, 'field', v.field_id,
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               COALESCE(SUM(v.number), 0), 0
        FROM {t["value"]} v {under}
        WHERE v.field_id IN ({some})
          AND NOT (p.quarter < 4 AND v.field_id IN ({some_annual}))
        GROUP BY c.ancestor_id, r.period_id, v.field_id"""  # noqa: S608
    pair_rows = f"""INSERT INTO {t["total"]} ({columns})
        SELECT c.ancestor_id, r.period_id, 'pair', i.id, COUNT(*), 0, 0,
               SUM(v.number), SUM(d.number)
        FROM {t["indicator"]} i
        JOIN {t["value"]} v ON v.field_id = i.numerator_id AND v.state = %s
        JOIN {t["value"]} d ON d.report_id = v.report_id AND d.field_id = i.denominator_id
             AND d.state = %s
        {under}
        WHERE i.denominator_id IS NOT NULL
          AND NOT (p.quarter < 4 AND (v.field_id IN ({some_annual})
                                      OR d.field_id IN ({some_annual})))
        GROUP BY c.ancestor_id, r.period_id, i.id"""  # noqa: S608
    received_rows = f"""INSERT INTO {t["total"]} ({columns})
        SELECT c.ancestor_id, r.period_id, 'received', 0, COUNT(DISTINCT r.id), 0, 0, 0, 0
        FROM {t["value"]} v {under}
        WHERE v.field_id IN ({some_counted})
        GROUP BY c.ancestor_id, r.period_id"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            field_rows, [number, blank, na, *period_ids, *[f.pk for f in fields], *annual]
        )
        cursor.execute(pair_rows, [number, number, *period_ids, *annual, *annual])
        cursor.execute(received_rows, [*period_ids, *counted])
    expected_rebuild(period_ids)
    cutoffs = {str(p.pk): p.cutoff.isoformat() for p in chosen}
    pairs = [list(p) for p in built_pairs()]
    summed = [f.pk for f in fields]
    if state is None:
        RollupTotalsState.objects.create(
            closure_mark=closure_mark(), cutoffs=cutoffs, pairs=pairs, fields=summed, expected=True
        )
    elif periods is None:
        state.closure_mark, state.cutoffs = closure_mark(), cutoffs
        state.pairs, state.fields, state.expected = pairs, summed, True
        state.save()
    else:
        state.cutoffs = {**state.cutoffs, **cutoffs}
        state.save(update_fields=["cutoffs"])
    return RollupTotal.objects.filter(period_id__in=period_ids).count()


def covers_indicators(state: RollupTotalsState, indicators: Iterable[Indicator]) -> bool:
    """Whether the totals were built with every field and pair the indicators read."""
    pairs = {tuple(p) for p in state.pairs}
    fields = set(state.fields)
    for i in indicators:
        if i.numerator_id not in fields or (
            i.denominator_id is not None
            and (
                i.denominator_id not in fields
                or (i.pk, i.numerator_id, i.denominator_id) not in pairs
            )
        ):
            return False
    return True


def totals_complete() -> int | None:
    """Builds the totals when they were never built, lack an indicator's field or pair (an
    indicator added or changed since) or the expected-report counts; None when nothing was
    missing."""
    state = RollupTotalsState.objects.first()
    every = Indicator.objects.all()
    if state is not None and state.expected and covers_indicators(state, every):
        return None
    return totals_rebuild()


def built_pairs() -> list[tuple[int, int, int]]:
    """Every ratio indicator as (id, numerator field, denominator field): what a full rebuild
    sums pairs for."""
    rows = Indicator.objects.filter(denominator__isnull=False).order_by("pk")
    return list(rows.values_list("pk", "numerator_id", "denominator_id"))


def changed_cutoffs() -> list[ReportingPeriod] | None:
    """The quarters whose cut-off is not the one the totals were built with (new quarters
    included), or None when the totals were never built."""
    state = RollupTotalsState.objects.first()
    if state is None:
        return None
    periods = ReportingPeriod.objects.order_by("year", "quarter")
    return [p for p in periods if state.cutoffs.get(str(p.pk)) != p.cutoff.isoformat()]


def follow_calendar() -> int:
    """After a calendar change: rebuilds the quarters whose cut-off moved (a cut-off decides
    which tree a report is summed along). Nothing to do, and 0, without totals or changes."""
    changed = changed_cutoffs()
    if not changed:
        return 0
    return totals_rebuild(changed)


Key = tuple[int, int, str, int]  # ancestor, period, kind, item
Sums = list[int]  # numbers, blanks, not_applicable, total, denominator
Own = dict[tuple[str, int], Sums]  # (kind, item): what some reports add to each unit above
Place = tuple[int, int, dt.date]  # unit, period, cut-off: the reports there share ancestors
CHUNK = 2000  # ids per IN (...) list


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _own(report_ids: Iterable[int]) -> dict[Place, Own]:
    """What the reports add to every unit above them, summed per unit and period (four
    queries for up to 2,000 reports)."""
    reports: list[tuple[int, int, int, dt.date, int]] = []
    values: dict[int, dict[int, tuple[str, int | None]]] = defaultdict(dict)
    for chunk in _chunks(report_ids):
        reports += Report.objects.filter(pk__in=chunk).values_list(
            "pk", "unit_id", "period_id", "period__cutoff", "period__quarter"
        )
        for report_id, field_id, state, number in Value.objects.filter(
            report_id__in=chunk
        ).values_list("report_id", "field_id", "state", "number"):
            values[report_id][field_id] = (state, number)
    indicators = list(
        Indicator.objects.filter(denominator__isnull=False).values_list(
            "pk", "numerator_id", "denominator_id"
        )
    )
    summed = _summed_fields() if reports else []
    fields = {f.pk: f.province_only for f in summed}
    annual = {f.pk for f in summed if f.frequency == Frequency.ANNUAL}
    result: dict[Place, Own] = {}
    for report_id, unit_id, period_id, cutoff, quarter in reports:
        own = result.setdefault((unit_id, period_id, cutoff), {})
        # A figure reported once a year counts from a fourth quarter's report only.
        mine = {f: v for f, v in values[report_id].items() if quarter == 4 or f not in annual}
        for field_id, (state, number) in mine.items():
            if field_id not in fields:
                continue
            _add(
                own,
                (FIELD, field_id),
                [
                    int(state == ValueState.NUMBER),
                    int(state == ValueState.BLANK),
                    int(state == ValueState.NOT_APPLICABLE),
                    number or 0,
                    0,
                ],
            )
        for pk, num_id, den_id in indicators:
            n, d = mine.get(num_id), mine.get(den_id)
            if n and d and n[0] == ValueState.NUMBER and d[0] == ValueState.NUMBER:
                _add(own, (PAIR, pk), [1, 0, 0, n[1] or 0, d[1] or 0])
        if any(not fields.get(f, True) for f in mine):
            _add(own, (RECEIVED, 0), [1, 0, 0, 0, 0])
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
    for chunk in _chunks(unit_ids):
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
    own = _own(report_ids)
    above = _ancestors(own)
    sums: dict[Key, Sums] = {}
    for (unit_id, period_id, cutoff), items in own.items():
        for ancestor, times in above[(unit_id, cutoff)].items():
            for (kind, item), add in items.items():
                _add(sums, (ancestor, period_id, kind, item), add, times)
    return sums


def _upsert(delta: dict[Key, Sums]) -> None:
    """Adds the delta to the stored sums in one statement; rows left all zero are dropped
    (a full rebuild writes none)."""
    rows: list[tuple[int | str, ...]] = [
        (*key, *sums) for key, sums in sorted(delta.items()) if any(sums)
    ]
    if not rows:
        return
    table = RollupTotal._meta.db_table
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
        for chunk in _chunks(ancestors):
            RollupTotal.objects.filter(
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
    state row first (`_lock_totals`), so that a reorganisation moving totals waits for the
    approval, or the approval for it.
    """
    if not _lock_totals():
        return
    delta: dict[Key, Sums] = {}
    for sign, ids in ((1, [report.pk]), (-1, replaced)):
        for key, sums in _contributions(ids).items():
            _add(delta, key, sums, sign)
    _upsert(delta)


def follow_closure(unit_ids: frozenset[int] | None) -> Callable[[], None] | None:
    """Closure listener (registered in `RollupConfig.ready`): keeps the totals exact through
    a reorganisation, in its transaction.

    Called before the closure rows of `unit_ids` are replaced: keeps those rows and the
    closure mark. The returned callable, run once the new rows are in, locks the totals
    (`_lock_totals`: approvals that got there first have committed, later ones wait); then,
    if the totals were built against that mark, it sums the in-force
    reports of those units, takes the sums away from the units that were above them and adds
    them to the units now above them (one upsert), and marks the totals as built against the
    new closure. Totals already untrusted are left for `totals_rebuild`. A full closure
    rebuild (`unit_ids` None) rebuilds the totals, if they were ever built.
    """
    state = RollupTotalsState.objects.first()
    if state is None:
        return None
    if unit_ids is None:

        def rebuild() -> None:
            totals_rebuild()

        return rebuild
    # The mark first: a reorganisation committed between the two reads changes the mark, so
    # these rows are never taken for the ones the totals were built along.
    mark = closure_mark()
    old_rows = _closure_rows(unit_ids)
    # The units' assignments counted along their closure rows before the change.
    expected = expected_follow(unit_ids) if state.expected else None

    def move() -> None:
        states = _lock_totals()
        trusted = [s for s in states if s.closure_mark == mark]
        if not trusted:
            return
        if expected is not None:
            expected()
        report_ids: list[int] = []
        for chunk in _chunks(unit_ids):
            report_ids += Report.objects.filter(in_force=True, unit_id__in=chunk).values_list(
                "pk", flat=True
            )
        own = _own(report_ids)
        before, after = _ancestors(own, old_rows), _ancestors(own)
        delta: dict[Key, Sums] = {}
        for (unit_id, period_id, cutoff), items in own.items():
            old, new = before[(unit_id, cutoff)], after[(unit_id, cutoff)]
            for ancestor in old.keys() | new.keys():
                if times := new[ancestor] - old[ancestor]:
                    for (kind, item), add in items.items():
                        _add(delta, (ancestor, period_id, kind, item), add, times)
        _upsert(delta)
        RollupTotalsState.objects.filter(pk__in=[s.pk for s in trusted]).update(
            closure_mark=closure_mark()
        )

    return move


# Expected reports ------------------------------------------------------------------------------


def expected_counts(unit: Unit, periods: list[ReportingPeriod]) -> dict[tuple[int, int, bool], int]:
    """Expected reports per (year, quarter, province report?) in the unit's subtree as it was:
    the assignments covering each quarter whose unit existed at the cut-off and lay below
    `unit` then. One aggregate query, instead of every closure row below a national root."""
    return expected_counts_below([unit.pk], periods)[unit.pk]


def expected_counts_below(
    unit_ids: list[int], periods: list[ReportingPeriod]
) -> dict[int, dict[tuple[int, int, bool], int]]:
    """`expected_counts` for several units at once (the breakdown by reporting unit), in one
    query. It starts from each unit's closure rows, so a province's count reads the province's
    subtree rather than every assignment; a unit lies below another through
    at most one closure row on any date (the tree has one path at a time)."""
    counts: dict[int, dict[tuple[int, int, bool], int]] = defaultdict(lambda: defaultdict(int))
    if not unit_ids or not periods:
        return counts
    t = {
        "assignment": Assignment._meta.db_table,
        "period": ReportingPeriod._meta.db_table,
        "unit": Unit._meta.db_table,
        "closure": UnitClosure._meta.db_table,
    }
    sql = f"""
        SELECT c.ancestor_id, p.year, p.quarter, a.scope, COUNT(*)
        FROM {t["closure"]} c
        JOIN {t["assignment"]} a ON a.unit_id = c.descendant_id
        JOIN {t["period"]} p
             ON c.valid_from <= p.cutoff AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)
        JOIN {t["period"]} f ON f.id = a.first_period_id
        LEFT JOIN {t["period"]} l ON l.id = a.last_period_id
        JOIN {t["unit"]} u ON u.id = a.unit_id AND u.valid_from <= p.cutoff
             AND (u.valid_to IS NULL OR u.valid_to > p.cutoff)
        WHERE p.id IN ({", ".join(["%s"] * len(periods))})
          AND c.ancestor_id IN ({", ".join(["%s"] * len(unit_ids))})
          AND f.year * 10 + f.quarter <= p.year * 10 + p.quarter
          AND (l.id IS NULL OR l.year * 10 + l.quarter >= p.year * 10 + p.quarter)
        GROUP BY c.ancestor_id, p.year, p.quarter, a.scope"""  # noqa: S608 - tables from meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(p.pk for p in periods), *unit_ids])
        for ancestor, year, quarter, scope, n in cursor.fetchall():
            counts[ancestor][(year, quarter, scope == AssignmentScope.PROVINCE)] += n
    return counts
