"""The dashboards' tables as CSV: the same selectors and the same figures as the pages.

Figures are written as the page writes them (Vietnamese: 24.500 and 85,3%), which Excel in a
Vietnamese locale reads as numbers; so the separator is ";" in Vietnamese (Excel's list
separator where the decimal mark is ",") and "," in English. A UTF-8 byte-order mark makes
Excel read the diacritics. Every cell that could start a formula gets a leading "'".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports.periods import quarter_label
from rollup.engine import Mode, PeriodSpec, progress
from targets.models import Indicator, Programme
from unions.models import Unit

from . import selectors as sel
from .forms import Params
from .tables import BreakdownFilter, Rows
from .templatetags.figures import (
    change,
    coverage,
    in_unit,
    num,
    status_word,
    target,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> str:
    """A cell a spreadsheet will not run: "=1+1" becomes "'=1+1"."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def delimiter() -> str:
    return ";" if (translation.get_language() or "vi").startswith("vi") else ","


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter(), lineterminator="\r\n")
    writer.writerow([safe(h) for h in header])
    for row in rows:
        writer.writerow([safe(cell) for cell in row])
    return "\ufeff".join(["", out.getvalue()]).encode("utf-8")


@dataclass(frozen=True)
class Table:
    name: str  # the file name without extension
    header: list[str]
    rows: list[list[object]]

    def content(self) -> bytes:
        return csv_bytes(self.header, self.rows)


def indicators_table(board: sel.UnitDashboard, params: Params) -> Table:
    """The annual and term tables of the overview or a unit page, one after the other."""
    header = [
        _("Kind"),
        _("Code"),
        _("Indicator"),
        _("Value"),
        _("Numerator"),
        _("Denominator"),
        _("Target"),
        _("Status"),
        pgettext("figure", "Change"),
        _("Coverage"),
        _("Provisional"),
    ]
    rows: list[list[object]] = []
    for kind, items in ((_("annual"), board.annual), (_("term"), board.term_rows)):
        for item in items:
            r = item.result
            rows.append(
                [
                    kind,
                    r.code,
                    r.indicator.name,
                    in_unit(r.value, r.indicator.display),
                    num(r.numerator) if r.denominator is not None else "",
                    num(r.denominator) if r.denominator is not None else "",
                    target(r),
                    status_word(r.status),
                    change(item.change, r.indicator.display),
                    coverage(r.coverage),
                    _("provisional") if r.provisional else "",
                ]
            )
    return Table(f"{board.unit.code}-{params.year}", header, rows)


def breakdown_table(
    programme: Programme,
    indicator: Indicator,
    root: Unit,
    params: Params,
    query: dict[str, str],
    today: dt.date,
) -> Table:
    """The indicator page's table by reporting unit, with the page's status and kind filters."""
    spec = PeriodSpec.parse(params.period)
    mode = Mode(today, params.tree, params.provisional)
    rows = sel.indicator_breakdown(programme, indicator, spec, root, mode)
    total = progress(
        programme, root, spec, tree=params.tree, provisional=params.provisional, today=today
    )
    summary = sel.breakdown_sum(
        rows, next(r for r in total.results if r.indicator.pk == indicator.pk)
    )
    chosen = BreakdownFilter(query, queryset=Rows(rows)).qs
    header = _breakdown_header()
    body = [_breakdown_row(row, indicator) for row in chosen]
    body += _sum_lines(summary, indicator.denominator_id is not None, len(header))
    return Table(f"{indicator.code}-{root.code}-{spec.code}", header, body)


def _breakdown_header() -> list[str]:
    return [
        _("Reporting unit"),
        _("Unit code"),
        _("Kind"),
        _("Value"),
        _("Numerator"),
        _("Denominator"),
        _("Target"),
        _("Status"),
        _("Coverage"),
        _("Reporting now"),
        _("Figure of"),
        _("Added to the total"),
    ]


def _breakdown_row(row: sel.BreakdownRow, indicator: Indicator) -> list[object]:
    return [
        row.unit.name,
        row.unit.code,
        row.unit.get_kind_display(),
        in_unit(row.result.value, indicator.display),
        num(row.result.numerator) if indicator.denominator_id else "",
        num(row.result.denominator) if indicator.denominator_id else "",
        target(row.result),
        status_word(row.result.status),
        coverage(row.result.coverage),
        _("yes") if row.expected_now else _("no"),
        quarter_label(*row.result.quarter) if row.result.quarter else "",
        _("yes") if row.in_sum else _("no"),
    ]


def _sum_lines(summary: sel.BreakdownSum, ratio: bool, width: int) -> list[list[object]]:
    """The rows added, the reports of units not listed, and their total."""
    blank = [""] * (width - 6)

    def line(name: str, n: int | None, d: int | None) -> list[object]:
        return [name, "", "", "", num(n), num(d) if ratio else "", *blank]

    return [
        line(_("Sum of the rows added"), summary.numerator, summary.denominator),
        line(_("Reports of units not listed"), summary.rest_numerator, summary.rest_denominator),
        line(
            _("Total"),
            summary.numerator + summary.rest_numerator,
            (summary.denominator or 0) + (summary.rest_denominator or 0) if ratio else None,
        ),
    ]


def membership_table(data: sel.Membership, shown: list[sel.MembershipQuarter], unit: Unit) -> Table:
    notes = {
        "2025Q2": _("State-budget CĐCS dissolved (15/06/2025)"),
        "2025Q3": _("District federations dissolved; commune/ward unions from 01/07/2025"),
    }
    header = [
        _("Quarter"), _("Members"), pgettext("figure", "Change"), _("Path"), _("Projection"),
        _("Reports"), _("Note"),
    ]  # fmt: skip
    rows: list[list[object]] = [
        [
            q.code,
            num(q.members),
            change(Decimal(q.change) if q.change is not None else None, "count"),
            num(q.path),
            num(q.projected),
            f"{num(q.reports)}/{num(q.expected)}" if q.reports is not None else "",
            "; ".join(
                str(n)
                for n in (
                    _("reports still missing: left out of the trend") if q.incomplete else "",
                    notes.get(q.code, ""),
                )
                if n
            ),
        ]
        for q in shown
    ]
    return Table(f"members-{unit.code}", header, rows)
