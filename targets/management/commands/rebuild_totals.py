import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from targets.models import Programme
from targets.totals import changed_cutoffs, totals_rebuild


class Command(BaseCommand):
    help = (
        "Rebuilds the pre-summed roll-up totals from the approved values, so the roll-up and "
        "dashboards read them instead of raw values: for a programme whose totals were never "
        "built (load_programme builds them), or as a repair. Approvals, reorganisations and "
        "calendar changes keep them up to date by themselves. Prints the rows written and the "
        "time taken per programme."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--programme",
            metavar="CODE",
            help="only this programme (by its code); every programme when left out",
        )
        parser.add_argument(
            "--changed-cutoffs",
            action="store_true",
            help=(
                "only the quarters whose cut-off changed since the totals were built (after a "
                "calendar change); programmes without totals are skipped"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programmes = Programme.objects.order_by("code")
        if options["programme"]:
            programmes = programmes.filter(code=options["programme"])
            if not programmes.exists():
                raise CommandError(f"No programme with the code {options['programme']!r}.")
        for programme in programmes:
            started = time.monotonic()
            if options["changed_cutoffs"]:
                changed = changed_cutoffs(programme)
                if changed is None:
                    self.stdout.write(f"{programme.code}: no totals yet, skipped.")
                    continue
                rows = totals_rebuild(programme, changed) if changed else 0
                what = f"{len(changed)} quarters with a changed cut-off"
            else:
                rows = totals_rebuild(programme)
                what = "all quarters"
            seconds = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"{programme.code}: {rows} total rows for {what} in {seconds:.2f} s."
                )
            )
