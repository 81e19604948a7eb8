"""What the Standing Committee workbook shows, read through the dashboards' own selectors.

For a year the summary is the province overview page for that year (`unit_dashboard`), so
every figure equals the page's. For a quarter, annual indicators run from 1 January to the
end of that quarter and term indicators from the start of the term to the end of it; changes
are then against the previous quarter. The breakdown by reporting unit is the indicator page's
(`breakdowns`), a fixed handful of queries for all indicators whatever the tree's size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from briefing.selectors import NarrativeRow, unit_narratives, unit_order
from reports.models import ReportingPeriod
from rollup import engine as rollup
from rollup.engine import AS_NOW, AS_WAS, IndicatorResult, Mode, PeriodSpec, Progress, progress
from targets.models import FieldGroup, Indicator, IndicatorKind, Programme, field_groups
from unions.models import Unit

from . import selectors as sel


class WorkbookError(ValueError):
    """The choices do not make a workbook; the message says why, for the user."""


@dataclass(frozen=True)
class WorkbookRequest:
    programme: Programme
    year: int
    quarter: int | None = None
    tree: str = AS_WAS
    provisional: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    author: str = ""
    generated: dt.datetime | None = None  # aware; shown in Asia/Ho_Chi_Minh


@dataclass
class Contents:
    request: WorkbookRequest
    province: Unit
    annual_spec: PeriodSpec
    term_today: dt.date  # term indicators are "to date" as of this day
    annual: Progress
    term: Progress
    annual_rows: list[sel.Row]
    term_rows: list[sel.Row]
    demo: bool = False  # the portal holds demo data: every sheet says so

    @property
    def last_period(self) -> ReportingPeriod | None:
        return self.annual.periods[-1] if self.annual.periods else None

    @property
    def term_quarter(self) -> tuple[int, int] | None:
        periods = [p for p in self.term.periods if p.quarter]
        return (periods[-1].year, periods[-1].quarter) if periods else None


def workbook_contents(req: WorkbookRequest) -> Contents:
    programme = req.programme
    if not programme.term_start.year <= req.year <= programme.term_end.year:
        raise WorkbookError(
            _("The year must be within the term (%(start)s–%(end)s).")
            % {"start": programme.term_start.year, "end": programme.term_end.year}
        )
    if req.tree not in (AS_WAS, AS_NOW):
        raise WorkbookError(_("The tree must be as_was or as_now."))
    province = sel.province_unit(programme)
    if req.quarter is None:
        board = sel.unit_dashboard(
            programme, province, req.year,
            tree=req.tree, provisional=req.provisional, today=req.today,
        )  # fmt: skip
        return Contents(
            req, province, PeriodSpec("year", req.year), req.today,
            board.year, board.term, board.annual, board.term_rows,
        )  # fmt: skip
    return _quarter_contents(req, province)


def _quarter_ended(req: WorkbookRequest) -> ReportingPeriod:
    """The workbook's quarter, refused while it has not ended or is no reporting period."""
    year, quarter = req.year, req.quarter or 0
    period = ReportingPeriod.objects.filter(year=year, quarter=quarter).first()
    if quarter not in (1, 2, 3, 4) or period is None or period.cutoff > req.today:
        raise WorkbookError(
            _("Quarter %(q)s/%(y)s has not ended yet or is not a reporting period.")
            % {"q": quarter, "y": year}
        )
    return period


def _quarter_contents(req: WorkbookRequest, province: Unit) -> Contents:
    programme, year, quarter = req.programme, req.year, req.quarter or 0
    as_of = min(req.today, _quarter_ended(req).cutoff)

    def read(spec: PeriodSpec, on: dt.date) -> Progress:
        return progress(
            programme, province, spec, tree=req.tree, provisional=req.provisional, today=on
        )

    spec = PeriodSpec("quarter", year, quarter)
    annual = read(spec, req.today)
    before_spec = spec.previous()
    before = {r.code: r for r in read(before_spec, req.today).results} if before_spec else {}
    term = read(PeriodSpec("term"), as_of)
    reads = rollup.reads_for(
        programme, province, tree=req.tree, provisional=req.provisional, today=as_of
    )
    series = sel.indicator_series(
        programme, province, tree=req.tree, provisional=req.provisional, today=as_of, reads=reads
    )
    # The same rule as the pages: a change only between two quarters whose reports are all in.
    coverage = rollup.coverage_by_quarter(
        reads, province, tree=req.tree, provisional=req.provisional, today=as_of
    )
    annual_rows = [
        sel.Row(r, _delta(r, before.get(r.code), coverage), [])
        for r in annual.results
        if r.indicator.kind == IndicatorKind.ANNUAL
    ]
    term_rows = []
    for r in term.results:
        if r.indicator.kind == IndicatorKind.TERM:
            points = [p for p in series[r.code] if p.quarter <= (year, quarter)]
            change = sel.quarter_change(points, coverage, r.indicator.numerator.province_only)
            term_rows.append(sel.Row(r, change, points))
    return Contents(req, province, spec, as_of, annual, term, annual_rows, term_rows)


def _delta(
    now: IndicatorResult,
    then: IndicatorResult | None,
    coverage: dict[tuple[int, int], rollup.Coverage],
) -> Decimal | None:
    if then is None:
        return None
    quarters = (now.quarter, then.quarter)
    only = now.indicator.numerator.province_only
    return rollup.change_shown(now.value, then.value, quarters, coverage, only)


# --- breakdown by reporting unit --------------------------------------------------------

GROUP_SHEETS = {
    "members": "ĐV, NLĐ theo đơn vị",
    "grassroots": "CĐCS theo đơn vị",
    "ratings": "Xếp loại theo đơn vị",
    "finance": "Tài chính theo đơn vị",
    "labour": "Quan hệ LĐ theo đơn vị",
    "culture": "Văn hóa theo đơn vị",
}


@dataclass
class GroupBreakdown:
    group: str
    sheet: str
    indicators: list[Indicator]
    units: list[Unit]
    results: dict[int, dict[str, IndicatorResult]]  # unit id → indicator code → result
    current: set[int]  # units expected to report in the period's last quarter


def group_breakdowns(contents: Contents) -> list[GroupBreakdown]:
    """Each group of indicators by reporting unit; indicators only the province reports
    (A05, A11, A12) have no breakdown and are left out. The annual indicators and the term
    indicators are each read in one pass (`sel.breakdowns`), shared by every group."""
    req = contents.request
    by_group: dict[str, list[Indicator]] = defaultdict(list)
    for row in contents.annual_rows + contents.term_rows:
        indicator = row.result.indicator
        if not indicator.numerator.province_only:
            by_group[indicator.numerator.group].append(indicator)
    wanted = [i for group in by_group.values() for i in group]
    rows: dict[str, list[sel.BreakdownRow]] = {}
    for annual in (True, False):
        chosen = [i for i in wanted if (i.kind == IndicatorKind.ANNUAL) == annual]
        if chosen:
            rows |= sel.breakdowns(
                req.programme,
                chosen,
                contents.annual_spec if annual else PeriodSpec("term"),
                contents.province,
                Mode(req.today if annual else contents.term_today, req.tree, req.provisional),
            )
    return [
        _group(g.code, _sheet_name(g), by_group[g.code], rows)
        for g in field_groups()
        if by_group.get(g.code)
    ]


def _sheet_name(group: FieldGroup) -> str:
    """The sheet of a group's breakdown; a group added since (field groups are data) is named
    from its Vietnamese label, within a sheet name's 31 characters."""
    if group.code in GROUP_SHEETS:
        return GROUP_SHEETS[group.code]
    label = "".join(ch for ch in group.label_vi if ch not in "[]:*?/\\")[:18].strip()
    return f"{label} theo đơn vị"


def _group(
    group: str, sheet: str, indicators: list[Indicator], found: dict[str, list[sel.BreakdownRow]]
) -> GroupBreakdown:
    units: dict[int, Unit] = {}
    results: dict[int, dict[str, IndicatorResult]] = defaultdict(dict)
    current: set[int] = set()
    for indicator in indicators:
        for row in found[indicator.code]:
            units[row.unit.pk] = row.unit
            results[row.unit.pk][indicator.code] = row.result
            if row.expected_now:
                current.add(row.unit.pk)
    ordered = sorted(units.values(), key=lambda u: (u.pk not in current, *unit_order(u)))
    return GroupBreakdown(group, sheet, indicators, ordered, results, current)


# --- narratives ---------------------------------------------------------------------------


def narratives(period: ReportingPeriod | None, provisional: bool) -> list[NarrativeRow]:
    """What each reporting unit wrote in the report in force for the quarter."""
    return unit_narratives(period, provisional)
