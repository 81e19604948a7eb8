"""Every change of a report goes through one of these functions.

Each runs in one transaction, locks the report row, checks the state and the version the
user started from (optimistic locking), validates, writes, and appends a ReportEvent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from targets.programmes import programmes_in_force, task_groups_of
from unions.models import Unit

from .findings import (
    DiffRow,
    indicator_pairs,
    is_province_report,
    previous_report,
    report_blanks,
    report_checks,
    report_diff,
    report_entries,
    report_fields,
    report_findings,
    report_task_groups,
    unconfirmed,
    unconfirmed_warnings,
    unreported_rest,
)
from .foureyes import approval_barred
from .hooks import report_acted, report_approved
from .models import (
    EventAction,
    Narrative,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    Value,
    ValueState,
)
from .numbers import Entry
from .refusals import (
    FourEyes,
    ReportIncomplete,
    ReportInvalid,
    StaleVersion,
    WorkflowError,
)
from .writes import ReportInput, write_narratives, write_values


def _lock(report: Report) -> Report:
    """The report row, locked for the rest of the transaction. Only that row: locking its
    quarter and unit too would make an approval wait on (and deadlock with) a reorganisation
    whose new closure rows refer to the same unit."""
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=report.pk)
    )


def _event(
    report: Report,
    actor: User | None,
    action: str,
    *,
    reason: str = "",
    changes: list[dict[str, str]] | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=action,
        reason=reason,
        changes=changes or [],
        version=report.version,
    )


def _bump(report: Report, actor: User | None, **fields: object) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_by = actor
    report.save()


@transaction.atomic
def report_open(
    unit: Unit, period: ReportingPeriod, actor: User | None, *, reason: str = ""
) -> Report:
    """The working revision of `unit`'s report for `period`, created as a draft if none.
    `reason` goes on the creation's event (an import says so)."""
    report = Report.objects.filter(unit=unit, period=period, is_latest=True).first()
    if report is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(unit=unit, period=period, updated_by=actor)
                _event(report, actor, EventAction.CREATE, reason=reason)
        except IntegrityError:
            # Someone opened it at the same moment (two clicks, reporter and office): theirs.
            report = Report.objects.get(unit=unit, period=period, is_latest=True)
    return report


def _check_version(report: Report, version: int) -> None:
    if report.version != version:
        later = list(
            report.events.filter(version__gt=version).select_related("actor").order_by("at", "pk")
        )
        who = ", ".join(sorted({e.actor.get_username() for e in later if e.actor})) or _("someone")
        raise StaleVersion(
            _(
                "%(who)s changed this report after you opened it. Your changes were not saved; "
                "review theirs below, then enter yours again."
            )
            % {"who": who},
            later,
        )


def _require_editable(report: Report) -> None:
    if not report.is_latest:
        raise WorkflowError(_("This is an earlier revision; it cannot be changed."))
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise WorkflowError(
            _("A report that is %(status)s cannot be edited.")
            % {"status": report.get_status_display().lower()}
        )


def report_save(
    report: Report,
    data: ReportInput,
    *,
    version: int,
    actor: User | None,
    action: str = EventAction.SAVE,
    reason: str = "",
) -> Report:
    """Writes values and narratives of a draft or returned report; all or nothing (in
    `report_save_checked`'s transaction). `reason` goes on the event, written once with it."""
    return report_save_checked(
        report, data, version=version, actor=actor, action=action, reason=reason
    ).report


@dataclass(frozen=True)
class Saved:
    report: Report
    # The sharp changes of the saved values not confirmed (`unconfirmed_warnings` after it).
    pending: dict[str, str]


@transaction.atomic
def report_save_checked(
    report: Report,
    data: ReportInput,
    *,
    version: int,
    actor: User | None,
    action: str = EventAction.SAVE,
    reason: str = "",
) -> Saved:
    """`report_save`, telling also which sharp changes the report now holds unconfirmed, from
    the checks the save made (the form's next step needs them)."""
    report = _lock(report)
    _check_version(report, version)
    _require_editable(report)
    rows = {v.field.code: v for v in report.values.select_related("field")}
    current = {code: Entry(v.state, v.number) for code, v in rows.items()}
    period = report.period
    programmes = programmes_in_force(period.year, period.quarter)  # once, for pairs and groups
    asked = report_fields(period, province=is_province_report(report))
    findings = report_checks(report, asked, programmes).check({**current, **data.values})
    for code in sorted(set(data.values) - {f.code for f in asked}):
        findings.error(
            code,
            _(
                "This quarter's report does not ask for it (a figure reported once a year "
                "goes in the fourth quarter's report)."
            ),
        )
    if not findings.ok:
        raise ReportInvalid(findings)
    changes = write_values(report, rows, current, data, findings)
    changes += write_narratives(report, data.narratives, task_groups_of(programmes))
    _bump(report, actor)
    _event(report, actor, action, reason=reason, changes=changes)
    confirmed = {code for code, v in rows.items() if v.warning_confirmed}
    return Saved(report, unconfirmed(findings, confirmed))


@transaction.atomic
def report_submit(report: Report, *, version: int, actor: User | None, reason: str = "") -> Report:
    report = _lock(report)
    _check_version(report, version)
    _require_editable(report)
    findings = report_findings(report, report_entries(report))
    if not findings.ok:
        raise ReportInvalid(findings)
    empty = [f for f, reason in report_blanks(report) if not reason]
    if empty:
        raise ReportIncomplete(empty)
    now = timezone.now()
    first = report.first_submitted_at or now
    _bump(report, actor, status=ReportStatus.SUBMITTED, submitted_at=now, first_submitted_at=first)
    _event(report, actor, EventAction.SUBMIT, reason=reason)
    report_acted(report, EventAction.SUBMIT, actor=actor)
    return report


@transaction.atomic
def report_return(report: Report, *, reason: str, actor: User | None) -> Report:
    report = _lock(report)
    if report.status != ReportStatus.SUBMITTED or not report.is_latest:
        raise WorkflowError(_("Only a submitted report can be returned."))
    if not reason.strip():
        raise WorkflowError(_("Say why the report is returned."))
    _bump(report, actor, status=ReportStatus.RETURNED)
    _event(report, actor, EventAction.RETURN, reason=reason.strip())
    report_acted(report, EventAction.RETURN, actor=actor, reason=reason.strip())
    return report


@transaction.atomic
def report_approve(report: Report, *, actor: User | None, reason: str = "") -> Report:
    report = _lock(report)
    if report.status != ReportStatus.SUBMITTED or not report.is_latest:
        raise WorkflowError(_("Only a submitted report can be approved."))
    if actor is not None and approval_barred(report, actor):
        raise FourEyes(
            _(
                "You changed this report's figures last, so another office account must "
                "approve it (four eyes)."
            )
        )
    pending = unconfirmed_warnings(report)
    if pending:
        raise WorkflowError(
            ngettext(
                "%(n)d value changed sharply and is not confirmed by the reporter; "
                "return the report.",
                "%(n)d values changed sharply and are not confirmed by the reporter; "
                "return the report.",
                len(pending),
            )
            % {"n": len(pending)}
        )
    replaced = list(
        Report.objects.filter(unit=report.unit, period=report.period, in_force=True).values_list(
            "pk", flat=True
        )
    )
    # Saved one by one (there is at most one) so the audit log records the change.
    for earlier in Report.objects.filter(pk__in=replaced):
        earlier.in_force = False
        earlier.save(update_fields=["in_force"])
    _bump(report, actor, status=ReportStatus.APPROVED, approved_at=timezone.now(), in_force=True)
    _event(report, actor, EventAction.APPROVE, reason=reason)
    report_acted(report, EventAction.APPROVE, actor=actor)
    # Pre-summed roll-up totals change with what counts, in this same transaction.
    report_approved(report, replaced=replaced)
    return report


@transaction.atomic
def report_reopen(report: Report, *, reason: str, actor: User | None) -> Report:
    """Opens a new draft revision of an approved report; the approved one keeps counting
    (so the roll-up totals of `rollup.totals` do not change until the new one is approved).
    The new revision keeps the quarter's first sending, and the reopening is recorded once, on
    it: the report's history gathers the events of every revision."""
    report = _lock(report)
    if report.status != ReportStatus.APPROVED or not report.is_latest:
        raise WorkflowError(_("Only the latest approved report can be reopened."))
    if not reason.strip():
        raise WorkflowError(_("Say why the report is reopened."))
    report.is_latest = False
    report.save(update_fields=["is_latest"])
    new = Report.objects.create(
        unit=report.unit,
        period=report.period,
        revision=report.revision + 1,
        first_submitted_at=report.first_submitted_at,
        updated_by=actor,
    )
    _copy_contents(report, new)
    _event(new, actor, EventAction.REOPEN, reason=reason.strip())
    report_acted(new, EventAction.REOPEN, actor=actor, reason=reason.strip())
    return new


def _copy_contents(report: Report, new: Report) -> None:
    """The values and narratives of `report`, copied into its new revision `new`."""
    Value.objects.bulk_create(
        Value(
            report=new,
            field_id=v.field_id,
            state=v.state,
            number=v.number,
            reason=v.reason,
            warning_confirmed=v.warning_confirmed,
        )
        for v in report.values.all()
    )
    Narrative.objects.bulk_create(
        Narrative(
            report=new,
            task_group_id=n.task_group_id,
            results=n.results,
            shortfalls=n.shortfalls,
            next_steps=n.next_steps,
        )
        for n in report.narratives.all()
    )


__all__ = [
    "DiffRow",
    "FourEyes",
    "ReportIncomplete",
    "ReportInput",
    "ReportInvalid",
    "StaleVersion",
    "ValueState",
    "WorkflowError",
    "indicator_pairs",
    "previous_report",
    "report_blanks",
    "report_diff",
    "report_fields",
    "report_findings",
    "report_task_groups",
    "unconfirmed_warnings",
    "unreported_rest",
]
