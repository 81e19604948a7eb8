from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboards.views import overview
from targets.models import Programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The province overview (a reporter is sent to its own unit's page); before any programme
    is loaded, how to load one."""
    if Programme.objects.exists():
        return overview(request)
    return render(request, "home.html")
