from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.access import office_staff

from .editing import may_edit
from .models import Field, Indicator, Programme, Target, field_groups, registry_count_labels
from .programmes import programmes_shown
from .publishing import programme_check


def _programmes_for(request: HttpRequest) -> QuerySet[Programme]:
    """Office staff see drafts too (they prepare them); everyone else the published ones."""
    if office_staff(request):
        return Programme.objects.all()
    return programmes_shown()


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/programme_list.html", {"programmes": _programmes_for(request)})


@login_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(_programmes_for(request), code=code)
    targets = Prefetch(
        "targets",
        queryset=Target.objects.select_related("unit").order_by("unit__code", "year"),
        to_attr="general_targets",
    )
    indicators = (
        Indicator.objects.filter(programme=programme)
        .select_related("numerator", "denominator")
        .prefetch_related(targets)
    )
    office = office_staff(request)
    return render(
        request,
        "targets/programme_detail.html",
        {
            "programme": programme,
            "indicators": indicators,
            "task_groups": programme.task_groups.all(),
            "office": office,
            "editable": office and programme.is_editable,
            "targets_editable": office and may_edit(programme, "target"),
            "problems": programme_check(programme) if office and programme.is_editable else [],
        },
    )


@login_required
def field_list(request: HttpRequest) -> HttpResponse:
    fields = list(Field.objects.all())
    labels = registry_count_labels()
    groups = [
        (g.label, [(f, labels.get(f.registry_count, "")) for f in fields if f.group == g.code])
        for g in field_groups()
    ]
    return render(request, "targets/field_list.html", {"groups": groups})
