from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from targets.models import Field, Programme


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Quarterly reports")

    def ready(self) -> None:
        from .audited import audit_connect

        audit_connect()
        # A field's meaning is locked once reports hold values for it: `targets` asks here.
        from targets.hooks import publish_listen, values_listen

        values_listen(_field_has_values)
        # A programme published: the quarters of its term exist before the roll-up follows.
        publish_listen(_quarters_follow)


def _quarters_follow(programme: Programme) -> None:
    from .assignments import periods_ensure

    periods_ensure()


def _field_has_values(field: Field) -> bool:
    from .models import Value

    return Value.objects.filter(field=field).exists()
