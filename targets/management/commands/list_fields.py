from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from targets.models import Field


class Command(BaseCommand):
    help = "Lists the data fields reports ask for, with their time behaviour and frequency."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            for f in Field.objects.all():
                self.stdout.write(f"{f.code:36} {f.time_kind:6} {f.frequency:10} {f.label}")
