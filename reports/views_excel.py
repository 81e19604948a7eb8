"""Excel round trip of one report: download the template, upload it, preview, confirm.

Between preview and confirmation the parsed values live in the session (keyed by the report
and the version they were checked against), never in the browser: the confirmation form
carries only that version, so nothing the client sends becomes a value.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedHttpRequest
from fileread.reader import FileRefused, upload_bytes

from .access import can_edit, report_for_user
from .excel import report_workbook
from .excel_upload import (
    Preview,
    UploadError,
    upload_matches,
    upload_preview,
    workbook_read,
)
from .models import EventAction, Report
from .numbers import FILES, parse_entry
from .services import ReportInput, ReportInvalid, StaleVersion, WorkflowError, report_save

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


@login_required
def excel_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = report_for_user(request.user, pk)
    response = HttpResponse(report_workbook(report), content_type=XLSX)
    name = f"bao-cao-{report.unit.code}-{report.period.code}-r{report.revision}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _editable_report(request: AuthenticatedHttpRequest, pk: int) -> Report:
    report = report_for_user(request.user, pk)
    if not can_edit(request.user, report):
        raise PermissionDenied(_("You cannot change this report now."))
    return report


def _session_key(report: Report) -> str:
    return f"reports.excel_upload.{report.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def excel_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _editable_report(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            preview = _read_upload(report, form.cleaned_data["file"])
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            return _show_preview(request, report, preview)
    status = 400 if form.errors else 200
    return render(
        request, "reports/excel_upload.html", {"report": report, "form": form}, status=status
    )


def _read_upload(report: Report, upload: Any) -> Preview:
    try:
        data = upload_bytes(upload)
    except FileRefused as exc:
        raise UploadError("\n".join(exc.messages)) from exc
    parsed = workbook_read(data)
    upload_matches(parsed, report)
    return upload_preview(report, parsed)


def _show_preview(request: HttpRequest, report: Report, preview: Preview) -> HttpResponse:
    key = _session_key(report)
    request.session.pop(key, None)
    if preview.ok:
        request.session[key] = {
            "version": report.version,
            "values": {code: entry.display() for code, entry in preview.values.items()},
            "narratives": {code: list(texts) for code, texts in preview.texts.items()},
        }
    context = {"report": report, "preview": preview, "version": report.version}
    return render(request, "reports/excel_preview.html", context)


@login_required
@require_POST
def excel_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _editable_report(request, pk)
    stored = request.session.pop(_session_key(report), None)
    if not stored or str(stored["version"]) != request.POST.get("version"):
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("reports:excel_upload", pk=report.pk)
    data = ReportInput(
        values={code: parse_entry(text, FILES) for code, text in stored["values"].items()},
        narratives={code: tuple(texts) for code, texts in stored["narratives"].items()},
        confirmed_warnings=set(request.POST.getlist("confirm")),
    )
    try:
        report_save(
            report,
            data,
            version=stored["version"],
            actor=request.user,
            action=EventAction.IMPORT,
        )
    except StaleVersion as exc:
        context = {"report": report, "form": UploadForm(), "stale": exc}
        return render(request, "reports/excel_upload.html", context, status=409)
    except (ReportInvalid, WorkflowError) as exc:
        messages.error(request, exc.messages[0])
        return redirect("reports:excel_upload", pk=report.pk)
    messages.success(request, _("The values from the file were saved."))
    return redirect(_report_url(report))


def _report_url(report: Report) -> str:
    """The report's page if the forms part of the app provides one."""
    try:
        return reverse("reports:detail", args=[report.pk])
    except NoReverseMatch:
        return reverse("reports:excel_upload", args=[report.pk])
