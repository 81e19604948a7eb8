"""{% audit_trail obj %}: the audit page filtered to one object's history;
{% via_words entry %}: where an entry came from, in words."""

from typing import Any

from django import template
from django.db import models

from audit.tables import audit_trail_url

register = template.Library()


@register.simple_tag
def audit_trail(obj: models.Model) -> str:
    return audit_trail_url(obj._meta.model_name or "", obj.pk)


@register.simple_tag
def via_words(record: Any) -> str:
    """Where an entry came from, in words ("approved the report for Quý 2/2026 of LDLD-TD")."""
    from audit.words import via_words as words

    return words(record.via_detail, record.object_repr)
