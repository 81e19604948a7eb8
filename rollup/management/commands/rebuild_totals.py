import time
from typing import Any

from django.core.management.base import BaseCommand

from rollup.totals import changed_cutoffs, totals_complete, totals_rebuild


class Command(BaseCommand):
    help = (
        "Rebuilds the pre-summed roll-up totals from the approved values, so the roll-up and "
        "dashboards read them instead of raw values: when they were never built "
        "(load_programme builds them), or as a repair. Approvals, reorganisations and "
        "calendar changes keep them up to date by themselves. The totals serve every "
        "programme at once. Prints the rows written and the time taken."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--changed-cutoffs",
            action="store_true",
            help=(
                "only the quarters whose cut-off changed since the totals were built (after a "
                "calendar change); nothing when the totals were never built"
            ),
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="only when the totals were never built or lack an indicator's fields",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["if_missing"]:
            built = totals_complete()
            if built is not None:
                seconds = time.monotonic() - started
                self.stdout.write(
                    self.style.SUCCESS(f"Roll-up totals: {built} rows built in {seconds:.2f} s.")
                )
            return
        if options["changed_cutoffs"]:
            changed = changed_cutoffs()
            if changed is None:
                self.stdout.write("No totals yet, skipped.")
                return
            rows = totals_rebuild(changed) if changed else 0
            what = f"{len(changed)} quarters with a changed cut-off"
        else:
            rows = totals_rebuild()
            what = "all quarters"
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Roll-up totals: {rows} rows for {what} in {seconds:.2f} s.")
        )
