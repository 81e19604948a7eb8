"""Programmes, their task groups, indicators and targets (DOMAIN.md §3 and §8).

Ratios are never stored: an indicator names a numerator field and a denominator field.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unions.models import localized

from .fields import Field


class ProgrammeStatus(models.TextChoices):
    """A programme is prepared as a draft, checked, published from a date and may be closed
    early from a date (DOMAIN.md §8). Only published and closed programmes are shown."""

    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed early")


SHOWN_STATUSES = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED)


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.CharField(_("number"), max_length=60)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=400)
    title_en = models.CharField(_("title (English)"), max_length=400)
    issuer = models.ForeignKey(
        "unions.Unit", verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, blank=True
    )
    issued_on = models.DateField(_("issued on"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    published_from = models.DateField(
        _("reports ask for it from"),
        null=True,
        blank=True,
        help_text=_("The first day of the first quarter whose reports ask for its fields."),
    )
    closed_from = models.DateField(
        _("closed from"),
        null=True,
        blank=True,
        help_text=_("From this day reports no longer ask for its fields; figures stay readable."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-term_start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")),
                name="targets_programme_term_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeStatus.values),
                name="targets_programme_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "checked"]) | Q(published_from__isnull=False),
                name="targets_programme_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_from__isnull=False),
                name="targets_programme_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def is_shown(self) -> bool:
        return self.status in SHOWN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CHECKED)


class TaskGroup(models.Model):
    """A group of tasks (3.1–3.8) that reports describe in words."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="task_groups"
    )
    code = models.CharField(_("code"), max_length=10)
    title_vi = models.TextField(_("title (Vietnamese)"))
    title_en = models.TextField(_("title (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="targets_taskgroup_unique_code"
            )
        ]

    # How this quarter's forms and files name the group's narrative (`programmes.task_group_keys`).
    narrative_key = ""

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def key(self) -> str:
        return self.narrative_key or self.code

    @property
    def title(self) -> str:
        return localized(self, "title")


class IndicatorKind(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    TERM = "term", _("Term")


class Display(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    RATIO = "ratio", _("Ratio per unit")
    COUNT = "count", _("Count")


class Comparison(models.TextChoices):
    GTE = "gte", _("at least")
    GT = "gt", _("more than")


class Indicator(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=10)
    name_vi = models.CharField(_("short name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("short name (English)"), max_length=300)
    text_vi = models.TextField(_("text of the programme (Vietnamese)"))
    text_en = models.TextField(_("text of the programme (English)"))
    kind = models.CharField(_("kind"), max_length=6, choices=IndicatorKind.choices)
    numerator = models.ForeignKey(
        Field, verbose_name=_("numerator"), on_delete=models.PROTECT, related_name="numerator_of"
    )
    denominator = models.ForeignKey(
        Field,
        verbose_name=_("denominator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="denominator_of",
    )
    display = models.CharField(_("shown as"), max_length=8, choices=Display.choices)
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, default=Comparison.GTE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="targets_indicator_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values), name="targets_indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(display__in=Display.values), name="targets_indicator_display_valid"
            ),
            models.CheckConstraint(
                condition=Q(comparison__in=Comparison.values),
                name="targets_indicator_comparison_valid",
            ),
            models.CheckConstraint(
                condition=Q(display=Display.COUNT) | Q(denominator__isnull=False),
                name="targets_indicator_ratio_has_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def text(self) -> str:
        return localized(self, "text")


class Target(models.Model):
    """What an indicator should reach: for the term, or for one year; for all, or one unit.

    `value` is in the indicator's display unit: 98 for 98%, 1.0 per CĐCS, 24500 members.
    A count target is judged against the straight path from its baseline.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    unit = models.ForeignKey(
        "unions.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, null=True, blank=True
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(year__isnull=True, unit__isnull=True),
                name="targets_target_one_term_target",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(unit__isnull=True, year__isnull=False),
                name="targets_target_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit"],
                condition=Q(year__isnull=True, unit__isnull=False),
                name="targets_target_one_term_per_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "unit"],
                condition=Q(year__isnull=False, unit__isnull=False),
                name="targets_target_one_per_unit_year",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="targets_target_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        scope = str(self.year) if self.year else _("term")
        return f"{self.indicator.code} {scope}: {self.value}"
