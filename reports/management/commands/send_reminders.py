"""E-mails reporters whose report is due in three days or overdue. Safe to run daily (cron).

Each e-mail sent is recorded (`Reminder`); the same reminder is never sent twice a day, and
an overdue one at most once every seven days per unit, quarter and recipient.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from lib.formats import day as day_text
from reports.assignments import today_period
from reports.history import quarter_last_reason
from reports.models import Reminder
from reports.tracking import (
    CellStatus,
    Pending,
    reminder_allowed,
    reminders_pending,
)


def _link(pending: Pending) -> str:
    if pending.report_id is not None:
        return reverse("reports:detail", args=[pending.report_id])
    try:
        return reverse("reports:list")
    except NoReverseMatch:
        return "/reports/"


def _message(pending: Pending) -> tuple[str, str]:
    facts = {
        "unit": pending.unit.name,
        "period": pending.period.label,
        "due": day_text(pending.period.due),
        "link": _link(pending),
    }
    if pending.status == CellStatus.RETURNED:
        return _returned_message(pending, facts)
    if pending.kind == "due_soon":
        subject = _("Report for %(period)s due on %(due)s") % facts
        opening = _("The report of %(unit)s for %(period)s is due on %(due)s, in 3 days.") % facts
    else:
        subject = _("Overdue: report for %(period)s") % facts
        opening = (
            _("The report of %(unit)s for %(period)s was due on %(due)s and is not submitted yet.")
            % facts
        )
    body = "\n\n".join(
        [
            opening,
            _("Please fill it in and submit it on the portal: %(link)s") % facts,
            _("Sent automatically by the portal of the Lai Châu Labour Federation."),
        ]
    )
    return subject, body


def _returned_message(pending: Pending, facts: dict[str, str]) -> tuple[str, str]:
    """A returned report is not "not submitted": it was sent, and waits on a correction."""
    event = quarter_last_reason(pending.unit.pk, pending.period.pk)  # as the reporter's to-do
    reason = event.reason if event else ""
    subject = _("Returned for correction: report for %(period)s") % facts
    lines = [
        _(
            "The report of %(unit)s for %(period)s was returned for correction and is not "
            "sent again yet; it was due on %(due)s."
        )
        % facts
    ]
    if reason:
        lines.append(_("Reason given by the provincial office: %(reason)s") % {"reason": reason})
    lines += [
        _("Please correct it and send it again on the portal: %(link)s") % facts,
        _("Sent automatically by the portal of the Lai Châu Labour Federation."),
    ]
    return subject, "\n\n".join(lines)


class Command(BaseCommand):
    help = "E-mails reporters whose quarterly report is due in 3 days or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD (for testing).")
        parser.add_argument("--dry-run", action="store_true", help="Show, send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._today(options["today"])
        period = today_period(today)
        if period is None:
            self.stdout.write("No reporting period has ended yet.")
            return
        pending = reminders_pending(period, today)
        recipients = self._recipients([p.unit.pk for p in pending])
        sent = self._sent(period, [p.unit.pk for p in pending])
        count = 0
        for item in pending:
            for email in recipients.get(item.unit.pk, []):
                earlier = sent.get((item.unit.pk, item.kind, email), [])
                if reminder_allowed(item.kind, today, earlier):
                    count += self._send(item, email, today, dry_run=options["dry_run"])
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(f"{verb} {count} reminder(s) for {period.code}.")

    def _today(self, text: str | None) -> dt.date:
        if not text:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(text)
        except ValueError as error:
            raise CommandError(f"--today must be YYYY-MM-DD, not {text!r}") from error

    def _recipients(self, unit_ids: list[int]) -> dict[int, list[str]]:
        users = User.objects.filter(role=Role.REPORTER, is_active=True, unit_id__in=unit_ids)
        by_unit: dict[int, list[str]] = {}
        for unit_id, email in users.exclude(email="").values_list("unit_id", "email"):
            by_unit.setdefault(unit_id, []).append(email)
        return by_unit

    def _sent(self, period: Any, unit_ids: list[int]) -> dict[tuple[int, str, str], list[dt.date]]:
        rows = Reminder.objects.filter(Q(report_unit_id__in=unit_ids), period=period)
        sent: dict[tuple[int, str, str], list[dt.date]] = {}
        for unit_id, kind, email, day in rows.values_list(
            "report_unit_id", "kind", "recipient", "sent_on"
        ):
            sent.setdefault((unit_id, kind, email), []).append(day)
        return sent

    def _send(self, item: Pending, email: str, today: dt.date, *, dry_run: bool) -> int:
        with translation.override("vi"):
            subject, body = _message(item)
        self.stdout.write(f"  {item.kind:8} {item.unit.code} → {email}")
        if dry_run:
            return 1
        send_mail(subject, body, None, [email])
        Reminder.objects.create(
            report_unit=item.unit,
            period=item.period,
            kind=item.kind,
            sent_on=today,
            recipient=email,
        )
        return 1
