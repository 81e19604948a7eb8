from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fileread.reader import problems_listed
from unions.importing import ImportFileError, ImportResult, units_import


class Command(BaseCommand):
    help = (
        "Imports units from a CSV or XLSX file, all or nothing: if any line is bad, nothing is "
        "saved and every bad line is listed. Columns are described in docs/import_units.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the whole file and save nothing"
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            result = units_import(file, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if result.ignored_columns:
            columns = ", ".join(result.ignored_columns)
            self.stdout.write(_("Columns ignored: %(columns)s") % {"columns": columns})
        if result.errors:
            for line in problems_listed([str(error) for error in result.errors]):
                self.stderr.write(line)
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)d error; nothing was saved.",
                    "%(count)d errors; nothing was saved.",
                    count,
                )
                % {"count": count}
            )
        self._summary(result)

    def _summary(self, result: ImportResult) -> None:
        count = len(result.created)
        if result.dry_run:
            for row in result.created:
                self.stdout.write(f"  {row.code}  {row.name}  ({row.kind}, {row.parent or '-'})")
            self.stdout.write(
                ngettext(
                    "Dry run: %(count)d unit would be created; nothing was saved.",
                    "Dry run: %(count)d units would be created; nothing was saved.",
                    count,
                )
                % {"count": count}
            )
            return
        message = ngettext("%(count)d unit created.", "%(count)d units created.", count) % {
            "count": count
        }
        if result.dissolved:
            message += " " + ngettext(
                "%(count)d of them was dissolved into its successor.",
                "%(count)d of them were dissolved into their successors.",
                len(result.dissolved),
            ) % {"count": len(result.dissolved)}
        self.stdout.write(self.style.SUCCESS(message))
