"""`manage.py import_values FILE [--dry-run] [--programme CODE]`: see docs/import_values.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fileread.reader import problems_listed
from reports.importing import ImportFileError, lines_read, programme_for_import, values_import


class Command(BaseCommand):
    help = "Loads report values from a CSV or XLSX file: all lines or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and roll back")
        parser.add_argument("--programme", help="programme code (default: the most recent)")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programme_for_import(options["programme"])
        if programme is None:
            raise CommandError(_("No such programme; load one first (manage.py load_programme)."))
        try:
            lines, errors = lines_read(options["file"])
        except (ImportFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        result = values_import(
            lines, programme=programme, dry_run=options["dry_run"], read_errors=errors
        )
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
        summary = f"{len(lines)} lines, {len(result.reports)} reports ({programme.code})"
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary}; dry run, nothing saved" if options["dry_run"] else summary
            )
        )
