"""The email outbox and what each person chose to receive.

A notification is written in the same transaction as the action it tells of (a report sent,
returned, approved, reopened; a reminder), so it exists exactly when the action happened, and
is sent later by `manage.py send_notifications` (cron), which retries with a growing delay. A
mail server that is down therefore never blocks or undoes an action.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("A report is sent to the office")
    RETURNED = "returned", _("A report is returned for correction")
    APPROVED = "approved", _("A report is approved")
    REOPENED = "reopened", _("An approved report is reopened")
    REMINDER = "reminder", _("A reminder to send a report")


class State(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notifications_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notifications_notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="notifications_notification_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email} ({self.state})"


class Preference(models.Model):
    """What one account chose to receive; without a row, everything."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    submitted = models.BooleanField(_("a report is sent to the office"), default=True)
    returned = models.BooleanField(_("a report is returned for correction"), default=True)
    approved = models.BooleanField(_("a report is approved"), default=True)
    reopened = models.BooleanField(_("an approved report is reopened"), default=True)
    reminder = models.BooleanField(_("reminders to send a report"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.account_id)

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind, True))
