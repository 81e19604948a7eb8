"""The data fields a quarterly report asks for, the groups of the report form, and the counts
the unit registry knows: the shared vocabulary every programme's indicators are built on.

All of it is data: a new programme brings new fields, groups and registry counts without code.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unions.models import localized

from .registry import RegistryCount


class TimeKind(models.TextChoices):
    STOCK = "stock", _("Stock (as of the cut-off date)")
    YTD = "ytd", _("Year to date (cumulative since 1 January)")
    FLOW = "flow", _("Flow (in the quarter)")


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Every quarter")
    ANNUAL = "annual", _("Once a year (fourth-quarter report)")


class FieldGroup(models.Model):
    """A section of the report form (members, grassroots unions, ratings, …): data, so a new
    programme can bring a group of its own without a migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field group")
        verbose_name_plural = _("field groups")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


def field_groups() -> list[FieldGroup]:
    """The report form's sections in order (one query)."""
    return list(FieldGroup.objects.order_by("order", "code"))


class Field(models.Model):
    """A number a report asks for, such as the members at quarter end."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300)
    help_vi = models.TextField(_("explanation (Vietnamese)"), blank=True)
    help_en = models.TextField(_("explanation (English)"), blank=True)
    # The code of a `FieldGroup` row: a free value, validated against the table (`clean`).
    group = models.CharField(_("group"), max_length=40)
    time_kind = models.CharField(_("time behaviour"), max_length=6, choices=TimeKind.choices)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    # The code of a `RegistryCount` row, or empty: validated against the table (`clean`).
    registry_count = models.CharField(
        _("known from the registry"), max_length=40, blank=True, default=""
    )
    counts_grassroots = models.BooleanField(
        _("counts CĐCS (never above the CĐCS in the subtree)"), default=False
    )
    province_only = models.BooleanField(_("reported by the provincial office only"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("data field")
        verbose_name_plural = _("data fields")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_kind__in=TimeKind.values), name="targets_field_time_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="targets_field_frequency_valid"
            ),
        ]

    # What a field means: once reports hold values for it, none of these may change (a new
    # meaning is a new field). Labels and explanations may be reworded.
    MEANING = (
        "code",
        "time_kind",
        "frequency",
        "registry_count",
        "counts_grassroots",
        "province_only",
    )

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    def save(self, *args: object, **kwargs: object) -> None:
        changed = self.meaning_changes()
        if changed:
            raise FieldMeaningLocked(self, changed)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        super().clean()
        if self.group and not FieldGroup.objects.filter(code=self.group).exists():
            raise ValidationError(
                {"group": _("There is no field group %(code)s.") % {"code": self.group}}
            )
        if (
            self.registry_count
            and not RegistryCount.objects.filter(code=self.registry_count).exists()
        ):
            raise ValidationError(
                {
                    "registry_count": _("There is no registry count %(code)s.")
                    % {"code": self.registry_count}
                }
            )

    def meaning_changes(self) -> list[str]:
        """The attributes of its meaning this unsaved version changes, if reports already hold
        values for the field (else none: a field without values may still be corrected)."""
        if self.pk is None:
            return []
        stored = Field.objects.filter(pk=self.pk).values(*self.MEANING).first()
        if stored is None:
            return []
        changed = [name for name in self.MEANING if stored[name] != getattr(self, name)]
        from ..hooks import field_has_values

        return changed if changed and field_has_values(self) else []

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")


class FieldMeaningLocked(ValidationError):
    """A field already holding values was to change its meaning."""

    def __init__(self, field: Field, changed: list[str]) -> None:
        names = ", ".join(
            str(getattr(Field._meta.get_field(n), "verbose_name", n)) for n in changed
        )
        super().__init__(
            _(
                "Field %(code)s already has figures in reports: its %(what)s cannot change. "
                "A new meaning is a new field."
            )
            % {"code": field.code, "what": names}
        )
        self.changed = changed
