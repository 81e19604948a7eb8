"""Expected-report counts kept with the totals: the reports expected per ancestor unit and
quarter, along the tree as it was.

Counting them on every request reads every assignment and closure row below the unit (at
national size most of the overview's SQL). They change only when an assignment, the tree or
the calendar changes, so they are kept as `expected` rows of `RollupTotal` and written in those
transactions:

- an assignment change (`reports.hooks.assignments_changing`) and a reorganisation
  (`totals_follow.follow_closure`) take what the units' assignments added to every unit above them
  before the change and add what they add after it (`expected_follow`);
- a calendar change rebuilds the quarters whose cut-off moved (`totals.totals_rebuild`).

A unit counts an assignment for a quarter when the assignment covers the quarter, the
assigned unit existed on the quarter's cut-off (its own closure row, so a reorganisation's
old and new counts both come from the closure) and lay below it then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection

from lib.sql import chunks
from reports.models import Assignment, AssignmentScope, ReportingPeriod
from unions.models import UnitClosure

from .models import RollupTotal, RollupTotalsState, TodayTotal

EXPECTED = RollupTotal.Kind.EXPECTED.value
ExpectedKey = tuple[int, int, int]  # ancestor, period, 1 for the province's own report
Counts = dict[int, dict[tuple[int, int, bool], int]]  # unit → (year, quarter, province?) → n


def _select(where: str) -> str:
    """The counts per (ancestor, period, province?) of the assignments that pass `where`."""
    t = {
        "assignment": Assignment._meta.db_table,
        "period": ReportingPeriod._meta.db_table,
        "closure": UnitClosure._meta.db_table,
    }
    return f"""
        SELECT c.ancestor_id AS ancestor, p.id AS period,
               CASE WHEN a.scope = %s THEN 1 ELSE 0 END AS item, COUNT(*) AS n
        FROM {t["assignment"]} a
        JOIN {t["period"]} f ON f.id = a.first_period_id
        LEFT JOIN {t["period"]} l ON l.id = a.last_period_id
        JOIN {t["period"]} p ON f.year * 10 + f.quarter <= p.year * 10 + p.quarter
             AND (l.id IS NULL OR l.year * 10 + l.quarter >= p.year * 10 + p.quarter)
        JOIN {t["closure"]} s ON s.descendant_id = a.unit_id AND s.ancestor_id = a.unit_id
             AND s.valid_from <= p.cutoff AND (s.valid_to IS NULL OR s.valid_to > p.cutoff)
        JOIN {t["closure"]} c ON c.descendant_id = a.unit_id
             AND c.valid_from <= p.cutoff AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)
        WHERE {where}
        GROUP BY c.ancestor_id, p.id, CASE WHEN a.scope = %s THEN 1 ELSE 0 END"""  # noqa: S608


def expected_rebuild(period_ids: list[int] | None = None) -> None:
    """Rewrites the counts of the quarters (of every quarter when None), in one statement."""
    rows = RollupTotal.objects.filter(kind=EXPECTED)
    if period_ids is not None:
        rows = rows.filter(period_id__in=period_ids)
    rows.delete()
    where, params = "TRUE", []
    if period_ids is not None:
        where = f"p.id IN ({', '.join(['%s'] * len(period_ids)) or 'NULL'})"
        params = list(period_ids)
    columns = "ancestor_id, period_id, kind, item, numbers, blanks, not_applicable, total, "
    sql = f"""INSERT INTO {RollupTotal._meta.db_table} ({columns} denominator)
        SELECT ancestor, period, %s, item, n, 0, 0, 0, 0 FROM ({_select(where)}) counted"""  # noqa: S608 - tables from meta
    province = AssignmentScope.PROVINCE.value
    with connection.cursor() as cursor:
        cursor.execute(sql, [EXPECTED, province, *params, province])


def expected_of(unit_ids: Iterable[int]) -> dict[ExpectedKey, int]:
    """What the assignments of the units add to every unit above them, per quarter (one
    query for up to 2,000 units)."""
    found: dict[ExpectedKey, int] = defaultdict(int)
    province = AssignmentScope.PROVINCE.value
    for chunk in chunks(unit_ids):
        sql = _select(f"a.unit_id IN ({', '.join(['%s'] * len(chunk))})")
        with connection.cursor() as cursor:
            cursor.execute(sql, [province, *chunk, province])
            for ancestor, period_id, item, n in cursor.fetchall():
                found[(ancestor, period_id, item)] += n
    return found


def _apply(before: dict[ExpectedKey, int], after: dict[ExpectedKey, int]) -> None:
    """Adds after − before to the stored counts (one statement); emptied rows are dropped."""
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in before.keys() | after.keys()}
    rows = [(*key, n) for key, n in sorted(delta.items()) if n]
    if not rows:
        return
    table = RollupTotal._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""INSERT INTO {table} (ancestor_id, period_id, kind, item, numbers, blanks,
                not_applicable, total, denominator)
            VALUES (%s, %s, '{EXPECTED}', %s, %s, 0, 0, 0, 0)
            ON CONFLICT (ancestor_id, period_id, kind, item) DO UPDATE SET
                numbers = {table}.numbers + excluded.numbers""",  # noqa: S608
            rows,
        )
    if any(n < 0 for n in delta.values()):
        for chunk in chunks({key[0] for key in delta}):
            RollupTotal.objects.filter(kind=EXPECTED, ancestor_id__in=chunk, numbers=0).delete()


def expected_follow(unit_ids: Iterable[int]) -> Callable[[], None]:
    """Called before the units' assignments or closure rows change: returns what, called
    after the change, brings the stored counts up to date."""
    units = frozenset(unit_ids)
    before = expected_of(units)

    def follow() -> None:
        _apply(before, expected_of(units))

    return follow


def expected_read(
    unit_ids: list[int],
    periods: list[ReportingPeriod],
    model: type[RollupTotal | TodayTotal] = RollupTotal,
) -> Counts:
    """The stored counts of the units for the quarters (one query), of the totals or of the
    sums kept along today's tree."""
    quarters = {p.pk: (p.year, p.quarter) for p in periods}
    counts: Counts = defaultdict(lambda: defaultdict(int))
    rows = model.objects.filter(
        kind=EXPECTED, ancestor_id__in=unit_ids, period_id__in=list(quarters)
    ).values_list("ancestor_id", "period_id", "item", "numbers")
    for ancestor, period_id, item, n in rows:
        counts[ancestor][(*quarters[period_id], bool(item))] += n
    return counts


def follow_assignments(unit_ids: frozenset[int] | None) -> Callable[[], None] | None:
    """Assignment listener (registered in `RollupConfig.ready`): keeps the counts through a
    change to the units' assignments, in its transaction (all counts rebuilt when every
    assignment changes). Locks the totals' state row first, as approvals and
    reorganisations do; nothing to do while the counts are not kept."""
    states = list(
        RollupTotalsState.objects.select_for_update().filter(expected=True).order_by("pk")[:1]
    )
    if not states:
        return None
    if unit_ids is None:
        return expected_rebuild
    return expected_follow(unit_ids)
