"""Print views: a report and an overview as documents an office signs and stamps.

Each page is the document alone (no menu, no buttons but one to print, which is not printed),
laid out for A4. Access is the screens' access: a report through `report_for_user`, a unit
through the dashboards' `home_unit`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import AuthenticatedHttpRequest
from dashboards import selectors as sel
from dashboards.views import home_unit, requested_programme
from lib.identifiers import plain_number
from reports.access import report_for_user
from reports.selectors import entries_of, is_province_report, time_wording
from reports.services import report_fields
from targets.models import field_groups
from targets.programmes import programmes_in_force

from .document import document_heading


def _year(request: HttpRequest, default: int) -> int:
    value = plain_number(request.GET.get("year", ""))
    return value if value is not None and 2000 <= value <= 2100 else default


@login_required
def report_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = report_for_user(request.user, pk)
    fields = report_fields(report.period, province=is_province_report(report))
    entries = entries_of(report)
    groups = []
    for group in field_groups():
        rows = [
            (f, time_wording(f, report.period), entries.get(f.code))
            for f in fields
            if f.group == group.code
        ]
        if rows:
            groups.append((group.label, rows))
    narratives = [
        n
        for n in report.narratives.select_related("task_group").order_by("task_group__order")
        if n.results or n.shortfalls or n.next_steps
    ]
    sent = report.first_submitted_at or report.submitted_at
    day = timezone.localdate(sent) if sent else timezone.localdate()
    context: dict[str, Any] = {
        "report": report,
        "heading": document_heading(report.unit, day),
        "groups": groups,
        "narratives": narratives,
        # A quarter's report serves every programme in force then.
        "numbers": ", ".join(
            p.number for p in programmes_in_force(report.period.year, report.period.quarter)
        ),
    }
    return render(request, "printing/report.html", context)


@login_required
def overview_print(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = requested_programme(request)
    unit = home_unit(request, programme)
    today = timezone.localdate()
    year = _year(request, today.year)
    board = sel.unit_dashboard(programme, unit, year, today=today)
    last = board.year.periods[-1] if board.year.periods else None
    context: dict[str, Any] = {
        "programme": programme,
        "unit": unit,
        "year": year,
        "board": board,
        "last_period": last,
        "heading": document_heading(unit, today),
    }
    return render(request, "printing/overview.html", context)
