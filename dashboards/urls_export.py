from django.urls import path

from . import views_export

app_name = "exports"

urlpatterns = [
    path("workbook/", views_export.workbook, name="workbook"),
    path("csv/<slug:table>/", views_export.csv_table, name="csv"),
    path("csv/<slug:table>/<str:code>/", views_export.csv_table, name="csv"),
]
