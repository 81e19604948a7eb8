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
written in the transaction of every approval (`totals_follow.totals_apply`) and of every
reorganisation (`totals_follow.follow_closure`, a listener of `unions.closure`), so they are never
stale. A calendar change
moves cut-offs; `reports.assignments.periods_ensure` rebuilds the quarters whose cut-off moved
in its transaction (`follow_calendar`, a listener of
`reports.hooks`). The roll-up still checks both (`closure_mark`,
`cutoffs`) and reads raw values where they do not match; totals it stopped trusting are never
patched, only rebuilt (`manage.py rebuild_totals`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Max, Q

from reports.models import Assignment, AssignmentScope, ReportingPeriod
from targets.models import Field, Indicator
from unions.models import Unit, UnitClosure

from . import arithmetic as ar
from .expected import EXPECTED, expected_rebuild
from .models import Built, RollupTotal, RollupTotalsState, TodayTotalsState
from .totals_sql import totals_insert

Quarter = tuple[int, int]
S = TypeVar("S")
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
        if indicator.denominator_id is None:
            return field_figures(
                indicator, _within(self.fields.get(indicator.numerator_id, {}), keep)
            )
        return pair_figures(indicator, _within(self.pairs.get(indicator.pk, {}), keep))


def field_figures(indicator: Indicator, sums: dict[Quarter, FieldSum]) -> Figures:
    """A count's figures from its field's sums by quarter (`Table.figures`)."""
    total = field_total(sums, indicator.numerator.time_kind)
    value = Decimal(total.value) if total.value is not None else None
    return Figures(total.value, None, value, total.quarter, total.numbers)


def pair_figures(indicator: Indicator, pairs: dict[Quarter, PairSum]) -> Figures:
    """A ratio's figures from its paired sums by quarter (`Table.figures`)."""
    ratio, quarter = ratio_total(pairs, indicator.numerator.time_kind)
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
    if time_kind != "flow":  # the latest quarter's (a breakdown figures thousands of these)
        quarter = max(paired)
        latest = paired[quarter]
        return ar.Ratio(latest.numerator, latest.denominator, latest.reports), quarter
    chosen = list(paired.values())
    return (
        ar.Ratio(
            numerator=sum(s.numerator for s in chosen),
            denominator=sum(s.denominator for s in chosen),
            reports=sum(s.reports for s in chosen),
        ),
        None,
    )


def totals_read(
    unit: Unit, periods: list[ReportingPeriod], indicators: Iterable[Indicator] = ()
) -> Table | None:
    """The unit's totals for the periods, or None when the totals cannot be trusted (never
    built, the closure changed since, or one of `indicators` pairs fields the totals were not
    built with: a ratio indicator added or changed since). Two queries."""
    state = RollupTotalsState.objects.first()
    if state is None or not holds(state, indicators, periods):
        return None
    quarters = {p.pk: (p.year, p.quarter) for p in periods}
    table = Table(expected={} if state.expected else None)
    rows = RollupTotal.objects.filter(ancestor=unit, period_id__in=list(quarters)).values_list(
        "period_id", "kind", "item", "numbers", "blanks", "not_applicable", "total", "denominator"
    )
    for period_id, kind, item, numbers, blanks, na, total, den in rows:
        table_add(table, quarters[period_id], (kind, item), (numbers, blanks, na, total, den))
    return table


def holds(
    state: Built, indicators: Iterable[Indicator], periods: Iterable[ReportingPeriod]
) -> bool:
    """Whether sums built as `state` says still hold: the same closure (one query), every
    field and pair the indicators read, and the quarters' cut-offs (a calendar change since
    can move a report under other units)."""
    return (
        state.closure_mark == closure_mark()
        and covers_indicators(state, indicators)
        and all(state.cutoffs.get(str(p.pk)) == p.cutoff.isoformat() for p in periods)
    )


def table_add(
    table: Table, q: Quarter, what: tuple[str, int], sums: tuple[int, int, int, int, int]
) -> None:
    """One stored row (kind and item, its five sums) into the table."""
    (kind, item), (numbers, blanks, na, total, den) = what, sums
    if kind == FIELD:
        table.fields[item][q] = FieldSum(numbers, blanks, na, total)
    elif kind == PAIR:
        table.pairs[item][q] = PairSum(numbers, total, den)
    elif kind == EXPECTED:
        if table.expected is not None:
            table.expected[(*q, bool(item))] = numbers
    else:
        table.received[q] = numbers


# Writing ---------------------------------------------------------------------------------------


def summed_fields() -> list[Field]:
    """Every field an indicator of any programme reads: the totals serve every programme."""
    return list(
        Field.objects.filter(
            Q(numerator_of__isnull=False) | Q(denominator_of__isnull=False)
        ).distinct()
    )


def totals_lock() -> list[RollupTotalsState]:
    """Locks the totals' state row (PostgreSQL; SQLite has one writer anyway); none when the
    totals were never built.

    Whoever changes totals takes this lock first: an approval (`totals_follow.totals_apply`),
    a rebuild, a reorganisation (`totals_follow.follow_closure`, once its new closure rows are
    in). So an approval that comes after a reorganisation sums along the closure it committed,
    and a reorganisation that comes after an approval sees the report in force.
    """
    return list(RollupTotalsState.objects.select_for_update().order_by("pk")[:1])


@transaction.atomic
def totals_rebuild(periods: Iterable[ReportingPeriod] | None = None) -> int:
    """Rewrites the totals from the values, in three set-based queries (`totals_sql`).

    With `periods`, only those quarters' totals and cut-offs are rewritten (after a calendar
    change); the closure mark is then kept, so totals built against an older closure stay
    untrusted. Returns how many rows the rewritten quarters have.
    """
    every = ReportingPeriod.objects.all()
    chosen = list(every if periods is None else every.filter(pk__in=[p.pk for p in periods]))
    if periods is not None and not chosen:
        return 0
    state = next(iter(totals_lock()), None)
    period_ids = [p.pk for p in chosen]
    RollupTotal.objects.filter(period_id__in=period_ids).delete()
    fields = summed_fields()
    totals_insert(period_ids, fields)
    expected_rebuild(period_ids)
    _state_write(state, chosen, [f.pk for f in fields], whole=periods is None)
    # The sums kept along today's tree are rebuilt with them (`rollup.today_kept`).
    from .today_kept import today_expected_rebuild, today_rebuild

    if periods is None:
        today_rebuild()
    else:
        today_expected_rebuild(chosen)
    return RollupTotal.objects.filter(period_id__in=period_ids).count()


def _state_write(
    state: RollupTotalsState | None, chosen: list[ReportingPeriod], summed: list[int], whole: bool
) -> None:
    """Records what the totals were built with: the quarters' cut-offs, and after a whole
    rebuild the closure mark, the pairs and the fields."""
    cutoffs = {str(p.pk): p.cutoff.isoformat() for p in chosen}
    pairs = [list(p) for p in built_pairs()]
    if state is None:
        RollupTotalsState.objects.create(
            closure_mark=closure_mark(), cutoffs=cutoffs, pairs=pairs, fields=summed, expected=True
        )
    elif whole:
        state.closure_mark, state.cutoffs = closure_mark(), cutoffs
        state.pairs, state.fields, state.expected = pairs, summed, True
        state.save()
    else:
        state.cutoffs = {**state.cutoffs, **cutoffs}
        state.save(update_fields=["cutoffs"])


def covers_indicators(state: Built, indicators: Iterable[Indicator]) -> bool:
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
        today = TodayTotalsState.objects.first()
        if today is not None and covers_indicators(today, every):
            return None
        from .today_kept import today_rebuild  # the sums along today's tree alone are missing

        return today_rebuild()
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
