from django.urls import path

from . import views_calendar
from . import views_tracking as views

urlpatterns = [
    path("tracking/", views.tracking, name="tracking"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/due/", views_calendar.due_dates, name="due_dates"),
    path("assignments/bulk/", views_calendar.assignments_bulk, name="assignments_bulk"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/add/", views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("assignments/apply/", views.assignments_apply, name="assignments_apply"),
]
