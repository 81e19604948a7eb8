"""The programme screens of office staff and administrators: create, copy, edit a draft, check,
publish, close. Every view checks access first (`unions.access.require_office`); every write
goes through a service of `editing`, `publishing` or `importing`, in one transaction with its
audit entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import user_of
from fileread.reader import FileRefused, upload_bytes
from unions.access import require_office

from . import forms as f
from .definition import definition_filename, definition_write
from .editing import draft_part_delete, draft_save, may_edit, programme_copy, shared_save
from .importing import definition_save, definition_try
from .models import Indicator, Programme, RegistryCount, Target, TaskGroup
from .programmes import quarter_days, quarter_of
from .publishing import programme_close, programme_mark_checked, programme_publish
from .services import programme_code_in

PARTS: dict[str, tuple[type[Any], type[Any], Any]] = {
    "task-group": (TaskGroup, f.TaskGroupForm, "programme"),
    "indicator": (Indicator, f.IndicatorForm, "programme"),
    "target": (Target, f.TargetForm, "indicator__programme"),
}
TITLES = {
    "task-group": gettext_lazy("Task group"),
    "indicator": gettext_lazy("Indicator"),
    "target": gettext_lazy("Target"),
}


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _office_programme(request: HttpRequest, code: str) -> Programme:
    require_office(user_of(request))
    return get_object_or_404(Programme, code=code)


def _page(request: HttpRequest, form: Any, title: str, programme: Programme | None) -> HttpResponse:
    context = {"form": form, "title": title, "programme": programme}
    return render(request, "targets/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    require_office(user_of(request))
    form = f.ProgrammeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        programme = draft_save(form)
        messages.success(request, _("Draft %(number)s created.") % {"number": programme.number})
        return redirect("targets:programme_detail", programme.code)
    return _page(request, form, _("New programme"), None)


@login_required
@require_http_methods(["GET", "POST"])
def programme_copy_view(request: HttpRequest, code: str) -> HttpResponse:
    source = _office_programme(request, code)
    form = f.CopyForm(_data(request))
    if request.method == "POST" and form.is_valid():
        copy = programme_copy(source, form.cleaned_data["code"], form.cleaned_data["number"])
        messages.success(request, _("Draft %(number)s created.") % {"number": copy.number})
        return redirect("targets:programme_detail", copy.code)
    title = _("Copy of %(number)s") % {"number": source.number}
    return _page(request, form, title, source)


def _refuse_unless_editable(programme: Programme, part: str) -> None:
    if not may_edit(programme, part):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    programme = _office_programme(request, code)
    _refuse_unless_editable(programme, "programme")
    form = f.ProgrammeForm(_data(request), instance=programme)
    if request.method == "POST" and form.is_valid():
        draft_save(form)
        messages.success(request, _("Saved."))
        return redirect("targets:programme_detail", form.instance.code)
    return _page(request, form, _("Edit %(number)s") % {"number": programme.number}, programme)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, code: str, part: str, pk: int | None = None) -> HttpResponse:
    """Adds (no `pk`) or edits a task group, an indicator or a target of the programme."""
    programme = _office_programme(request, code)
    if part not in PARTS:
        raise Http404
    _refuse_unless_editable(programme, part)
    model, form_class, owner = PARTS[part]
    instance = None
    if pk is not None:
        instance = get_object_or_404(model, pk=pk, **{owner: programme})
    # A new target may come with its indicator chosen; an existing one keeps its own.
    initial = {"indicator": request.GET.get("indicator")} if part == "target" and not pk else None
    form = form_class(_data(request), instance=instance, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        draft_save(form, programme)
        messages.success(request, _("Saved."))
        return redirect("targets:programme_detail", programme.code)
    return _page(request, form, str(TITLES[part]), programme)


@login_required
@require_POST
def part_delete(request: HttpRequest, code: str, part: str, pk: int) -> HttpResponse:
    programme = _office_programme(request, code)
    if part not in PARTS or not programme.is_editable:
        raise Http404
    model, _form, owner = PARTS[part]
    draft_part_delete(get_object_or_404(model, pk=pk, **{owner: programme}), programme)
    messages.success(request, _("Deleted."))
    return redirect("targets:programme_detail", programme.code)


@login_required
@require_http_methods(["GET", "POST"])
def field_new(request: HttpRequest, code: str) -> HttpResponse:
    """A new data field, to be read by an indicator of the draft."""
    programme = _office_programme(request, code)
    _refuse_unless_editable(programme, "field")
    form = f.FieldForm(_data(request))
    if request.method == "POST" and form.is_valid():
        field = shared_save(form)
        messages.success(request, _("Data field %(code)s created.") % {"code": field.code})
        return redirect("targets:programme_detail", programme.code)
    return _page(request, form, _("New data field"), programme)


@login_required
def registry_count_list(request: HttpRequest) -> HttpResponse:
    """The counts the registry knows, which fields may name (office staff add and reword them)."""
    require_office(user_of(request))
    context = {"counts": RegistryCount.objects.all(), "title": _("Registry counts")}
    return render(request, "targets/registry_count_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registry_count_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Adds (no `pk`) or edits a registry count; its meaning is refused once relied on."""
    require_office(user_of(request))
    instance = get_object_or_404(RegistryCount, pk=pk) if pk is not None else None
    form = f.RegistryCountForm(_data(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            count = shared_save(form)
        except ValidationError as refused:  # relied on since the form was checked
            form.add_error(None, refused)
        else:
            messages.success(request, _("Registry count %(code)s saved.") % {"code": count.code})
            return redirect("targets:registry_count_list")
    title = _("Registry count") if instance is None else str(instance)
    return render(request, "targets/registry_count_form.html", {"form": form, "title": title})


@login_required
@require_POST
def programme_check_view(request: HttpRequest, code: str) -> HttpResponse:
    programme = _office_programme(request, code)
    _refuse_unless_editable(programme, "programme")
    problems = programme_mark_checked(programme)
    if problems:
        messages.error(
            request, _("%(count)s problems to correct first.") % {"count": len(problems)}
        )
    else:
        messages.success(request, _("Checked: no problem found. It can be published."))
    return redirect("targets:programme_detail", programme.code)


def _next_quarter_start(today: dt.date) -> dt.date:
    year, quarter = quarter_of(today)
    return quarter_days(year, quarter)[1] + dt.timedelta(days=1)


@login_required
@require_http_methods(["GET", "POST"])
def programme_status_view(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Publishes a checked programme, or closes a published one early, from a day."""
    programme = _office_programme(request, code)
    today = timezone.localdate()
    form = f.DayForm(_data(request), initial_day=_next_quarter_start(today))
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        try:
            if action == "publish":
                programme_publish(programme, day, today)
            else:
                programme_close(programme, day, today)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error("day", message)
        else:
            messages.success(request, _("Saved."))
            return redirect("targets:programme_detail", programme.code)
    words = _("Publish %(number)s") if action == "publish" else _("Close %(number)s early")
    return _page(request, form, words % {"number": programme.number}, programme)


@login_required
@require_http_methods(["GET", "POST"])
def programme_import(request: HttpRequest) -> HttpResponse:
    """A definition file imported as a new draft, all or nothing; problems line by line."""
    require_office(user_of(request))
    form = f.ImportForm(_data(request), request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        dry_run = form.cleaned_data["dry_run"]
        try:
            data = upload_bytes(form.cleaned_data["file"])
            if (
                programme_code_in(data)
                and Programme.objects.filter(code=programme_code_in(data)).exists()
            ):
                raise FileRefused([_("A programme with this code already exists.")])
            if dry_run:
                _tried(request, definition_try(data))
                return redirect("targets:programme_import")
            programme = definition_save(data)
        except FileRefused as refused:
            problems = list(refused.messages)
        else:
            messages.success(request, _("Draft %(number)s created.") % {"number": programme.number})
            return redirect("targets:programme_detail", programme.code)
    context = {"form": form, "problems": problems, "title": _("Import a programme")}
    return render(request, "targets/import.html", context)


def _tried(request: HttpRequest, checked: list[str]) -> None:
    """What a dry run found: the file can be imported; the check's problems, if any, must be
    put right on the draft before it can be published."""
    messages.success(request, _("The file is sound; nothing was saved."))
    for problem in checked:
        messages.warning(request, _("Once imported, the check will list: %(p)s") % {"p": problem})


@login_required
def programme_export(request: HttpRequest, code: str) -> HttpResponse:
    programme = _office_programme(request, code)
    response = HttpResponse(
        definition_write(programme),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{definition_filename(programme)}"'
    return response
