"""Pre-summed roll-up totals: derived data the engine keeps current (`rollup.totals`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Sums(models.Model):
    """One row of pre-summed figures: a unit, a quarter, a kind and its item, the five sums
    (`RollupTotal` along the tree as it was, `TodayTotal` along today's tree)."""

    class Kind(models.TextChoices):
        FIELD = "field", "field"
        PAIR = "pair", "pair"
        RECEIVED = "received", "received"
        EXPECTED = "expected", "expected"

    ancestor = models.ForeignKey("unions.Unit", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "reports.ReportingPeriod", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    item = models.BigIntegerField()
    numbers = models.IntegerField(default=0)
    blanks = models.IntegerField(default=0)
    not_applicable = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class RollupTotal(Sums):
    """Approved figures summed per ancestor unit and quarter (see `rollup.totals`).

    Derived data, written in the transaction of every approval, so a national roll-up reads a
    few hundred rows instead of scanning every value. Along the tree as it was: a report counts
    for each unit that was above (or is) its unit on the quarter's cut-off. Three kinds of row:
    `field` (item = field id): numbers given, blanks, "not applicable", and the sum of numbers;
    `pair` (item = indicator id): reports that gave both numerator and denominator (`numbers`)
    and the sums of each (`total`, `denominator`), so a blank numerator never pairs;
    `received` (item 0): reports with at least one figure the roll-up counts as received;
    `expected` (item 1 for the province's own report, 0 for the others): the reports expected
    in the quarter below the unit (`numbers`), from the assignments along the tree as it was.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ancestor", "period", "kind", "item"], name="rollup_rolluptotal_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["field", "pair", "received", "expected"]),
                name="rollup_rolluptotal_kind_valid",
            ),
        ]
        # The breakdown by reporting unit reads one item of a quarter across all units: with
        # the sums in the index (PostgreSQL), a national root's 12,000 rows are read from it
        # alone instead of from 3,400 pages of the table.
        indexes = [
            models.Index(
                fields=["period", "kind", "item"],
                include=["ancestor", "numbers", "total", "denominator"],
                name="rollup_rolluptotal_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} {self.period_id} {self.kind}:{self.item}"


class Built(models.Model):
    """What pre-summed figures were built against: read only while all of it still holds
    (`rollup.totals.holds`)."""

    closure_mark = models.BigIntegerField(default=0)
    # {period id: cut-off} when built: a changed cut-off can move a report under other units.
    cutoffs = models.JSONField(default=dict)
    # [[indicator id, numerator field id, denominator field id], …] whose paired sums were
    # built: an indicator added or changed since is read from raw values until a rebuild.
    pairs = models.JSONField(default=list)
    # Ids of the fields whose sums were built (a field an indicator reads for the first time
    # is read from raw values until a rebuild).
    fields = models.JSONField(default=list)

    class Meta:
        abstract = True


class RollupTotalsState(Built):
    """When the totals were last built in full, and against which closure (one row).

    The closure is rewritten (new rows, higher ids) by every reorganisation; totals built
    against an older closure may place reports under the wrong ancestors, so the roll-up
    reads raw values until the totals are rebuilt.
    """

    # Whether the expected-report counts were built (totals from before they were kept have
    # none: the roll-up counts assignments until `totals_complete` builds them).
    expected = models.BooleanField(default=False)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"@{self.closure_mark}"


class TodayTotal(Sums):
    """Approved figures and expected reports summed per unit along today's tree (see
    `rollup.today_kept`): the same kinds and columns as `RollupTotal`, but a report counts
    for every unit above its unit's place today (`rollup.today`), not above its unit on the
    quarter's cut-off. A table of its own rather than a discriminator on `RollupTotal`: the
    two are built, trusted and followed apart, and neither's queries, unique key or upserts
    change."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ancestor", "period", "kind", "item"], name="rollup_todaytotal_unique"
            ),
        ]
        indexes = [  # as `RollupTotal`'s
            models.Index(
                fields=["period", "kind", "item"],
                include=["ancestor", "numbers", "total", "denominator"],
                name="rollup_todaytotal_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} {self.period_id} {self.kind}:{self.item} (today)"


class TodayPlace(models.Model):
    """Where the reports of a unit closed by the day the today's-tree sums were built for
    belong (`rollup.today.closed_places`; no place: nowhere). Kept with the sums."""

    unit = models.OneToOneField(
        "unions.Unit", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    place = models.ForeignKey(
        "unions.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.place_id}"


class TodayTotalsState(Built):
    """What the sums along today's tree were built for (one row): the day, the closure, the
    quarters' cut-offs (expected counts depend on them), the fields and pairs summed."""

    built_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.built_on} @{self.closure_mark}"


class FiguresVersion(models.Model):
    """A number that grows in the transaction of every write a figure can depend on (one
    row, id 1): the totals and their state, units, the closure, assignments, the calendar,
    indicators and fields, and reports (and their values) that count or await approval. The
    database's triggers keep it (migration rollup 0006), so no writer can forget it; a
    worker's breakdown rows kept for a version (`rollup.figures_cache`) are good while it
    stays the same."""

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"v{self.number}"
