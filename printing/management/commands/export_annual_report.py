"""manage.py export_annual_report --year YYYY [--output FILE] [--programme CODE]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dashboards.workbook_data import WorkbookError
from printing.annual_report import annual_filename, annual_report, annual_report_write
from targets.programmes import programme_chosen


class Command(BaseCommand):
    help = "Writes the annual report on the action programme's implementation as a DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", help="the file to write (default: its usual name)")
        parser.add_argument("--programme", help="programme code (default: the one in force)")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programme_chosen(options.get("programme"), timezone.localdate())
        if programme is None:
            raise CommandError("No programme is loaded (run load_programme).")
        try:
            report = annual_report(programme, options["year"], timezone.localdate())
        except WorkbookError as error:
            raise CommandError(str(error)) from None
        path = Path(options.get("output") or annual_filename(report))
        with path.open("wb") as stream:
            annual_report_write(report, stream)
        self.stdout.write(f"wrote {path}")
