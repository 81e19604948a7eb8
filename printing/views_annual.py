"""The annual report on the programme (Báo cáo kết quả thực hiện Chương trình hành động năm
YYYY) as a Word document the office edits and signs; office staff only."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthenticatedHttpRequest, office_required
from dashboards.workbook_data import WorkbookError
from lib.identifiers import plain_number
from targets.models import Programme
from targets.programmes import programme_chosen

from . import annual_report as annual


def _programme(request: HttpRequest) -> Programme:
    programme = programme_chosen(request.GET.get("programme"), timezone.localdate())
    if programme is None:
        raise Http404(_("No programme is loaded yet."))
    return programme


@login_required
@require_http_methods(["GET"])
@office_required
def annual_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The annual report as a DOCX for the office to edit and sign (?year=YYYY)."""
    programme = _programme(request)
    if "year" not in request.GET:
        return _annual_page(request, programme, "", "")
    text = request.GET.get("year", "").strip()[:10]
    year = plain_number(text)
    if year is None:
        return _annual_page(request, programme, text, _("Give the year as four digits, e.g. 2025."))
    try:
        report = annual.annual_report(programme, year, timezone.localdate())
    except WorkbookError as error:
        return _annual_page(request, programme, text, str(error))
    stream = io.BytesIO()
    annual.annual_report_write(report, stream)
    response = HttpResponse(stream.getvalue(), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{annual.annual_filename(report)}"'
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _annual_page(request: HttpRequest, programme: Programme, year: str, error: str) -> HttpResponse:
    """The button's page: the year to report on, and why a year typed was refused."""
    years = range(
        programme.term_start.year, min(programme.term_end.year, timezone.localdate().year) + 1
    )
    shown = year or (str(years[-1]) if years else "")
    context = {"programme": programme, "years": years, "year": shown, "error": error}
    return render(request, "printing/annual_report.html", context, status=400 if error else 200)
