"""The demo's figures: each CĐCS with stable synthetic traits, and a reporting unit's values
for a quarter as sums over the CĐCS in its subtree. Year-to-date counts grow through the year
and stay below their denominators; annual fields appear in fourth quarters only. Used by the
demo reports (`demo.reports`) and the benchmark's synthetic data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from reports.models import ReportingPeriod, ValueState
from reports.numbers import Entry
from unions.models import ENTERPRISE_SECTORS, STATE_SECTORS, Sector

# Share of a year's year-to-date count reached by the end of each quarter: front-loaded, so
# the quarter-on-quarter growth stays below the "sharp jump" warning.
YTD_SHARE = {1: 0.58, 2: 0.78, 3: 0.92, 4: 0.985}
NON_STATE_ENTERPRISE = frozenset({Sector.PRIVATE, Sector.FOREIGN, Sector.COOPERATIVE})


@dataclass(frozen=True)
class Traits:
    """A CĐCS's stable synthetic character; its figures drift slowly from these."""

    members: int
    workers_factor: float
    officials: int
    u: tuple[float, ...]  # uniform draws deciding when the CĐCS gains each quality

    @classmethod
    def of(cls, seed: int, code: str) -> Traits:
        rng = random.Random(f"{seed}:{code}")  # noqa: S311 - synthetic demo data
        return cls(
            members=rng.randint(20, 120),
            workers_factor=rng.uniform(1.05, 1.35),
            officials=rng.randint(3, 9),
            u=tuple(rng.random() for _ in range(10)),
        )


@dataclass(frozen=True)
class Cdcs:
    code: str
    sector: str
    traits: Traits


def _has(cdcs: Cdcs, index: int, base: float, t: int, slope: float = 0.01) -> bool:
    """Whether the CĐCS has quality `index` `t` quarters into the term (improves slowly)."""
    return cdcs.traits.u[index] < min(base + slope * t, 0.995)


def _count(cdcs_list: list[Cdcs], index: int, base: float, t: int, where: frozenset[str]) -> int:
    return sum(1 for c in cdcs_list if c.sector in where and _has(c, index, base, t))


ALL_SECTORS = frozenset(Sector.values)


def quarter_values(
    cdcs_list: list[Cdcs],
    counts: dict[str, int],
    period: ReportingPeriod,
    t: int,
    rng: random.Random,
) -> dict[str, int]:
    """Figures of one reporting unit for one quarter; `t` counts quarters since 2024Q1."""
    growth = 1 + 0.006 * t
    members_of = {c.code: round(c.traits.members * growth) for c in cdcs_list}
    workers_of = {c.code: round(members_of[c.code] * c.traits.workers_factor) for c in cdcs_list}
    members, workers = sum(members_of.values()), sum(workers_of.values())
    enterprise_workers = sum(
        workers_of[c.code] for c in cdcs_list if c.sector in ENTERPRISE_SECTORS
    )
    share = YTD_SHARE[period.quarter]
    n = len(cdcs_list)
    values = {
        "members": members,
        "workers_union_units": workers,
        "informed_ytd": round(workers * 0.975 * share),
        "enterprise_workers": enterprise_workers,
        "enterprise_workers_learning_ytd": round(enterprise_workers * 0.72 * share),
        "social_fund_contributors_ytd": round(workers * 0.955 * share),
        "members_introduced_party_ytd": round(n * 0.8 * share),
        **_grassroots_values(cdcs_list, counts, t, share),
        **_case_values(n, rng),
        **_agreement_and_official_values(cdcs_list, members, t),
    }
    if period.asks_annual_fields:
        values |= _annual_values(cdcs_list, counts, members, t)
    return values


def _grassroots_values(
    cdcs_list: list[Cdcs], counts: dict[str, int], t: int, share: float
) -> dict[str, int]:
    n = len(cdcs_list)
    non_state_ent = [c for c in cdcs_list if c.sector in NON_STATE_ENTERPRISE]
    required = [c for c in non_state_ent if c.traits.u[0] > 0.1]  # under 10 workers: exempt
    eligible_women = [c for c in non_state_ent if c.traits.u[1] < 0.6]
    return {
        "grassroots_total": counts["grassroots_all"],
        "grassroots_state_required": counts["grassroots_state"],
        "grassroots_state_democracy": _count(cdcs_list, 3, 0.9, t, STATE_SECTORS),
        "grassroots_non_state_required": len(required),
        "grassroots_non_state_democracy": sum(1 for c in required if _has(c, 4, 0.7, t)),
        "grassroots_women_eligible": len(eligible_women),
        "grassroots_women_committee": sum(1 for c in eligible_women if _has(c, 5, 0.8, t)),
        "grassroots_chairs": n,
        "grassroots_chairs_trained_ytd": round(n * 0.95 * share),
    }


def _case_values(n: int, rng: random.Random) -> dict[str, int]:
    cases = rng.choice([0, 0, 0, 1, 1, 2]) if n else 0
    return {
        "court_cases": cases,
        "court_cases_supported": cases if rng.random() < 0.9 else max(cases - 1, 0),
    }


def _agreement_and_official_values(cdcs_list: list[Cdcs], members: int, t: int) -> dict[str, int]:
    cba_eligible = [c for c in cdcs_list if c.traits.u[2] < 0.85]
    officials = sum(c.traits.officials for c in cdcs_list)
    return {
        "cba_eligible": len(cba_eligible),
        "cba_signed": sum(1 for c in cba_eligible if _has(c, 6, 0.75, t)),
        "union_officials": officials,
        "union_officials_committed": round(officials * min(0.93 + 0.004 * t, 1)),
        "members_committed": round(members * min(0.84 + 0.005 * t, 0.99)),
    }


def _annual_values(
    cdcs_list: list[Cdcs], counts: dict[str, int], members: int, t: int
) -> dict[str, int]:
    state = [c for c in cdcs_list if c.sector in STATE_SECTORS]
    non_state = [c for c in cdcs_list if c.sector not in STATE_SECTORS]
    enterprise = [c for c in cdcs_list if c.sector in ENTERPRISE_SECTORS]
    families = round(members * 0.82)
    return {
        "grassroots_state_all": counts["grassroots_state"],
        "grassroots_state_good": sum(1 for c in state if _has(c, 7, 0.84, t)),
        "grassroots_non_state_all": counts["grassroots_non_state"],
        "grassroots_non_state_good": sum(1 for c in non_state if _has(c, 7, 0.76, t)),
        "grassroots_enterprise": counts["grassroots_enterprise"],
        "grassroots_enterprise_inspected": sum(1 for c in enterprise if c.traits.u[8] < 0.2),
        "culture_units_all": len(cdcs_list),
        "culture_units_standard": _count(cdcs_list, 9, 0.95, t, ALL_SECTORS),
        "member_families": families,
        "member_families_cultural": round(families * 0.92),
    }


def province_values(counts: dict[str, int], rng: random.Random) -> dict[str, int]:
    """What the provincial office reports itself in a fourth quarter (A05, A11, A12)."""
    upper = counts["upper_units"]
    return {
        "upper_units_good": round(upper * rng.uniform(0.86, 0.95)),
        "upper_units": upper,
        "upper_units_inspected_by_province": round(upper * rng.uniform(0.33, 0.42)),
        "upper_units_self_inspected": round(upper * rng.uniform(0.92, 1.0)),
    }


def keep_ytd_rising(
    values: dict[str, Entry], previous: dict[str, Entry], pairs: dict[str, str], ytd: set[str]
) -> dict[str, Entry]:
    """A year-to-date count never falls within a year nor passes its denominator; where both
    cannot hold (CĐCS dissolved mid-year took their members away) it is left blank."""
    fixed = dict(values)
    for code in ytd & set(values) & set(previous):
        now, before = values[code], previous[code]
        if now.state != ValueState.NUMBER or before.state != ValueState.NUMBER:
            continue
        den = values.get(pairs.get(code, ""))
        ceiling = den.number if den and den.state == ValueState.NUMBER else None
        rising = max(now.number or 0, before.number or 0)
        if ceiling is None or rising <= ceiling:
            fixed[code] = Entry.of(rising)
        else:
            fixed[code] = Entry.blank()
    return fixed
