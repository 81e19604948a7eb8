from django.urls import path

from . import views, views_picker

app_name = "unions"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("new/", views.unit_new, name="new"),
    path("merge/", views.unit_merge_view, name="merge"),
    path("pick/", views_picker.unit_pick, name="pick"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.unit_edit, name="edit"),
    path("<str:code>/move/", views.unit_move_view, name="move"),
    path("<str:code>/move-children/", views.move_children, name="move_children"),
    path("<str:code>/dissolve/", views.unit_dissolve_view, name="dissolve"),
]
