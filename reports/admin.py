"""Workflow data is shown in the admin, never changed there: the calendar, periods and
assignments change through the office's pages (services in `reports.assignments`, one
transaction with its audit entries), reports through their workflow."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Assignment, ReportingCalendar, ReportingPeriod


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(ReportingCalendar, ReadOnlyAdmin)
admin.site.register(ReportingPeriod, ReadOnlyAdmin)
admin.site.register(Assignment, ReadOnlyAdmin)
