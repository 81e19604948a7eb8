import time
from typing import Any

from django.core.management.base import BaseCommand

from demo.reports import demo_reports_load
from unions.models import Unit


class Command(BaseCommand):
    help = (
        "Loads demo quarterly reports (2024Q1 to the last finished quarter) for the demo "
        "hierarchy. Does nothing if reports exist already."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Unit.objects.filter(is_demo=True).exists():
            self.stdout.write("No demo hierarchy (run load_demo): nothing done.")
            return
        started = time.monotonic()
        created = demo_reports_load()
        if created is None:
            self.stdout.write("Demo reports already present: nothing done.")
            return
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo reports created: {created} ({seconds:.0f} s)."))
