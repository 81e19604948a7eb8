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
from reports.hooks import assignments_changing
from reports.models import (
    Assignment,
    AssignmentScope,
    EventAction,
    Report,
    ReportEvent,
    ReportingPeriod,
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
    GRASSROOTS_KINDS,
    Unit,
    UnitClosure,
    active_on_q,
)

from .figures import (
    Cdcs,
    Traits,
    keep_ytd_rising,
    province_values,
    quarter_values,
)
from .hierarchy import DOAN_KET, TAN_PHONG

# Read from here by the benchmark's synthetic data; they live in `figures`.
__all__ = ["Cdcs", "Traits", "demo_reports_load", "province_values", "quarter_values"]

PROGRAMME_CODE = "03-ctr-ldld-2023"
FIRST = (2024, 1)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RETURN_REASON = (
    "Số đoàn viên cam kết xóa bỏ hủ tục chưa khớp với báo cáo chuyên đề; "
    "đề nghị rà soát và gửi lại."
)


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
        # Through the hook, so the roll-up's kept expected counts follow (a bare update left
        # every unit expected in the quarters before, and "951/972" reports over the term).
        with assignments_changing(None):
            Assignment.objects.filter(first_period__in=earlier).update(first_period=first)
    return DemoLoader(programme, today, seed).run(periods)
