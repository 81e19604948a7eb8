from typing import Any

from django.core.management.base import BaseCommand

from targets.models import RollupTotalsState
from targets.services import programme_03_load
from targets.totals import totals_rebuild


class Command(BaseCommand):
    help = (
        "Loads programme 03/CTr-LĐLĐ (fields, 21 indicators, targets, task groups) and builds "
        "its pre-summed roll-up totals, which every approval then keeps. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = programme_03_load()
        count = programme.indicators.count()
        self.stdout.write(self.style.SUCCESS(f"{programme.number}: {count} indicators loaded."))
        if not RollupTotalsState.objects.filter(programme=programme).exists():
            # From here on approvals, reorganisations and calendar changes keep them exact.
            rows = totals_rebuild(programme)
            self.stdout.write(f"Roll-up totals built ({rows} rows).")
