"""The Excel round trip of one report."""

from django.urls import URLPattern, path

from . import views_excel

urlpatterns: list[URLPattern] = [
    path("<int:pk>/excel/", views_excel.excel_download, name="excel_download"),
    path("<int:pk>/excel/upload/", views_excel.excel_upload, name="excel_upload"),
    path("<int:pk>/excel/confirm/", views_excel.excel_confirm, name="excel_confirm"),
]
