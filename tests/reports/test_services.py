import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.assignments import assignment_proposal, assignments_apply_proposal, coverage_check
from reports.models import AssignmentScope, Report, ReportEvent, ReportStatus
from reports.numbers import Entry
from reports.services import (
    ReportInput,
    ReportInvalid,
    StaleVersion,
    WorkflowError,
    report_approve,
    report_diff,
    report_open,
    report_reopen,
    report_return,
    report_save,
    report_submit,
    unconfirmed_warnings,
)
from tests.conftest import opened, period, untouched


@pytest.fixture
def q3(programme):
    return period(programme, "2024Q3")


def test_a_report_goes_through_submit_return_resubmit_and_approve(
    small_tree, q3, office_user, district_reporter
):
    report = opened(small_tree.d2, q3, district_reporter)
    report = report_save(
        report,
        ReportInput(values={"members": Entry.of(120)}),
        version=report.version,
        actor=district_reporter,
    )
    report = report_submit(report, version=report.version, actor=district_reporter)
    assert report.status == ReportStatus.SUBMITTED
    report = report_return(report, reason="Thiếu số liệu", actor=office_user)
    assert report.status == ReportStatus.RETURNED
    report = report_save(
        report,
        ReportInput(values={"informed_ytd": Entry.of(100)}),
        version=report.version,
        actor=district_reporter,
    )
    report = report_submit(report, version=report.version, actor=district_reporter)
    report = report_approve(report, actor=office_user)
    assert report.status == ReportStatus.APPROVED and report.in_force
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions == ["create", "save", "submit", "return", "save", "submit", "approve"]


def test_an_approved_report_is_locked(small_tree, q3, office_user):
    report = opened(small_tree.d2, q3, office_user)
    report = report_submit(report, version=report.version, actor=office_user)
    report = report_approve(report, actor=office_user)
    with pytest.raises(WorkflowError):
        report_save(
            report,
            ReportInput(values={"members": Entry.of(1)}),
            version=report.version,
            actor=office_user,
        )


def test_the_second_of_two_concurrent_saves_is_refused_and_names_the_change(
    small_tree, q3, district_reporter
):
    report = report_open(small_tree.d2, q3, district_reporter)
    opened = report.version
    report_save(
        report,
        ReportInput(values={"members": Entry.of(120)}),
        version=opened,
        actor=district_reporter,
    )
    with pytest.raises(StaleVersion) as refused:
        report_save(
            report, ReportInput(values={"members": Entry.of(130)}), version=opened, actor=None
        )
    assert refused.value.events[0].changes == [{"field": "members", "old": "", "new": "120"}]
    assert Report.objects.get(pk=report.pk).values.get().number == 120


def test_an_invalid_save_writes_nothing(small_tree, q3, district_reporter):
    report = opened(small_tree.d2, q3, district_reporter)
    data = ReportInput(values={"cba_eligible": Entry.of(10), "cba_signed": Entry.of(11)})
    with pytest.raises(ReportInvalid) as refused:
        report_save(report, data, version=report.version, actor=district_reporter)
    assert "cba_signed" in refused.value.findings.errors
    assert untouched(report)
    assert Report.objects.get(pk=report.pk).version == report.version


def test_approval_is_refused_while_a_sharp_jump_is_unconfirmed(small_tree, programme, office_user):
    q2, q3 = period(programme, "2024Q2"), period(programme, "2024Q3")
    first = opened(small_tree.d2, q2, office_user)
    first = report_save(
        first, ReportInput(values={"members": Entry.of(1000)}), version=first.version, actor=None
    )
    report_approve(report_submit(first, version=first.version, actor=None), actor=office_user)
    second = opened(small_tree.d2, q3, office_user)
    second = report_save(
        second, ReportInput(values={"members": Entry.of(300)}), version=second.version, actor=None
    )
    second = report_submit(second, version=second.version, actor=None)
    assert "members" in unconfirmed_warnings(second)
    with pytest.raises(WorkflowError):
        report_approve(second, actor=office_user)
    second = report_return(second, reason="Kiểm tra", actor=office_user)
    data = ReportInput(values={"members": Entry.of(300)}, confirmed_warnings={"members"})
    second = report_save(second, data, version=second.version, actor=None)
    second = report_submit(second, version=second.version, actor=None)
    assert report_approve(second, actor=office_user).status == ReportStatus.APPROVED


def test_reopening_makes_a_new_revision_and_the_old_one_counts_until_approval(
    small_tree, q3, office_user
):
    report = opened(small_tree.d2, q3, office_user)
    report = report_save(
        report, ReportInput(values={"members": Entry.of(100)}), version=report.version, actor=None
    )
    approved = report_approve(
        report_submit(report, version=report.version, actor=None), actor=office_user
    )
    new = report_reopen(approved, reason="Sai số liệu", actor=office_user)
    approved.refresh_from_db()
    assert (new.revision, new.status, new.is_latest, new.in_force) == (2, "draft", True, False)
    assert approved.in_force and not approved.is_latest
    new = report_save(
        new, ReportInput(values={"members": Entry.of(110)}), version=new.version, actor=None
    )
    [row] = report_diff(approved, new)
    assert (row.field.code, row.old, row.new) == ("members", Entry.of(100), Entry.of(110))
    report_approve(report_submit(new, version=new.version, actor=None), actor=office_user)
    approved.refresh_from_db()
    assert not approved.in_force


def test_reopening_needs_a_reason(small_tree, q3, office_user):
    report = opened(small_tree.d2, q3, office_user)
    approved = report_approve(
        report_submit(report, version=report.version, actor=None), actor=office_user
    )
    with pytest.raises(WorkflowError):
        report_reopen(approved, reason="  ", actor=office_user)


def test_proposal_follows_the_tree_at_each_cutoff(small_tree, programme):
    before = {(p.unit.code, p.scope) for p in assignment_proposal(period(programme, "2024Q4"))}
    after = {(p.unit.code, p.scope) for p in assignment_proposal(period(programme, "2025Q4"))}
    assert before == {("D1", "subtree"), ("D2", "subtree"), ("P", "province")}
    assert after == {("D2", "subtree"), ("W1", "subtree"), ("P", "province")}


def test_every_cdcs_is_covered_once_and_gaps_and_overlaps_show(small_tree, programme):
    from reports.models import Assignment

    assignments_apply_proposal()
    q = period(programme, "2025Q4")
    assert coverage_check(q).ok and coverage_check(q).grassroots == 4
    Assignment.objects.create(unit=small_tree.c21, scope=AssignmentScope.SELF, first_period=q)
    Assignment.objects.filter(unit=small_tree.ward).delete()
    result = coverage_check(q)
    assert [u.code for u in result.gaps] == ["C11", "C12"]
    assert [(u.code, sorted(r.code for r in rs)) for u, rs in result.overlaps] == [
        ("C21", ["C21", "D2"])
    ]


def test_a_ratio_per_cdcs_may_exceed_its_denominator(small_tree, q3, district_reporter):
    # A08: on average at least one member introduced to the Party per CĐCS; 5 for 2 is fine.
    report = opened(small_tree.d2, q3, district_reporter)
    data = ReportInput(
        values={"grassroots_total": Entry.of(2), "members_introduced_party_ytd": Entry.of(5)}
    )
    saved = report_save(report, data, version=report.version, actor=district_reporter)
    assert saved.values.filter(field__code="members_introduced_party_ytd", number=5).exists()


def test_the_workflow_only_ever_appends_to_a_reports_history(
    small_tree, q3, office_user, district_reporter
):
    with CaptureQueriesContext(connection) as queries:
        report = opened(small_tree.d2, q3, district_reporter)
        report = report_save(
            report,
            ReportInput(values={"members": Entry.of(120)}),
            version=report.version,
            actor=district_reporter,
        )
        report = report_submit(report, version=report.version, actor=district_reporter)
        report = report_return(report, reason="Thiếu", actor=office_user)
        report = report_submit(report, version=report.version, actor=district_reporter)
        report = report_approve(report, actor=office_user)
        report_reopen(report, reason="Sửa", actor=office_user)
    statements = [q["sql"].upper() for q in queries.captured_queries]
    history = [s for s in statements if "REPORTS_REPORTEVENT" in s]
    assert sum(s.startswith("INSERT") for s in history) == 7
    assert [s for s in history if s.startswith(("UPDATE", "DELETE"))] == []
