"""Report pages: the list, one report, the form, the review transitions, the revision diff.

Views find reports through `reports.access` (404 outside the user's scope), refuse actions
the role may not take with 403, and leave every write to `reports.services`.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.access import user_of
from accounts.models import User
from targets.models import field_groups
from targets.programmes import covers, programmes_in_force, programmes_shown
from unions.access import unit_for_user
from unions.models import Unit

from .access import can_edit, can_review, report_for_user, require_unit_reporter, visible_reports
from .assignments import assignments_for
from .conflicts import merged_form, pending_clashes
from .forms import NARRATIVE_PARTS, ReasonForm, ReportFilter, ReportForm, narrative_name
from .foureyes import approval_barred
from .history import event_rows, field_labels, last_reason, report_history
from .models import Report, ReportingPeriod, ReportStatus
from .periods import parse_period, quarter_label
from .selectors import (
    FormContext,
    entries_of,
    is_province_report,
    open_slots,
    previous_approved_revision,
    report_form_context,
    report_timeliness,
    time_wording,
)
from .services import (
    ReportInvalid,
    StaleVersion,
    WorkflowError,
    report_approve,
    report_blanks,
    report_diff,
    report_fields,
    report_findings,
    report_open,
    report_reopen,
    report_return,
    report_save,
    report_submit,
    unconfirmed_warnings,
)


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
def report_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    reports = (
        visible_reports(user)
        .filter(is_latest=True)
        .order_by("-period__year", "-period__quarter", "unit__code")
    )
    filters = ReportFilter(request.GET or None, queryset=reports, office=user.sees_whole_province)
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
def report_open_view(request: HttpRequest) -> HttpResponse:
    """Opens (creates if needed) the unit's report for a period given by its code (2024Q3)."""
    user = user_of(request)
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
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = report_for_user(user, pk)
    fields = report_fields(report.period, province=is_province_report(report))
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
    narratives = [
        n
        for n in report.narratives.select_related("task_group").order_by("task_group__order")
        if n.results or n.shortfalls or n.next_steps
    ]
    reason_event = last_reason(report) if report.is_editable else None
    reviewable = can_review(user, report) and report.status == ReportStatus.SUBMITTED
    barred = approval_barred(report, user) if reviewable else None
    context = {
        "report": report,
        "groups": [(label, rows) for label, rows in groups if rows],
        "narratives": narratives,
        "timeliness": report_timeliness(report, timezone.localdate(), reason_event),
        "previous_approved": previous_approved_revision(report),
        "reason_event": reason_event,
        "may_edit": can_edit(user, report),
        "may_submit": can_edit(user, report),
        "may_return": can_review(user, report) and report.status == ReportStatus.SUBMITTED,
        "may_approve": reviewable and barred is None,
        "approval_barred": barred,
        "may_reopen": can_review(user, report) and report.status == ReportStatus.APPROVED,
        "warnings": _labelled(unconfirmed_warnings(report), fields) if user.is_office else [],
        "blanks": report_blanks(report),
        "field_count": len(fields),
        "programmes": programmes_in_force(report.period.year, report.period.quarter),
        "history": report_history(report) if user.is_office else [],
        "reason_form": ReasonForm(),
    }
    return render(request, "reports/detail.html", context)


def _labelled(messages_by_code: dict[str, str], fields: list[Any]) -> list[tuple[str, str]]:
    labels = {f.code: f.label for f in fields}
    return [(labels.get(code, code), text) for code, text in messages_by_code.items()]


def _to_detail(report: Report) -> HttpResponse:
    return redirect("reports:detail", pk=report.pk)


def _require_unit_editor(user: User, report: Report) -> None:
    """Office staff, or the reporter of the report's own unit (not of a unit below it)."""
    if not (user.is_office or (user.is_reporter and report.unit_id == user.unit_id)):
        raise PermissionDenied


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = report_for_user(user, pk)
    _require_unit_editor(user, report)
    if not can_edit(user, report):
        messages.error(
            request,
            _("This report is %(status)s and cannot be edited.")
            % {"status": report.get_status_display().lower()},
        )
        return _to_detail(report)
    ctx = report_form_context(report)
    if request.method != "POST":
        initial = ReportForm.initial_for(
            ctx.initial_entries(),
            ctx.confirmed,
            ctx.narratives,
            report.version,
            reasons=ctx.reasons,
        )
        form = ReportForm(
            initial=initial, fields=ctx.fields, task_groups=ctx.task_groups, pairs=ctx.pairs
        )
        warnings = report_findings(report, ctx.current).warnings
        return _render_form(request, report, ctx, form, warnings)
    form = ReportForm(request.POST, fields=ctx.fields, task_groups=ctx.task_groups, pairs=ctx.pairs)
    if not form.is_valid():
        # Check what could be read as the save would (registry counts, year-to-date counts
        # that fall, sharp jumps), so that one save tells of every problem; a value that could
        # not be read waits for its own fix.
        findings = report_findings(report, form.entries)
        form.add_findings(
            {
                code: messages
                for code, messages in findings.errors.items()
                if code in form.entries or f"v_{code}" not in form.fields
            }
        )
        warnings = {code: w for code, w in findings.warnings.items() if code in form.entries}
        return _render_form(request, report, ctx, form, warnings)
    try:
        report = report_save(
            report, form.report_input(), version=form.cleaned_data["version"], actor=user
        )
    except StaleVersion as stale:
        return _render_stale(request, report, form, stale)
    except ReportInvalid as invalid:
        form.add_findings(invalid.findings.errors)
        return _render_form(request, report, ctx, form, invalid.findings.warnings)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return _to_detail(report)
    return _after_save(request, report, user, submit="submit" in request.POST)


def _to_saved_form(report: Report) -> HttpResponse:
    """The form again after a save: `saved` tells its draft script (static/js/draft-*.js)
    to forget what it kept of the typing."""
    return redirect(reverse("reports:edit", args=[report.pk]) + "?saved=1")


def _after_save(request: HttpRequest, report: Report, user: User, *, submit: bool) -> HttpResponse:
    pending = unconfirmed_warnings(report)
    if submit and pending:
        messages.error(
            request,
            ngettext(
                "Saved, but not submitted: confirm or correct the value marked below.",
                "Saved, but not submitted: confirm or correct the %(n)d values marked below.",
                len(pending),
            )
            % {"n": len(pending)},
        )
        return _to_saved_form(report)
    if not submit:
        if pending:
            messages.warning(
                request,
                ngettext(
                    "Saved. %(n)d value changed sharply: confirm or correct it before submitting.",
                    "Saved. %(n)d values changed sharply: confirm or correct them before "
                    "submitting.",
                    len(pending),
                )
                % {"n": len(pending)},
            )
            return _to_saved_form(report)
        messages.success(request, _("Draft saved."))
        return _to_saved_form(report)
    try:
        report_submit(report, version=report.version, actor=user)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return _to_saved_form(report)
    messages.success(request, _sent_message(report, user))
    return _to_detail(report)


def _sent_message(report: Report, user: User) -> str:
    """A reporter sends to the office; the office, saving a unit's report, sends it for
    approval, by someone else when it changed the figures (four eyes)."""
    if not user.is_office:
        return _("Saved and submitted to the provincial office.")
    if approval_barred(report, user):
        return _(
            "Saved and submitted for approval. You changed its figures, so another office "
            "account must approve it."
        )
    return _("Saved and submitted for approval.")


def _render_stale(
    request: HttpRequest, report: Report, form: ReportForm, stale: StaleVersion
) -> HttpResponse:
    """The form merged with the newer version: what the person did not touch takes the
    stored values, what both changed waits for their choice (`reports.conflicts`)."""
    report.refresh_from_db()
    ctx = report_form_context(report)
    merged = merged_form(ctx, form, request.POST, report.version)
    who = ", ".join(sorted({e.actor.get_username() for e in stale.events if e.actor}))
    context = {
        "stale_message": _(
            "%(who)s saved this report after you opened it. Nothing of yours is saved yet: "
            "their changes are merged into your form below."
        )
        % {"who": who or _("someone")},
        "stale_events": event_rows(stale.events, field_labels()),
        "clashes": merged.clashes,
        "taken": merged.taken,
    }
    return _render_form(request, report, ctx, merged.form, {}, extra=context, status=409)


def _render_form(
    request: HttpRequest,
    report: Report,
    ctx: FormContext,
    form: ReportForm,
    warnings: dict[str, str],
    *,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = [
        (
            section.label,
            [
                {
                    "row": row,
                    "value": form[f"v_{row.field.code}"],
                    "na": form[f"na_{row.field.code}"],
                    "confirm": form[f"confirm_{row.field.code}"],
                    "reason": form[f"nr_{row.field.code}"],
                    "warning": warnings.get(row.field.code, ""),
                }
                for row in section.rows
            ],
        )
        for section in ctx.sections
    ]
    narratives = []
    for group in ctx.task_groups:
        parts = [form[narrative_name(group.key, part)] for part, _label in NARRATIVE_PARTS]
        narratives.append((group, parts, any(p.value() or p.errors for p in parts)))
    context = {
        "report": report,
        "form": form,
        "sections": sections,
        "narratives": narratives,
        "several_programmes": len({g.programme_id for g in ctx.task_groups}) > 1,
        "previous": ctx.previous,
        "reason_event": last_reason(report) if report.is_editable else None,
        "warning_count": len(warnings),
        "draft_saved": request.method == "GET" and request.GET.get("saved") == "1",
        **(extra or {}),
    }
    context["clash_rows"] = _clash_rows(ctx, form, context.get("clashes"))
    return render(request, "reports/form.html", context, status=status)


def _clash_rows(ctx: FormContext, form: ReportForm, clashes: Any) -> list[tuple[Any, Any]]:
    """Each input both people changed, with its choice (`reports.conflicts`)."""
    return [(c, form[f"pick_{c.key}"]) for c in clashes or pending_clashes(ctx, form)]


def _post_report(request: HttpRequest, pk: int) -> tuple[User, Report]:
    user = user_of(request)
    return user, report_for_user(user, pk)


@login_required
@require_POST
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    _require_unit_editor(user, report)
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
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    _require_office(user)
    reason = request.POST.get("reason", "")
    return _transition(request, report, lambda: report_return(report, reason=reason, actor=user))


@login_required
@require_POST
def report_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    _require_office(user)
    return _transition(request, report, lambda: report_approve(report, actor=user))


@login_required
@require_POST
def report_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, report = _post_report(request, pk)
    _require_office(user)
    reason = request.POST.get("reason", "")
    return _transition(request, report, lambda: report_reopen(report, reason=reason, actor=user))


def _require_office(user: User) -> None:
    if not user.is_office:
        raise PermissionDenied


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
        return _to_detail(report)
    messages.success(
        request,
        _("The report is now %(status)s.") % {"status": result.get_status_display().lower()},
    )
    return _to_detail(result)


@login_required
def report_diff_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_user(user_of(request), pk)
    previous = previous_approved_revision(report)
    rows = report_diff(previous, report) if previous else []
    return render(
        request, "reports/diff.html", {"report": report, "previous": previous, "rows": rows}
    )
