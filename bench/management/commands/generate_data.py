from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.synthetic import SCALES, GeneratorRefused, generate


class Command(BaseCommand):
    help = (
        "Builds a synthetic dataset for benchmarks (province: 1 province, 12 upper-level "
        "unions, 400 CĐCS; national: 34 provinces under a national root, 700 upper-level "
        "unions, 120,000 CĐCS), every quarter of the term to date, with the 2025 "
        "reorganisation. Destructive: refuses when units exist unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="remove every unit and report first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def log(message: str) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {message}")

        try:
            built = generate(
                options["scale"], seed=options["seed"], force=options["force"], log=log
            )
        except GeneratorRefused as refused:
            raise CommandError(str(refused)) from None
        counts = ", ".join(f"{n} {name}" for name, n in sorted(built.counts.items()))
        root = built.root.code if built.root else "-"
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated the {built.scale} dataset in {built.seconds:.1f} s "
                f"(root {root}; {counts})."
            )
        )
