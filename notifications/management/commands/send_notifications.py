"""Sends the email outbox (report sent, returned, approved, reopened; reminders).

Safe to run from cron every few minutes, even twice at once: rows being sent are locked, and a
failed email is tried again later (5 minutes, then 10, 20… up to 6 attempts).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notifications.services import outbox_send


class Command(BaseCommand):
    help = "Sends queued notification emails, retrying failed ones later."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="at most this many per run")

    def handle(self, *args: Any, **options: Any) -> None:
        result = outbox_send(limit=options["limit"])
        self.stdout.write(
            f"{result.sent} sent, {result.retried} to retry later, {result.failed} given up."
        )
