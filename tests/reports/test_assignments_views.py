"""The office's reporting calendar and assignment pages."""

import datetime as dt

import pytest
from django.urls import reverse

from reports.assignments import assignments_apply_proposal, calendar_get
from reports.models import Assignment, AssignmentScope, CutoffRule
from tests.conftest import period


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


@pytest.mark.parametrize(
    "name", ["reports:calendar", "reports:assignments", "reports:assignments_apply"]
)
def test_reporters_and_the_committee_may_not_open_the_office_pages(
    client, programme, district_reporter, committee_user, name
):
    for user in (district_reporter, committee_user):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_a_reporter_may_not_add_or_end_assignments(
    client, small_tree, programme, district_reporter
):
    assignments_apply_proposal()
    assignment = Assignment.objects.first()
    client.force_login(district_reporter)
    add = client.post(
        reverse("reports:assignment_add"), {"unit": "C21", "scope": "self", "first": "2024Q1"}
    )
    end = client.post(reverse("reports:assignment_end", args=[assignment.pk]), {})
    assert (add.status_code, end.status_code) == (403, 403)


def test_saving_the_calendar_recomputes_cut_off_and_due_dates(office, programme):
    response = office.post(reverse("reports:calendar"), {"cutoff_rule": "day14", "due_days": "10"})
    assert response.status_code == 302
    q3 = period(programme, "2024Q3")
    assert (q3.cutoff, q3.due) == (dt.date(2024, 9, 14), dt.date(2024, 9, 24))
    assert calendar_get().cutoff_rule == CutoffRule.DAY_14


def test_a_bad_due_days_value_is_refused_next_to_the_field(office, programme):
    response = office.post(reverse("reports:calendar"), {"cutoff_rule": "day14", "due_days": "-3"})
    assert response.status_code == 200
    assert "due_days" in response.context["form"].errors
    assert period(programme, "2024Q3").cutoff == dt.date(2024, 9, 30)


def test_the_calendar_page_lists_every_quarter(office, programme):
    response = office.get(reverse("reports:calendar"))
    assert response.status_code == 200
    assert "30/09/2024" in response.content.decode()


def test_the_proposal_for_a_quarter_is_shown_before_anything_is_applied(
    office, small_tree, programme
):
    response = office.get(reverse("reports:assignments"), {"period": "2025Q3", "propose": "1"})
    assert response.status_code == 200
    proposed = {unit.code for unit, _ in response.context["proposal"]}
    assert proposed == {"D2", "W1", "P"}
    assert not Assignment.objects.exists()


def test_applying_the_proposal_asks_for_confirmation_first(office, small_tree, programme):
    confirm = office.get(reverse("reports:assignments_apply"))
    assert confirm.status_code == 200 and not Assignment.objects.exists()
    office.post(reverse("reports:assignments_apply"), {})
    assert not Assignment.objects.exists()
    response = office.post(reverse("reports:assignments_apply"), {"confirm": "yes"})
    assert response.status_code == 302
    d1 = Assignment.objects.get(unit=small_tree.d1)
    assert d1.last_period.code == "2025Q2"


def test_the_coverage_panel_names_gaps_and_overlaps(office, small_tree, programme):
    q3 = period(programme, "2024Q3")
    Assignment.objects.create(unit=small_tree.d2, scope=AssignmentScope.SUBTREE, first_period=q3)
    Assignment.objects.create(unit=small_tree.c21, scope=AssignmentScope.SELF, first_period=q3)
    response = office.get(reverse("reports:assignments"), {"period": "2024Q3"})
    coverage = response.context["coverage"]
    assert coverage.grassroots == 4
    assert {u.code for u in coverage.gaps} == {"C11", "C12"}
    assert [u.code for u, _ in coverage.overlaps] == ["C21"]
    body = response.content.decode()
    assert "Unit C11" in body and "Unit C21" in body


def test_office_staff_add_an_assignment(office, small_tree, programme):
    response = office.post(
        reverse("reports:assignment_add"),
        {"unit": "c21", "scope": "self", "first": "2024Q1", "last": "2024Q4"},
    )
    assert response.status_code == 302
    added = Assignment.objects.get()
    assert (added.unit, added.first_period.code, added.last_period.code) == (
        small_tree.c21,
        "2024Q1",
        "2024Q4",
    )


def test_a_bad_assignment_is_refused_with_messages_and_the_input_kept(office, programme):
    response = office.post(
        reverse("reports:assignment_add"),
        {"unit": "NOPE", "scope": "self", "first": "2024Q3", "last": "2024Q1"},
    )
    assert response.status_code == 400
    form = response.context["add_form"]
    assert "unit" in form.errors
    assert 'value="NOPE"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_last_quarter_before_the_first_is_refused(office, small_tree, programme):
    response = office.post(
        reverse("reports:assignment_add"),
        {"unit": "C21", "scope": "self", "first": "2024Q3", "last": "2024Q1"},
    )
    assert "last" in response.context["add_form"].errors


def test_office_staff_end_an_open_assignment(office, small_tree, programme):
    assignments_apply_proposal()
    d2 = Assignment.objects.get(unit=small_tree.d2)
    assert d2.last_period is None
    response = office.post(
        reverse("reports:assignment_end", args=[d2.pk]), {f"end{d2.pk}-last": "2026Q2"}
    )
    assert response.status_code == 302
    d2.refresh_from_db()
    assert d2.last_period.code == "2026Q2"


def test_ending_with_a_quarter_outside_the_term_is_refused(office, small_tree, programme):
    assignments_apply_proposal()
    d2 = Assignment.objects.get(unit=small_tree.d2)
    response = office.post(
        reverse("reports:assignment_end", args=[d2.pk]), {f"end{d2.pk}-last": "2040Q1"}
    )
    assert response.status_code == 400
    assert "2040Q1" in response.content.decode()


def test_the_assignments_page_has_a_bounded_query_count(
    office, small_tree, programme, django_assert_max_num_queries
):
    assignments_apply_proposal()
    with django_assert_max_num_queries(16):
        response = office.get(reverse("reports:assignments"), {"period": "2025Q3"})
    assert response.status_code == 200
