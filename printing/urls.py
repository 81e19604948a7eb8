from django.urls import path

from . import views, views_annual

app_name = "printing"

urlpatterns = [
    path("reports/<int:pk>/", views.report_print, name="report"),
    path("overview/", views.overview_print, name="overview"),
    path("annual-report/", views_annual.annual_report, name="annual_report"),
]
