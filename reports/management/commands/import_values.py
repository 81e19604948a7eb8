"""`manage.py import_values FILE [--dry-run]`: see the README (every programme's values at once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from fileread.reader import problems_listed
from reports.importing import values_import
from reports.importing_file import ImportFileError, lines_read


class Command(BaseCommand):
    help = "Loads report values from a CSV or XLSX file: all lines or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and roll back")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines, errors = lines_read(options["file"])
        except (ImportFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        result = values_import(lines, dry_run=options["dry_run"], read_errors=errors)
        for line in problems_listed([str(error) for error in result.errors]):
            self.stderr.write(line)
        if result.errors:
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)d error; nothing was imported.",
                    "%(count)d errors; nothing was imported.",
                    count,
                )
                % {"count": count}
            )
        for note in result.notes:
            self.stdout.write(f"confirmed warning: {note}")
        verb = "would write" if options["dry_run"] else "wrote"
        for report in result.reports:
            self.stdout.write(f"{verb} {report}")
        summary = f"{len(lines)} lines, {len(result.reports)} reports"
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary}; dry run, nothing saved" if options["dry_run"] else summary
            )
        )
