"""Demo reports: plausible, written through the services, and loaded once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from demo.reports import demo_reports_load
from reports.models import EventAction, Report, ReportEvent, ReportStatus, Value

TODAY = dt.date(2025, 11, 25)  # the last finished quarter is 2025Q3


@pytest.fixture
def loaded(small_tree, programme, office_user, district_reporter):
    created = demo_reports_load(today=TODAY)
    assert created
    return created


def _values(unit, code):
    rows = Value.objects.filter(
        report__unit=unit, report__in_force=True, field__code=code
    ).order_by("report__period__year", "report__period__quarter")
    return [(v.report.period.code, v.number) for v in rows.select_related("report__period")]


def test_demo_reports_cover_2024q1_to_the_last_finished_quarter(loaded):
    codes = set(Report.objects.values_list("period__year", "period__quarter"))
    assert min(codes) == (2024, 1) and max(codes) == (2025, 3)
    # Nobody is expected to report before the demo's history starts (no quarter shows as
    # missing and years overdue).
    from reports.models import Assignment

    firsts = Assignment.objects.values_list("first_period__year", "first_period__quarter")
    assert firsts and min(firsts) == (2024, 1)


def test_the_kept_expected_counts_follow_the_demos_assignments(
    small_tree, programme, office_user, district_reporter
):
    from reports.models import ReportingPeriod
    from rollup import totals
    from rollup.expected import expected_read

    totals.totals_rebuild()  # counts kept from here on, as in a deployment
    assert demo_reports_load(today=TODAY)
    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    root = small_tree.province
    kept = {k: n for k, n in expected_read([root.pk], periods)[root.pk].items() if n}
    counted = {k: n for k, n in totals.expected_counts(root, periods).items() if n}
    assert kept == counted
    assert kept and min(kept) >= (2024, 1, False)


def test_loading_twice_does_nothing_the_second_time(loaded):
    before = Report.objects.count()
    assert demo_reports_load(today=TODAY) is None
    assert Report.objects.count() == before == loaded


def test_exactly_one_report_is_returned_with_a_reason_and_one_is_a_draft(loaded):
    returned = Report.objects.get(status=ReportStatus.RETURNED)
    draft = Report.objects.get(status=ReportStatus.DRAFT)
    assert returned.period.code == draft.period.code == "2025Q3"
    event = ReportEvent.objects.get(report=returned, action=EventAction.RETURN)
    assert event.reason


def test_most_reports_are_approved_through_the_services_with_their_history(loaded):
    approved = Report.objects.filter(status=ReportStatus.APPROVED)
    assert approved.count() >= loaded - 4
    for report in approved:
        actions = list(report.events.values_list("action", flat=True))
        assert actions == ["create", "save", "submit", "approve"]
        assert report.submitted_at <= report.approved_at


def test_submission_times_sit_around_the_due_date(loaded):
    reports = Report.objects.filter(submitted_at__isnull=False).select_related("period")
    delays = [(r.submitted_at.date() - r.period.due).days for r in reports]
    assert all(-30 < d < 40 for d in delays)
    assert any(d <= 0 for d in delays)


def test_year_to_date_counts_rise_through_the_year_and_stay_below_their_denominator(
    small_tree, loaded
):
    informed = dict(_values(small_tree.d2, "informed_ytd"))
    workers = dict(_values(small_tree.d2, "workers_union_units"))
    year = [informed[f"2024Q{q}"] for q in (1, 2, 3, 4)]
    assert year == sorted(year) and year[0] > 0
    assert all(informed[code] <= workers[code] for code in informed)


def test_members_are_between_20_and_120_per_cdcs(small_tree, loaded):
    for _code, members in _values(small_tree.d2, "members"):
        assert 2 * 20 <= members <= 2 * 120 * 1.1  # D2 has two CĐCS


def test_ratings_are_reported_in_fourth_quarters_only(small_tree, loaded):
    rated = [code for code, _ in _values(small_tree.d2, "grassroots_state_all")]
    assert rated == ["2024Q4"]


def test_the_province_reports_its_own_fields_in_each_fourth_quarter(small_tree, loaded):
    reports = Report.objects.filter(unit=small_tree.province)
    assert [r.period.code for r in reports] == ["2024Q4"]
    assert dict(_values(small_tree.province, "upper_units")) == {"2024Q4": 2}


def test_the_command_says_when_there_is_no_demo_hierarchy(programme):
    out = StringIO()
    call_command("load_demo_reports", stdout=out)
    assert "nothing done" in out.getvalue()
    assert not Report.objects.exists()
