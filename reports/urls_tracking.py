from django.urls import path

from . import views_tracking as views

urlpatterns = [
    path("tracking/", views.tracking, name="tracking"),
    path("calendar/", views.calendar, name="calendar"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/add/", views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("assignments/apply/", views.assignments_apply, name="assignments_apply"),
]
