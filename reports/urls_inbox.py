"""The office inbox's actions."""

from django.urls import URLPattern, path

from . import views_inbox

urlpatterns: list[URLPattern] = [
    path("inbox/approve/", views_inbox.inbox_approve, name="inbox_approve"),
]
