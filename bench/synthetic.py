"""A synthetic dataset at province or national size, bulk-loaded for benchmarks.

Not a user path: units, links, the closure, assignments, reports, values and one event per
report are written with `bulk_create` in batches, every report approved and in force. The
figures come from the demo's per-CĐCS model (`demo.reports.quarter_values`), so they are
consistent (numerators below denominators, stocks that grow slowly, year-to-date counts that
rise through the year), with a few blanks and "not applicable" cells sprinkled in.

Structure (both scales), with the 2025 reorganisation in the middle of the term:

- province scale: one provincial federation, 12 unions directly above grassroots (districts,
  sectors) and ~400 CĐCS; national scale: a national root (TLĐ, kind "province", the
  programme's issuer) over 34 provinces, ~700 upper-level unions and ~120,000 CĐCS.
- Until 30 June 2025 each upper-level union reports for the CĐCS under it (~700 reports a
  quarter nationally). On 15 June 2025 the CĐCS of administrative units paid from the state
  budget are dissolved; on 1 July 2025 every upper-level union is dissolved (its successor is
  the first of its new commune unions) and its CĐCS move under new commune unions (~3,300
  nationally, ~38 in the province), or, for about 1 in 100, directly under the province.
- From 2025Q3 the commune unions report for their CĐCS and the CĐCS under the province for
  themselves; the province reports its own fields (A05, A11, A12) in fourth quarters.

So values grow with reporting units, not with CĐCS: about 0.7 million values nationally
(not 120,000 CĐCS × 38 fields × 12 quarters ≈ 55 million).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from bench.synthetic_reports import Reports
from bench.synthetic_tree import Built, Scale, Tree
from reports.assignments import periods_ensure
from reports.models import Assignment, Narrative, Reminder, Report, ReportEvent, Value
from targets.models import Programme, Target
from targets.services import programme_03_load
from unions.models import Unit, UnitClosure, UnitLink

SCALES = {
    "province": Scale("province", 1, 12, 38, 400, national_root=False),
    "national": Scale("national", 34, 700, 3321, 120_000, national_root=True),
}


class GeneratorRefused(Exception):
    """The database already holds units; the generator replaces data only when forced."""


def database_has_units() -> bool:
    return Unit.objects.exists()


def wipe() -> None:
    """Removes every unit and everything that hangs on units (reports, assignments, accounts
    bound to a unit). Raw deletes in dependency order: the generator's data is too big for
    Django's collector."""
    from rollup import totals

    querysets: list[models.QuerySet[Any]] = [
        ReportEvent.objects.all(),
        Value.objects.all(),
        Narrative.objects.all(),
        Reminder.objects.all(),
        totals.model().objects.all(),
        Report.objects.all(),
        Assignment.objects.all(),
        Target.objects.filter(unit__isnull=False),
    ]
    for queryset in querysets:
        queryset._raw_delete(queryset.db)
    users = User.objects.filter(unit__isnull=False, is_superuser=False)
    users.delete()
    User.objects.filter(unit__isnull=False).update(unit=None)
    Programme.objects.update(issuer=None)
    for links in (UnitClosure.objects.all(), UnitLink.objects.all()):
        links._raw_delete(links.db)
    Unit.objects.update(successor=None)
    units = Unit.objects.all()
    units._raw_delete(units.db)


def generate(
    scale_name: str,
    *,
    seed: int = 1,
    force: bool = False,
    today: dt.date | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> Built:
    scale = SCALES[scale_name]
    started = time.perf_counter()
    if database_has_units():
        if not force:
            raise GeneratorRefused(
                "The database already has units; generate_data replaces everything. "
                "Run it again with --force to do so."
            )
        wipe()
        log("old data removed")
    built = Built(scale.name)
    with transaction.atomic():
        _Generator(scale, seed, today or timezone.localdate(), built, log).run()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses; outside a transaction also the visibility
        # map (VACUUM), without which index-only scans read the heap until autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    built.seconds = time.perf_counter() - started
    return built


class _Generator:
    def __init__(
        self, scale: Scale, seed: int, today: dt.date, built: Built, log: Callable[[str], None]
    ) -> None:
        self.today, self.built, self.log = today, built, log
        self.rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data
        self.tree = Tree(scale, self.rng, built)
        self.seed = seed

    def run(self) -> None:
        programme = programme_03_load()
        periods = periods_ensure()
        self.tree.units()
        self.log(f"units: {Unit.objects.count()}")
        programme.issuer = self.built.root
        programme.save(update_fields=["issuer"])
        self.tree.links_and_closure()
        counts = self.built.counts
        self.log(f"closure rows: {counts.get('unitclosure', 0)}")
        due = [p for p in periods if p.cutoff <= self.today]
        reports = Reports(self.tree, self.seed, self.log)
        reports.assignments(periods)
        reports.reports(due)
        self.log(f"values: {counts.get('value', 0)}")
        from rollup import totals

        counts["totals"] = totals.totals_rebuild()
