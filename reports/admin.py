from django.contrib import admin

from .models import Assignment, ReportingCalendar, ReportingPeriod

admin.site.register(ReportingCalendar)
admin.site.register(ReportingPeriod)
admin.site.register(Assignment)
