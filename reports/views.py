"""Report pages: the list, one report, the form, the review transitions, the revision diff.

Views find reports through `reports.access` (404 outside the user's scope), refuse actions
the role may not take with 403, and leave every write to `reports.services`.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest
from accounts.models import User
from targets.models import Field, field_groups
from targets.programmes import covers, programmes_in_force, programmes_shown
from unions.access import unit_for_user
from unions.models import Unit

from .access import (
    can_edit,
    can_review,
    filters_by_unit,
    report_for_user,
    require_reviewer,
    require_unit_reporter,
    reviews_reports,
    visible_reports,
)
from .assignments import assignments_for
from .forms import ReasonForm, ReportFilter
from .foureyes import approval_barred
from .history import last_reason, report_history
from .models import Narrative, Report, ReportingPeriod, ReportStatus
from .periods import parse_period, quarter_label
from .selectors import (
    entries_of,
    is_province_report,
    open_slots,
    previous_approved_revision,
    report_timeliness,
    time_wording,
)
from .services import (
    WorkflowError,
    report_approve,
    report_blanks,
    report_diff,
    report_fields,
    report_open,
    report_reopen,
    report_return,
    report_submit,
    unconfirmed_warnings,
)
from .views_form import to_detail


class ReportTable(tables.Table):  # type: ignore[misc]
    period = tables.Column(
        verbose_name=gettext_lazy("Period"), order_by=("period__year", "period__quarter")
    )
    unit = tables.Column(verbose_name=gettext_lazy("Unit"), accessor="unit__name")
    revision = tables.Column(verbose_name=gettext_lazy("Revision"), attrs={"td": {"class": "num"}})
    status = tables.TemplateColumn(
        template_name="reports/_status_cell.html", verbose_name=gettext_lazy("Status")
    )
    updated_at = tables.DateTimeColumn(
        verbose_name=gettext_lazy("Last change"), format="SHORT_DATETIME_FORMAT"
    )

    class Meta:
        model = Report
        fields = ("period", "unit", "revision", "status", "updated_at")
        template_name = "portal/table.html"
        attrs = {"class": "reports"}
        orderable = False
        empty_text = gettext_lazy("No reports match.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every programme, read once for the page: a quarter's report serves those in force.
        self.programmes = list(programmes_shown().order_by("term_start", "pk"))

    def render_period(self, record: Report) -> Any:
        from django.utils.html import format_html

        url = reverse("reports:detail", args=[record.pk])
        period = record.period
        serves = ", ".join(
            p.number for p in self.programmes if covers(p, period.year, period.quarter)
        )
        return format_html(
            '<a href="{}">{}</a><br><span class="muted programmes">{}</span>',
            url,
            period.label,
            serves,
        )


@login_required
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    reports = (
        visible_reports(user)
        .filter(is_latest=True)
        .order_by("-period__year", "-period__quarter", "unit__code")
    )
    filters = ReportFilter(request.GET or None, queryset=reports, office=filters_by_unit(user))
    table = ReportTable(filters.qs)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "reports/list.html",
        {
            "filter": filters,
            "table": table,
            "slots": open_slots(user, timezone.localdate()),
        },
    )


@login_required
@require_POST
def report_open_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Opens (creates if needed) the unit's report for a period given by its code (2024Q3)."""
    user = request.user
    unit = unit_for_user(user, request.POST.get("unit", ""))
    require_unit_reporter(user, unit.pk)
    period = _expected_period(unit, request.POST.get("period", ""))
    if period is None:
        messages.error(
            request,
            _("%(unit)s is not expected to report for %(period)s.")
            % {"unit": unit.name, "period": _period_words(request.POST.get("period", ""))},
        )
        return redirect("reports:list")
    report = report_open(unit, period, user)
    return redirect("reports:edit", pk=report.pk)


def _period_words(code: str) -> str:
    """A period code as the reader says it ("Quý 3/2026"); anything else as it was sent."""
    try:
        year, quarter = parse_period(code)
    except ValueError:
        return code
    return quarter_label(year, quarter) if quarter else str(year)


def _expected_period(unit: Unit, code: str) -> ReportingPeriod | None:
    try:
        year, quarter = parse_period(code)
    except ValueError:
        return None
    period = ReportingPeriod.objects.filter(year=year, quarter=quarter or 0).first()
    if period is not None and unit.pk in {a.unit_id for a in assignments_for(period)}:
        return period
    return None


@login_required
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = report_for_user(user, pk)
    fields = report_fields(report.period, province=is_province_report(report))
    reason_event = last_reason(report) if report.is_editable else None
    reviewable = can_review(user, report) and report.status == ReportStatus.SUBMITTED
    barred = approval_barred(report, user) if reviewable else None
    reviewer = reviews_reports(user)
    context = {
        "report": report,
        "groups": _detail_groups(report, fields),
        "narratives": _detail_narratives(report),
        "timeliness": report_timeliness(report, timezone.localdate(), reason_event),
        "previous_approved": previous_approved_revision(report),
        "reason_event": reason_event,
        "may_edit": can_edit(user, report),
        "may_submit": can_edit(user, report),
        "may_return": can_review(user, report) and report.status == ReportStatus.SUBMITTED,
        "may_approve": reviewable and barred is None,
        "approval_barred": barred,
        "may_reopen": can_review(user, report) and report.status == ReportStatus.APPROVED,
        "warnings": _labelled(unconfirmed_warnings(report), fields) if reviewer else [],
        "blanks": report_blanks(report),
        "field_count": len(fields),
        "programmes": programmes_in_force(report.period.year, report.period.quarter),
        "history": report_history(report) if reviewer else [],
        "reason_form": ReasonForm(),
    }
    return render(request, "reports/detail.html", context)


def _detail_groups(report: Report, fields: list[Field]) -> list[tuple[str, list[Any]]]:
    """The report's values by field group, each with its time wording; empty groups left out."""
    entries = entries_of(report)
    groups = [
        (
            group.label,
            [
                (f, time_wording(f, report.period), entries.get(f.code))
                for f in fields
                if f.group == group.code
            ],
        )
        for group in field_groups()
    ]
    return [(label, rows) for label, rows in groups if rows]


def _detail_narratives(report: Report) -> list[Narrative]:
    return [
        n
        for n in report.narratives.select_related("task_group").order_by("task_group__order")
        if n.results or n.shortfalls or n.next_steps
    ]


def _labelled(messages_by_code: dict[str, str], fields: list[Any]) -> list[tuple[str, str]]:
    labels = {f.code: f.label for f in fields}
    return [(labels.get(code, code), text) for code, text in messages_by_code.items()]


def _post_report(request: AuthenticatedHttpRequest, pk: int) -> tuple[User, Report]:
    return request.user, report_for_user(request.user, pk)


@login_required
@require_POST
def report_submit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    require_unit_reporter(user, report.unit_id)
    pending = unconfirmed_warnings(report) if report.is_editable else {}
    if pending:
        messages.error(
            request,
            ngettext(
                "Confirm or correct the value that changed sharply before submitting.",
                "Confirm or correct the %(n)d values that changed sharply before submitting.",
                len(pending),
            )
            % {"n": len(pending)},
        )
        return redirect("reports:edit", pk=report.pk)
    version = _int(request.POST.get("version"), report.version)
    return _transition(request, report, lambda: report_submit(report, version=version, actor=user))


@login_required
@require_POST
def report_return_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    require_reviewer(user)
    reason = request.POST.get("reason", "")
    return _transition(request, report, lambda: report_return(report, reason=reason, actor=user))


@login_required
@require_POST
def report_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    require_reviewer(user)
    return _transition(request, report, lambda: report_approve(report, actor=user))


@login_required
@require_POST
def report_reopen_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    require_reviewer(user)
    reason = request.POST.get("reason", "")
    return _transition(request, report, lambda: report_reopen(report, reason=reason, actor=user))


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


def _transition(request: HttpRequest, report: Report, action: Any) -> HttpResponse:
    try:
        result = action()
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return to_detail(report)
    messages.success(
        request,
        _("The report is now %(status)s.") % {"status": result.get_status_display().lower()},
    )
    return to_detail(result)


@login_required
def report_diff_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = report_for_user(request.user, pk)
    previous = previous_approved_revision(report)
    rows = report_diff(previous, report) if previous else []
    return render(
        request, "reports/diff.html", {"report": report, "previous": previous, "rows": rows}
    )
