from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .hooks import assignments_changing
from .models import Assignment, ReportingCalendar, ReportingPeriod

admin.site.register(ReportingCalendar)
admin.site.register(ReportingPeriod)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    """Changes made here keep the expected-report counts current, as the office's screens do."""

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        units = {obj.unit_id}
        if change:
            units |= set(Assignment.objects.filter(pk=obj.pk).values_list("unit_id", flat=True))
        with assignments_changing(units):
            super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Assignment) -> None:
        with assignments_changing([obj.unit_id]):
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Assignment]) -> None:
        with assignments_changing(set(queryset.values_list("unit_id", flat=True))):
            super().delete_queryset(request, queryset)
