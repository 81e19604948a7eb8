"""Queueing notifications (in the caller's transaction) and sending the outbox.

`notify_report_event` is the one call the report workflow makes, inside its own transaction:
if the action rolls back, so does its notification. `outbox_send` is what the cron command
runs: it locks the rows it sends (`skip_locked`, so two runs at once never send one twice),
sends each through Django's email backend, and on failure tries again later, up to
`MAX_ATTEMPTS`, waiting twice as long each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from lib.formats import day
from reports.models import EventAction, Report, ReportingPeriod
from unions.models import Unit

from .models import Kind, Notification, State

MAX_ATTEMPTS = 6
FIRST_RETRY = dt.timedelta(minutes=5)
KIND_OF_ACTION = {
    EventAction.SUBMIT: Kind.SUBMITTED,
    EventAction.RETURN: Kind.RETURNED,
    EventAction.APPROVE: Kind.APPROVED,
    EventAction.REOPEN: Kind.REOPENED,
}


def _link(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def _wanting(accounts: QuerySet[User], kind: str, actor: User | None) -> list[User]:
    found = accounts.filter(is_active=True).exclude(email="")
    found = found.exclude(**{f"notification_preference__{kind}": False})
    if actor is not None:
        found = found.exclude(pk=actor.pk)  # nobody is told of their own action
    return list(found.order_by("pk"))


def _office() -> QuerySet[User]:
    return User.objects.filter(role__in=[Role.OFFICE, Role.ADMIN])


def _reporters(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(role=Role.REPORTER, unit_id=unit_id)


def _report_message(report: Report, kind: str, reason: str) -> tuple[str, str]:
    facts = {"unit": report.unit.name, "period": report.period.label}
    subjects: dict[str, str] = {
        Kind.SUBMITTED: _("%(unit)s sent its report for %(period)s"),
        Kind.RETURNED: _("Your report for %(period)s was returned for correction"),
        Kind.APPROVED: _("Your report for %(period)s was approved"),
        Kind.REOPENED: _("Your report for %(period)s was reopened for correction"),
    }
    openings: dict[str, str] = {
        Kind.SUBMITTED: _("%(unit)s sent its report for %(period)s; it waits for approval."),
        Kind.RETURNED: _("The provincial office returned the report of %(unit)s for %(period)s."),
        Kind.APPROVED: _("The provincial office approved the report of %(unit)s for %(period)s."),
        Kind.REOPENED: _(
            "The provincial office reopened the approved report of %(unit)s for %(period)s; "
            "the approved figures keep counting until the corrected report is approved."
        ),
    }
    lines = [openings[kind] % facts]
    if reason:
        lines.append(_("Reason: %(reason)s") % {"reason": reason})
    path = reverse("reports:detail", args=[report.pk])
    lines.append(_("Open the report: %(link)s") % {"link": _link(path)})
    lines.append(_("You receive this email because of your choices on your account page."))
    return "[" + _("LĐLĐ Lai Châu") + "] " + subjects[kind] % facts, "\n\n".join(lines)


def _queue(
    kind: str, accounts: Iterable[User], subject: str, body: str, report: Report | None
) -> list[Notification]:
    rows = [
        Notification(
            kind=kind, recipient=a, email=a.email, subject=subject[:200], body=body, report=report
        )
        for a in accounts
    ]
    return Notification.objects.bulk_create(rows)


def notify_report_event(
    report: Report, action: str, *, actor: User | None, reason: str = ""
) -> int:
    """Queues the emails an action on a report calls for; returns how many."""
    kind = KIND_OF_ACTION.get(EventAction(action))
    if kind is None:
        return 0
    accounts = _office() if kind == Kind.SUBMITTED else _reporters(report.unit_id)
    recipients = _wanting(accounts, kind, actor)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _report_message(report, kind, reason)
    return len(_queue(kind, recipients, subject, body, report))


def notify_remind(unit: Unit, period: ReportingPeriod, *, actor: User | None) -> list[int]:
    """Queues a reminder to the unit's reporters now (the tracking grid's button)."""
    recipients = _wanting(_reporters(unit.pk), Kind.REMINDER, actor)
    report = Report.objects.filter(unit=unit, period=period, is_latest=True).order_by("-pk").first()
    link = _link(reverse("reports:detail", args=[report.pk]) if report else "/reports/")
    with translation.override(settings.LANGUAGE_CODE):
        due = day(period.due)
        facts = {"unit": unit.name, "period": period.label, "due": due, "link": link}
        subject = "[" + _("LĐLĐ Lai Châu") + "] " + _("Reminder: report for %(period)s") % facts
        body = "\n\n".join(
            [
                _(
                    "The provincial office reminds %(unit)s to send its report for %(period)s "
                    "(due %(due)s)."
                )
                % facts,
                _("Open the portal: %(link)s") % facts,
            ]
        )
    return [n.pk for n in _queue(Kind.REMINDER, recipients, subject, body, report)]


@dataclass(frozen=True)
class SendResult:
    sent: int
    retried: int
    failed: int


def outbox_send(
    *, limit: int = 200, now: dt.datetime | None = None, only: list[int] | None = None
) -> SendResult:
    """Sends what is due in the outbox; safe to run from several cron jobs at once."""
    now = now or timezone.now()
    sent = retried = failed = 0
    with transaction.atomic():
        due = Notification.objects.select_for_update(skip_locked=True).filter(
            state=State.PENDING, next_attempt_at__lte=now
        )
        if only is not None:
            due = due.filter(pk__in=only)
        batch = list(due.order_by("next_attempt_at", "pk")[:limit])
        connection = get_connection(fail_silently=False)
        for note in batch:
            note.attempts += 1
            try:
                EmailMessage(
                    note.subject, note.body, None, [note.email], connection=connection
                ).send()
            except Exception as error:  # any backend failure is retried later
                note.last_error = str(error)[:300] or type(error).__name__
                if note.attempts >= MAX_ATTEMPTS:
                    note.state = State.FAILED
                    failed += 1
                else:
                    note.next_attempt_at = now + FIRST_RETRY * 2 ** (note.attempts - 1)
                    retried += 1
            else:
                note.state, note.sent_at, note.last_error = State.SENT, now, ""
                sent += 1
            note.save(
                update_fields=["attempts", "state", "sent_at", "last_error", "next_attempt_at"]
            )
    return SendResult(sent, retried, failed)
