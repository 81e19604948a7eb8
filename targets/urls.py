from django.urls import path

from . import views, views_edit

app_name = "targets"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("fields/", views.field_list, name="field_list"),
    path("registry-counts/", views_edit.registry_count_list, name="registry_count_list"),
    path("registry-counts/new/", views_edit.registry_count_edit, name="registry_count_new"),
    path("registry-counts/<int:pk>/", views_edit.registry_count_edit, name="registry_count_edit"),
    path("new/", views_edit.programme_new, name="programme_new"),
    path("import/", views_edit.programme_import, name="programme_import"),
    path("<slug:code>/", views.programme_detail, name="programme_detail"),
    path("<slug:code>/export/", views_edit.programme_export, name="programme_export"),
    path("<slug:code>/copy/", views_edit.programme_copy_view, name="programme_copy"),
    path("<slug:code>/edit/", views_edit.programme_edit, name="programme_edit"),
    path("<slug:code>/check/", views_edit.programme_check_view, name="programme_check"),
    path(
        "<slug:code>/publish/",
        views_edit.programme_status_view,
        {"action": "publish"},
        name="programme_publish",
    ),
    path(
        "<slug:code>/close/",
        views_edit.programme_status_view,
        {"action": "close"},
        name="programme_close",
    ),
    path("<slug:code>/fields/new/", views_edit.field_new, name="field_new"),
    path("<slug:code>/<slug:part>/new/", views_edit.part_edit, name="part_new"),
    path("<slug:code>/<slug:part>/<int:pk>/", views_edit.part_edit, name="part_edit"),
    path("<slug:code>/<slug:part>/<int:pk>/delete/", views_edit.part_delete, name="part_delete"),
]
