"""The set-based rewrite of the totals: three `INSERT … SELECT` statements that sum the
in-force values of some quarters per ancestor unit along the tree as it was (the closure row in
force on each quarter's cut-off). `totals.totals_rebuild` deletes the quarters' rows and calls
`totals_insert`; the rules the sums keep are in `totals`' docstring.

Table names come from the models' meta; every value is a query parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from reports.models import Report, ReportingPeriod, Value, ValueState
from targets.models import Field, Frequency, Indicator
from unions.models import UnitClosure

from .models import RollupTotal

COLUMNS = "ancestor_id, period_id, kind, item, numbers, blanks, not_applicable, total, denominator"


def _marks(ids: list[int]) -> str:
    """`%s, %s, …` for an IN list of the ids (`NULL` for none: matches nothing)."""
    return ", ".join(["%s"] * len(ids)) or "NULL"


@dataclass(frozen=True)
class Scope:
    """What a rewrite sums: the quarters, every summed field, those counted as a received
    report (not the province's own), and those reported once a year."""

    period_ids: list[int]
    fields: list[int]
    counted: list[int]
    annual: list[int]

    @classmethod
    def of(cls, period_ids: list[int], fields: list[Field]) -> Scope:
        return cls(
            period_ids=period_ids,
            fields=[f.pk for f in fields],
            counted=[f.pk for f in fields if not f.province_only],
            # A figure reported once a year counts from a fourth quarter's report only.
            annual=[f.pk for f in fields if f.frequency == Frequency.ANNUAL] or [0],
        )

    def under(self) -> str:
        """The joins from a value `v` to its in-force report `r`, quarter `p` and every
        closure row `c` above the report's unit on the cut-off."""
        return f"""
        JOIN {Report._meta.db_table} r ON r.id = v.report_id AND r.in_force
        JOIN {ReportingPeriod._meta.db_table} p ON p.id = r.period_id
             AND p.id IN ({_marks(self.period_ids)})
        JOIN {UnitClosure._meta.db_table} c ON c.descendant_id = r.unit_id
             AND c.valid_from <= p.cutoff AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)
    """


def _field_rows(scope: Scope) -> tuple[str, list[int | str]]:
    """Per field: how many reports gave a number, a blank, "not applicable", and the sum."""
    sql = f"""INSERT INTO {RollupTotal._meta.db_table} ({COLUMNS})
        SELECT c.ancestor_id, r.period_id, 'field', v.field_id,
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
               COALESCE(SUM(v.number), 0), 0
        FROM {Value._meta.db_table} v {scope.under()}
        WHERE v.field_id IN ({_marks(scope.fields)})
          AND NOT (p.quarter < 4 AND v.field_id IN ({_marks(scope.annual)}))
        GROUP BY c.ancestor_id, r.period_id, v.field_id"""  # noqa: S608
    states = [ValueState.NUMBER, ValueState.BLANK, ValueState.NOT_APPLICABLE]
    return sql, [*states, *scope.period_ids, *scope.fields, *scope.annual]


def _pair_rows(scope: Scope) -> tuple[str, list[int | str]]:
    """Per ratio indicator: the reports that gave both numbers, and their sums."""
    value, annual = Value._meta.db_table, _marks(scope.annual)
    sql = f"""INSERT INTO {RollupTotal._meta.db_table} ({COLUMNS})
        SELECT c.ancestor_id, r.period_id, 'pair', i.id, COUNT(*), 0, 0,
               SUM(v.number), SUM(d.number)
        FROM {Indicator._meta.db_table} i
        JOIN {value} v ON v.field_id = i.numerator_id AND v.state = %s
        JOIN {value} d ON d.report_id = v.report_id AND d.field_id = i.denominator_id
             AND d.state = %s
        {scope.under()}
        WHERE i.denominator_id IS NOT NULL
          AND NOT (p.quarter < 4 AND (v.field_id IN ({annual})
                                      OR d.field_id IN ({annual})))
        GROUP BY c.ancestor_id, r.period_id, i.id"""  # noqa: S608
    number = ValueState.NUMBER
    return sql, [number, number, *scope.period_ids, *scope.annual, *scope.annual]


def _received_rows(scope: Scope) -> tuple[str, list[int | str]]:
    """Per unit and quarter: the reports received (with a value of a counted field)."""
    sql = f"""INSERT INTO {RollupTotal._meta.db_table} ({COLUMNS})
        SELECT c.ancestor_id, r.period_id, 'received', 0, COUNT(DISTINCT r.id), 0, 0, 0, 0
        FROM {Value._meta.db_table} v {scope.under()}
        WHERE v.field_id IN ({_marks(scope.counted)})
        GROUP BY c.ancestor_id, r.period_id"""  # noqa: S608
    return sql, [*scope.period_ids, *scope.counted]


def totals_insert(period_ids: list[int], fields: list[Field]) -> None:
    """Writes the field, pair and received rows of the quarters (whose rows are gone)."""
    scope = Scope.of(period_ids, fields)
    with connection.cursor() as cursor:
        for sql, params in (_field_rows(scope), _pair_rows(scope), _received_rows(scope)):
            cursor.execute(sql, params)
