from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicator/<str:code>/", views.indicator, name="indicator"),
    path("unit/<str:code>/", views.unit, name="unit"),
    path("membership/", views.membership, name="membership"),
]
