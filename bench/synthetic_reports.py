"""The synthetic dataset's reports (see bench/synthetic.py): assignments, then every due
quarter's reports, approved and in force, with their events and values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from bench.synthetic_tree import BATCH, REFORM, SyntheticCdcs, Tree, bulk
from demo.reports import Cdcs, Traits, province_values, quarter_values
from reports.models import (
    Assignment,
    AssignmentScope,
    EventAction,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    Value,
    ValueState,
)
from reports.services import report_fields
from targets.models import Field
from unions.models import ENTERPRISE_SECTORS, STATE_SECTORS

BLANK_SHARE, NA_SHARE = 0.01, 0.003  # cells left blank / marked not applicable


class Reports:
    """Writes the reports of the units `tree` created, drawing from the tree's random source."""

    def __init__(self, tree: Tree, seed: int, log: Callable[[str], None]) -> None:
        self.seed, self.rng, self.counts, self.built = seed, tree.rng, tree.counts, tree.built
        self.log = log
        self.cdcs, self.uppers, self.communes = tree.cdcs, tree.uppers, tree.communes
        self.province_uppers = tree.province_uppers
        self.traits: dict[int, Cdcs] = {}

    def assignments(self, periods: list[ReportingPeriod]) -> None:
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
        bulk(Assignment, rows, self.counts)

    def _cdcs_traits(self, c: SyntheticCdcs) -> Cdcs:
        found = self.traits.get(c.pk)
        if found is None:
            found = self.traits[c.pk] = Cdcs(c.code, c.sector, Traits.of(self.seed, c.code))
        return found

    def _reporters(self, period: ReportingPeriod) -> dict[int, list[SyntheticCdcs]]:
        """Each reporting unit of the quarter with the CĐCS it reports for."""
        on = period.cutoff
        under: dict[int, list[SyntheticCdcs]] = defaultdict(list)
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

    def reports(self, periods: list[ReportingPeriod]) -> None:
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
            reports = self._saved_reports(period, chunk, now)
            bulk(
                ReportEvent,
                (
                    ReportEvent(report=r, action=EventAction.APPROVE, version=4, changes=[])
                    for r in reports
                ),
                self.counts,
            )
            bulk(
                Value,
                (
                    self._value(report, fields[code], number)
                    for report, (_u, values) in zip(reports, chunk, strict=True)
                    for code, number in values.items()
                ),
                self.counts,
            )

    def _saved_reports(
        self, period: ReportingPeriod, chunk: Sequence[tuple[int, Any]], now: dt.datetime
    ) -> list[Report]:
        """An approved report in force for each unit of `chunk`, saved, in its order."""
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
        return reports

    def _value(self, report: Report, field_id: int, number: int) -> Value:
        x = self.rng.random()
        if x < BLANK_SHARE:
            return Value(report=report, field_id=field_id, state=ValueState.BLANK)
        if x < BLANK_SHARE + NA_SHARE:
            return Value(report=report, field_id=field_id, state=ValueState.NOT_APPLICABLE)
        return Value(report=report, field_id=field_id, state=ValueState.NUMBER, number=number)


def _registry(members: list[SyntheticCdcs]) -> dict[str, int]:
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
