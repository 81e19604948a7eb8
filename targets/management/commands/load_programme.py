from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fileread.reader import FileRefused, path_bytes
from targets.importing import definition_try
from targets.models import Programme
from targets.services import PROGRAMME_03_FILE, programme_code_in, programme_load


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
            data = path_bytes(path)
            existing = Programme.objects.filter(code=programme_code_in(data) or "").first()
            if existing is None and options["dry_run"]:
                self._tried(definition_try(data))
                return
            programme = existing or programme_load(path, publish=shipped)
        except FileRefused as refused:
            raise CommandError("\n".join(refused.messages)) from None
        if existing is not None:
            self.stdout.write(
                f"{existing.number}: a programme with the code {existing.code} exists already; "
                "the file was not loaded again."
            )
        else:
            count = programme.indicators.count()
            self.stdout.write(self.style.SUCCESS(f"{programme.number}: {count} indicators loaded."))
        if not options["dry_run"]:
            # The roll-up sits above this app: it is asked by name, not imported.
            call_command("rebuild_totals", "--if-missing", stdout=self.stdout)

    def _tried(self, checked: list[str]) -> None:
        self.stdout.write("The file is sound; nothing was saved.")
        for problem in checked:
            self.stdout.write(f"Once imported, the check will list: {problem}")
