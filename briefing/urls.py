from django.urls import path

from . import views

app_name = "briefing"

urlpatterns = [
    path("narratives/", views.narratives, name="narratives"),
]
