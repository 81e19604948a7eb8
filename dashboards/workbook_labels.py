"""Labels and number cells the workbook's sheets share (see `workbook`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from rollup.arithmetic import Status
from rollup.engine import AS_NOW, IndicatorResult
from targets.models import Display

from .templatetags.figures import COMPARISON, status_word, symbol
from .workbook_cells import (
    COUNT,
    COUNT_CHANGE,
    PERCENT,
    PERCENT_CHANGE,
    RATIO,
    RATIO_CHANGE,
    UNJUDGED,
    Sheet,
    status_style,
)
from .workbook_data import Contents


def period_label(contents: Contents) -> str:
    req = contents.request
    if req.quarter is None:
        return _("Year %(year)s") % {"year": req.year}
    return _("Quarter %(quarter)s/%(year)s (since 1 January)") % {
        "quarter": req.quarter,
        "year": req.year,
    }


def quarter_label(quarter: tuple[int, int] | None) -> str:
    if quarter is None:
        return "–"
    return _("quarter %(quarter)s/%(year)s") % {"quarter": quarter[1], "year": quarter[0]}


def annual_scope(contents: Contents) -> str:
    last = contents.last_period
    quarter = (last.year, last.quarter) if last and last.quarter else None
    return _("Annual indicators: year %(year)s, figures to the end of %(quarter)s") % {
        "year": contents.request.year,
        "quarter": quarter_label(quarter),
    }


def term_scope(contents: Contents) -> str:
    programme = contents.request.programme
    return _(
        "Term indicators %(start)s–%(end)s: from the start of the term to the end of %(q)s"
    ) % {
        "start": programme.term_start.year,
        "end": programme.term_end.year,
        "q": quarter_label(contents.term_quarter),
    }


def data_label(contents: Contents) -> str:
    if contents.request.provisional:
        return _("Approved reports and submitted reports not yet approved (provisional)")
    return _("Approved reports only")


def tree_label(contents: Contents) -> str:
    if contents.request.tree == AS_NOW:
        return _("Along today's tree: figures from before 1 July 2025 follow the successor units")
    return _("Along the tree as it was in each quarter")


def subtitle(contents: Contents) -> str:
    return " · ".join([period_label(contents), data_label(contents), tree_label(contents)])


# --- numbers ------------------------------------------------------------------------------


def value_format(display: str, status: str | None = None) -> str:
    formats: dict[str, str] = {Display.PERCENT: PERCENT, Display.RATIO: RATIO}
    base = formats.get(display, COUNT)
    # No symbol without a judgement: "–" before a number would read as a minus sign.
    if not status or status in UNJUDGED:
        return base
    return f'"{symbol(status)} "{base}'


def value_cell(sheet: Sheet, result: IndicatorResult, *, marked: bool = True, **style: Any) -> Any:
    """The value as a number in its display format and its status's colour (`marked`: and
    symbol); a share of 0 of 0 in words, since an empty cell means "not reported"."""
    display = result.indicator.display
    if result.status == Status.NOTHING_TO_MEASURE:
        return sheet.text(status_word(result.status), wrap=True, **style)
    fmt = value_format(display, result.status if marked else None)
    return sheet.number(stored(result.value, display), fmt, **status_style(result.status), **style)


def stored(value: Decimal | None, display: str) -> Decimal | None:
    """Percentages as fractions (85.3% → 0.853); ratios and counts as they are."""
    if value is None:
        return None
    return value / 100 if display == Display.PERCENT else value


def target_cell(sheet: Sheet, result: IndicatorResult) -> Any:
    """The target as a number that reads "≥ 98%", "> 90%", "≥ 1,0" or "24.500"."""
    indicator, value = result.indicator, result.target
    if value is None:
        return sheet.text("–")
    if indicator.display == Display.COUNT:
        return sheet.number(value, COUNT)
    places = max(0, -int(Decimal(value).normalize().as_tuple().exponent))
    if indicator.display == Display.RATIO:
        places = max(1, places)
    digits = "0" + ("." + "0" * places if places else "")
    mark = COMPARISON.get(indicator.comparison, "")
    percent = "%" if indicator.display == Display.PERCENT else ""
    return sheet.number(stored(value, indicator.display), f'"{mark} "{digits}{percent}')


def change_cell(sheet: Sheet, change: Decimal | None, display: str) -> Any:
    """The change rounded as the pages round it (0,1 point, 0,01, 1), so −0,0 cannot show."""
    if change is not None:
        places = {Display.PERCENT: 1, Display.RATIO: 2}.get(display, 0)  # type: ignore[call-overload]
        change = Decimal(change).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    fmt = {Display.PERCENT: PERCENT_CHANGE, Display.RATIO: RATIO_CHANGE}.get(display, COUNT_CHANGE)  # type: ignore[call-overload]
    return sheet.number(stored(change, display), fmt)


def period_key(period: Any) -> tuple[int, int] | None:
    return (period.year, period.quarter) if period is not None and period.quarter else None


def legend() -> str:
    return _("Status:") + " " + "; ".join(f"{symbol(s)} {status_word(s)}" for s in Status)
