"""The sums along today's tree in SQL (`rollup.today_kept`): the same sums `today_sums.table_today`
and `today.expected_today` compute for one unit, but for every unit above each report at
once, as rows (ancestor, period, kind, item, numbers, blanks, not applicable, total,
denominator) the rebuild inserts and the writes take differences of.

A report (an assignment) of unit X counts for every unit above X's place today: X itself when
open, else where its values follow (kept in `TodayPlace`, rows only for closed units), through
the closure rows in force that day. Table names come from the models' meta; every value is a
query parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reports.models import Assignment, AssignmentScope, Report, ReportingPeriod, Value, ValueState
from targets.models import Field, Frequency, Indicator
from unions.models import UnitClosure

from .models import RollupTotal, TodayPlace, TodayTotal

COLUMNS = "ancestor_id, period_id, kind, item, numbers, blanks, not_applicable, total, denominator"
EXPECTED = RollupTotal.Kind.EXPECTED.value
Sql = tuple[str, list[Any]]


def _marks(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids)) or "NULL"


def placed(unit_column: str, day: dt.date) -> Sql:
    """Joins `c`, the closure rows in force on `day` above the place of the unit in
    `unit_column` (`m`: its kept place when it was closed)."""
    sql = f"""LEFT JOIN {TodayPlace._meta.db_table} m ON m.unit_id = {unit_column}
        JOIN {UnitClosure._meta.db_table} c ON c.descendant_id = COALESCE(m.place_id, {unit_column})
             AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)"""
    return sql, [day, day]


@dataclass(frozen=True)
class Scope:
    """What is summed: the day, the reports (a condition on `r`, with its parameters; all in
    force when None), every summed field, the counted ones, the annual ones."""

    day: dt.date
    reports: Sql | None
    fields: list[int]
    counted: list[int]
    annual: list[int]

    @classmethod
    def of(cls, day: dt.date, reports: Sql | None, fields: list[Field]) -> Scope:
        return cls(
            day=day,
            reports=reports,
            fields=[f.pk for f in fields] or [0],
            counted=[f.pk for f in fields if not f.province_only] or [0],
            # A figure reported once a year counts from a fourth quarter's report only.
            annual=[f.pk for f in fields if f.frequency == Frequency.ANNUAL] or [0],
        )

    def under(self) -> Sql:
        """From a value `v` to its report `r`, quarter `p` and closure rows `c`."""
        join, params = placed("r.unit_id", self.day)
        which, which_params = self.reports or ("r.in_force", [])
        sql = f"""JOIN {Report._meta.db_table} r ON r.id = v.report_id AND {which}
            JOIN {ReportingPeriod._meta.db_table} p ON p.id = r.period_id {join}"""
        return sql, [*which_params, *params]


def field_rows(scope: Scope) -> Sql:
    under, params = scope.under()
    sql = f"""SELECT c.ancestor_id, r.period_id, 'field', v.field_id,
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               COALESCE(SUM(v.number), 0), 0
        FROM {Value._meta.db_table} v {under}
        WHERE v.field_id IN ({_marks(scope.fields)})
          AND NOT (p.quarter < 4 AND v.field_id IN ({_marks(scope.annual)}))
        GROUP BY c.ancestor_id, r.period_id, v.field_id"""  # noqa: S608
    states = [ValueState.NUMBER, ValueState.BLANK, ValueState.NOT_APPLICABLE]
    return sql, [*states, *params, *scope.fields, *scope.annual]


def pair_rows(scope: Scope) -> Sql:
    under, params = scope.under()
    value, annual = Value._meta.db_table, _marks(scope.annual)
    sql = f"""SELECT c.ancestor_id, r.period_id, 'pair', i.id, COUNT(*), 0, 0,
               SUM(v.number), SUM(d.number)
        FROM {Indicator._meta.db_table} i
        JOIN {value} v ON v.field_id = i.numerator_id AND v.state = %s
        JOIN {value} d ON d.report_id = v.report_id AND d.field_id = i.denominator_id
             AND d.state = %s
        {under}
        WHERE i.denominator_id IS NOT NULL
          AND NOT (p.quarter < 4 AND (v.field_id IN ({annual}) OR d.field_id IN ({annual})))
        GROUP BY c.ancestor_id, r.period_id, i.id"""  # noqa: S608
    number = ValueState.NUMBER
    return sql, [number, number, *params, *scope.annual, *scope.annual]


def received_rows(scope: Scope) -> Sql:
    under, params = scope.under()
    sql = f"""SELECT c.ancestor_id, r.period_id, 'received', 0, COUNT(DISTINCT r.id), 0, 0, 0, 0
        FROM {Value._meta.db_table} v {under}
        WHERE v.field_id IN ({_marks(scope.counted)})
          AND NOT (p.quarter < 4 AND v.field_id IN ({_marks(scope.annual)}))
        GROUP BY c.ancestor_id, r.period_id"""  # noqa: S608
    return sql, [*params, *scope.counted, *scope.annual]


def expected_rows(day: dt.date, where: Sql, period_ids: list[int] | None = None) -> Sql:
    """The reports expected per (ancestor, quarter, province report?) from the assignments
    that pass `where` (on `a`): each quarter an assignment covers while its unit existed on
    the cut-off (its own closure row, which a reorganisation rewrites with the rest)."""
    t = {
        "assignment": Assignment._meta.db_table,
        "period": ReportingPeriod._meta.db_table,
        "closure": UnitClosure._meta.db_table,
    }
    join, params = placed("a.unit_id", day)
    quarters, quarter_params = "", []
    if period_ids is not None:
        quarters, quarter_params = f"AND p.id IN ({_marks(period_ids)})", list(period_ids)
    item = "CASE WHEN a.scope = %s THEN 1 ELSE 0 END"
    sql = f"""SELECT c.ancestor_id, p.id, '{EXPECTED}', {item}, COUNT(*), 0, 0, 0, 0
        FROM {t["assignment"]} a
        JOIN {t["period"]} f ON f.id = a.first_period_id
        LEFT JOIN {t["period"]} l ON l.id = a.last_period_id
        JOIN {t["period"]} p ON f.year * 10 + f.quarter <= p.year * 10 + p.quarter
             AND (l.id IS NULL OR l.year * 10 + l.quarter >= p.year * 10 + p.quarter)
             {quarters}
        JOIN {t["closure"]} s ON s.descendant_id = a.unit_id AND s.ancestor_id = a.unit_id
             AND s.valid_from <= p.cutoff AND (s.valid_to IS NULL OR s.valid_to > p.cutoff)
        {join}
        WHERE {where[0]}
        GROUP BY c.ancestor_id, p.id, {item}"""  # noqa: S608
    province = AssignmentScope.PROVINCE.value
    return sql, [province, *quarter_params, *params, *where[1], province]


def insert(select: Sql) -> Sql:
    """The rows of `select` written into the kept sums."""
    return f"INSERT INTO {TodayTotal._meta.db_table} ({COLUMNS}) {select[0]}", select[1]
