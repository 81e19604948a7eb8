"""Demo hierarchy: Lai Châu's real upper-level units, synthetic CĐCS, and the 2025 reform.

Names of the province, its former city and seven districts, and the 38 communes and wards
(from the `vietnam-provinces` package) are real; start dates of older units are assumed; all
CĐCS are synthetic and flagged `is_demo`. The reform is applied through the same services
that office staff use, so the demo history is built exactly as real history would be.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from vietnam_provinces import Ward

from unions.models import Sector, Unit, UnitKind
from unions.services import UnitData, unit_create, unit_dissolve, unit_move

PROVINCE_CODE = "LDLD-LC"
BUDGET_DISSOLUTION = dt.date(2025, 6, 15)
REFORM = dt.date(2025, 7, 1)
OLD_START = dt.date(2015, 1, 1)

# code, name, year founded (assumed for the older units)
DISTRICTS = [
    ("LDLD-TP", "LĐLĐ thành phố Lai Châu"),
    ("LDLD-TD", "LĐLĐ huyện Tam Đường"),
    ("LDLD-PT", "LĐLĐ huyện Phong Thổ"),
    ("LDLD-SH", "LĐLĐ huyện Sìn Hồ"),
    ("LDLD-MT", "LĐLĐ huyện Mường Tè"),
    ("LDLD-NN", "LĐLĐ huyện Nậm Nhùn"),
    ("LDLD-TU", "LĐLĐ huyện Tân Uyên"),
    ("LDLD-THU", "LĐLĐ huyện Than Uyên"),
]
SECTOR_UNIONS = [
    ("CDN-GD", "Công đoàn ngành Giáo dục tỉnh", UnitKind.SECTOR),
    ("CDN-YT", "Công đoàn ngành Y tế tỉnh", UnitKind.SECTOR),
    ("CDVC", "Công đoàn Viên chức tỉnh", UnitKind.CIVIL_SERVANTS),
]
TAN_PHONG, DOAN_KET = "PX-03408", "PX-03388"

_PLACES = [
    "Bản Giang",
    "Nà Tăm",
    "Sơn Bình",
    "Khun Há",
    "Bình Lư",
    "Hồ Thầu",
    "Pa Tần",
    "Mường Kim",
]
_NAMES = {
    Sector.ADMINISTRATIVE: [
        "Trường Tiểu học {p}",
        "Trường THCS {p}",
        "Trạm Y tế {p}",
        "UBND xã {p}",
    ],
    Sector.STATE_ENTERPRISE: ["Công ty Điện lực chi nhánh {p}", "Công ty TNHH MTV Thủy lợi {p}"],
    Sector.PRIVATE: ["Công ty CP Xây dựng {p}", "Công ty TNHH Chè {p}", "Công ty TNHH Vận tải {p}"],
    Sector.FOREIGN: ["Công ty TNHH Thủy điện {p} (vốn nước ngoài)"],
    Sector.COOPERATIVE: ["Hợp tác xã Nông nghiệp {p}", "Hợp tác xã Dịch vụ {p}"],
    Sector.NON_PUBLIC: ["Trường Mầm non tư thục {p}", "Phòng khám tư nhân {p}"],
}
_DISTRICT_MIX = [
    (Sector.ADMINISTRATIVE, 40),
    (Sector.STATE_ENTERPRISE, 5),
    (Sector.PRIVATE, 32),
    (Sector.FOREIGN, 3),
    (Sector.COOPERATIVE, 12),
    (Sector.NON_PUBLIC, 8),
]


def commune_code(ward: Ward) -> str:
    return f"PX-{int(ward.code.value):05d}"


def lai_chau_wards() -> list[Ward]:
    return [w for w in Ward.iter_all() if int(w.province_code.value) == 12]


def _cdcs(rng: random.Random, number: int, parent: Unit, sector: str, start: dt.date) -> Unit:
    name = "CĐCS " + rng.choice(_NAMES[Sector(sector)]).format(p=rng.choice(_PLACES))
    # Two schools of one commune are "số 1" and "số 2", as their real names are.
    namesakes = Unit.objects.filter(Q(name=name) | Q(name__startswith=f"{name} số ")).count()
    if namesakes:
        name = f"{name} số {namesakes + 1}"
    budget_paid = sector == Sector.ADMINISTRATIVE and rng.random() < 0.85
    return unit_create(
        UnitData(
            code=f"CS-{number:04d}",
            name=name,
            kind=UnitKind.GRASSROOTS,
            sector=sector,
            budget_paid=budget_paid,
            valid_from=start,
            parent=parent,
            is_demo=True,
        )
    )


def _upper_units(province: Unit) -> tuple[list[Unit], list[Unit]]:
    districts = [
        unit_create(UnitData(code, name, UnitKind.DISTRICT, OLD_START, province))
        for code, name in DISTRICTS
    ]
    sectors = [
        unit_create(UnitData(code, name, kind, OLD_START, province))
        for code, name, kind in SECTOR_UNIONS
    ]
    return districts, sectors


def _grassroots(
    rng: random.Random, districts: list[Unit], sectors: list[Unit]
) -> list[tuple[Unit, Unit]]:
    """About 300 CĐCS as (unit, parent before the reform)."""
    units: list[tuple[Unit, Unit]] = []
    kinds, weights = zip(*_DISTRICT_MIX, strict=True)
    for district in districts:
        for _ in range(28):
            sector = rng.choices(kinds, weights)[0]
            units.append((_cdcs(rng, len(units) + 1, district, sector, OLD_START), district))
    for sector_union in sectors:
        for _ in range(20):
            unit = _cdcs(rng, len(units) + 1, sector_union, Sector.ADMINISTRATIVE, OLD_START)
            units.append((unit, sector_union))
    # A few CĐCS founded during the term, before the reform.
    for district in districts[:4]:
        units.append(
            (_cdcs(rng, len(units) + 1, district, Sector.PRIVATE, dt.date(2024, 4, 1)), district)
        )
    return units


def _reform(
    rng: random.Random,
    province: Unit,
    districts: list[Unit],
    sectors: list[Unit],
    grassroots: list[tuple[Unit, Unit]],
) -> None:
    for unit, _parent in grassroots:
        if unit.budget_paid:
            unit_dissolve(unit, BUDGET_DISSOLUTION)
    communes = {
        commune_code(w): unit_create(
            UnitData(commune_code(w), f"Công đoàn {w.name}", UnitKind.COMMUNE, REFORM, province)
        )
        for w in lai_chau_wards()
    }
    city = districts[0]
    city_units = [u for u, parent in grassroots if not u.budget_paid and parent == city]
    unit_move(city_units[0::2], communes[TAN_PHONG], REFORM)
    unit_move(city_units[1::2], communes[DOAN_KET], REFORM)
    unit_dissolve(city, REFORM, successor=communes[TAN_PHONG])
    for upper in [*districts[1:], *sectors]:
        unit_dissolve(upper, REFORM, successor=province)
    # New CĐCS founded after the reform, under the wards and directly under the province.
    next_number = len(grassroots) + 1
    for offset, parent in enumerate([communes[TAN_PHONG], communes[DOAN_KET], province, province]):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=offset * 40)
        _cdcs(rng, next_number + offset, parent, Sector.PRIVATE, start)


@transaction.atomic
def demo_hierarchy_load(seed: int = 2023) -> bool:
    """Builds the demo tree once; returns False (and does nothing) if it is already there."""
    if Unit.objects.filter(code=PROVINCE_CODE).exists():
        return False
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
    province = unit_create(
        UnitData(
            PROVINCE_CODE,
            "Liên đoàn Lao động tỉnh Lai Châu",
            UnitKind.PROVINCE,
            dt.date(2004, 1, 1),
        )
    )
    districts, sectors = _upper_units(province)
    grassroots = _grassroots(rng, districts, sectors)
    _reform(rng, province, districts, sectors, grassroots)
    return True
