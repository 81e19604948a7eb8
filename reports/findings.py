"""What a report asks for and what its values show: the fields and task groups of its quarter,
the checks of its values (errors, sharp changes), the blanks it leaves, and how two revisions
differ. Read-only; the writes are in `services`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from targets.models import Display, Field, Indicator, Programme, RegistryCount, TaskGroup
from targets.programmes import fields_in_force, programmes_in_force, task_groups_of

from .models import Report, ReportingPeriod, ValueState
from .numbers import Entry
from .registry import registry_counts
from .validation import FieldRule, Findings, PreviousQuarter, report_check


def unreported_rest(
    report: Report, given: Mapping[str, Entry], reason: str
) -> tuple[dict[str, Entry], dict[str, str]]:
    """For a report written by the portal itself (an import of history, the demo): the asked
    fields that `given` leaves blank or out and the report does not hold, as blanks with
    `reason`, so that the report says why they are missing instead of being refused."""
    held = set(report.values.exclude(state=ValueState.BLANK).values_list("field__code", flat=True))
    fields = report_fields(report.period, province=is_province_report(report))
    missing = {code for code, entry in given.items() if entry.state == ValueState.BLANK}
    rest = [
        f.code
        for f in fields
        if (f.code not in given or f.code in missing) and f.code not in held - set(given)
    ]
    return {code: Entry.blank() for code in rest}, {code: reason for code in rest}


def report_blanks(report: Report) -> list[tuple[Field, str]]:
    """The fields the report asks for and does not give, each with the reason given ("" for
    none): what the office sees before approving, and what a sending must explain."""
    fields = report_fields(report.period, province=is_province_report(report))
    given = {
        code: (state, reason)
        for code, state, reason in report.values.values_list("field__code", "state", "reason")
    }
    blanks = []
    for f in fields:
        state, reason = given.get(f.code, (ValueState.BLANK, ""))
        if state == ValueState.BLANK:
            blanks.append((f, reason))
    return blanks


def report_fields(period: ReportingPeriod, *, province: bool = False) -> list[Field]:
    """Fields this quarter's reports ask for, once for every programme in force then:
    annual fields only in the fourth quarter."""
    fields = fields_in_force(period.year, period.quarter)
    return [
        f
        for f in fields
        if f.province_only == province and (period.asks_annual_fields or f.frequency != "annual")
    ]


def report_task_groups(period: ReportingPeriod) -> list[TaskGroup]:
    """The task groups of every programme in force in the quarter, whose narratives it asks."""
    return task_groups_of(programmes_in_force(period.year, period.quarter))


def indicator_pairs(
    period: ReportingPeriod, programmes: list[Programme] | None = None
) -> list[tuple[str, str]]:
    """`programmes`: those in force in the quarter, when the caller has read them."""
    # A ratio per CĐCS (A08) may exceed its denominator; only shares are bounded by it.
    if programmes is None:
        programmes = programmes_in_force(period.year, period.quarter)
    rows = Indicator.objects.filter(
        programme__in=programmes, denominator__isnull=False, display=Display.PERCENT
    )
    pairs = rows.values_list("numerator__code", "denominator__code")
    return sorted({(num, den) for num, den in pairs})


def report_entries(report: Report) -> dict[str, Entry]:
    return {v.field.code: Entry(v.state, v.number) for v in report.values.select_related("field")}


def previous_report(report: Report) -> Report | None:
    """The previous quarter's report of the same unit: its approved revision, else its latest."""
    period = report.period
    year, quarter = (
        (period.year, period.quarter - 1) if period.quarter > 1 else (period.year - 1, 4)
    )
    candidates = Report.objects.filter(
        unit=report.unit,
        period__year=year,
        period__quarter=quarter,
    )
    candidates = candidates.select_related("period")
    return candidates.filter(in_force=True).first() or candidates.filter(is_latest=True).first()


@dataclass(frozen=True)
class Checks:
    """What a report's values are checked against, read once: the rules of the fields it asks
    for, the programme's pairs, the previous quarter and the registry's counts. `check` is
    `report_check` over them, for as many sets of values as a request needs."""

    rules: dict[str, FieldRule]
    pairs: list[tuple[str, str]]
    previous: PreviousQuarter | None
    grassroots: int | None
    counts: dict[str, int]

    def check(self, values: Mapping[str, Entry]) -> Findings:
        return report_check(
            self.rules,
            values,
            pairs=self.pairs,
            previous=self.previous,
            grassroots_in_subtree=self.grassroots,
            registry=self.counts,
        )


def checks_of(
    report: Report,
    fields: list[Field],
    known: list[RegistryCount],
    counts: dict[str, int],
    previous: PreviousQuarter | None,
    pairs: list[tuple[str, str]],
) -> Checks:
    """The checks of `report` from what the caller has read already (the form reads the same
    for what it shows)."""
    labels = {c.code: c.label for c in known}
    return Checks(
        rules={f.code: _rule(f, labels) for f in fields},
        pairs=pairs,
        previous=previous,
        grassroots=None if is_province_report(report) else counts.get("grassroots_all"),
        counts=counts,
    )


def previous_quarter(
    report: Report, prev: Report | None, entries: Mapping[str, Entry]
) -> PreviousQuarter | None:
    """`prev` (`previous_report`) and its values as the checks compare with them."""
    if prev is None:
        return None
    return PreviousQuarter(entries, same_year=prev.period.year == report.period.year)


def report_checks(
    report: Report, fields: list[Field] | None = None, programmes: list[Programme] | None = None
) -> Checks:
    """`fields`: the report's (`report_fields`), and `programmes` those in force in its
    quarter, when the caller has them."""
    if fields is None:
        fields = report_fields(report.period, province=is_province_report(report))
    known = list(RegistryCount.objects.all())
    prev = previous_report(report)
    return checks_of(
        report,
        fields,
        known,
        registry_counts(report.unit, report.period.cutoff, known),
        previous_quarter(report, prev, report_entries(prev) if prev else {}),
        indicator_pairs(report.period, programmes),
    )


def report_findings(report: Report, values: Mapping[str, Entry]) -> Findings:
    return report_checks(report).check(values)


def _rule(f: Field, labels: dict[str, str]) -> FieldRule:
    label = labels.get(f.registry_count, f.registry_count) if f.registry_count else ""
    return FieldRule(
        f.code,
        f.time_kind,
        f.counts_grassroots,
        f.label,
        registry=f.registry_count,
        registry_label=label,
    )


def is_province_report(report: Report) -> bool:
    return report.unit.kind == "province"


def unconfirmed_warnings(report: Report) -> dict[str, str]:
    findings = report_findings(report, report_entries(report))
    confirmed = set(
        report.values.filter(warning_confirmed=True).values_list("field__code", flat=True)
    )
    return unconfirmed(findings, confirmed)


def unconfirmed(findings: Findings, confirmed: set[str]) -> dict[str, str]:
    """The sharp changes among `findings` that are not in `confirmed`."""
    return {code: msg for code, msg in findings.warnings.items() if code not in confirmed}


@dataclass(frozen=True)
class DiffRow:
    field: Field
    old: Entry
    new: Entry


def report_diff(old: Report, new: Report) -> list[DiffRow]:
    """The cells that differ between two revisions, in the form's order."""
    before, after = report_entries(old), report_entries(new)
    codes = set(before) | set(after)
    fields = Field.objects.filter(code__in=codes).order_by("order")
    blank = Entry.blank()
    return [
        DiffRow(f, before.get(f.code, blank), after.get(f.code, blank))
        for f in fields
        if before.get(f.code, blank) != after.get(f.code, blank)
    ]
