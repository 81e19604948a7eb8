"""The province's synthesis of the units' narratives, for one task group and one quarter.

The office writes it beside the units' own texts and saves it as a draft; the workbook's
narrative sheet and the annual report carry it. It sits above `reports` and `targets`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Synthesis(models.Model):
    task_group = models.ForeignKey(
        "targets.TaskGroup", verbose_name=_("task group"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    period = models.ForeignKey(
        "reports.ReportingPeriod", verbose_name=_("reporting period"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    results = models.TextField(_("results"), blank=True)
    shortfalls = models.TextField(_("shortfalls and causes"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("synthesis of the narratives")
        verbose_name_plural = _("syntheses of the narratives")
        ordering = ["period", "task_group__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_group", "period"], name="briefing_synthesis_one_per_group_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_group_id} {self.period_id}"

    @property
    def is_empty(self) -> bool:
        return not (self.results or self.shortfalls or self.next_steps)
