from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("reports/<int:pk>/", views.report_print, name="report"),
    path("overview/", views.overview_print, name="overview"),
]
