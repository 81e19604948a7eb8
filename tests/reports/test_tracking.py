"""The tracking grid: status and lateness arithmetic, the selector, and the page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports.assignments import assignments_apply_proposal
from reports.models import Report, ReportingPeriod
from reports.services import report_approve, report_return, report_submit
from reports.tracking import (
    Absence,
    CellStatus,
    Timing,
    absence,
    cell_status,
    completeness,
    latest_cut_quarters,
    local_day,
    timing,
    tracking_grid,
)
from tests.conftest import make_unit, make_user, opened, period
from unions.models import Unit, UnitKind

DUE = dt.date(2024, 10, 15)

# --- pure functions -------------------------------------------------------------------------


def test_a_unit_without_a_report_is_not_started_if_expected_else_not_expected():
    assert cell_status(True, None) == CellStatus.NOT_STARTED
    assert cell_status(False, None) == CellStatus.NOT_EXPECTED


def test_a_reopened_report_whose_approved_revision_is_in_force_counts_as_approved():
    assert cell_status(True, "approved", in_force=True) == CellStatus.APPROVED
    assert cell_status(True, "returned") == CellStatus.RETURNED


def test_a_report_submitted_on_the_due_date_is_on_time():
    assert timing(CellStatus.SUBMITTED, DUE, DUE, dt.date(2025, 1, 1)) == (Timing.ON_TIME, 0)


def test_a_report_submitted_after_the_due_date_is_late_by_calendar_days():
    submitted = DUE + dt.timedelta(days=4)
    assert timing(CellStatus.APPROVED, DUE, submitted, dt.date(2025, 1, 1)) == (Timing.LATE, 4)


def test_a_report_never_sent_past_the_due_date_is_overdue():
    today = DUE + dt.timedelta(days=10)
    assert timing(CellStatus.DRAFT, DUE, None, today) == (Timing.OVERDUE, 10)
    assert timing(CellStatus.NOT_STARTED, DUE, None, today) == (Timing.OVERDUE, 10)


def test_a_returned_or_reopened_report_keeps_the_timeliness_of_its_first_sending():
    today = DUE + dt.timedelta(days=10)
    assert timing(CellStatus.RETURNED, DUE, DUE, today) == (Timing.ON_TIME, 0)
    late = DUE + dt.timedelta(days=2)
    assert timing(CellStatus.DRAFT, DUE, late, today) == (Timing.LATE, 2)


def test_a_report_not_yet_due_is_neither_late_nor_overdue():
    assert timing(CellStatus.NOT_STARTED, DUE, None, DUE) == (Timing.NOT_DUE, 0)


def test_an_approved_report_without_a_submission_time_has_unknown_timing():
    assert timing(CellStatus.APPROVED, DUE, None, DUE) == (Timing.UNKNOWN, 0)


def test_lateness_counts_the_day_in_vietnam_not_in_utc():
    # 18:30 UTC on the due date is already the next day in Hanoi.
    moment = dt.datetime(2024, 10, 15, 18, 30, tzinfo=dt.UTC)
    assert local_day(moment) == dt.date(2024, 10, 16)


def test_completeness_counts_only_expected_cells_so_it_never_passes_100_percent():
    cells = [
        (True, CellStatus.APPROVED),
        (True, CellStatus.SUBMITTED),
        (True, CellStatus.DRAFT),
        (False, CellStatus.APPROVED),  # a report from a unit not expected that quarter
    ]
    assert completeness(cells) == (2, 3)


def test_the_default_columns_are_the_four_latest_quarters_whose_cut_off_has_passed():
    periods = [
        ReportingPeriod(year=y, quarter=q, cutoff=dt.date(y, q * 3, 28), due=dt.date(y, q * 3, 28))
        for y in (2024, 2025)
        for q in (1, 2, 3, 4)
    ]
    shown = latest_cut_quarters(periods, dt.date(2025, 7, 1))
    assert [p.code for p in shown] == ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]


def test_a_unit_not_yet_created_or_closed_says_why_it_is_not_expected():
    unit = Unit(valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2026, 1, 1))
    assert absence(unit, dt.date(2025, 6, 30)) == Absence.NOT_YET_CREATED
    assert absence(unit, dt.date(2026, 1, 1)) == Absence.CLOSED
    assert absence(unit, dt.date(2025, 9, 30)) == Absence.NOT_ASSIGNED
    assert absence(unit, dt.date(2025, 9, 30), assigned=True) == Absence.NOTHING_ASKED


# --- selector -------------------------------------------------------------------------------


@pytest.fixture
def assigned(programme):
    assignments_apply_proposal()
    return programme


def _periods(programme, *codes):
    return [period(programme, code) for code in codes]


def _cells(grid, code):
    row = next(r for r in grid.rows if r.unit.code == code)
    return {c.period.code: c for c in row.cells}


def test_a_dissolved_district_is_expected_before_the_reform_only(small_tree, assigned):
    grid = tracking_grid(_periods(assigned, "2025Q2", "2025Q3"), dt.date(2026, 1, 1))
    d1 = _cells(grid, "D1")
    assert d1["2025Q2"].status == CellStatus.NOT_STARTED
    assert d1["2025Q3"].status == CellStatus.NOT_EXPECTED
    assert d1["2025Q3"].absence == Absence.CLOSED
    ward = _cells(grid, "W1")
    assert ward["2025Q2"].absence == Absence.NOT_YET_CREATED


def test_the_province_is_expected_only_in_quarters_that_ask_for_its_own_fields(
    small_tree, assigned
):
    grid = tracking_grid(_periods(assigned, "2024Q3", "2024Q4"), dt.date(2025, 6, 1))
    province = _cells(grid, "P")
    assert not province["2024Q3"].expected
    assert province["2024Q3"].absence == Absence.NOTHING_ASKED
    assert province["2024Q4"].expected


def test_cells_show_status_lateness_and_link_to_the_report(
    small_tree, assigned, office_user, district_reporter
):
    q3 = period(assigned, "2024Q3")
    report = opened(small_tree.d2, q3, district_reporter)
    report = report_submit(report, version=report.version, actor=district_reporter)
    report_approve(report, actor=office_user)
    late = timezone.make_aware(dt.datetime.combine(q3.due + dt.timedelta(days=3), dt.time(9)))
    Report.objects.filter(pk=report.pk).update(submitted_at=late, first_submitted_at=late)
    grid = tracking_grid([q3], q3.due + dt.timedelta(days=20))
    d2, d1 = _cells(grid, "D2")["2024Q3"], _cells(grid, "D1")["2024Q3"]
    assert (d2.status, d2.timing, d2.days, d2.report_id) == (
        CellStatus.APPROVED,
        Timing.LATE,
        3,
        report.pk,
    )
    assert (d1.status, d1.timing, d1.days, d1.report_id) == (
        CellStatus.NOT_STARTED,
        Timing.OVERDUE,
        20,
        None,
    )
    assert (grid.columns[0].done, grid.columns[0].expected) == (1, 2)


def test_a_returned_report_counts_as_not_submitted(
    small_tree, assigned, office_user, district_reporter
):
    q3 = period(assigned, "2024Q3")
    report = opened(small_tree.d2, q3, district_reporter)
    report = report_submit(report, version=report.version, actor=district_reporter)
    sent = timezone.make_aware(dt.datetime.combine(q3.due - dt.timedelta(days=1), dt.time(9)))
    Report.objects.filter(pk=report.pk).update(submitted_at=sent, first_submitted_at=sent)
    report.refresh_from_db()
    report_return(report, reason="Thiếu số liệu", actor=office_user)
    grid = tracking_grid([q3], q3.due + dt.timedelta(days=5))
    cell = _cells(grid, "D2")["2024Q3"]
    # Not received, but it came in on time the first time: the grid says so ("first sent on
    # time"), as the report's page does.
    assert (cell.status, cell.timing, cell.resent) == (CellStatus.RETURNED, Timing.ON_TIME, True)
    assert grid.columns[0].done == 0


def test_the_status_filter_keeps_rows_with_a_matching_cell(small_tree, assigned, office_user):
    q3 = period(assigned, "2024Q3")
    opened(small_tree.d2, q3, office_user)
    grid = tracking_grid([q3], dt.date(2025, 1, 1), status="draft")
    assert [r.unit.code for r in grid.rows] == ["D2"]
    late = tracking_grid([q3], dt.date(2025, 1, 1), status="late")
    assert {r.unit.code for r in late.rows} == {"D1", "D2"}


def test_the_grid_takes_a_fixed_number_of_queries_however_many_units_report(
    small_tree, assigned, office_user, django_assert_max_num_queries
):
    periods = _periods(assigned, "2024Q1", "2024Q2", "2024Q3", "2024Q4")
    for n in range(12):
        unit = make_unit(f"X{n}", UnitKind.DISTRICT, small_tree.province)
        make_unit(f"X{n}C", UnitKind.GRASSROOTS, unit)
    assignments_apply_proposal()
    for p in periods[:2]:
        for unit in Unit.objects.filter(code__startswith="X", kind=UnitKind.DISTRICT):
            opened(unit, p, office_user)
    with django_assert_max_num_queries(8):
        grid = tracking_grid(periods, dt.date(2025, 6, 1))
    assert len(grid.rows) == 15  # P, D1, D2 and the twelve new districts
    assert grid.columns[0].done == 0 and grid.columns[0].expected == 14


# --- page -----------------------------------------------------------------------------------


def test_office_staff_see_the_tracking_grid(client, small_tree, assigned, office_user):
    client.force_login(office_user)
    response = client.get(reverse("reports:tracking"), {"year": "2024"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "D1" in body and "D2" in body
    assert len(response.context["grid"].columns) == 4


def test_the_standing_committee_may_read_the_tracking_grid(client, committee_user, assigned):
    client.force_login(committee_user)
    assert client.get(reverse("reports:tracking")).status_code == 200


def test_a_reporter_may_not_see_the_tracking_grid(client, district_reporter, assigned):
    client.force_login(district_reporter)
    assert client.get(reverse("reports:tracking")).status_code == 403


def test_the_tracking_page_links_each_report_and_shows_completeness(
    client, small_tree, assigned, office_user
):
    q3 = period(assigned, "2024Q3")
    report = opened(small_tree.d2, q3, office_user)
    client.force_login(office_user)
    response = client.get(reverse("reports:tracking"), {"year": "2024", "status": "draft"})
    body = response.content.decode()
    assert reverse("reports:detail", args=[report.pk]) in body
    assert "0/2" in body  # nobody submitted 2024Q3 out of two expected


def test_the_tracking_page_keeps_its_query_count_as_units_grow(
    client, small_tree, assigned, office_user, django_assert_max_num_queries
):
    client.force_login(office_user)
    url = reverse("reports:tracking")
    for n in range(10):
        make_unit(f"Y{n}", UnitKind.DISTRICT, small_tree.province)
    assignments_apply_proposal()
    with django_assert_max_num_queries(14):
        assert client.get(url, {"year": "2025"}).status_code == 200


def test_an_unknown_year_in_the_filter_falls_back_to_the_latest_quarters(
    client, assigned, office_user
):
    client.force_login(office_user)
    response = client.get(reverse("reports:tracking"), {"year": "1999", "status": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_an_account_without_a_role_sees_nothing(client, small_tree, assigned):
    user = make_user("nobody", Role.REPORTER, small_tree.c21)
    client.force_login(user)
    assert client.get(reverse("reports:tracking")).status_code == 403


def test_a_correction_sent_after_an_approval_is_found_to_review_and_not_late(
    small_tree, assigned, office_user, district_reporter
):
    """Approved on time, reopened, corrected and sent again months later: the cell shows a
    report waiting for review (the status filter finds it, the link opens the new revision),
    the quarter stays covered, and the lateness is that of the quarter's first sending, also
    once the correction is approved."""
    from reports.services import report_reopen

    q3 = period(assigned, "2024Q3")
    report = opened(small_tree.d2, q3, district_reporter)
    report = report_submit(report, version=report.version, actor=district_reporter)
    report_approve(report, actor=office_user)
    on_time = timezone.make_aware(dt.datetime.combine(q3.due, dt.time(9)))
    Report.objects.filter(pk=report.pk).update(submitted_at=on_time, first_submitted_at=on_time)
    report.refresh_from_db()
    revised = report_reopen(report, reason="Sửa số đoàn viên", actor=office_user)
    today = q3.due + dt.timedelta(days=90)
    draft_cell = _cells(tracking_grid([q3], today), "D2")["2024Q3"]
    assert draft_cell.status == CellStatus.APPROVED  # the approved figures still count
    assert (draft_cell.timing, draft_cell.resent) == (Timing.ON_TIME, True)
    revised = report_submit(revised, version=revised.version, actor=district_reporter)
    grid = tracking_grid([q3], today)
    cell = _cells(grid, "D2")["2024Q3"]
    assert (cell.status, cell.report_id) == (CellStatus.SUBMITTED, revised.pk)
    assert cell.timing == Timing.ON_TIME
    assert grid.columns[0].done == 1
    assert _cells(tracking_grid([q3], today, status="submitted"), "D2")
    report_approve(revised, actor=office_user)
    cell = _cells(tracking_grid([q3], today), "D2")["2024Q3"]
    assert (cell.status, cell.timing, cell.report_id) == (
        CellStatus.APPROVED,
        Timing.ON_TIME,
        revised.pk,
    )


def test_the_tracking_page_shows_a_page_of_rows_and_keeps_the_filters(
    client, small_tree, assigned, office_user
):
    """More rows than a page: the first page has TRACKING_PAGE_SIZE, the next link keeps the
    year and status, the caption counts every matching row; the unit filter narrows by code
    or name; the remind button stays on the cells that may be reminded."""
    from reports.views_tracking import TRACKING_PAGE_SIZE

    for n in range(TRACKING_PAGE_SIZE + 5):
        make_unit(f"Z{n:03d}", UnitKind.DISTRICT, small_tree.province, name=f"Xã Zeta {n:03d}")
    assignments_apply_proposal()
    client.force_login(office_user)
    url = reverse("reports:tracking")
    first = client.get(url, {"year": "2025", "status": "not_started"})
    assert first.status_code == 200
    page = first.context["page"]
    total = page.paginator.count
    assert total > TRACKING_PAGE_SIZE and len(page.object_list) == TRACKING_PAGE_SIZE
    body = first.content.decode()
    assert "year=2025&amp;status=not_started&amp;page=2" in body
    assert reverse("notifications:remind") in body  # the remind button on open cells
    second = client.get(url, {"year": "2025", "status": "not_started", "page": "2"})
    assert len(second.context["page"].object_list) == total - TRACKING_PAGE_SIZE
    named = client.get(url, {"year": "2025", "unit": "zeta 007"})
    assert [r.unit.code for r in named.context["page"].object_list] == ["Z007"]
    by_code = client.get(url, {"year": "2025", "unit": "d1"})
    assert [r.unit.code for r in by_code.context["page"].object_list] == ["D1"]
    beyond = client.get(url, {"year": "2025", "page": "999"})
    assert beyond.status_code == 200 and beyond.context["page"].number == 2


def test_a_page_of_the_grid_builds_only_its_rows_and_matches_the_whole_grid(
    small_tree, assigned, office_user
):
    """The grid's page (`tracking_page`) is the whole grid's rows cut into pages, with the
    same columns; building a page costs the same queries whatever the page size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.tracking import PageAsk, tracking_page

    periods = _periods(assigned, "2024Q3", "2024Q4")
    for n in range(5):
        make_unit(f"X{n}", UnitKind.DISTRICT, small_tree.province)
    assignments_apply_proposal()
    opened(small_tree.d2, periods[0], office_user)
    today = dt.date(2025, 1, 1)
    whole = tracking_grid(periods, today)
    seen = []
    for number in (1, 2, 3, 4):
        grid, page = tracking_page(periods, today, PageAsk(number=str(number), size=2))
        assert grid.columns == whole.columns
        seen += [(r.unit.code, [(c.status, c.timing) for c in r.cells]) for r in page.object_list]
    assert seen == [(r.unit.code, [(c.status, c.timing) for c in r.cells]) for r in whole.rows]
    counts = []
    for size in (1, 100):
        with CaptureQueriesContext(connection) as ctx:
            tracking_page(periods, today, PageAsk(size=size))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    # A unit's name or code, and a status, filter the rows before they are cut into pages.
    _grid, page = tracking_page(periods, today, PageAsk(text="x1", size=2))
    assert [r.unit.code for r in page.object_list] == ["X1"]
    _grid, page = tracking_page(periods, today, PageAsk(status="draft", size=2))
    assert [r.unit.code for r in page.object_list] == ["D2"]
