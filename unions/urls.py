from django.urls import path

from . import views

app_name = "unions"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
]
