"""Downloads: the Standing Committee workbook and every dashboard table as CSV.

Thin like the pages: the same query parameters, the same access rules (a reporter sees its own
subtree; 404 outside it), the same selectors. The workbook is for office staff and the
Standing Committee only.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    AuthenticatedHttpRequest,
    may_include_provisional,
    province_reader_required,
    reads_whole_province,
)
from targets.models import Indicator, IndicatorKind, Programme
from unions.access import unit_for_user
from unions.models import Unit

from . import selectors as sel
from .forms import DashboardForm, Params, Shown, term_years
from .views import home_unit, requested_programme
from .workbook import workbook_filename, workbook_write
from .workbook_csv import Table, breakdown_table, indicators_table, membership_table
from .workbook_data import WorkbookError, WorkbookRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(
    request: AuthenticatedHttpRequest, programme: Programme, today: dt.date, **kw: Any
) -> DashboardForm:
    """The page's choices read as the page reads them."""
    office = may_include_provisional(request)
    return DashboardForm(
        request.GET, programme=programme, today=today, office=office, shown=Shown(**kw)
    )


def _params(
    request: AuthenticatedHttpRequest, programme: Programme, today: dt.date, **kw: Any
) -> Params:
    """The page's choices read as the page reads them (bad values fall back to defaults)."""
    return _form(request, programme, today, **kw).params()


@province_reader_required
def workbook(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET /exports/workbook/?year=2025[&quarter=4][&tree=as_was][&provisional=1]"""
    programme = requested_programme(request)
    today = timezone.localdate()
    # A page may fall back to its defaults on a bad choice and say so beside the form; a
    # download has nowhere to say it, so it refuses rather than hand over another year.
    form = _form(request, programme, today)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _refusal(form, programme, request.GET.get("year", "")),
            content_type="text/plain; charset=utf-8",
        )
    params = form.params()
    quarter_text = request.GET.get("quarter", "")
    if quarter_text not in ("", "1", "2", "3", "4"):
        return HttpResponseBadRequest(_("The quarter must be 1, 2, 3 or 4."))
    req = WorkbookRequest(
        programme=programme,
        year=params.year,
        quarter=int(quarter_text) if quarter_text else None,
        tree=params.tree,
        provisional=params.provisional,
        today=today,
        author=request.user.get_full_name() or request.user.get_username(),
        generated=timezone.now(),
    )
    buffer = io.BytesIO()
    try:
        workbook_write(req, buffer)
    except WorkbookError as exc:
        return HttpResponseBadRequest(str(exc))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(req)}"'
    return response


def _refusal(form: DashboardForm, programme: Programme, year: str) -> str:
    """Why the workbook's choices are refused, in words."""
    years = term_years(programme)
    problems = [
        _("No workbook for the year “%(year)s”: the term runs from %(first)s to %(last)s.")
        % {"year": year, "first": years[0], "last": years[-1]}
        if name == "year"
        else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    return " ".join(problems)


@login_required
def csv_table(request: AuthenticatedHttpRequest, table: str, code: str = "") -> HttpResponse:
    """GET /exports/csv/<overview|membership>/?… or /exports/csv/<unit|indicator>/<code>/?…
    with the query parameters of the page the table is on."""
    programme = requested_programme(request)
    today = timezone.localdate()
    if table == "overview" and not code:
        if not reads_whole_province(request):
            own = home_unit(request, programme)
            return redirect(f"/exports/csv/unit/{own.url_key}/?{request.GET.urlencode()}")
        found = _indicators(request, programme, sel.province_unit(programme), today)
    elif table == "unit" and code:
        unit = unit_for_user(request.user, code)
        found = _indicators(request, programme, unit, today)
    elif table == "indicator" and code:
        found = _breakdown(request, programme, code, today)
    elif table == "membership" and not code:
        found = _membership(request, programme, today)
    else:
        raise Http404
    response = HttpResponse(found.content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.name}.csv"'
    return response


def _indicators(
    request: AuthenticatedHttpRequest, programme: Programme, unit: Unit, today: dt.date
) -> Table:
    params = _params(request, programme, today)
    board = sel.unit_dashboard(
        programme, unit, params.year, tree=params.tree, provisional=params.provisional, today=today
    )
    return indicators_table(board, params)


def _breakdown(
    request: AuthenticatedHttpRequest, programme: Programme, code: str, today: dt.date
) -> Table:
    indicator = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator"),
        programme=programme,
        code=code.upper(),
    )
    root = home_unit(request, programme)
    default = "term" if indicator.kind == IndicatorKind.TERM else str(today.year)
    params = _params(request, programme, today, with_period=True, default_period=default)
    return breakdown_table(programme, indicator, root, params, request.GET, today)


def _membership(request: AuthenticatedHttpRequest, programme: Programme, today: dt.date) -> Table:
    root = home_unit(request, programme)
    params = _params(request, programme, today, with_year=False)
    province = sel.province_unit(programme)
    data = sel.membership(
        programme,
        root,
        tree=params.tree,
        provisional=params.provisional,
        today=today,
        with_path=root.pk == province.pk,
    )
    shown = [q for q in data.quarters if q.cutoff <= today or q.cutoff == programme.term_end]
    return membership_table(data, shown, root)
