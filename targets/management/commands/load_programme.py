from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fileread.reader import FileRefused
from targets.services import PROGRAMME_03_FILE, programme_load


class Command(BaseCommand):
    help = (
        "Loads a programme definition file (XLSX: programme, field groups, registry counts, "
        "task groups, fields, indicators, targets) as a new draft, all or nothing, with every "
        "problem line by line. "
        "Without FILE, loads programme 03/CTr-LĐLĐ from targets/programmes/ published, and "
        "builds the pre-summed roll-up totals if they were never built. Idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="the XLSX file (default: programme 03)")
        parser.add_argument("--dry-run", action="store_true", help="check only; save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else PROGRAMME_03_FILE
        shipped = path.resolve() == PROGRAMME_03_FILE
        try:
            programme = programme_load(path, publish=shipped, dry_run=options["dry_run"])
        except FileRefused as refused:
            raise CommandError("\n".join(refused.messages)) from None
        count = programme.indicators.count() if programme.pk else 0
        if options["dry_run"]:
            self.stdout.write(f"{programme.number}: the file is sound; nothing was saved.")
            return
        self.stdout.write(self.style.SUCCESS(f"{programme.number}: {count} indicators loaded."))
        # The roll-up sits above this app: it is asked by name, not imported.
        call_command("rebuild_totals", "--if-missing", stdout=self.stdout)
