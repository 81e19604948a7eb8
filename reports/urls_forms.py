"""The report list, one report, its form, the review transitions and the revision diff."""

from django.urls import URLPattern, path

from . import views, views_form

urlpatterns: list[URLPattern] = [
    path("", views.report_list, name="list"),
    path("open/", views.report_open_view, name="open"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views_form.report_edit, name="edit"),
    path("<int:pk>/submit/", views.report_submit_view, name="submit"),
    path("<int:pk>/return/", views.report_return_view, name="return"),
    path("<int:pk>/approve/", views.report_approve_view, name="approve"),
    path("<int:pk>/reopen/", views.report_reopen_view, name="reopen"),
    path("<int:pk>/diff/", views.report_diff_view, name="diff"),
]
