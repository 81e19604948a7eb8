"""Dashboards: read-only pages over the roll-up. Thin: access helper, selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from accounts.access import (
    AuthenticatedHttpRequest,
    may_include_provisional,
    reads_whole_province,
    user_of,
)
from accounts.models import User
from lib.formats import day
from reports.inbox import home_inbox
from reports.periods import quarter_label
from reports.selectors import reporter_todo
from rollup.arithmetic import Status
from rollup.breakdown import complete, indicator_breakdown_read
from rollup.engine import PeriodSpec, Progress, Reads, progress_read, reads_for
from rollup.freshness import figures_as_of
from targets.models import Indicator, IndicatorKind, Programme
from unions.access import unit_for_user, visible_among
from unions.models import Unit
from unions.selectors import UnitBrief, unit_ancestors, unit_children_brief

from . import selectors as sel
from .charts import line_chart, sparkline
from .forms import DashboardForm, Params, Shown
from .links import unit_page_url
from .tables import BreakdownFilter, BreakdownTable, Rows, SortedRows
from .templatetags.figures import in_unit, num

KEEP = ("period", "tree", "provisional", "unit")  # choices the breakdown's filter form carries


def requested_programme(request: HttpRequest) -> Programme:
    """?programme=CODE, or the current programme (404 while none is loaded)."""
    programme = sel.programme_current(request.GET.get("programme"))
    if programme is None:
        raise Http404(_("No programme is loaded yet."))
    return programme


def home_unit(request: HttpRequest, programme: Programme) -> Unit:
    """The unit a page shows unless ?unit= says otherwise: the province, or a reporter's own."""
    user = user_of(request)
    code = request.GET.get("unit")
    if code:
        return unit_for_user(user, code)
    if reads_whole_province(request):
        return sel.province_unit(programme)
    if user.unit is None:
        raise Http404
    return user.unit


def _form(request: HttpRequest, programme: Programme, today: dt.date, **kw: Any) -> DashboardForm:
    return DashboardForm(
        request.GET,
        programme=programme,
        today=today,
        office=may_include_provisional(request),
        shown=Shown(**kw),
    )


def _query(params: Params, **extra: str) -> str:
    """The query string that keeps the reader's choices when following a link."""
    pairs = {"tree": params.tree, **extra}
    if params.provisional:
        pairs["provisional"] = "on"
    if params.programme:
        pairs["programme"] = params.programme
    return "?" + urlencode(pairs)


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = requested_programme(request)
    if not reads_whole_province(request):
        unit = home_unit(request, programme)
        return redirect("dashboards:unit", code=unit.url_key)
    return _unit_page(request, programme, sel.province_unit(programme), overview=True)


@login_required
def unit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = unit_for_user(request.user, code)
    return _unit_page(request, requested_programme(request), found, overview=False)


def _unit_page(
    request: AuthenticatedHttpRequest, programme: Programme, unit: Unit, *, overview: bool
) -> HttpResponse:
    today = timezone.localdate()
    form = _form(request, programme, today)
    params = form.params()
    tree, provisional = params.tree, params.provisional
    board = sel.unit_dashboard(
        programme, unit, params.year, tree=tree, provisional=provisional, today=today
    )
    last = board.year.periods[-1] if board.year.periods else None
    unit_query = _query(params, year=str(params.year))
    context = {
        "programme": programme,
        "unit": unit,
        "overview": overview,
        "form": form,
        "params": params,
        "board": board,
        "annual": _with_sparks(board.annual),
        "term": _with_sparks(board.term_rows),
        "year_query": _query(params, period=str(params.year)),
        "term_query": _query(params, period="term"),
        "unit_query": unit_query,
        "last_period": last,
        "year_latest": _latest(board.year.periods),
        "term_latest": _latest(board.term.periods),
        "ancestors": _crumbs(request, unit, last),
        **_reporters(unit, last, board.year.expected_reports, unit_query),
        "statuses": list(Status),
        **_waiting(request.user, unit, today, overview=overview),
    }
    context["as_of"] = figures_as_of()  # "Số liệu tính đến HH:MM", local time
    return render(request, "dashboards/unit.html", context)


def _waiting(user: User, unit: Unit, today: dt.date, *, overview: bool) -> dict[str, Any]:
    return {
        # A reporter's home is its unit's page: what waits on them comes first there.
        "todo": reporter_todo(user, today) if unit.pk == user.unit_id else None,
        # The office's and the Standing Committee's home is the overview: their inbox on top.
        "inbox": home_inbox(user, today) if overview else None,
    }


def _latest(periods: list[Any]) -> tuple[int, int] | None:
    """The last ended quarter of a period: a figure from an earlier one says so (`as_of`)."""
    return (periods[-1].year, periods[-1].quarter) if periods else None


def _crumbs(request: HttpRequest, unit: Unit, last: Any) -> list[tuple[Unit, bool]]:
    """The units above, each with whether the reader may open its page (a ward's reporter
    sees the province's name in the path, not a link that would answer 404)."""
    if last is None:
        return []
    above = unit_ancestors(unit, last.cutoff)
    visible = visible_among(user_of(request), (a.pk for a in above))
    return [(a, a.pk in visible) for a in above]


# Above this many reporting units (a national root) the page lists the units directly below
# instead, so that it stays light; each of them lists its own.
REPORTER_LIST_LIMIT = 300
BREAKDOWN_PAGE_SIZE = 100


def _reporters(unit: Unit, last: Any, count: int, query: str) -> dict[str, Any]:
    """One query whatever the number of units. `count` is the reports expected below in the
    last quarter (the roll-up's coverage), which is how many units report there."""
    if count <= REPORTER_LIST_LIMIT or last is None:
        units, total = sel.reporting_units_below(unit, last), None
    else:
        units, total = unit_children_brief(unit, last.cutoff), count
    return {"reporters": _links(units, query), "reporters_total": total}


class Link(NamedTuple):
    href: str
    name: str


def _links(units: list[UnitBrief], query: str) -> dict[str, list[Link]]:
    """Links to the units' pages, upper-level reporting units first and CĐCS that report for
    themselves apart: a list of a few hundred built with one reverse(), not one per unit."""
    url = unit_page_url()
    links: dict[str, list[Link]] = {"upper": [], "grassroots": []}
    for u in units:
        group = links["grassroots" if u.is_grassroots else "upper"]
        group.append(Link(url(u.url_key) + query, u.name))
    return links


def _with_sparks(rows: list[sel.Row]) -> list[dict[str, Any]]:
    # Every row runs over the same dozen quarters: name each once, not once per row.
    names = {p.quarter: p.label for p in (rows[0].points if rows else [])}
    return [
        {"row": row, "spark": sparkline(row.values), "trend": _trend(row, names)} for row in rows
    ]


def _trend(row: sel.Row, names: dict[tuple[int, int], str]) -> str:
    """The sparkline in words, for screen readers: "Quý 1/2026: 85,3%, …"."""
    display = row.result.indicator.display
    return ", ".join(
        f"{names.get(p.quarter) or p.label}: {in_unit(p.value, display)}" for p in row.points
    )


@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    programme = requested_programme(request)
    found = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator"),
        programme=programme,
        code=code.upper(),
    )
    root = home_unit(request, programme)
    today = timezone.localdate()
    default = "term" if found.kind == IndicatorKind.TERM else str(today.year)
    form = _form(request, programme, today, with_period=True, default_period=default)
    params = form.params()
    spec = PeriodSpec.parse(params.period)
    # The indicator over the period and quarter by quarter, from one read of the term.
    reads = reads_for(
        programme, root, tree=params.tree, provisional=params.provisional, today=today
    )
    total = progress_read(reads, root, spec)
    result = next(r for r in total.results if r.code == found.code)
    query = _query(params, year=str(spec.year or today.year))
    context = _breakdown(request, reads, found, spec, total, query)
    points = sel.indicator_series(
        programme, root, tree=params.tree, provisional=params.provisional, today=today, reads=reads
    )[found.code]
    context |= {
        "programme": programme,
        "indicator": found,
        "unit": root,
        "form": form,
        "params": params,
        "spec": spec,
        "result": result,
        "summary": sel.breakdown_sum(context["rows"], result),
        "unit_param": request.GET.get("unit", ""),
        "keep": [(k, request.GET[k]) for k in KEEP if request.GET.get(k)],
        "points": points,
        "chart": _indicator_chart(found, points, result),
        "as_of": figures_as_of(),  # "Số liệu tính đến HH:MM", local time
    }
    return render(request, "dashboards/indicator.html", context)


def _breakdown(
    request: HttpRequest,
    reads: Reads,
    found: Indicator,
    spec: PeriodSpec,
    total: Progress,
    query: str,
) -> dict[str, Any]:
    """The indicator by reporting unit, filtered, sorted and a page at a time: a national root
    has thousands of reporting units (the CSV download has them all). Every row has its
    numbers (sorting by value or coverage and the line that adds them up need them all); its
    full result (target, status) is made when asked for: the page's rows, or every row for a
    sort or filter by status. The reports expected are read for the page's rows only."""
    rows = indicator_breakdown_read(reads, found, spec, total.unit, page=True)
    filters = BreakdownFilter(request.GET, queryset=Rows(rows))
    table = BreakdownTable(SortedRows(list(filters.qs)), query=query, latest=_latest(total.periods))
    RequestConfig(request, paginate={"per_page": BREAKDOWN_PAGE_SIZE}).configure(table)
    complete([row.record for row in table.paginated_rows])
    return {"rows": rows, "filters": filters, "table": table, "row_count": len(rows)}


def _indicator_chart(found: Indicator, points: list[sel.Point], result: Any) -> Any:
    labels, axis = [p.label for p in points], [p.short for p in points]
    series: list[tuple[str, str, list[Any]]] = [("actual", found.name, [p.value for p in points])]
    if result.target is not None:
        series.append(("target", _("Target"), [result.target] * len(points)))
    places = 2 if found.display == "ratio" else 0 if found.display == "count" else 1

    def fmt(v: float) -> str:
        return num(v, places) + ("%" if found.display == "percent" else "")

    return line_chart(labels, series, fmt, axis=axis)


@login_required
def membership(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = requested_programme(request)
    root = home_unit(request, programme)
    today = timezone.localdate()
    form = _form(request, programme, today, with_year=False)
    params = form.params()
    province = sel.province_unit(programme)
    data = sel.membership(
        programme,
        root,
        tree=params.tree,
        provisional=params.provisional,
        today=today,
        with_path=root.pk == province.pk,
    )
    context = {
        "programme": programme,
        "unit": root,
        "form": form,
        "params": params,
        "data": data,
        "chart": _members_chart(data),
        "today": today,
        "shown": [q for q in data.quarters if q.cutoff <= today or q.cutoff == programme.term_end],
        "unit_param": request.GET.get("unit", ""),
    }
    context["as_of"] = figures_as_of()  # "Số liệu tính đến HH:MM", local time
    return render(request, "dashboards/membership.html", context)


def _members_chart(data: sel.Membership) -> Any:
    """Members, the path to the target and the trend, with the reorganisation's quarters
    shaded."""
    labels, axis = [q.label for q in data.quarters], [q.short for q in data.quarters]
    series: list[tuple[str, str, list[Any]]] = [
        ("actual", _("Members"), [q.members for q in data.quarters]),
        ("path", _("Path to the target"), [q.path for q in data.quarters]),
        ("projection", _("Projection of the trend"), [q.projected for q in data.quarters]),
    ]
    band = []
    if data.reform is not None and data.reform_band:
        first, last = data.reform_band[0], data.reform_band[-1]
        note = _("%(date)s: %(n)s units closed (reorganisation)") % {
            "date": day(data.reform.day),
            "n": data.reform.closed,
        }
        band = [(quarter_label(*first), quarter_label(*last), note)]
    return line_chart(labels, series, lambda v: num(v), axis=axis, bands=band, size=(640, 300))
