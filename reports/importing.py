"""Loading data values from CSV or XLSX, for history and migration (`manage.py import_values`).

A file has one value per line: `unit`, `period` (`2024Q3`, or `2024` for once-a-year fields),
`field`, `value` (a number, empty, or `NA`) and optionally `status` (`approved` by default).
Everything is checked first and written through the report services, in one transaction:
one bad line and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lib.formats import day
from targets.models import Field
from unions.models import Unit, UnitKind

from .assignments import periods_ensure
from .excel_upload import number_message
from .importing_file import ImportLine, LineError
from .models import EventAction, Report, ReportingPeriod, ReportStatus
from .numbers import FILES, Entry, NumberError, parse_entry
from .periods import parse_period
from .services import (
    ReportInput,
    ReportInvalid,
    WorkflowError,
    report_approve,
    report_fields,
    report_findings,
    report_open,
    report_save,
    report_submit,
    unreported_rest,
)

STATUSES = (ReportStatus.APPROVED, ReportStatus.DRAFT, ReportStatus.SUBMITTED)
IMPORT_REASON = "import"


@dataclass
class PlannedReport:
    """The values of one unit and quarter, as the file gives them."""

    unit: Unit
    period: ReportingPeriod
    status: str
    lines: dict[str, ImportLine] = field(default_factory=dict)
    values: dict[str, Entry] = field(default_factory=dict)
    outcome: str = ""

    def __str__(self) -> str:
        where = f"{self.unit.code} {self.period.code}"
        return f"{where}: {len(self.values)} values → {self.status} ({self.outcome})"


@dataclass
class ImportResult:
    reports: list[PlannedReport] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------- checking and planning


class _Planner:
    """Resolves codes with a few queries and groups the lines by unit and quarter."""

    def __init__(self, lines: list[ImportLine]) -> None:
        self.units = {u.code: u for u in Unit.objects.filter(code__in={x.unit for x in lines})}
        self.fields = {f.code: f for f in Field.objects.filter(code__in={x.field for x in lines})}
        self.periods = {(p.year, p.quarter): p for p in ReportingPeriod.objects.all()}
        self.asked: dict[tuple[int, bool], set[str]] = {}
        self.groups: dict[tuple[int, int], PlannedReport] = {}
        self.errors: list[LineError] = []

    def add(self, line: ImportLine) -> None:
        problems = self._problems(line)
        if problems:
            self.errors += [LineError(line.line, p) for p in problems]
            return
        unit, period = self.units[line.unit], self._period(line)
        assert period is not None
        group = self.groups.setdefault(
            (unit.pk, period.pk), PlannedReport(unit, period, line.status)
        )
        first = group.lines.get(line.field)
        if first is not None:
            self._error(line, _("%(field)s for %(unit)s %(period)s repeats line %(first)s."), first)
        elif group.status != line.status:
            other = next(iter(group.lines.values()))
            self._error(
                line, _("the status differs from line %(first)s of the same report."), other
            )
        else:
            group.lines[line.field] = line
            group.values[line.field] = parse_entry(line.value, FILES)

    def _error(self, line: ImportLine, message: str, first: ImportLine) -> None:
        context = {"field": line.field, "unit": line.unit, "period": line.period}
        self.errors.append(LineError(line.line, message % {**context, "first": first.line}))

    def _period(self, line: ImportLine) -> ReportingPeriod | None:
        year, quarter = parse_period(line.period)
        return self.periods.get((year, quarter or 4))

    def _problems(self, line: ImportLine) -> list[str]:
        problems = []
        unit, found = self.units.get(line.unit), self.fields.get(line.field)
        if unit is None:
            problems.append(_("unknown unit “%(code)s”.") % {"code": line.unit})
        if found is None:
            problems.append(_("unknown field “%(code)s”.") % {"code": line.field})
        if line.status not in STATUSES:
            problems.append(
                _("unknown status “%(status)s” (use approved, submitted or draft).")
                % {"status": line.status}
            )
        try:
            parse_entry(line.value, FILES)
        except NumberError as exc:
            problems.append(
                _("value “%(value)s”: %(why)s.") % {"value": line.value, "why": number_message(exc)}
            )
        problems += self._period_problems(line, unit, found)
        return problems

    def _period_problems(
        self, line: ImportLine, unit: Unit | None, found: Field | None
    ) -> list[str]:
        try:
            year, quarter = parse_period(line.period)
        except ValueError:
            return [
                _("unknown period “%(period)s” (write 2024Q3, or 2024).") % {"period": line.period}
            ]
        period = self.periods.get((year, quarter or 4))
        if period is None:
            return [
                _("period %(period)s is outside every programme's reporting.")
                % {"period": line.period}
            ]
        if found is None or unit is None:
            return []
        return _frequency_problems(found, year, quarter) or self._unit_problems(unit, found, period)

    def _unit_problems(self, unit: Unit, found: Field, period: ReportingPeriod) -> list[str]:
        if not unit.is_active_on(period.cutoff):
            return [
                _("%(unit)s did not exist on %(date)s, the cut-off of %(period)s.")
                % {"unit": unit.code, "date": day(period.cutoff), "period": period.code}
            ]
        if found.code not in self._asked(period, unit.kind == UnitKind.PROVINCE):
            return [
                _("the report of %(unit)s for %(period)s does not ask for %(field)s.")
                % {"unit": unit.code, "period": period.code, "field": found.code}
            ]
        return []

    def _asked(self, period: ReportingPeriod, province: bool) -> set[str]:
        key = (period.pk, province)
        if key not in self.asked:
            self.asked[key] = {f.code for f in report_fields(period, province=province)}
        return self.asked[key]


def _frequency_problems(found: Field, year: int, quarter: int | None) -> list[str]:
    """A field reported once a year goes with the year (or Q4), any other with its quarter."""
    if found.frequency == "annual" and quarter not in (None, 4):
        return [
            _("%(field)s is reported once a year: write the year (%(year)s) or %(year)sQ4.")
            % {"field": found.code, "year": year}
        ]
    if found.frequency != "annual" and quarter is None:
        return [
            _("%(field)s is reported every quarter: write the quarter, e.g. %(year)sQ4.")
            % {"field": found.code, "year": year}
        ]
    return []


# ---------------------------------------------------------------- writing


class _Refused(Exception):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("refused")
        self.errors = errors


def values_import(
    lines: list[ImportLine],
    *,
    dry_run: bool = False,
    read_errors: Iterable[LineError] = (),
) -> ImportResult:
    """Checks and writes every line, or nothing: any error (or a dry run) rolls back.

    `read_errors` are lines the reader already refused; the other lines are still checked so
    that one run reports every problem.
    """
    result = ImportResult(errors=list(read_errors))
    with transaction.atomic():
        periods_ensure()
        planner = _Planner(lines)
        for line in lines:
            planner.add(line)
        result.errors += planner.errors
        groups = sorted(
            planner.groups.values(), key=lambda g: (g.period.year, g.period.quarter, g.unit.code)
        )
        for group in groups:
            try:
                with transaction.atomic():
                    group.outcome = _write(group, result)
            except _Refused as refused:
                result.errors += refused.errors
            result.reports.append(group)
        if result.errors or dry_run:
            transaction.set_rollback(True)
    result.errors.sort(key=lambda e: e.line)
    return result


def _write(group: PlannedReport, result: ImportResult) -> str:
    existing = Report.objects.filter(unit=group.unit, period=group.period, is_latest=True).first()
    if existing is not None and not existing.is_editable:
        return _check_locked(existing, group)
    report = existing or report_open(group.unit, group.period, None, reason=IMPORT_REASON)
    confirmed = set()
    if group.status == ReportStatus.APPROVED:
        # History is entered as it was approved then: its sharp jumps are taken as confirmed.
        warnings = report_findings(report, {**_entries(report), **group.values}).warnings
        confirmed = set(warnings) & set(group.values)
        result.notes += [
            f"{group.unit.code} {group.period.code} {c}: {warnings[c]}" for c in sorted(confirmed)
        ]
    blanks: dict[str, Entry] = {}
    reasons: dict[str, str] = {}
    if group.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        blanks, reasons = unreported_rest(report, group.values, _("not in the imported file"))
    try:
        report = report_save(
            report,
            ReportInput(
                values={**blanks, **group.values},
                confirmed_warnings=confirmed,
                not_reported=reasons,
            ),
            version=report.version,
            actor=None,
            action=EventAction.IMPORT,
            reason=IMPORT_REASON,
        )
        if group.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            report = report_submit(report, version=report.version, actor=None, reason=IMPORT_REASON)
        if group.status == ReportStatus.APPROVED:
            report = report_approve(report, actor=None, reason=IMPORT_REASON)
    except ReportInvalid as exc:
        raise _Refused(_findings_errors(group, exc.findings.errors)) from exc
    except WorkflowError as exc:
        raise _Refused([LineError(_first_line(group), exc.messages[0])]) from exc
    return _("created") if existing is None else _("updated")


def _entries(report: Report) -> dict[str, Entry]:
    return {v.field.code: Entry(v.state, v.number) for v in report.values.select_related("field")}


def _check_locked(report: Report, group: PlannedReport) -> str:
    current = _entries(report)
    differing = [
        line
        for code, line in group.lines.items()
        if current.get(code, Entry.blank()) != group.values[code]
    ]
    if not differing:
        return _("unchanged")
    if report.status == ReportStatus.SUBMITTED:
        message = _(
            "the report of %(unit)s for %(period)s is already submitted with %(old)s for "
            "%(field)s; return it in the portal first."
        )
    else:
        message = _(
            "the report of %(unit)s for %(period)s is already approved with %(old)s for "
            "%(field)s; reopen it in the portal to correct it."
        )
    return_lines = []
    for line in differing:
        old = current.get(line.field, Entry.blank()).display() or _("no value")
        context = {"unit": group.unit.code, "period": group.period.code, "field": line.field}
        return_lines.append(LineError(line.line, message % {**context, "old": old}))
    raise _Refused(return_lines)


def _findings_errors(group: PlannedReport, errors: dict[str, list[str]]) -> list[LineError]:
    out = []
    for code, messages in errors.items():
        line = group.lines.get(code)
        number = line.line if line else _first_line(group)
        out += [LineError(number, f"{code}: {message}") for message in messages]
    return out


def _first_line(group: PlannedReport) -> int:
    return min(line.line for line in group.lines.values())
