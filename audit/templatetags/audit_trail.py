"""{% audit_trail obj %}: the audit page filtered to one object's history."""

from django import template
from django.db import models

from audit.tables import audit_trail_url

register = template.Library()


@register.simple_tag
def audit_trail(obj: models.Model) -> str:
    return audit_trail_url(obj._meta.model_name or "", obj.pk)
