"""Counts the portal takes from the unit registry for a reporting unit's subtree ("CĐCS of the
state sector", "unions directly above grassroots", …): data, so a new kind of count needs no
code. A data field names one by its code (`Field.registry_count`); the report form bounds the
field's figure by it and `reports.registry.registry_counts` computes every count in one query.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from unions.models import Sector, UnitKind, localized


class RegistryCount(models.Model):
    """The units of the subtree, active on the cut-off date, of one of `unit_kinds` and (when
    `sectors` names any) of one of `sectors`. A CĐCS reporting for itself counts itself."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    # Lists of `unions.UnitKind` and `unions.Sector` values; no sector: every sector.
    unit_kinds = models.JSONField(_("kinds of unit counted"), default=list)
    sectors = models.JSONField(_("sectors counted (none: all)"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registry count")
        verbose_name_plural = _("registry counts")
        ordering = ["order", "code"]

    # What a count means: once a field with figures or a published programme relies on it,
    # none of these may change (a new meaning is a new count). Labels may be reworded.
    MEANING = ("code", "unit_kinds", "sectors")

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        changed = self.meaning_changes()
        if changed:
            raise RegistryCountLocked(self, changed)
        stored = RegistryCount.objects.filter(pk=self.pk).values_list("code", flat=True).first()
        if stored is not None and stored != self.code and registry_count_used(stored):
            raise ValidationError(
                _("Registry count %(code)s is named by data fields: its code cannot change.")
                % {"code": stored}
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if registry_count_used(self.code):
            raise ValidationError(
                _("Registry count %(code)s is named by data fields: it cannot be deleted.")
                % {"code": self.code}
            )
        return super().delete(*args, **kwargs)

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def kinds_display(self) -> str:
        return ", ".join(str(UnitKind(k).label) for k in self.unit_kinds if k in UnitKind.values)

    @property
    def sectors_display(self) -> str:
        return ", ".join(str(Sector(s).label) for s in self.sectors if s in Sector.values)

    def counts(self, kind: str, sector: str) -> bool:
        """Whether a unit of this kind and sector is counted."""
        return kind in self.unit_kinds and (not self.sectors or sector in self.sectors)

    def clean(self) -> None:
        super().clean()
        problems: dict[str, Any] = {}
        kinds, sectors = self.unit_kinds, self.sectors
        if not isinstance(kinds, list) or not kinds or not set(kinds) <= set(UnitKind.values):
            problems["unit_kinds"] = _("Choose one or more kinds of unit.")
        if not isinstance(sectors, list) or not set(sectors) <= set(Sector.values):
            problems["sectors"] = _("Choose sectors from the list, or none for every sector.")
        if problems:
            raise ValidationError(problems)

    def meaning_changes(self) -> list[str]:
        """The attributes of its meaning this unsaved version changes, if something relies on
        the stored version (else none: a count nothing relies on may still be corrected)."""
        if self.pk is None:
            return []
        stored = RegistryCount.objects.filter(pk=self.pk).values(*self.MEANING).first()
        if stored is None:
            return []
        changed = [
            name for name in self.MEANING if _norm(stored[name]) != _norm(getattr(self, name))
        ]
        return changed if changed and registry_count_relied_on(stored["code"]) else []


def _norm(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def registry_count_used(code: str) -> bool:
    """Whether a data field names the count."""
    from .fields import Field

    return Field.objects.filter(registry_count=code).exists()


def registry_count_relied_on(code: str) -> bool:
    """Whether a field naming the count has figures in reports, or is read by an indicator of a
    published (or closed) programme: then what the count counts may no longer change."""
    from ..hooks import field_has_values
    from .fields import Field
    from .programmes import SHOWN_STATUSES, Indicator

    fields = list(Field.objects.filter(registry_count=code))
    if any(field_has_values(f) for f in fields):
        return True
    shown = Indicator.objects.filter(programme__status__in=SHOWN_STATUSES)
    return (
        shown.filter(numerator__in=fields).exists() or shown.filter(denominator__in=fields).exists()
    )


def registry_count_labels() -> dict[str, str]:
    """Each count's label in the reader's language, by code (one query)."""
    return {c.code: c.label for c in RegistryCount.objects.all()}


class RegistryCountLocked(ValidationError):
    """A count something relies on was to change its meaning, or to go."""

    def __init__(self, count: RegistryCount, changed: list[str]) -> None:
        super().__init__(
            _(
                "Registry count %(code)s is used by data fields that have figures or belong to "
                "a published programme: what it counts cannot change. A new meaning is a new "
                "count."
            )
            % {"code": count.code}
        )
        self.changed = changed
