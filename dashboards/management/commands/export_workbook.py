"""`manage.py export_workbook --year 2025 [--quarter 4] [--programme CODE] [--tree as_was|as_now]
[--provisional] [--user USERNAME] --output FILE.xlsx`: the Standing Committee workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from dashboards.selectors import programme_current
from dashboards.workbook import workbook_write
from dashboards.workbook_data import WorkbookError, WorkbookRequest
from rollup.engine import AS_NOW, AS_WAS


class Command(BaseCommand):
    help = "Writes the Standing Committee workbook (the same figures as the dashboards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--programme", help="programme code (default: the most recent)")
        parser.add_argument("--tree", choices=[AS_WAS, AS_NOW], default=AS_WAS)
        parser.add_argument(
            "--provisional", action="store_true", help="include submitted, unapproved reports"
        )
        parser.add_argument("--user", help="username shown as the author on the cover")
        parser.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programme_current(options["programme"])
        if programme is None:
            raise CommandError("No such programme; load one first.")
        req = WorkbookRequest(
            programme=programme,
            year=options["year"],
            quarter=options["quarter"],
            tree=options["tree"],
            provisional=options["provisional"],
            today=timezone.localdate(),
            author=_author(options["user"]),
            generated=timezone.now(),
        )
        path: Path = options["output"]
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as stream:
                workbook_write(req, stream)
        except WorkbookError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        partial.replace(path)
        self.stdout.write(f"wrote {path}")


def _author(username: str | None) -> str:
    if not username:
        return "manage.py export_workbook"
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user {username!r}.")
    return user.get_full_name() or user.username
