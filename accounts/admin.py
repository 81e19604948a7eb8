from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (*UserAdmin.fieldsets, (_("Role and unit"), {"fields": ("role", "unit")}))  # type: ignore[misc]
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and unit"), {"fields": ("role", "unit")}),
    )
    list_display = ("username", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("unit",)
