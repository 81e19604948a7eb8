"""Reporting periods, who reports, quarterly reports, their values, narratives and history.

A report is one revision for one unit and quarter; it asks, once, for the fields of every
programme in force that quarter (`targets.programmes`). Reopening an approved report makes a new
revision; the earlier approved revision stays, and keeps counting (`in_force`) until the new
one is approved. Values keep "not reported", "not applicable" and a number apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .periods import quarter_label


class CutoffRule(models.TextChoices):
    QUARTER_END = "quarter_end", _("Last day of the quarter")
    DAY_14 = "day14", _("14th of the quarter's last month (Decree 09/2019/NĐ-CP)")


class ReportingCalendar(models.Model):
    """The federation's one reporting calendar: quarters, cut-offs and due dates belong to its
    reporting, not to a programme (DOMAIN.md §8). One row; `reports.assignments.calendar_get`."""

    cutoff_rule = models.CharField(
        _("cut-off"), max_length=12, choices=CutoffRule.choices, default=CutoffRule.QUARTER_END
    )
    due_days = models.PositiveSmallIntegerField(_("days from cut-off to due date"), default=15)

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        constraints = [
            models.CheckConstraint(
                condition=Q(cutoff_rule__in=CutoffRule.values),
                name="reports_reportingcalendar_rule_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_cutoff_rule_display())


class ReportingPeriod(models.Model):
    """A quarter of the federation's reporting; every programme in force then reads it."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    cutoff = models.DateField(_("cut-off date"))
    due = models.DateField(_("due date"))
    # Set by the office for this quarter; wins over the calendar's rule (None: the rule).
    due_override = models.DateField(_("due date set by the office"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"], name="reports_reportingperiod_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="reports_reportingperiod_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(due__gte=models.F("cutoff")),
                name="reports_reportingperiod_due_after_cutoff",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def asks_annual_fields(self) -> bool:
        """Fields reported once a year are asked for in the fourth-quarter report only."""
        return self.quarter == 4


class AssignmentScope(models.TextChoices):
    SUBTREE = "subtree", _("Reports for the CĐCS under it")
    SELF = "self", _("Reports for itself")
    PROVINCE = "province", _("Reports the indicators the province measures itself")


class Assignment(models.Model):
    """`unit` reports from `first_period` to `last_period` (open if none), for every
    programme in force in those quarters."""

    unit = models.ForeignKey(
        "unions.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=AssignmentScope.choices)
    first_period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    last_period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("until"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reporting assignment")
        verbose_name_plural = _("reporting assignments")
        ordering = ["unit__code", "first_period__year", "first_period__quarter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=AssignmentScope.values), name="reports_assignment_scope_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.first_period}–{self.last_period or '…'}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Report(models.Model):
    unit = models.ForeignKey(
        "unions.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The working revision; older revisions are kept read-only.
    is_latest = models.BooleanField(_("latest revision"), default=True)
    # The approved revision whose values count in roll-ups (at most one per unit and period).
    in_force = models.BooleanField(_("in force"), default=False)
    # Optimistic locking: every save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The latest sending of this revision.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The quarter's first sending, kept by later revisions: whether the quarter's report came
    # in on time is judged on it, whatever was returned, reopened or sent again since.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["period", "unit__code", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "revision"], name="reports_report_unique_revision"
            ),
            models.UniqueConstraint(
                fields=["unit", "period"],
                condition=Q(is_latest=True),
                name="reports_report_one_latest",
            ),
            models.UniqueConstraint(
                fields=["unit", "period"],
                condition=Q(in_force=True),
                name="reports_report_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="reports_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(in_force=False) | Q(status=ReportStatus.APPROVED),
                name="reports_report_in_force_is_approved",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="reports_report_period_status")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period.code} r{self.revision} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.is_latest and self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ValueState(models.TextChoices):
    NUMBER = "number", _("Number")
    BLANK = "blank", _("Not reported")
    NOT_APPLICABLE = "na", _("Not applicable")


class Value(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    field = models.ForeignKey(
        "targets.Field", verbose_name=_("data field"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("entered as"), max_length=6, choices=ValueState.choices, default=ValueState.BLANK
    )
    number = models.BigIntegerField(_("figure"), null=True, blank=True)
    # Why a blank is not reported: a report is sent only when every field it asks for has a
    # number, "not applicable", or a blank with a reason.
    reason = models.CharField(_("why not reported"), max_length=300, blank=True)
    # A soft warning (a sharp jump from the previous quarter) the reporter has confirmed.
    warning_confirmed = models.BooleanField(_("warning confirmed"), default=False)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["report", "field"], name="reports_value_one_per_field"),
            models.CheckConstraint(
                condition=Q(state=ValueState.NUMBER, number__isnull=False, number__gte=0)
                | (~Q(state=ValueState.NUMBER) & Q(number__isnull=True)),
                name="reports_value_number_iff_state_number",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ValueState.values), name="reports_value_state_valid"
            ),
        ]

    def __str__(self) -> str:
        shown = self.number if self.state == ValueState.NUMBER else self.state
        return f"{self.field_id}={shown}"


class Narrative(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="narratives"
    )
    task_group = models.ForeignKey(
        "targets.TaskGroup",
        verbose_name=_("task group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    results = models.TextField(_("results"), blank=True)
    shortfalls = models.TextField(_("shortfalls"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "task_group"], name="reports_narrative_one_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.task_group_id}"


class EventAction(models.TextChoices):
    CREATE = "create", _("Created")
    SAVE = "save", _("Saved")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")
    IMPORT = "import", _("Imported")


class ReportEvent(models.Model):
    """Append-only history of a report: who did what, when, and which values changed."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=8, choices=EventAction.choices)
    reason = models.TextField(_("reason"), blank=True)
    # The report's version after this event; a refused save shows the events after its version.
    version = models.PositiveIntegerField(_("version"), default=1)
    # [{"field": code, "old": "…", "new": "…"}]; old/new are numbers, "" (blank) or "NA".
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("report history entry")
        verbose_name_plural = _("report history entries")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=EventAction.values), name="reports_reportevent_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in 3 days")
    OVERDUE = "overdue", _("Overdue")


class Reminder(models.Model):
    """A reminder e-mail sent, so a daily `send_reminders` never sends the same one twice."""

    report_unit = models.ForeignKey(
        "unions.Unit", verbose_name=_("reporting unit"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    recipient = models.EmailField(_("recipient"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["report_unit", "period", "kind", "sent_on", "recipient"],
                name="reports_reminder_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reports_reminder_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_unit_id} {self.period_id} {self.kind} {self.sent_on}"
