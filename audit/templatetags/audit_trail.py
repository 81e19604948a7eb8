"""{% audit_trail obj %}: the audit page filtered to one object's history."""

from django import template
from django.db import models

from audit.tables import audit_trail_url

register = template.Library()


@register.simple_tag
def audit_trail(obj: models.Model) -> str:
    return audit_trail_url(obj._meta.model_name or "", obj.pk)


@register.filter
def audit_value(value: object) -> object:
    """Booleans are stored as "true"/"false"; show them in words."""
    from django.utils.translation import gettext

    if value == "true":
        return gettext("yes")
    if value == "false":
        return gettext("no")
    return value
