"""The report form: showing it, saving it (and sending it), and the form again after a refused
save: with the findings, or merged with someone else's newer version (409).

Views find reports through `reports.access` and leave every write to `reports.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import AuthenticatedHttpRequest
from accounts.models import User

from .access import can_edit, report_for_user, require_unit_reporter, reviews_reports
from .conflicts import merged_form, pending_clashes
from .forms import NARRATIVE_PARTS, ReportForm, narrative_name
from .foureyes import approval_barred
from .history import event_rows, field_labels, last_reason
from .models import Report
from .selectors import FormContext, FormShape, form_shape, report_form_context
from .services import (
    ReportInvalid,
    Saved,
    StaleVersion,
    WorkflowError,
    report_save_checked,
    report_submit,
)


def to_detail(report: Report) -> HttpResponse:
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = report_for_user(user, pk)
    require_unit_reporter(user, report.unit_id)
    if not can_edit(user, report):
        messages.error(
            request,
            _("This report is %(status)s and cannot be edited.")
            % {"status": report.get_status_display().lower()},
        )
        return to_detail(report)
    shape = form_shape(report)
    if request.method != "POST":
        return _first_form(request, report, report_form_context(report, shape))
    # A save reads only the form's inputs; what the form shows besides is read again only if
    # it must be shown again.
    form = ReportForm(
        request.POST, fields=shape.fields, task_groups=shape.task_groups, pairs=shape.pairs
    )
    if not form.is_valid():
        return _invalid_form(request, report, report_form_context(report, shape), form)
    try:
        saved = report_save_checked(
            report, form.report_input(), version=form.cleaned_data["version"], actor=user
        )
    except StaleVersion as stale:
        return _render_stale(request, report, shape, form, stale)
    except ReportInvalid as invalid:
        form.add_findings(invalid.findings.errors)
        ctx = report_form_context(report, shape)
        return _render_form(request, report, ctx, form, invalid.findings.warnings)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return to_detail(report)
    return _after_save(request, saved, user, submit="submit" in request.POST)


def _first_form(request: HttpRequest, report: Report, ctx: FormContext) -> HttpResponse:
    """The form as the report stands, with the sharp changes it already shows."""
    initial = ReportForm.initial_for(
        ctx.initial_entries(), ctx.confirmed, ctx.narratives, report.version, reasons=ctx.reasons
    )
    form = ReportForm(
        initial=initial, fields=ctx.fields, task_groups=ctx.task_groups, pairs=ctx.pairs
    )
    return _render_form(request, report, ctx, form, ctx.checks.check(ctx.current).warnings)


def _invalid_form(
    request: HttpRequest, report: Report, ctx: FormContext, form: ReportForm
) -> HttpResponse:
    """Checks what could be read as the save would (registry counts, year-to-date counts that
    fall, sharp jumps), so that one save tells of every problem; a value that could not be
    read waits for its own fix."""
    findings = ctx.checks.check(form.entries)
    form.add_findings(
        {
            code: messages
            for code, messages in findings.errors.items()
            if code in form.entries or f"v_{code}" not in form.fields
        }
    )
    warnings = {code: w for code, w in findings.warnings.items() if code in form.entries}
    return _render_form(request, report, ctx, form, warnings)


def _to_saved_form(report: Report) -> HttpResponse:
    """The form again after a save: `saved` tells its draft script (static/js/draft-*.js)
    to forget what it kept of the typing."""
    return redirect(reverse("reports:edit", args=[report.pk]) + "?saved=1")


def _after_save(request: HttpRequest, saved: Saved, user: User, *, submit: bool) -> HttpResponse:
    report, pending = saved.report, saved.pending
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
    return to_detail(report)


def _sent_message(report: Report, user: User) -> str:
    """A reporter sends to the office; the office, saving a unit's report, sends it for
    approval, by someone else when it changed the figures (four eyes)."""
    if not reviews_reports(user):
        return _("Saved and submitted to the provincial office.")
    if approval_barred(report, user):
        return _(
            "Saved and submitted for approval. You changed its figures, so another office "
            "account must approve it."
        )
    return _("Saved and submitted for approval.")


def _render_stale(
    request: HttpRequest, report: Report, shape: FormShape, form: ReportForm, stale: StaleVersion
) -> HttpResponse:
    """The form merged with the newer version: what the person did not touch takes the
    stored values, what both changed waits for their choice (`reports.conflicts`)."""
    report.refresh_from_db()
    ctx = report_form_context(report, shape)
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
    return _render_form(request, report, ctx, merged.form, {}, stale=context)


def _render_form(
    request: HttpRequest,
    report: Report,
    ctx: FormContext,
    form: ReportForm,
    warnings: dict[str, str],
    *,
    stale: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form page; `stale` (what a refused save must show of the newer version) makes it a
    409."""
    context = {
        "report": report,
        "form": form,
        "sections": _form_sections(ctx, form, warnings),
        "narratives": _form_narratives(ctx, form),
        "several_programmes": len({g.programme_id for g in ctx.task_groups}) > 1,
        "previous": ctx.previous,
        "reason_event": last_reason(report) if report.is_editable else None,
        "warning_count": len(warnings),
        "draft_saved": request.method == "GET" and request.GET.get("saved") == "1",
        **(stale or {}),
    }
    context["clash_rows"] = _clash_rows(ctx, form, context.get("clashes"))
    return render(request, "reports/form.html", context, status=409 if stale else 200)


def _form_sections(
    ctx: FormContext, form: ReportForm, warnings: dict[str, str]
) -> list[tuple[str, list[dict[str, Any]]]]:
    return [
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


def _form_narratives(ctx: FormContext, form: ReportForm) -> list[tuple[Any, list[Any], bool]]:
    narratives = []
    for group in ctx.task_groups:
        parts = [form[narrative_name(group.key, part)] for part, _label in NARRATIVE_PARTS]
        narratives.append((group, parts, any(p.value() or p.errors for p in parts)))
    return narratives


def _clash_rows(ctx: FormContext, form: ReportForm, clashes: Any) -> list[tuple[Any, Any]]:
    """Each input both people changed, with its choice (`reports.conflicts`)."""
    return [(c, form[f"pick_{c.key}"]) for c in clashes or pending_clashes(ctx, form)]
