from typing import Any

from django.core.management.base import BaseCommand

from targets.services import programme_03_load


class Command(BaseCommand):
    help = "Loads programme 03/CTr-LĐLĐ (fields, 21 indicators, targets, task groups). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programme_03_load()
        count = programme.indicators.count()
        self.stdout.write(self.style.SUCCESS(f"{programme.number}: {count} indicators loaded."))
