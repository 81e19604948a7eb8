from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("fields/", views.field_list, name="field_list"),
    path("<slug:code>/", views.programme_detail, name="programme_detail"),
]
