"""Quarters in the reader's words on the office's report filter and assignment pages ("Quý
3/2026"), where the codes ("2026Q3") used to show; the forms also take a quarter as typed."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from reports.assignments import assignments_apply_proposal
from reports.models import Assignment
from reports.periods import parse_quarter_typed
from tests.conftest import period

QUARTER_CODE = re.compile(r"\b\d{4}Q[1-4]\b")


def _text(page: str) -> str:
    """What a reader sees: the page without its tags (attribute values are the machine's)."""
    return re.sub(r"<[^>]*>", " ", page)


@pytest.fixture
def office_vi(client, office_user):
    client.force_login(office_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


def test_the_report_filter_names_quarters_in_words(office_vi, programme):
    page = office_vi.get(reverse("reports:list")).content.decode()
    assert "Quý 3/2026" in page
    assert not QUARTER_CODE.search(_text(page))


def test_the_assignments_page_names_quarters_in_words(office_vi, small_tree, programme):
    assignments_apply_proposal()
    Assignment.objects.filter(unit=small_tree.d2).update(last_period=period(programme, "2025Q2"))
    page = office_vi.get(reverse("reports:assignments")).content.decode()
    assert "Quý 2/2025" in page
    assert not QUARTER_CODE.search(_text(page))
    assert not re.search(r'placeholder="\d{4}Q', page)


@pytest.mark.parametrize(
    "typed", ["Quý 3/2025", "quy 3/2025", "Quarter 3/2025", "Q3/2025", "3/2025", "2025Q3", "2025q3"]
)
def test_a_quarter_is_taken_as_people_type_it(typed):
    assert parse_quarter_typed(typed) == (2025, 3)


@pytest.mark.parametrize("typed", ["2025", "5/2025", "Quý 3", "2025Q5", "3/25", ""])
def test_what_is_not_a_quarter_is_refused(typed):
    assert parse_quarter_typed(typed) is None


def test_an_assignment_is_added_with_a_quarter_in_words(office_vi, small_tree, programme):
    response = office_vi.post(
        reverse("reports:assignment_add"),
        {"unit": "C21", "scope": "self", "first": "Quý 1/2025", "last": "Quý 4/2025"},
    )
    assert response.status_code == 302
    added = Assignment.objects.get(unit=small_tree.c21)
    assert (added.first_period.code, added.last_period.code) == ("2025Q1", "2025Q4")


def test_a_reporter_filters_reports_by_a_quarter_named_in_words(
    client, district_reporter, programme
):
    client.force_login(district_reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    q3 = period(programme, "2025Q3")
    response = client.get(reverse("reports:list"), {"period": q3.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{q3.pk}" selected>Quý 3/2025</option>' in page
    assert not QUARTER_CODE.search(_text(page))
