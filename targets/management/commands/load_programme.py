from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from targets.services import programme_03_load


class Command(BaseCommand):
    help = (
        "Loads programme 03/CTr-LĐLĐ (fields, 21 indicators, targets, task groups) and builds "
        "the pre-summed roll-up totals if they were never built; every approval then keeps "
        "them. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programme_03_load()
        count = programme.indicators.count()
        self.stdout.write(self.style.SUCCESS(f"{programme.number}: {count} indicators loaded."))
        # The roll-up sits above this app: it is asked by name, not imported.
        call_command("rebuild_totals", "--if-missing", stdout=self.stdout)
