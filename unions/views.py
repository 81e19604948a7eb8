from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .access import unit_for_user, visible_units
from .selectors import unit_history, unit_tree


def _on_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    on = _on_date(request)
    return render(request, "unions/tree.html", {"on": on, "roots": unit_tree(on)})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    units = visible_units(request.user).search(q)[:100]  # type: ignore[arg-type]
    return render(request, "unions/search.html", {"q": q, "units": units})


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request.user, code)  # type: ignore[arg-type]
    return render(request, "unions/detail.html", {"unit": unit, "history": unit_history(unit)})
