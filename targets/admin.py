from typing import Any

from django.contrib import admin

from .models import Field, Indicator, Programme, Target, TaskGroup


class IndicatorInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Indicator
    extra = 0
    fields = (
        "code",
        "name_vi",
        "kind",
        "numerator",
        "denominator",
        "display",
        "comparison",
        "order",
    )


class TaskGroupInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TaskGroup
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "title_vi", "status", "term_start", "term_end")
    inlines = [IndicatorInline, TaskGroupInline]
    # The status, dates and term change through the programme screens' services (the check,
    # publication, early close), never by hand: a published term cannot move past its reports.
    readonly_fields = ("status", "published_from", "closed_from")

    def get_readonly_fields(self, request: Any, obj: Programme | None = None) -> Any:
        fixed = ("issued_on", "term_start", "term_end") if obj and not obj.is_editable else ()
        return (*self.readonly_fields, *fixed)


class TargetInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Target
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name_vi", "programme", "kind", "display", "comparison")
    list_filter = ("programme", "kind")
    inlines = [TargetInline]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "label_vi", "group", "time_kind", "frequency", "registry_count")
    list_filter = ("group", "time_kind", "frequency")
    search_fields = ("code", "label_vi", "label_en")
