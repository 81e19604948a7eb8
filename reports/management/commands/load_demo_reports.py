import time
from typing import Any

from django.core.management.base import BaseCommand

from reports.demo import demo_reports_load


class Command(BaseCommand):
    help = (
        "Loads demo quarterly reports (2024Q1 to the last finished quarter) for the demo "
        "hierarchy. Does nothing if reports exist already."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        created = demo_reports_load()
        if created is None:
            self.stdout.write("Demo reports already present (or no demo hierarchy): nothing done.")
            return
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo reports created: {created} ({seconds:.0f} s)."))
