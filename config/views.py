from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import AuthenticatedHttpRequest
from dashboards.views import overview
from targets.programmes import programmes_shown


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The province overview (a reporter is sent to its own unit's page); before any programme
    is published, how to load one."""
    if programmes_shown().exists():
        return overview(request)
    return render(request, "home.html")
