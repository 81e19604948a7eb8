from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from targets.definition import definition_filename, definition_write
from targets.models import Programme


class Command(BaseCommand):
    help = "Writes a programme's definition as an XLSX file (the file load_programme reads)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code", help="the programme's code, such as 03-ctr-ldld-2023")
        parser.add_argument("--output", help="the file to write (default: chuong-trinh-CODE.xlsx)")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(code=options["code"]).first()
        if programme is None:
            raise CommandError(f"No programme has the code {options['code']}.")
        path = Path(options["output"] or definition_filename(programme))
        path.write_bytes(definition_write(programme))
        self.stdout.write(self.style.SUCCESS(f"{programme.number} written to {path}."))
