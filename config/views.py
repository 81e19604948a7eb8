from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from targets.models import Programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.prefetch_related("indicators")
    return render(request, "home.html", {"programmes": programmes})
