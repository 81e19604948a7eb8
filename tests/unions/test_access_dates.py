"""Access follows dates: a unit's reports are a reporter's only while the unit sat below it.

In the small tree, district D1 is dissolved on 1 July 2025 and its CĐCS C11 moves under the
ward W1 that day. D1's account keeps C11's reports up to the dissolution and none after; W1's
account reads C11's reports from the move on and none before.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from reports.access import report_for_user, visible_reports
from reports.assignments import assignments_apply_proposal
from reports.services import report_open
from tests.conftest import period


@pytest.fixture
def c11_reports(small_tree, programme):
    assignments_apply_proposal()
    t = small_tree
    return {
        "c11_before": report_open(t.c11, period(programme, "2025Q2"), None),
        "c11_after": report_open(t.c11, period(programme, "2026Q1"), None),
        "d1_before": report_open(t.d1, period(programme, "2025Q1"), None),
    }


def _visible(user) -> set[int]:
    return set(visible_reports(user).values_list("pk", flat=True))


def test_dissolved_district_keeps_its_history_up_to_the_dissolution(
    other_district_reporter, c11_reports
):
    seen = _visible(other_district_reporter)
    assert c11_reports["c11_before"].pk in seen
    assert c11_reports["d1_before"].pk in seen
    assert report_for_user(other_district_reporter, c11_reports["c11_before"].pk)


def test_dissolved_district_cannot_read_a_later_report_of_a_unit_that_left_it(
    other_district_reporter, c11_reports
):
    assert c11_reports["c11_after"].pk not in _visible(other_district_reporter)
    with pytest.raises(Http404):
        report_for_user(other_district_reporter, c11_reports["c11_after"].pk)


def test_new_parent_reads_a_moved_units_reports_only_from_the_move_on(ward_reporter, c11_reports):
    seen = _visible(ward_reporter)
    assert c11_reports["c11_after"].pk in seen
    assert c11_reports["c11_before"].pk not in seen
    assert c11_reports["d1_before"].pk not in seen


def test_province_readers_see_every_report_whatever_the_dates(
    office_user, committee_user, c11_reports
):
    every = {r.pk for r in c11_reports.values()}
    assert every <= _visible(office_user)
    assert every <= _visible(committee_user)


def test_dissolved_districts_account_gets_404_on_the_later_report_page(
    client, other_district_reporter, c11_reports
):
    client.force_login(other_district_reporter)
    after = client.get(f"/reports/{c11_reports['c11_after'].pk}/")
    before = client.get(f"/reports/{c11_reports['c11_before'].pk}/")
    assert after.status_code == 404
    assert before.status_code == 200
