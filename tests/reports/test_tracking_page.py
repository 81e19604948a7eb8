"""A page of the tracking grid is the whole grid's rows, filtered and cut into pages: the
page counts its columns in the database and reads light rows of every unit, never every
row's cells; here it is compared with the whole grid (`tracking_grid`) on every filter."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.assignments import assignments_apply_proposal
from reports.forms_tracking import STATUS_FILTER
from reports.models import Report
from reports.services import report_approve, report_return, report_submit
from reports.tracking import PageAsk, tracking_grid, tracking_page
from tests.conftest import make_unit, opened, period
from unions.models import UnitKind


def _sent(report, on: dt.date, actor):
    """Sends the report, as if on `on` (its first sending)."""
    report = report_submit(report, version=report.version, actor=actor)
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    Report.objects.filter(pk=report.pk).update(submitted_at=moment, first_submitted_at=moment)
    report.refresh_from_db()
    return report


def _cells(row):
    return [(c.period.code, c.status, c.timing, c.days, c.report_id, c.absence) for c in row.cells]


def test_every_page_of_every_filter_is_the_whole_grids(small_tree, programme, office_user):
    t = small_tree
    for n in range(5):
        make_unit(f"X{n}", UnitKind.DISTRICT, t.province, name=f"Xã Thử {n}")
    assignments_apply_proposal()
    q2, q3, q4 = (period(programme, c) for c in ("2025Q2", "2025Q3", "2025Q4"))
    report_approve(_sent(opened(t.d1, q2, office_user), q2.due, office_user), actor=office_user)
    _sent(opened(t.d2, q3, office_user), q3.due + dt.timedelta(days=4), office_user)
    returned = _sent(opened(t.ward, q3, office_user), q3.due, office_user)
    report_return(returned, reason="Thiếu số liệu", actor=office_user)
    opened(t.ward, q4, office_user)  # a draft
    periods = [q2, q3, q4]
    today = q4.due + dt.timedelta(days=3)
    seen_statuses = set()
    for status, _label in STATUS_FILTER:
        whole = tracking_grid(periods, today, status=status)
        for text in ("", "x", "d2", "thử 3", "nothing"):
            wanted = [
                r for r in whole.rows
                if not text or text in r.unit.code.casefold() or text in r.unit.name.casefold()
            ]  # fmt: skip
            shown, number = [], 1
            while True:
                grid, page = tracking_page(periods, today, PageAsk(status, text, str(number), 2))
                assert grid.columns == whole.columns
                assert page.paginator.count == len(wanted), (status, text)
                shown += page.object_list
                if not page.has_next():
                    break
                number += 1
            assert [r.unit.code for r in shown] == [r.unit.code for r in wanted], (status, text)
            assert [_cells(r) for r in shown] == [_cells(r) for r in wanted], (status, text)
            if status and wanted:
                seen_statuses.add(status)
    # The data exercises every filter with at least one row.
    assert seen_statuses >= {"not_started", "draft", "submitted", "returned", "approved", "late"}


def test_a_page_costs_the_same_queries_whatever_the_number_of_units(
    small_tree, programme, office_user
):
    periods = [period(programme, c) for c in ("2025Q3", "2025Q4")]
    today = periods[-1].due + dt.timedelta(days=3)
    assignments_apply_proposal()
    counts = []
    for start in (0, 30):
        for n in range(start, start + 30):
            make_unit(f"Y{n:02}", UnitKind.DISTRICT, small_tree.province)
        assignments_apply_proposal()
        for status in ("", "late", "draft"):
            with CaptureQueriesContext(connection) as ctx:
                tracking_page(periods, today, PageAsk(status=status, size=10))
            counts.append(len(ctx.captured_queries))
    assert counts[:3] == counts[3:]


def test_lateness_and_a_second_sending_are_read_in_vietnam_time(small_tree, programme, office_user):
    """The database reads each revision's first sending as a day in Vietnam and whether the
    working revision is another sending: 23:30 on the due date in Hanoi is on time, 00:30
    the next day is a day late, in the grid and in the status filter alike."""
    assignments_apply_proposal()
    q3 = period(programme, "2025Q3")
    evening = dt.datetime.combine(q3.due, dt.time(16, 30), tzinfo=dt.UTC)  # 23:30 in Hanoi
    night = evening + dt.timedelta(hours=1)  # 00:30 the next day in Hanoi
    for unit, moment in ((small_tree.d1, evening), (small_tree.d2, night)):
        report = report_submit(opened(unit, q3, office_user), version=1, actor=office_user)
        Report.objects.filter(pk=report.pk).update(submitted_at=moment, first_submitted_at=moment)
    # D2 sent again later: its working revision is another sending, still a day late.
    Report.objects.filter(unit=small_tree.d2).update(submitted_at=night + dt.timedelta(days=9))
    today = q3.due + dt.timedelta(days=20)
    whole = tracking_grid([q3], today)
    cells = {r.unit.code: r.cells[0] for r in whole.rows}
    assert (cells["D1"].timing, cells["D1"].days, cells["D1"].resent) == ("on_time", 0, False)
    assert (cells["D2"].timing, cells["D2"].days, cells["D2"].resent) == ("late", 1, True)
    _grid, page = tracking_page([q3], today, PageAsk(status="late"))
    assert "D2" in [r.unit.code for r in page.object_list]
    assert "D1" not in [r.unit.code for r in page.object_list]
