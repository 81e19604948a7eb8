"""Approved figures along today's tree, summed in the database (`table_today`).

The tree as it was has pre-summed totals per ancestor (`rollup.totals`); today's tree places
closed units under their successors, which no stored total follows. Rather than reading every
value below the unit into Python, the same sums the totals keep (per field and quarter: numbers,
blanks, "not applicable", the sum; per ratio indicator and quarter: the reports that gave both
figures and their sums; the reports received) are computed by three aggregate queries over
the reports below the unit today (`rollup.today`), and the roll-up reads them as it reads
the totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from reports.models import Report, ReportingPeriod, Value, ValueState
from targets.models import Field, Frequency, Indicator
from unions.models import Unit, UnitClosure

from . import totals
from .today import followed_below, ids_in


def _some(items: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(items)) or "NULL"


def table_today(
    unit: Unit,
    periods: list[ReportingPeriod],
    indicators: Sequence[Indicator],
    fields: Sequence[Field],
    today: dt.date,
    *,
    followed: list[int] | None = None,
) -> totals.Table:
    """The sums of the in-force reports below `unit` along today's tree (three queries).
    `followed`: `rollup.today.followed_below` for the unit and day, when already read."""
    followed = followed_below(unit, today) if followed is None else followed
    followed_sql, followed_params = ids_in("r.unit_id", followed or [0])
    t = {
        "report": Report._meta.db_table,
        "period": ReportingPeriod._meta.db_table,
        "closure": UnitClosure._meta.db_table,
    }
    pids = [p.pk for p in periods]
    under = f"""JOIN {t["report"]} r ON r.id = v.report_id AND r.in_force
        JOIN {t["period"]} p ON p.id = r.period_id AND p.id IN ({_some(pids)})
        WHERE (r.unit_id IN (SELECT descendant_id FROM {t["closure"]} WHERE ancestor_id = %s
                             AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s))
               OR {followed_sql})"""  # noqa: S608 - tables from meta
    where: list[Any] = [*pids, unit.pk, today, today, *followed_params]
    # A figure reported once a year counts from a fourth quarter's report only.
    annual = [f.pk for f in fields if f.frequency == Frequency.ANNUAL] or [0]
    table = totals.Table()
    _field_sums(table, under, where, [f.pk for f in fields] or [0], annual)
    ratios = [i.pk for i in indicators if i.denominator_id is not None]
    if ratios:
        _pair_sums(table, under, where, ratios, annual)
    counted = [f.pk for f in fields if not f.province_only] or [0]
    table.received = _received(under, where, counted, annual)
    return table


def _received(
    under: str, where: list[Any], counted: list[int], annual: list[int]
) -> dict[tuple[int, int], int]:
    sql = f"""SELECT p.year, p.quarter, COUNT(DISTINCT r.id) FROM {Value._meta.db_table} v
        {under} AND v.field_id IN ({_some(counted)}) AND NOT (p.quarter < 4 AND v.field_id IN
        ({_some(annual)})) GROUP BY p.year, p.quarter"""  # noqa: S608 - tables from meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [*where, *counted, *annual])
        return {(y, q): n for y, q, n in cursor.fetchall()}


def _field_sums(
    table: totals.Table, under: str, where: list[Any], fields: list[int], annual: list[int]
) -> None:
    number, blank, na = ValueState.NUMBER, ValueState.BLANK, ValueState.NOT_APPLICABLE
    sql = f"""SELECT v.field_id, p.year, p.quarter,
            SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN v.state = %s THEN 1 ELSE 0 END), COALESCE(SUM(v.number), 0)
        FROM {Value._meta.db_table} v {under}
        AND v.field_id IN ({_some(fields)})
        AND NOT (p.quarter < 4 AND v.field_id IN ({_some(annual)}))
        GROUP BY v.field_id, p.year, p.quarter"""  # noqa: S608 - tables from meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [number, blank, na, *where, *fields, *annual])
        for field_id, year, quarter, numbers, blanks, nas, total in cursor.fetchall():
            table.fields[field_id][(year, quarter)] = totals.FieldSum(
                int(numbers), int(blanks), int(nas), int(total)
            )


def _pair_sums(
    table: totals.Table, under: str, where: list[Any], ratios: list[int], annual: list[int]
) -> None:
    number = ValueState.NUMBER
    sql = f"""SELECT i.id, p.year, p.quarter, COUNT(*), SUM(v.number), SUM(d.number)
        FROM {Indicator._meta.db_table} i
        JOIN {Value._meta.db_table} v ON v.field_id = i.numerator_id AND v.state = %s
        JOIN {Value._meta.db_table} d ON d.report_id = v.report_id
             AND d.field_id = i.denominator_id AND d.state = %s
        {under}
        AND i.id IN ({_some(ratios)})
        AND NOT (p.quarter < 4 AND (v.field_id IN ({_some(annual)})
                                    OR d.field_id IN ({_some(annual)})))
        GROUP BY i.id, p.year, p.quarter"""  # noqa: S608 - tables from meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [number, number, *where, *ratios, *annual, *annual])
        for pk, year, quarter, reports, num, den in cursor.fetchall():
            table.pairs[pk][(year, quarter)] = totals.PairSum(int(reports), int(num), int(den))
