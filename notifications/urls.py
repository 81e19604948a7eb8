from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.preferences_save, name="preferences"),
    path("remind/", views.remind, name="remind"),
]
