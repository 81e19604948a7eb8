from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Field, Indicator, Programme, Target, field_groups


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/programme_list.html", {"programmes": Programme.objects.all()})


@login_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    term_targets = Prefetch(
        "targets",
        queryset=Target.objects.filter(unit__isnull=True).order_by("year"),
        to_attr="general_targets",
    )
    indicators = (
        Indicator.objects.filter(programme=programme)
        .select_related("numerator", "denominator")
        .prefetch_related(term_targets)
    )
    return render(
        request,
        "targets/programme_detail.html",
        {
            "programme": programme,
            "indicators": indicators,
            "task_groups": programme.task_groups.all(),
        },
    )


@login_required
def field_list(request: HttpRequest) -> HttpResponse:
    fields = list(Field.objects.all())
    groups = [(g.label, [f for f in fields if f.group == g.code]) for g in field_groups()]
    return render(request, "targets/field_list.html", {"groups": groups})
