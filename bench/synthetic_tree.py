"""The synthetic dataset's tree (see bench/synthetic.py): the units at a scale, their links
across the 2025 reorganisation and the closure."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, models

from unions.closure import OPEN, closure_objects, compute_spans, lifetimes_read
from unions.models import Sector, Unit, UnitClosure, UnitKind, UnitLink, search_key

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


def bulk(model: type[models.Model], rows: Iterable[models.Model], counts: dict[str, int]) -> None:
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


@dataclass
class SyntheticCdcs:
    pk: int
    code: str
    sector: str
    valid_to: dt.date | None
    upper: int  # pk of its upper-level union before the reform
    after: int | None  # pk of its parent from the reform (commune or province), None if gone
    province: int


class Tree:
    """Creates the units and their links; what the reports need to know of them stays here."""

    def __init__(self, scale: Scale, rng: random.Random, built: Built) -> None:
        self.scale, self.rng, self.built = scale, rng, built
        self.counts = built.counts
        self.root_pk: int | None = None
        self.cdcs: list[SyntheticCdcs] = []
        self.uppers: dict[int, int] = {}  # upper pk → province pk
        self.communes: dict[int, int] = {}  # commune pk → province pk
        self.province_uppers: dict[int, list[int]] = defaultdict(list)
        self.areas: dict[int, list[int]] = {}  # upper pk → the commune unions of its area

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

    def units(self) -> None:
        root = self._national_root() if self.scale.national_root else None
        provinces = self._provinces()
        self.built.root = root or provinces[0]
        self.built.provinces = provinces
        self.root_pk = root.pk if root else None
        uppers, communes = self._upper_rows(provinces)
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

    def _national_root(self) -> Unit:
        return self._create(
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

    def _provinces(self) -> list[Unit]:
        return self._create(
            [
                Unit(
                    code=f"T{p:02d}",
                    name=f"LĐLĐ tỉnh mô phỏng {p:02d}",
                    kind=UnitKind.PROVINCE,
                    valid_from=dt.date(2004, 1, 1),
                    is_demo=True,
                )
                for p in range(1, self.scale.provinces + 1)
            ]
        )

    def _upper_rows(self, provinces: list[Unit]) -> tuple[list[Unit], list[Unit]]:
        """The upper-level unions (until the reform) and commune unions (from it), unsaved."""
        s = self.scale
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
        return uppers, communes

    def _successors(self, uppers: list[Unit], province_communes: dict[int, list[int]]) -> None:
        """Each upper-level union hands over to the first commune union of its area."""
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
                SyntheticCdcs(
                    unit.pk, unit.code, unit.sector, unit.valid_to, upper, after, province_pk
                )
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

    def links_and_closure(self) -> None:
        links = self._links()
        bulk(
            UnitLink,
            (
                UnitLink(child_id=c, parent_id=p, valid_from=s, valid_to=None if e == OPEN else e)
                for c, p, s, e in links
            ),
            self.counts,
        )
        spans = compute_spans(lifetimes_read(), links)
        bulk(UnitClosure, closure_objects(spans), self.counts)
