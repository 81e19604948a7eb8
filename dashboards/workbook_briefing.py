"""The workbook's first page: the Standing Committee's briefing (see `workbook`).

One printed page that answers the question: every target with its result "85,3% (512/600)",
its status in words and symbol, the change since the last complete quarter, the reports
behind it, the forecast to the end of the term for term targets, and the items most at risk.

Every figure is the engine's: results from `progress` (through `workbook_data`), changes
through `rollup.change_shown` between quarters `rollup.quarter_complete` calls complete, and
the forecasts through `rollup.arithmetic.projection` (members: the membership selector's, as
the members sheet and page show it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from rollup import arithmetic as ar
from rollup import engine as rollup
from rollup.arithmetic import Status
from rollup.engine import IndicatorResult
from rollup.series import Point
from targets.models import Display, IndicatorKind

from . import selectors as sel
from .templatetags.figures import change, figure, in_unit, status_word, symbol, target
from .workbook_data import Contents


@dataclass
class BriefRow:
    """One target on the briefing, every figure already written as the pages write it."""

    result: IndicatorResult
    change: Decimal | None  # since the last complete quarter before it
    change_from: tuple[int, int] | None
    change_to: tuple[int, int] | None
    forecast: Decimal | None  # term targets: where the trend leads by the end of the term

    @property
    def kind(self) -> str:
        return str(self.result.indicator.kind)

    @property
    def result_text(self) -> str:
        return figure(self.result)

    @property
    def status_text(self) -> str:
        return f"{symbol(self.result.status)} {status_word(self.result.status)}"

    @property
    def target_text(self) -> str:
        return target(self.result)

    @property
    def change_text(self) -> str:
        if self.change is None or self.change_from is None or self.change_to is None:
            return "–"
        return _("%(change)s (%(from)s → %(to)s)") % {
            "change": change(self.change, self.result.indicator.display),
            "from": _quarter(self.change_from),
            "to": _quarter(self.change_to),
        }

    @property
    def forecast_meets(self) -> bool | None:
        r = self.result
        if self.forecast is None or r.target is None:
            return None
        return ar.meets(self.forecast, r.target, r.indicator.comparison)

    @property
    def forecast_text(self) -> str:
        if self.forecast is None or self.result.target is None:
            return "–" if self.kind == IndicatorKind.TERM else ""
        words = _("reaches the target") if self.forecast_meets else _("short of the target")
        shown = in_unit(rollup.shown_value(self.forecast, self.result.indicator.display),
                        self.result.indicator.display)  # fmt: skip
        return _("%(forecast)s against %(target)s: %(words)s") % {
            "forecast": shown,
            "target": self.target_text,
            "words": words,
        }


def _quarter(quarter: tuple[int, int]) -> str:
    return _("Q%(q)s/%(y)s") % {"q": quarter[1], "y": quarter[0]}


def brief_rows(contents: Contents) -> list[BriefRow]:
    """Every annual and term target of the workbook's summary, in its order."""
    req = contents.request
    on = contents.term_today
    reads = rollup.reads_for(
        req.programme, contents.province, tree=req.tree, provisional=req.provisional, today=on
    )
    series = sel.indicator_series(
        req.programme, contents.province,
        tree=req.tree, provisional=req.provisional, today=on, reads=reads,
    )  # fmt: skip
    coverage = rollup.coverage_by_quarter(
        reads, contents.province, tree=req.tree, provisional=req.provisional, today=on
    )
    members = sel.membership(
        req.programme, contents.province, tree=req.tree, provisional=req.provisional, today=on
    )
    members_code = getattr(sel.members_indicator(req.programme), "code", None)
    rows = []
    for row in contents.annual_rows + contents.term_rows:
        r = row.result
        points = series.get(r.code, [])
        if r.indicator.kind == IndicatorKind.ANNUAL:
            moved = _year_on_year(r, points, contents.request.year, coverage)
            forecast = None
        else:
            moved = _last_complete(r, points, coverage)
            forecast = (
                bounded(members.projection_end, r.indicator.display)
                if r.code == members_code
                else _forecast(r, points, coverage, req.programme.term_end)
            )
        rows.append(BriefRow(r, *moved, forecast))
    return rows


Moved = tuple[Decimal | None, tuple[int, int] | None, tuple[int, int] | None]
Coverage = dict[tuple[int, int], rollup.Coverage]


def _complete(points: list[Point], coverage: Coverage, upto: tuple[int, int] | None) -> list[Point]:
    return [
        p
        for p in points
        if p.value is not None
        and (upto is None or p.quarter <= upto)
        and rollup.quarter_complete(coverage, p.quarter)
    ]


def _last_complete(r: IndicatorResult, points: list[Point], coverage: Coverage) -> Moved:
    """Term targets: the last complete quarter against the complete one before it."""
    done = _complete(points, coverage, r.quarter)
    if len(done) < 2:
        return None, None, None
    now, then = done[-1], done[-2]
    only = r.indicator.numerator.province_only
    moved = rollup.change_shown(now.value, then.value, (now.quarter, then.quarter), coverage, only)
    return moved, then.quarter, now.quarter


def _year_on_year(r: IndicatorResult, points: list[Point], year: int, coverage: Coverage) -> Moved:
    """Annual targets (counted from 1 January): the year's last complete quarter against the
    same quarter a year before, so a year not over yet is set against the same months."""
    by_quarter = {p.quarter: p for p in points if p.value is not None}
    done = [p for p in _complete(points, coverage, r.quarter) if p.quarter[0] == year]
    for now in reversed(done):
        then = by_quarter.get((year - 1, now.quarter[1]))
        if then is None or not rollup.quarter_complete(coverage, then.quarter):
            continue
        only = r.indicator.numerator.province_only
        moved = rollup.change_shown(
            now.value, then.value, (now.quarter, then.quarter), coverage, only
        )
        return moved, then.quarter, now.quarter
    return None, None, None


def _forecast(
    r: IndicatorResult, points: list[Point], coverage: Coverage, end: dt.date
) -> Decimal | None:
    """The straight line through the complete quarters, read at the end of the term; a
    share stays within 0–100%."""
    if r.target is None:
        return None
    trend = [(p.cutoff, p.value) for p in _complete(points, coverage, r.quarter)]
    return bounded(ar.projection(trend, end), r.indicator.display)  # type: ignore[arg-type]


def bounded(found: Decimal | None, display: str) -> Decimal | None:
    """A straight line can run below nothing or a share above all: a count stays at 0 or
    more, a percentage within 0–100%."""
    if found is None:
        return None
    found = max(found, Decimal(0))
    return min(found, Decimal(100)) if display == Display.PERCENT else found


# --- the items most at risk -------------------------------------------------------------

RISK_ORDER = {Status.NOT_ACHIEVED: 0, Status.AT_RISK: 1}
AT_MOST = 4


def _shortfall(row: BriefRow) -> Decimal:
    """How far the figure stands below where it should be, as a share of that (0 to 1)."""
    r = row.result
    mark = r.expected_now if r.expected_now is not None else r.target
    value = row.forecast if row.forecast is not None else r.value
    if mark is None or value is None or mark == 0:
        return Decimal(0)
    return max(Decimal(0), (mark - value) / mark)


AT_LEAST = 3


def most_at_risk(rows: list[BriefRow]) -> list[BriefRow]:
    """Up to four targets: missed first, then at risk, then term targets whose forecast
    falls short; within each, the largest shortfall first. Fewer than three such: the
    targets not reached yet that stand furthest below their target make up three."""
    chosen = [r for r in rows if r.result.status in RISK_ORDER or r.forecast_meets is False]
    chosen.sort(key=lambda r: (RISK_ORDER.get(r.result.status, 2), -_shortfall(r)))
    behind = [
        r
        for r in rows
        if r not in chosen and r.result.status == Status.ON_TRACK and _below_target(r) > 0
    ]
    behind.sort(key=lambda r: -_below_target(r))
    return (chosen + behind[: max(0, AT_LEAST - len(chosen))])[:AT_MOST]


def _below_target(row: BriefRow) -> Decimal:
    r = row.result
    if r.value is None or not r.target:
        return Decimal(0)
    return max(Decimal(0), (r.target - r.value) / r.target)


def risk_line(row: BriefRow) -> str:
    r = row.result
    text = _("%(code)s %(name)s: %(result)s, target %(target)s, %(status)s") % {
        "code": r.code,
        "name": r.indicator.name,
        "result": row.result_text,
        "target": row.target_text,
        "status": row.status_text,
    }
    if row.forecast_meets is False:
        shown = rollup.shown_value(row.forecast, r.indicator.display)
        text += "; " + _("forecast for the end of the term %(forecast)s") % {
            "forecast": in_unit(shown, r.indicator.display)
        }
    return text
