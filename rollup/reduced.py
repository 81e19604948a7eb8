"""A unit's totals as a breakdown reads them (`breakdown_totals.tables_read`): already reduced
in the database to one row per item (a flow summed over the quarters, a stock's latest
quarter with a number), kept as those rows. A national breakdown reads thousands of units and
shows 100: every row needs its figures (sorting, the line that adds them up), made from these
rows by the same rules as a `totals.Table`'s (`field_figures`, `pair_figures`); the full table
that a row's result reads is made for the rows shown only. Fewer objects alive while the rows
are made is less for the garbage collector to go over: most of a national page's time."""

from __future__ import annotations

from targets.models import Indicator

from .totals import (
    FIELD,
    PAIR,
    FieldSum,
    Figures,
    PairSum,
    Quarter,
    Table,
    field_figures,
    pair_figures,
)

Row = tuple[str, int, Quarter, int, int, int]  # kind, item, quarter, numbers, total, denominator


class Reduced(list[Row]):
    """One unit's reduced totals: its rows (kind, item, quarter, numbers, total, denominator),
    the list itself (one object a unit less for the collector than a list inside an object)."""

    __slots__ = ()

    def figures(self, indicator: Indicator) -> Figures:
        """As `Table.figures` over every quarter read, from the indicator's one row."""
        if indicator.denominator_id is None:
            for kind, item, quarter, n, t, _d in self:
                if kind == FIELD and item == indicator.numerator_id:
                    return field_figures(indicator, {quarter: FieldSum(numbers=n, total=t)})
            return field_figures(indicator, {})
        for kind, item, quarter, n, t, d in self:
            if kind == PAIR and item == indicator.pk:
                return pair_figures(indicator, {quarter: PairSum(n, t, d)})
        return pair_figures(indicator, {})

    def table(self) -> Table:
        """The same sums as a `Table`, which the roll-up reads for a row's full result."""
        table = Table()
        for kind, item, quarter, n, t, d in self:
            if kind == FIELD:
                table.fields[item][quarter] = FieldSum(numbers=n, total=t)
            else:
                table.pairs[item][quarter] = PairSum(reports=n, numerator=t, denominator=d)
        return table


def as_table(sums: Table | Reduced | None) -> Table:
    """A unit's sums as a `Table` (an empty one when it has none)."""
    if sums is None:
        return Table()
    return sums.table() if isinstance(sums, Reduced) else sums
