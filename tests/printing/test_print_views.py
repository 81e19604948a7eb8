"""Print views: a report and an overview laid out as a Vietnamese administrative document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from printing.document import document_heading, place_date
from reports.assignments import assignments_apply_proposal
from tests.conftest import approved


@pytest.fixture
def d2_report(small_tree, programme):
    assignments_apply_proposal()
    return approved(small_tree.d2, programme, "2025Q2", members=1250, workers_union_units=1400)


def test_place_and_date_follow_the_decree_in_vietnamese():
    with translation.override("vi"):
        assert place_date(dt.date(2026, 1, 6)) == "Lai Châu, ngày 06 tháng 01 năm 2026"
        assert place_date(dt.date(2026, 12, 15)) == "Lai Châu, ngày 15 tháng 12 năm 2026"
        assert place_date(dt.date(2026, 3, 9)) == "Lai Châu, ngày 09 tháng 3 năm 2026"
    with translation.override("en"):
        assert place_date(dt.date(2026, 3, 9)) == "Lai Châu, 9 March 2026"


def test_the_heading_names_the_issuer_and_the_unit_above(small_tree):
    heading = document_heading(small_tree.c21, dt.date(2026, 1, 1))
    assert heading.issuer == "UNIT C21"
    assert heading.parent == "UNIT D2"
    assert "C21" in heading.number
    # a dissolved unit's document names the parent it had on its last day
    assert document_heading(small_tree.c11, dt.date(2024, 1, 1)).parent == "UNIT D1"


def test_a_printed_report_carries_the_administrative_parts_and_no_menu(
    client, district_reporter, d2_report
):
    client.cookies["django_language"] = "vi"
    client.force_login(district_reporter)
    response = client.get(reverse("printing:report", args=[d2_report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UNIT D2",  # the issuing unit
        "UNIT P",  # the one above it
        "Số: ……/BC-D2",
        "Lai Châu, ngày",
        "BÁO CÁO",
        "1.250",  # a figure, the Vietnamese way
        "Nơi nhận:",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
    ):
        assert part in html, part
    assert 'class="top"' not in html  # the screen's header and menu
    assert "demo-banner" not in html


def test_a_report_outside_the_readers_scope_is_not_printed(client, ward_reporter, d2_report):
    client.force_login(ward_reporter)
    assert client.get(reverse("printing:report", args=[d2_report.pk])).status_code == 404


def test_the_printed_overview_lists_each_indicator_with_its_counts(client, office_user, d2_report):
    client.force_login(office_user)
    response = client.get(reverse("printing:overview") + "?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="A01"' in html
    assert "SOCIALIST REPUBLIC OF VIETNAM" in html
    assert "2025" in html


def test_a_reporter_prints_its_own_units_overview_not_another(client, district_reporter, d2_report):
    client.force_login(district_reporter)
    own = client.get(reverse("printing:overview"))
    assert own.status_code == 200
    assert "UNIT D2" in own.content.decode()
    assert client.get(reverse("printing:overview") + "?unit=D1").status_code == 404


def test_every_screen_carries_the_print_stylesheet(client, office_user, d2_report):
    client.force_login(office_user)
    page = client.get(reverse("reports:detail", args=[d2_report.pk])).content.decode()
    assert 'media="print"' in page
    assert reverse("printing:report", args=[d2_report.pk]) in page
