"""Provisional figures, summed in the database: the approved sums, with each submitted revision
in place of the approved one it corrects.

A quarter's figures count from the approved revision in force; with provisional figures, a
unit's latest revision counts instead when it is submitted (awaiting approval). So the
provisional sums are the approved ones (the pre-summed totals, or today's tree's sums) plus a
correction over the few reports awaiting approval: each submitted latest revision added, the
revision in force of the same unit and quarter taken away. The correction is the same
aggregate the totals keep (per field and quarter: numbers, blanks, "not applicable", the sum;
per ratio indicator and quarter: the paired reports and their sums; the reports received),
signed, plus which fields got a number from a report not yet approved (the figure is then
marked provisional). Its queries read the reports awaiting approval through the index on
(period, status), never every value of the term.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from reports.models import Report, ReportingPeriod, ReportStatus, Value, ValueState
from targets.models import Field, Frequency, Indicator
from unions.models import UnitClosure

from . import totals
from .today import ids_in
from .today_sql import placed

Quarter = tuple[int, int]
Marks = dict[int, set[Quarter]]  # field → quarters a report awaiting approval gave a number in


def _some(items: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(items)) or "NULL"


@dataclass(frozen=True)
class Place:
    """Where the corrected reports are summed: SQL joined after `r` (report) and `p`
    (period), a condition on them, and the unit summed for (the first column)."""

    join: str
    where: str
    params: list[Any]  # the join's, then the condition's
    unit: str
    unit_params: list[Any]


def below_as_was(unit_ids: Sequence[int] | None) -> Place:
    """Below each of the units (every unit when None) at the report's cut-off (the tree as
    it was)."""
    closure = UnitClosure._meta.db_table
    join = f"""JOIN {closure} c ON c.descendant_id = r.unit_id AND c.valid_from <= p.cutoff
        AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)"""
    if unit_ids is None:
        return Place(join, "", [], "c.ancestor_id", [])
    join += f" AND c.ancestor_id IN ({_some(unit_ids)})"
    return Place(join, "", list(unit_ids), "c.ancestor_id", [])


def below_today(unit_id: int, today: dt.date, followed: Sequence[int]) -> Place:
    """Below the unit along today's tree (`rollup.today`): open below it today, or closed
    units whose values follow into its subtree."""
    closure = UnitClosure._meta.db_table
    wanted, params = ids_in("r.unit_id", list(followed) or [0])
    where = f"""AND (r.unit_id IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = %s
                   AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s))
               OR {wanted})"""  # noqa: S608 - tables from meta
    return Place("", where, [unit_id, today, today, *params], "CAST(%s AS INTEGER)", [unit_id])


def below_kept(unit_id: int | None, today: dt.date) -> Place:
    """Below the unit (every unit when None) along today's tree, through the places kept
    with the sums along it (`rollup.today_kept`): a join instead of the list of the closed
    units that follow."""
    join, params = placed("r.unit_id", today)
    if unit_id is None:
        return Place(join, "", params, "c.ancestor_id", [])
    return Place(f"{join} AND c.ancestor_id = %s", "", [*params, unit_id], "c.ancestor_id", [])


@dataclass
class Correction:
    """What replacing approved revisions by submitted ones changes, per unit summed for."""

    tables: dict[int, totals.Table] = field(default_factory=lambda: defaultdict(totals.Table))
    marks: dict[int, Marks] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))


def _reports(period_ids: list[int]) -> tuple[str, list[Any]]:
    """The reports the correction reads, each with its sign: +1 a submitted latest revision,
    −1 the revision in force it would replace."""
    report = Report._meta.db_table
    submitted = ReportStatus.SUBMITTED.value
    sql = f"""WITH s AS (SELECT id, unit_id, period_id FROM {report}
            WHERE status = %s AND is_latest AND period_id IN ({_some(period_ids)})),
        k AS (SELECT id, 1 AS sign FROM s
              UNION ALL SELECT f.id, -1 FROM {report} f
              JOIN s ON f.unit_id = s.unit_id AND f.period_id = s.period_id AND f.in_force)
        """  # noqa: S608 - tables from meta
    return sql, [submitted, *period_ids]


def correction(
    place: Place,
    periods: list[ReportingPeriod],
    indicators: Sequence[Indicator],
    fields: Sequence[Field],
) -> Correction:
    """The signed sums of the reports awaiting approval and of the ones they replace (three
    queries, each over those reports only)."""
    found = Correction()
    if not periods:
        return found
    head, head_params = _reports([p.pk for p in periods])
    base = Query(head, head_params, place)
    annual = [f.pk for f in fields if f.frequency == Frequency.ANNUAL] or [0]
    _fields(found, base, [f.pk for f in fields] or [0], annual)
    ratios = [i.pk for i in indicators if i.denominator_id is not None]
    if ratios:
        _pairs(found, base, ratios, annual)
    counted = [f.pk for f in fields if not f.province_only] or [0]
    _received(found, base, counted, annual)
    return found


@dataclass(frozen=True)
class Query:
    head: str
    head_params: list[Any]
    place: Place

    def run(self, select: Sql, joins: Sql, tail: Sql) -> list[tuple[Any, ...]]:
        """The corrected reports' values `v` (with `k.sign`, report `r`, period `p`):
        SELECT unit, `select` ... `joins` ... WHERE `tail` (which groups by 1 first)."""
        place = self.place
        sql = f"""{self.head} SELECT {place.unit}, {select[0]} FROM {Value._meta.db_table} v
            JOIN k ON k.id = v.report_id
            JOIN {Report._meta.db_table} r ON r.id = v.report_id
            JOIN {ReportingPeriod._meta.db_table} p ON p.id = r.period_id
            {joins[0]} {place.join} WHERE TRUE {place.where} {tail[0]}"""  # noqa: S608 - tables from meta
        params = [*self.head_params, *place.unit_params, *select[1], *joins[1]]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *place.params, *tail[1]])
            return list(cursor.fetchall())


Sql = tuple[str, list[Any]]


def _fields(found: Correction, base: Query, fields: list[int], annual: list[int]) -> None:
    number, blank, na = ValueState.NUMBER, ValueState.BLANK, ValueState.NOT_APPLICABLE
    select = """v.field_id, p.year, p.quarter,
        SUM(k.sign * CASE WHEN v.state = %s THEN 1 ELSE 0 END),
        SUM(k.sign * CASE WHEN v.state = %s THEN 1 ELSE 0 END),
        SUM(k.sign * CASE WHEN v.state = %s THEN 1 ELSE 0 END),
        SUM(k.sign * COALESCE(v.number, 0)),
        SUM(CASE WHEN k.sign > 0 AND v.state = %s THEN 1 ELSE 0 END)"""
    tail = f"""AND v.field_id IN ({_some(fields)})
        AND NOT (p.quarter < 4 AND v.field_id IN ({_some(annual)}))
        GROUP BY 1, v.field_id, p.year, p.quarter"""
    rows = base.run((select, [number, blank, na, number]), ("", []), (tail, [*fields, *annual]))
    for unit, field_id, year, quarter, numbers, blanks, nas, total, awaiting in rows:
        by_quarter = found.tables[int(unit)].fields[field_id]
        sums = by_quarter.setdefault((year, quarter), totals.FieldSum())
        sums.numbers += int(numbers)
        sums.blanks += int(blanks)
        sums.not_applicable += int(nas)
        sums.total += int(total)
        if awaiting:
            found.marks[int(unit)][field_id].add((year, quarter))


def _pairs(found: Correction, base: Query, ratios: list[int], annual: list[int]) -> None:
    number = ValueState.NUMBER
    select = "i.id, p.year, p.quarter, SUM(k.sign), SUM(k.sign * v.number), SUM(k.sign * d.number)"
    joins = f"""JOIN {Indicator._meta.db_table} i ON i.numerator_id = v.field_id
        AND i.id IN ({_some(ratios)})
        JOIN {Value._meta.db_table} d ON d.report_id = v.report_id
             AND d.field_id = i.denominator_id AND d.state = %s"""
    tail = f"""AND v.state = %s AND NOT (p.quarter < 4 AND (v.field_id IN ({_some(annual)})
        OR d.field_id IN ({_some(annual)})))
        GROUP BY 1, i.id, p.year, p.quarter"""
    rows = base.run((select, []), (joins, [*ratios, number]), (tail, [number, *annual, *annual]))
    for unit, pk, year, quarter, reports, num, den in rows:
        sums = found.tables[int(unit)].pairs[pk].setdefault((year, quarter), totals.PairSum())
        sums.reports += int(reports)
        sums.numerator += int(num)
        sums.denominator += int(den)


def _received(found: Correction, base: Query, counted: list[int], annual: list[int]) -> None:
    tail = f"""AND v.field_id IN ({_some(counted)})
        AND NOT (p.quarter < 4 AND v.field_id IN ({_some(annual)}))
        GROUP BY 1, p.year, p.quarter, k.sign"""
    select = "p.year, p.quarter, k.sign, COUNT(DISTINCT r.id)"
    rows = base.run((select, []), ("", []), (tail, [*counted, *annual]))
    for unit, year, quarter, sign, n in rows:
        received = found.tables[int(unit)].received
        received[(year, quarter)] = received.get((year, quarter), 0) + int(sign) * int(n)


def corrected(table: totals.Table, delta: totals.Table) -> totals.Table:
    """The approved sums with the correction added (a new table; `table` is left alone)."""
    out = totals.Table(expected=table.expected)
    for item, by_quarter in table.fields.items():
        out.fields[item] = {q: totals.FieldSum(**vars(s)) for q, s in by_quarter.items()}
    for pk, pairs in table.pairs.items():
        out.pairs[pk] = {q: totals.PairSum(**vars(p)) for q, p in pairs.items()}
    out.received = dict(table.received)
    for item, by_quarter in delta.fields.items():
        for q, s in by_quarter.items():
            into = out.fields[item].setdefault(q, totals.FieldSum())
            into.numbers += s.numbers
            into.blanks += s.blanks
            into.not_applicable += s.not_applicable
            into.total += s.total
    for pk, by_pair in delta.pairs.items():
        for q, p in by_pair.items():
            pair = out.pairs[pk].setdefault(q, totals.PairSum())
            pair.reports += p.reports
            pair.numerator += p.numerator
            pair.denominator += p.denominator
    for q, n in delta.received.items():
        out.received[q] = out.received.get(q, 0) + n
    return out
