"""Issue 18 item 4: due dates set for many quarters on the calendar page, assignments ended
or extended for many units from the tracking pages; every refusal in Vietnamese."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from reports.assignments import (
    assignments_apply_proposal,
    calendar_get,
    calendar_save,
    due_dates_set,
)
from reports.assignments_bulk import END, EXTEND, assignments_bulk_change
from reports.models import Assignment, CutoffRule, ReportingPeriod
from reports.periods import due_date
from reports.tracking import Timing, timing
from tests.conftest import approved, period


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    client.cookies["django_language"] = "vi"
    return client


def _rule_due(p: ReportingPeriod) -> dt.date:
    return due_date(p.cutoff, calendar_get().due_days)


def _post_due(office, periods, due: str):
    data = {"due-quarters": [p.pk for p in periods], "due-due": due}
    return office.post(reverse("reports:due_dates"), data)


# --- due dates ------------------------------------------------------------------------------


def test_the_office_sets_the_due_date_of_two_quarters_at_once(office, programme):
    q1, q2, q3 = (
        period(programme, "2025Q1"),
        period(programme, "2025Q2"),
        period(programme, "2025Q3"),
    )
    q3_due = q3.due
    response = _post_due(office, [q1, q2], "30/09/2025")
    assert response.status_code == 302
    for p in (q1, q2):
        p.refresh_from_db()
        assert (p.due, p.due_override) == (dt.date(2025, 9, 30), dt.date(2025, 9, 30))
    q3.refresh_from_db()
    assert (q3.due, q3.due_override) == (q3_due, None)
    changed = AuditEntry.objects.filter(
        model="reportingperiod", action="update", object_pk__in=[q1.pk, q2.pk]
    )
    assert {(e.object_pk, e.actor_username) for e in changed} == {
        (str(q1.pk), "office"),
        (str(q2.pk), "office"),
    }
    page = office.get(reverse("reports:calendar")).content.decode()
    assert "Quý 1/2025" in page and "30/09/2025" in page


def test_a_due_date_before_the_cut_off_is_refused_in_vietnamese_and_kept(office, programme):
    q1, q2 = period(programme, "2025Q1"), period(programme, "2025Q2")
    before = (q1.due, q2.due)
    response = _post_due(office, [q1, q2], "01/04/2025")  # after Q1's cut-off, before Q2's
    assert response.status_code == 400
    text = response.content.decode()
    assert "Quý 2/2025: hạn nộp không được trước ngày chốt số liệu" in text
    assert "Quý 1/2025: hạn" not in text
    assert 'value="01/04/2025"' in text
    q1.refresh_from_db(), q2.refresh_from_db()
    assert (q1.due, q2.due) == before and q1.due_override is None


def test_no_quarter_chosen_or_a_bad_day_is_refused_in_vietnamese(office, programme):
    empty = _post_due(office, [], "30/09/2025")
    assert empty.status_code == 400
    assert "Hãy chọn ít nhất một quý." in empty.content.decode()
    bad = _post_due(office, [period(programme, "2025Q1")], "31/02/2025")
    assert bad.status_code == 400
    assert 'value="31/02/2025"' in bad.content.decode()
    assert not ReportingPeriod.objects.filter(due_override__isnull=False).exists()


def test_an_override_survives_a_calendar_change_and_clearing_it_returns_to_the_rule(programme):
    q1 = period(programme, "2025Q1")
    due_dates_set([q1], dt.date(2025, 5, 30))
    calendar = calendar_get()
    calendar.due_days = 20
    calendar_save(calendar)
    q1.refresh_from_db()
    assert q1.due == dt.date(2025, 5, 30)
    due_dates_set([q1], None)
    q1.refresh_from_db()
    assert (q1.due, q1.due_override) == (_rule_due(q1), None)


def test_an_override_the_cut_off_moved_past_gives_way_to_the_rule(programme):
    q1 = period(programme, "2025Q1")
    calendar = calendar_get()
    calendar.cutoff_rule = CutoffRule.DAY_14
    calendar_save(calendar)
    q1.refresh_from_db()
    due_dates_set([q1], q1.cutoff)  # the cut-off itself is allowed
    calendar.cutoff_rule = CutoffRule.QUARTER_END
    calendar_save(calendar)  # the cut-off moves to 31/03, after the date set
    q1.refresh_from_db()
    assert q1.due_override is None and q1.due == _rule_due(q1) >= q1.cutoff


def test_overdue_follows_a_later_due_date(programme):
    q1 = period(programme, "2025Q1")
    today = q1.due + dt.timedelta(days=3)
    assert timing("not_started", q1.due, None, today) == (Timing.OVERDUE, 3)
    due_dates_set([q1], q1.due + dt.timedelta(days=10))
    q1.refresh_from_db()
    assert timing("not_started", q1.due, None, today)[0] == Timing.NOT_DUE


def test_the_due_date_form_and_the_bulk_page_are_for_the_office_only(
    client, programme, district_reporter, committee_user
):
    for user in (district_reporter, committee_user):
        client.force_login(user)
        due = client.post(reverse("reports:due_dates"), {})
        bulk = client.get(reverse("reports:assignments_bulk"))
        assert (due.status_code, bulk.status_code) == (403, 403)


# --- assignments in bulk --------------------------------------------------------------------


def _latest(code: str) -> Assignment:
    found = (
        Assignment.objects.filter(unit__code=code)
        .order_by("-first_period__year", "-first_period__quarter")
        .first()
    )
    assert found is not None, code
    return found


def _post_bulk(office, codes, last: str, action: str, programme):
    units = [_latest(c).unit_id for c in codes]
    data = {"units": units, "last": period(programme, last).pk, "action": action}
    return office.post(reverse("reports:assignments_bulk"), data)


def test_three_assignments_end_at_once_and_each_is_audited(office, small_tree, programme):
    assignments_apply_proposal()
    response = _post_bulk(office, ["P", "W1", "D2"], "2026Q2", END, programme)
    assert response.status_code == 302
    for code in ("P", "W1", "D2"):
        assert _latest(code).last_period.code == "2026Q2"
    assert _latest("D1").last_period.code == "2025Q2"  # not chosen, as it was
    entries = AuditEntry.objects.filter(model="assignment", action="update")
    assert entries.count() == 3


def test_ending_before_an_approved_report_changes_nothing(office, small_tree, programme):
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2025Q4")
    response = _post_bulk(office, ["W1", "D2"], "2025Q3", END, programme)
    assert response.status_code == 400
    text = response.content.decode()
    assert "D2: báo cáo Quý 4/2025 đã được duyệt" in text
    assert _latest("W1").last_period is None and _latest("D2").last_period is None


def test_ending_before_the_assignment_begins_is_refused(office, small_tree, programme):
    assignments_apply_proposal()
    first = _latest("W1").first_period
    earlier = ReportingPeriod.objects.filter(year__lt=first.year).order_by("-year").first()
    response = _post_bulk(office, ["W1"], earlier.code, END, programme)
    assert response.status_code == 400
    assert "W1: phân công bắt đầu từ" in response.content.decode()


def test_extending_past_the_unit_closing_is_refused(office, small_tree, programme):
    assignments_apply_proposal()
    d1 = _latest("D1")
    assert d1.last_period is not None  # dissolved at the reform
    response = _post_bulk(office, ["D1"], "2026Q1", EXTEND, programme)
    assert response.status_code == 400
    assert "D1: đơn vị đã giải thể ngày 01/07/2025" in response.content.decode()
    assert _latest("D1").last_period == d1.last_period


def test_extending_an_open_or_a_longer_assignment_is_refused(office, small_tree, programme):
    assignments_apply_proposal()
    Assignment.objects.filter(pk=_latest("W1").pk).update(last_period=period(programme, "2026Q2"))
    response = _post_bulk(office, ["W1", "D2"], "2026Q1", EXTEND, programme)
    text = response.content.decode()
    assert response.status_code == 400
    assert "D2: phân công không có quý kết thúc để gia hạn." in text
    assert "W1: phân công đã kéo dài đến Quý 2/2026." in text


def test_extending_moves_the_last_quarter_later(office, small_tree, programme):
    assignments_apply_proposal()
    Assignment.objects.filter(pk=_latest("W1").pk).update(last_period=period(programme, "2026Q1"))
    response = _post_bulk(office, ["W1"], "2026Q4", EXTEND, programme)
    assert response.status_code == 302
    assert _latest("W1").last_period.code == "2026Q4"


def test_no_unit_chosen_is_refused_and_the_choices_kept(office, small_tree, programme):
    assignments_apply_proposal()
    data = {"last": period(programme, "2026Q2").pk, "action": END}
    response = office.post(reverse("reports:assignments_bulk"), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một đơn vị." in text
    assert 'value="end" required id="id_action_0" checked' in text


def test_a_unit_without_an_assignment_is_refused_by_the_service(small_tree, programme):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        assignments_bulk_change([small_tree.c21], period(programme, "2026Q2"), END)
    assert refused.value.messages == ["C21: đơn vị chưa được phân công báo cáo."]


def test_the_filter_narrows_the_units_listed(office, small_tree, programme):
    assignments_apply_proposal()
    text = office.get(reverse("reports:assignments_bulk"), {"q": "W1"}).content.decode()
    assert "W1 —" in text and "D2 —" not in text
    every = office.get(reverse("reports:assignments_bulk")).content.decode()
    assert "W1 —" in every and "D2 —" in every


def test_ending_one_assignment_before_an_approved_report_is_refused_too(
    office, small_tree, programme
):
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2025Q4")
    d2 = _latest("D2")
    url = reverse("reports:assignment_end", args=[d2.pk])
    response = office.post(url, {f"end{d2.pk}-last": "2025Q3"})
    assert response.status_code == 400
    assert "D2: báo cáo Quý 4/2025 đã được duyệt" in response.content.decode()
    assert _latest("D2").last_period is None


def test_ids_too_big_for_the_database_are_refused_not_a_500(office, small_tree, programme):
    huge = "99999999999999999999"
    due = office.post(reverse("reports:due_dates"), {"due-quarters": huge, "due-due": ""})
    bulk = office.post(
        reverse("reports:assignments_bulk"), {"units": huge, "last": huge, "action": END}
    )
    assert (due.status_code, bulk.status_code) == (400, 400)
    assert "Hãy chọn một lựa chọn hợp lệ" in bulk.content.decode()


@pytest.mark.parametrize("odd", ["²", "①", "٣", "１"])
def test_digits_of_other_scripts_are_refused_not_a_500(office, small_tree, programme, odd):
    # str.isdigit() is true for each of these, and int() refuses "²" and "①"
    due = office.post(reverse("reports:due_dates"), {"due-quarters": odd, "due-due": ""})
    bulk = office.post(
        reverse("reports:assignments_bulk"), {"units": odd, "last": odd, "action": END}
    )
    assert (due.status_code, bulk.status_code) == (400, 400)
    assert "Hãy chọn một lựa chọn hợp lệ" in bulk.content.decode()


def test_expected_counts_follow_assignments_ended_in_bulk(small_tree, programme):
    from rollup.totals import expected_counts

    assignments_apply_proposal()
    q3 = period(programme, "2026Q3")
    before = sum(expected_counts(small_tree.province, [q3]).values())
    assignments_bulk_change([small_tree.d2, small_tree.ward], period(programme, "2026Q2"), END)
    after = sum(expected_counts(small_tree.province, [q3]).values())
    assert before - after == 2
