from django.contrib import admin

from .models import Unit, UnitLink


class UnitLinkInline(admin.TabularInline):  # type: ignore[type-arg]
    model = UnitLink
    fk_name = "child"
    extra = 0
    can_delete = False
    readonly_fields = ("parent", "valid_from", "valid_to")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: dates and parents change only through the portal's reorganisation pages."""

    list_display = ("code", "name", "kind", "sector", "budget_paid", "valid_from", "valid_to")
    list_filter = ("kind", "sector", "budget_paid", "is_demo")
    search_fields = ("code", "name")
    readonly_fields = ("valid_from", "valid_to", "successor", "kind")
    inlines = [UnitLinkInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
