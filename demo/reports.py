"""Demo quarterly reports for the demo hierarchy (`demo.hierarchy`), from 2024Q1 to the last
quarter whose cut-off has passed.

Every report is written through the report services (open, save, submit, return, approve), so
the history, validation and events are those real use would leave. Figures are synthetic but
consistent: each reporting unit's values are sums over the CĐCS in its subtree at the cut-off,
each CĐCS with its own stable traits; year-to-date counts grow through the year and stay below
their denominators; ratings and other annual fields appear in fourth quarters only. Most reports
are approved, some were submitted late, and in the most recent quarter one report is returned,
one is a draft, a couple await review and a couple are not started.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from reports.assignments import assignments_apply_proposal, periods_ensure
from reports.models import (
    Assignment,
    AssignmentScope,
    EventAction,
    Report,
    ReportEvent,
    ReportingPeriod,
    ValueState,
)
from reports.numbers import Entry
from reports.registry import registry_counts
from reports.services import (
    ReportInput,
    report_approve,
    report_fields,
    report_open,
    report_return,
    report_save,
    report_submit,
    unreported_rest,
)
from reports.tracking import expected_assignments
from targets.models import Field, Programme, TaskGroup
from targets.programmes import covers
from unions.models import (
    ENTERPRISE_SECTORS,
    GRASSROOTS_KINDS,
    STATE_SECTORS,
    Sector,
    Unit,
    UnitClosure,
    active_on_q,
)

from .hierarchy import DOAN_KET, TAN_PHONG

PROGRAMME_CODE = "03-ctr-ldld-2023"
FIRST = (2024, 1)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Share of a year's year-to-date count reached by the end of each quarter: front-loaded, so
# the quarter-on-quarter growth stays below the "sharp jump" warning.
YTD_SHARE = {1: 0.58, 2: 0.78, 3: 0.92, 4: 0.985}
NON_STATE_ENTERPRISE = frozenset({Sector.PRIVATE, Sector.FOREIGN, Sector.COOPERATIVE})
RETURN_REASON = (
    "Số đoàn viên cam kết xóa bỏ hủ tục chưa khớp với báo cáo chuyên đề; "
    "đề nghị rà soát và gửi lại."
)


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
    non_state_ent = [c for c in cdcs_list if c.sector in NON_STATE_ENTERPRISE]
    required = [c for c in non_state_ent if c.traits.u[0] > 0.1]  # under 10 workers: exempt
    eligible_women = [c for c in non_state_ent if c.traits.u[1] < 0.6]
    cba_eligible = [c for c in cdcs_list if c.traits.u[2] < 0.85]
    officials = sum(c.traits.officials for c in cdcs_list)
    cases = rng.choice([0, 0, 0, 1, 1, 2]) if n else 0
    values = {
        "members": members,
        "workers_union_units": workers,
        "informed_ytd": round(workers * 0.975 * share),
        "enterprise_workers": enterprise_workers,
        "enterprise_workers_learning_ytd": round(enterprise_workers * 0.72 * share),
        "social_fund_contributors_ytd": round(workers * 0.955 * share),
        "members_introduced_party_ytd": round(n * 0.8 * share),
        "grassroots_total": counts["grassroots_all"],
        "grassroots_state_required": counts["grassroots_state"],
        "grassroots_state_democracy": _count(cdcs_list, 3, 0.9, t, STATE_SECTORS),
        "grassroots_non_state_required": len(required),
        "grassroots_non_state_democracy": sum(1 for c in required if _has(c, 4, 0.7, t)),
        "grassroots_women_eligible": len(eligible_women),
        "grassroots_women_committee": sum(1 for c in eligible_women if _has(c, 5, 0.8, t)),
        "grassroots_chairs": n,
        "grassroots_chairs_trained_ytd": round(n * 0.95 * share),
        "court_cases": cases,
        "court_cases_supported": cases if rng.random() < 0.9 else max(cases - 1, 0),
        "cba_eligible": len(cba_eligible),
        "cba_signed": sum(1 for c in cba_eligible if _has(c, 6, 0.75, t)),
        "union_officials": officials,
        "union_officials_committed": round(officials * min(0.93 + 0.004 * t, 1)),
        "members_committed": round(members * min(0.84 + 0.005 * t, 0.99)),
    }
    if period.asks_annual_fields:
        values |= _annual_values(cdcs_list, counts, members, t)
    return values


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


NARRATIVE = {
    "results": "Đã triển khai theo kế hoạch quý; {n} CĐCS tham gia đầy đủ.",
    "shortfalls": "Một số CĐCS ở vùng sâu, vùng xa gửi số liệu chậm.",
    "next_steps": "Tiếp tục đôn đốc CĐCS, tăng cường kiểm tra, hướng dẫn nghiệp vụ.",
}


@dataclass
class Plan:
    """What happens to one report in the demo."""

    outcome: str  # approved, submitted, returned, draft, missing
    delay_days: int  # submitted this many days after the due date (negative: early)


class DemoLoader:
    def __init__(self, programme: Programme, today: dt.date, seed: int) -> None:
        self.programme = programme
        self.today = today
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data
        self.traits: dict[str, Traits] = {}
        self.office = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
        self.reporters = {
            u.unit_id: u for u in User.objects.filter(role=Role.REPORTER).order_by("pk")
        }
        self.groups = list(TaskGroup.objects.filter(programme=programme).order_by("code"))
        self.pairs = {num: den for num, den in _pairs(programme)}
        self.ytd = set(Field.objects.filter(time_kind="ytd").values_list("code", flat=True))
        self.previous: dict[int, tuple[ReportingPeriod, dict[str, Entry]]] = {}

    def cdcs_under(self, period: ReportingPeriod, unit_ids: list[int]) -> dict[int, list[Cdcs]]:
        """The CĐCS in each reporting unit's subtree at the cut-off (one query)."""
        on = period.cutoff
        rows = UnitClosure.objects.filter(
            active_on_q(on),
            active_on_q(on, "descendant__"),
            ancestor_id__in=unit_ids,
            descendant__kind__in=list(GRASSROOTS_KINDS),
        ).values_list("ancestor_id", "descendant__code", "descendant__sector")
        under: dict[int, list[Cdcs]] = {pk: [] for pk in unit_ids}
        for ancestor_id, code, sector in rows.order_by("descendant__code"):
            traits = self.traits.get(code) or self.traits.setdefault(
                code, Traits.of(self.seed, code)
            )
            under[ancestor_id].append(Cdcs(code, sector, traits))
        return under

    def plan(self, unit: Unit, last: bool, special: dict[str, str]) -> Plan:
        delay = self.rng.choice([-12, -9, -7, -5, -4, -3, -2, -1, 0]) + (
            self.rng.randint(2, 21) if self.rng.random() < 0.15 else 0
        )
        if last and unit.code in special:
            return Plan(special[unit.code], delay)
        if last and self.rng.random() < 0.03:
            return Plan("missing", delay)
        if last and self.rng.random() < 0.04:
            return Plan("submitted", delay)
        return Plan("approved", delay)

    def run(self, periods: list[ReportingPeriod]) -> int:
        created = 0
        for index, period in enumerate(periods):
            last = index == len(periods) - 1
            assigned = expected_assignments(period)
            special = _specials(assigned) if last else {}
            under = self.cdcs_under(period, [a.unit_id for a in assigned])
            t = (period.year - FIRST[0]) * 4 + period.quarter - FIRST[1]
            for assignment in assigned:
                plan = self.plan(assignment.unit, last, special)
                if plan.outcome == "missing":
                    continue
                values = self.values(assignment, period, under[assignment.unit_id], t)
                self.report(assignment.unit, period, values, plan)
                created += 1
        return created

    def values(
        self, assignment: Assignment, period: ReportingPeriod, cdcs_list: list[Cdcs], t: int
    ) -> dict[str, Entry]:
        counts = registry_counts(assignment.unit, period.cutoff)
        if assignment.scope == AssignmentScope.PROVINCE:
            numbers = province_values(counts, self.rng)
        else:
            numbers = quarter_values(cdcs_list, counts, period, t, self.rng)
        entries = {code: Entry.of(n) for code, n in numbers.items()}
        before = self.previous.get(assignment.unit_id)
        if before and before[0].year == period.year:
            entries = keep_ytd_rising(entries, before[1], self.pairs, self.ytd)
        self.previous[assignment.unit_id] = (period, entries)
        return entries

    def report(
        self, unit: Unit, period: ReportingPeriod, values: dict[str, Entry], plan: Plan
    ) -> None:
        wanted = {f.code for f in report_fields(period, province=unit.kind == "province")}
        reporter = self.reporters.get(unit.pk)
        report = report_open(unit, period, reporter)
        narratives = {
            g.code: (
                NARRATIVE["results"].format(
                    n=values.get("grassroots_total", Entry.of(0)).display()
                ),
                NARRATIVE["shortfalls"],
                NARRATIVE["next_steps"],
            )
            for g in self.groups[:3]
        }
        given = {k: v for k, v in values.items() if k in wanted}
        blanks, reasons = unreported_rest(report, given, "Demo: not collected")
        data = ReportInput(
            values={**blanks, **given},
            narratives=narratives if unit.kind != "province" else {},
            confirmed_warnings=set(wanted),
            not_reported=reasons,
        )
        report = report_save(report, data, version=report.version, actor=reporter)
        if plan.outcome == "draft":
            return
        report = report_submit(report, version=report.version, actor=reporter)
        if plan.outcome == "returned":
            report = report_return(report, reason=RETURN_REASON, actor=self.office)
        elif plan.outcome == "approved":
            report = report_approve(report, actor=self.office)
        self.backdate(report, period, plan)

    def backdate(self, report: Report, period: ReportingPeriod, plan: Plan) -> None:
        """Events and timestamps as if the work had happened around the due date."""
        now = timezone.now()
        hour = dt.time(8 + self.rng.randint(0, 8), self.rng.randint(0, 59))
        submitted = dt.datetime.combine(period.due + dt.timedelta(days=plan.delay_days), hour, TZ)
        submitted = min(submitted, now - dt.timedelta(days=2))
        approved = min(submitted + dt.timedelta(days=self.rng.randint(1, 6)), now)
        created = submitted - dt.timedelta(days=self.rng.randint(2, 10))
        Report.objects.filter(pk=report.pk).update(
            submitted_at=submitted,
            first_submitted_at=submitted,
            approved_at=approved if report.approved_at else None,
            created_at=created,
        )
        events = ReportEvent.objects.filter(report=report)
        events.filter(action__in=[EventAction.CREATE, EventAction.SAVE]).update(at=created)
        events.filter(action=EventAction.SUBMIT).update(at=submitted)
        events.filter(action__in=[EventAction.APPROVE, EventAction.RETURN]).update(at=approved)


def _pairs(programme: Programme) -> list[tuple[str, str]]:
    from targets.models import Indicator

    rows = Indicator.objects.filter(programme=programme, denominator__isnull=False)
    return list(rows.values_list("numerator__code", "denominator__code"))


def _specials(assigned: list[Assignment]) -> dict[str, str]:
    """In the latest quarter: Tân Phong's report is returned, Đoàn Kết's is a draft (the demo
    logins can then see both); other units if those two are not expected."""
    codes = [a.unit.code for a in assigned if a.scope != AssignmentScope.PROVINCE]
    returned = TAN_PHONG if TAN_PHONG in codes else codes[0]
    draft = DOAN_KET if DOAN_KET in codes and returned != DOAN_KET else codes[-1]
    return {returned: "returned", draft: "draft"}


def demo_periods(programme: Programme, today: dt.date) -> list[ReportingPeriod]:
    """2024Q1 up to the last quarter whose cut-off has passed."""
    periods = periods_ensure()
    return [
        p
        for p in periods
        if covers(programme, p.year, p.quarter)
        and (p.year, p.quarter) >= FIRST
        and p.cutoff < today
    ]


@transaction.atomic
def demo_reports_load(seed: int = 2024, today: dt.date | None = None) -> int | None:
    """Creates the demo reports once; returns how many, or None if reports already exist."""
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if programme is None:
        return None
    if Report.objects.exists():
        return None
    today = today or timezone.localdate()
    periods = demo_periods(programme, today)
    if not Assignment.objects.exists():
        assignments_apply_proposal()
        # The demo's history starts in 2024Q1: units are not expected before it, or every
        # page would show the quarters before as missing, years overdue.
        first = ReportingPeriod.objects.get(year=FIRST[0], quarter=FIRST[1])
        earlier = ReportingPeriod.objects.filter(cutoff__lt=first.cutoff)
        Assignment.objects.filter(first_period__in=earlier).update(first_period=first)
    return DemoLoader(programme, today, seed).run(periods)
