from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .display import DataFieldLabels, KeptChanges
from .filters import model_labels
from .models import AuditEntry


def audit_trail_url(model: str, pk: object) -> str:
    """The audit page filtered to one object's history."""
    return reverse("audit:list") + "?" + urlencode({"model": model, "object": str(pk)})


class AuditTable(tables.Table):  # type: ignore[misc]
    at = tables.DateTimeColumn(verbose_name=_("When"), format="SHORT_DATETIME_FORMAT")
    actor_username = tables.TemplateColumn(template_name="audit/_actor.html", verbose_name=_("Who"))
    action = tables.TemplateColumn(template_name="audit/_action.html", verbose_name=_("Action"))
    object_repr = tables.Column(verbose_name=_("What"))
    # Rendered by render_changes with the page's data-field labels; the accessor is a cheap one.
    changes = tables.Column(verbose_name=_("Before → after"), accessor="pk", empty_values=())

    class Meta:
        model = AuditEntry
        fields = ("at", "actor_username", "action", "object_repr", "changes")
        template_name = "portal/table.html"
        attrs = {"class": "audit"}
        orderable = False
        empty_text = _("No changes match.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data_fields = DataFieldLabels()  # read once, for the whole page
        self.kept = KeptChanges(self._page_entries)

    def _page_entries(self) -> list[AuditEntry]:
        rows = self.page.object_list if hasattr(self, "page") else []
        return [row.record for row in rows]

    def render_changes(self, record: AuditEntry) -> Any:
        changes = record.changes(self.data_fields, self.kept)
        return render_to_string("audit/_changes.html", {"changes": changes})

    def render_object_repr(self, record: AuditEntry) -> Any:
        label = capfirst(model_labels().get(record.model, record.model))
        return format_html(
            '<span class="muted">{}</span> <a href="{}" title="{}">{}</a>',
            label,
            audit_trail_url(record.model, record.object_pk),
            _("History of this object"),
            record.object_text(self.data_fields),
        )
