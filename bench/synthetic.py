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
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from demo.reports import Cdcs, Traits, province_values, quarter_values
from reports.assignments import periods_ensure
from reports.models import (
    Assignment,
    AssignmentScope,
    EventAction,
    Narrative,
    Reminder,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    Value,
    ValueState,
)
from reports.services import report_fields
from targets.models import Field, Programme, Target
from targets.services import programme_03_load
from unions.closure import OPEN, closure_objects, compute_spans, lifetimes_read
from unions.models import (
    ENTERPRISE_SECTORS,
    STATE_SECTORS,
    Sector,
    Unit,
    UnitClosure,
    UnitKind,
    UnitLink,
    search_key,
)

START = dt.date(2020, 1, 1)
BUDGET_DISSOLVED = dt.date(2025, 6, 15)  # state-budget CĐCS dissolved (letter 4173/TLĐ-ToC)
REFORM = dt.date(2025, 7, 1)  # upper-level unions dissolved, commune unions created
BATCH = 5000
# Sector mix of CĐCS; 60% of administrative ones are paid 100% from the state budget.
SECTORS = [
    (Sector.ADMINISTRATIVE, 0.40),
    (Sector.STATE_ENTERPRISE, 0.05),
    (Sector.PRIVATE, 0.30),
    (Sector.FOREIGN, 0.05),
    (Sector.COOPERATIVE, 0.10),
    (Sector.NON_PUBLIC, 0.10),
]
BUDGET_PAID_SHARE = 0.6
SELF_REPORTING_SHARE = 0.01  # CĐCS moved directly under the province in 2025
BLANK_SHARE, NA_SHARE = 0.01, 0.003  # cells left blank / marked not applicable


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int
    uppers: int  # upper-level unions before the reform, in all
    communes: int  # commune unions after the reform, in all
    cdcs: int  # CĐCS in all
    national_root: bool


SCALES = {
    "province": Scale("province", 1, 12, 38, 400, national_root=False),
    "national": Scale("national", 34, 700, 3321, 120_000, national_root=True),
}


class GeneratorRefused(Exception):
    """The database already holds units; the generator replaces data only when forced."""


@dataclass
class Built:
    """What was generated, for the command's summary and for the benchmark."""

    scale: str
    root: Unit | None = None  # the unit the programme is issued by (national root or province)
    provinces: list[Unit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _share(n: int, parts: int, index: int) -> int:
    """`index`-th of `parts` near-equal shares of n."""
    return n // parts + (1 if index < n % parts else 0)


def _pick_sector(rng: random.Random) -> str:
    x = rng.random()
    for sector, share in SECTORS:
        if x < share:
            return sector
        x -= share
    return Sector.PRIVATE


def _bulk(model: type[models.Model], rows: Iterable[models.Model], counts: dict[str, int]) -> None:
    batch: list[models.Model] = []
    name = model._meta.model_name or "rows"
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
            counts[name] = counts.get(name, 0) + len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)  # type: ignore[attr-defined]
        counts[name] = counts.get(name, 0) + len(batch)


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


@dataclass
class _Cdcs:
    pk: int
    code: str
    sector: str
    valid_to: dt.date | None
    upper: int  # pk of its upper-level union before the reform
    after: int | None  # pk of its parent from the reform (commune or province), None if gone
    province: int


class _Generator:
    def __init__(
        self, scale: Scale, seed: int, today: dt.date, built: Built, log: Callable[[str], None]
    ) -> None:
        self.scale, self.seed, self.today, self.built, self.log = scale, seed, today, built, log
        self.rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data
        self.counts = built.counts
        self.cdcs: list[_Cdcs] = []
        self.traits: dict[int, Cdcs] = {}
        self.uppers: dict[int, int] = {}  # upper pk → province pk
        self.communes: dict[int, int] = {}  # commune pk → province pk
        self.province_uppers: dict[int, list[int]] = defaultdict(list)

    def run(self) -> None:
        programme = programme_03_load()
        periods = periods_ensure()
        self._units()
        self.log(f"units: {Unit.objects.count()}")
        programme.issuer = self.built.root
        programme.save(update_fields=["issuer"])
        self._links_and_closure()
        self.log(f"closure rows: {self.counts.get('unitclosure', 0)}")
        due = [p for p in periods if p.cutoff <= self.today]
        self._assignments(periods)
        self._reports(due)
        self.log(f"values: {self.counts.get('value', 0)}")
        from rollup import totals

        self.counts["totals"] = totals.totals_rebuild()

    # Units ---------------------------------------------------------------------------------

    def _create(self, units: list[Unit]) -> list[Unit]:
        created: list[Unit] = []
        for unit in units:  # bulk_create does not call save(), which writes it otherwise
            unit.search_key = search_key(unit.code, unit.name)
        for i in range(0, len(units), BATCH):
            created += Unit.objects.bulk_create(units[i : i + BATCH])
        if not connection.features.can_return_rows_from_bulk_insert:
            by_code = dict(
                Unit.objects.filter(code__in=[u.code for u in units]).values_list("code", "pk")
            )
            for unit in created:
                unit.pk = by_code[unit.code]
        self.counts["unit"] = self.counts.get("unit", 0) + len(created)
        return created

    def _units(self) -> None:
        s = self.scale
        root = None
        if s.national_root:
            root = self._create(
                [
                    Unit(
                        code="TLD",
                        name="Tổng Liên đoàn Lao động Việt Nam (dữ liệu mô phỏng)",
                        kind=UnitKind.PROVINCE,
                        valid_from=dt.date(1929, 7, 28),
                        is_demo=True,
                    )
                ]
            )[0]
        provinces = self._create(
            [
                Unit(
                    code=f"T{p:02d}",
                    name=f"LĐLĐ tỉnh mô phỏng {p:02d}",
                    kind=UnitKind.PROVINCE,
                    valid_from=dt.date(2004, 1, 1),
                    is_demo=True,
                )
                for p in range(1, s.provinces + 1)
            ]
        )
        self.built.root = root or provinces[0]
        self.built.provinces = provinces
        self.root_pk = root.pk if root else None
        uppers, communes = [], []
        for i, province in enumerate(provinces):
            for j in range(_share(s.uppers, s.provinces, i)):
                kind = UnitKind.DISTRICT if j % 3 else UnitKind.SECTOR
                uppers.append(
                    Unit(
                        code=f"{province.code}-H{j + 1:02d}",
                        name=f"Công đoàn cấp trên {province.code}-{j + 1:02d}",
                        kind=kind,
                        valid_from=START,
                        valid_to=REFORM,
                        is_demo=True,
                    )
                )
            for j in range(_share(s.communes, s.provinces, i)):
                communes.append(
                    Unit(
                        code=f"{province.code}-X{j + 1:03d}",
                        name=f"Công đoàn xã mô phỏng {province.code}-{j + 1:03d}",
                        kind=UnitKind.COMMUNE,
                        valid_from=REFORM,
                        is_demo=True,
                    )
                )
        province_of = {p.code: p.pk for p in provinces}
        created_uppers = self._create(uppers)
        created_communes = self._create(communes)
        for u in created_uppers:
            self.uppers[u.pk] = province_of[u.code[:3]]
            self.province_uppers[province_of[u.code[:3]]].append(u.pk)
        province_communes: dict[int, list[int]] = defaultdict(list)
        for c in created_communes:
            self.communes[c.pk] = province_of[c.code[:3]]
            province_communes[province_of[c.code[:3]]].append(c.pk)
        self._successors(created_uppers, province_communes)
        self._grassroots(provinces, province_communes)

    def _successors(self, uppers: list[Unit], province_communes: dict[int, list[int]]) -> None:
        """Each upper-level union hands over to the first commune union of its area."""
        self.areas: dict[int, list[int]] = {}
        for province_pk, upper_pks in self.province_uppers.items():
            communes = province_communes[province_pk]
            for k, upper_pk in enumerate(upper_pks):
                area = [
                    c for j, c in enumerate(communes) if j * len(upper_pks) // len(communes) == k
                ]
                self.areas[upper_pk] = area or communes[:1]
        for unit in uppers:
            unit.successor_id = self.areas[unit.pk][0]
        Unit.objects.bulk_update(uppers, ["successor"], batch_size=BATCH)

    def _grassroots(self, provinces: list[Unit], province_communes: dict[int, list[int]]) -> None:
        s, rng = self.scale, self.rng
        pending: list[tuple[Unit, int, int | None, int]] = []
        for i, province in enumerate(provinces):
            upper_pks = self.province_uppers[province.pk]
            for j in range(_share(s.cdcs, s.provinces, i)):
                sector = _pick_sector(rng)
                budget = sector == Sector.ADMINISTRATIVE and rng.random() < BUDGET_PAID_SHARE
                upper = upper_pks[j % len(upper_pks)]
                after: int | None
                if budget:
                    after = None
                elif rng.random() < SELF_REPORTING_SHARE:
                    after = province.pk
                else:
                    after = rng.choice(self.areas[upper])
                unit = Unit(
                    code=f"{province.code}-C{j + 1:05d}",
                    name=f"CĐCS mô phỏng {province.code}-{j + 1:05d}",
                    kind=UnitKind.GRASSROOTS,
                    sector=sector,
                    budget_paid=budget,
                    valid_from=START,
                    valid_to=BUDGET_DISSOLVED if budget else None,
                    is_demo=True,
                )
                pending.append((unit, upper, after, province.pk))
        created = self._create([p[0] for p in pending])
        for unit, (_u, upper, after, province_pk) in zip(created, pending, strict=True):
            self.cdcs.append(
                _Cdcs(unit.pk, unit.code, unit.sector, unit.valid_to, upper, after, province_pk)
            )

    # Links and closure -----------------------------------------------------------------------

    def _links(self) -> list[tuple[int, int, dt.date, dt.date]]:
        links: list[tuple[int, int, dt.date, dt.date]] = []
        if self.root_pk is not None:
            links += [(p.pk, self.root_pk, dt.date(2004, 1, 1), OPEN) for p in self.built.provinces]
        links += [(u, p, START, REFORM) for u, p in self.uppers.items()]
        links += [(c, p, REFORM, OPEN) for c, p in self.communes.items()]
        for c in self.cdcs:
            links.append((c.pk, c.upper, START, c.valid_to or REFORM))
            if c.after is not None:
                links.append((c.pk, c.after, REFORM, OPEN))
        return links

    def _links_and_closure(self) -> None:
        links = self._links()
        _bulk(
            UnitLink,
            (
                UnitLink(child_id=c, parent_id=p, valid_from=s, valid_to=None if e == OPEN else e)
                for c, p, s, e in links
            ),
            self.counts,
        )
        spans = compute_spans(lifetimes_read(), links)
        _bulk(UnitClosure, closure_objects(spans), self.counts)

    # Assignments and reports -------------------------------------------------------------------

    def _assignments(self, periods: list[ReportingPeriod]) -> None:
        first = periods[0]
        before = [p for p in periods if p.cutoff < REFORM]
        after = next(p for p in periods if p.cutoff >= REFORM)
        rows = [
            Assignment(
                unit_id=u,
                scope=AssignmentScope.SUBTREE,
                first_period=first,
                last_period=before[-1],
            )
            for u in self.uppers
        ]
        rows += [
            Assignment(unit_id=c, scope=AssignmentScope.SUBTREE, first_period=after)
            for c in self.communes
        ]
        rows += [
            Assignment(unit_id=c.pk, scope=AssignmentScope.SELF, first_period=after)
            for c in self.cdcs
            if c.after is not None and c.after == c.province
        ]
        rows += [
            Assignment(
                unit_id=p.pk,
                scope=AssignmentScope.PROVINCE,
                first_period=first,
            )
            for p in self.built.provinces
        ]
        _bulk(Assignment, rows, self.counts)

    def _cdcs_traits(self, c: _Cdcs) -> Cdcs:
        found = self.traits.get(c.pk)
        if found is None:
            found = self.traits[c.pk] = Cdcs(c.code, c.sector, Traits.of(self.seed, c.code))
        return found

    def _reporters(self, period: ReportingPeriod) -> dict[int, list[_Cdcs]]:
        """Each reporting unit of the quarter with the CĐCS it reports for."""
        on = period.cutoff
        under: dict[int, list[_Cdcs]] = defaultdict(list)
        if on < REFORM:
            for u in self.uppers:
                under[u] = []
            for c in self.cdcs:
                if c.valid_to is None or on < c.valid_to:
                    under[c.upper].append(c)
        else:
            for u in self.communes:
                under[u] = []
            for c in self.cdcs:
                if c.after is not None:
                    under[c.pk if c.after == c.province else c.after].append(c)
        return under

    def _reports(self, periods: list[ReportingPeriod]) -> None:
        now = timezone.now()
        fields = {f.code: f.pk for f in Field.objects.all()}
        for t, period in enumerate(periods):
            codes = [f.code for f in report_fields(period)]
            reporters = self._reporters(period)
            units: list[tuple[int, dict[str, int]]] = []
            for unit_pk, members in reporters.items():
                counts = _registry(members)
                values = quarter_values(
                    [self._cdcs_traits(c) for c in members], counts, period, max(t - 1, 0), self.rng
                )
                units.append((unit_pk, {k: values[k] for k in codes if k in values}))
            if period.quarter == 4:
                for p in self.built.provinces:
                    if period.cutoff < REFORM:
                        n = len(self.province_uppers[p.pk])
                    else:
                        n = sum(1 for v in self.communes.values() if v == p.pk)
                    units.append((p.pk, province_values(_upper_count(n), self.rng)))
            self._write_reports(period, units, fields, now)
            self.log(f"{period.code}: {len(units)} reports")

    def _write_reports(
        self,
        period: ReportingPeriod,
        units: Sequence[tuple[int, dict[str, int]]],
        fields: dict[str, int],
        now: dt.datetime,
    ) -> None:
        for i in range(0, len(units), BATCH // 10):
            chunk = units[i : i + BATCH // 10]
            reports = Report.objects.bulk_create(
                [
                    Report(
                        unit_id=unit_pk,
                        period=period,
                        status=ReportStatus.APPROVED,
                        is_latest=True,
                        in_force=True,
                        version=4,
                        submitted_at=now,
                        first_submitted_at=now,
                        approved_at=now,
                    )
                    for unit_pk, _values in chunk
                ]
            )
            if not connection.features.can_return_rows_from_bulk_insert:
                ids = dict(
                    Report.objects.filter(
                        period=period, unit_id__in=[u for u, _v in chunk]
                    ).values_list("unit_id", "pk")
                )
                for report, (unit_pk, _v) in zip(reports, chunk, strict=True):
                    report.pk = ids[unit_pk]
            self.counts["report"] = self.counts.get("report", 0) + len(reports)
            _bulk(
                ReportEvent,
                (
                    ReportEvent(report=r, action=EventAction.APPROVE, version=4, changes=[])
                    for r in reports
                ),
                self.counts,
            )
            _bulk(
                Value,
                (
                    self._value(report, fields[code], number)
                    for report, (_u, values) in zip(reports, chunk, strict=True)
                    for code, number in values.items()
                ),
                self.counts,
            )

    def _value(self, report: Report, field_id: int, number: int) -> Value:
        x = self.rng.random()
        if x < BLANK_SHARE:
            return Value(report=report, field_id=field_id, state=ValueState.BLANK)
        if x < BLANK_SHARE + NA_SHARE:
            return Value(report=report, field_id=field_id, state=ValueState.NOT_APPLICABLE)
        return Value(report=report, field_id=field_id, state=ValueState.NUMBER, number=number)


def _registry(members: list[_Cdcs]) -> dict[str, int]:
    state = sum(1 for c in members if c.sector in STATE_SECTORS)
    return {
        "grassroots_all": len(members),
        "grassroots_state": state,
        "grassroots_non_state": len(members) - state,
        "grassroots_enterprise": sum(1 for c in members if c.sector in ENTERPRISE_SECTORS),
        "upper_units": 0,
    }


def _upper_count(n: int) -> dict[str, Any]:
    return {"upper_units": n}
