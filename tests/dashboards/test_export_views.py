"""Downloads: who may have the workbook, and CSV tables that say what the pages say."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.dashboards.test_workbook import EVIL_NAME, committee_data  # noqa: F401

PASSWORD = "pw-for-tests-123"
WORKBOOK = "/exports/workbook/?year=2025"


def logged_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def read_csv(response, delimiter=","):
    content = response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_url_shapes():
    assert reverse("exports:workbook") == "/exports/workbook/"
    assert reverse("exports:csv", args=["overview"]) == "/exports/csv/overview/"
    assert reverse("exports:csv", args=["indicator", "A01"]) == "/exports/csv/indicator/A01/"


def test_anonymous_is_sent_to_log_in(client, committee_data):  # noqa: F811
    response = client.get(WORKBOOK)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reporter_cannot_have_the_workbook(client, district_reporter, programme):
    assert logged_in(client, district_reporter).get(WORKBOOK).status_code == 403


@pytest.mark.parametrize("persona", ["committee_user", "office_user"])
def test_committee_and_office_download_the_workbook(client, persona, request, committee_data):  # noqa: F811
    user = request.getfixturevalue(persona)
    response = logged_in(client, user).get(WORKBOOK + "&quarter=4&tree=as_was&provisional=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Tóm tắt"


@pytest.mark.parametrize("year", ["2.025", "1999", "abc"])
def test_a_year_the_workbook_cannot_have_is_refused_not_replaced(
    client, office_user, programme, year
):
    """A workbook is handed to the Standing Committee: one for another year than asked for,
    with nothing to say so, would be worse than none."""
    response = logged_in(client, office_user).get(f"/exports/workbook/?year={year}")
    assert response.status_code == 400
    text = response.content.decode()
    assert year in text and "2023" in text and "2028" in text


def test_bad_quarter_is_a_clear_error(client, office_user, programme):
    response = logged_in(client, office_user).get(WORKBOOK + "&quarter=9")
    assert response.status_code == 400
    assert b"quarter" in response.content


def test_breakdown_csv_equals_the_indicator_page(client, office_user, committee_data):  # noqa: F811
    client = logged_in(client, office_user)
    query = "?period=2025"
    page = client.get("/dashboards/indicator/A01/" + query).content.decode()
    rows = read_csv(client.get("/exports/csv/indicator/A01/" + query))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Reporting unit", "Unit code", "Kind", "Value"]
    figures = [f"{r[3]} ({r[4]}/{r[5]})" for r in body if r[5] not in ("", "0", "–")]
    assert figures and all(f in page for f in figures)


def test_overview_csv_has_every_indicator(client, committee_user, committee_data, programme):  # noqa: F811
    rows = read_csv(logged_in(client, committee_user).get("/exports/csv/overview/?year=2025"))
    codes = [r[1] for r in rows[1:]]
    assert codes == sorted(codes, key=lambda c: (c[0] != "A", c))
    assert "A01" in codes and "T01" in codes


def test_csv_cells_cannot_start_a_formula(client, office_user, committee_data):  # noqa: F811
    rows = read_csv(logged_in(client, office_user).get("/exports/csv/indicator/A01/?period=2025"))
    assert "'" + EVIL_NAME in [r[0] for r in rows]
    assert EVIL_NAME not in [r[0] for r in rows]


def test_vietnamese_csv_uses_semicolons(client, office_user, committee_data):  # noqa: F811
    client = logged_in(client, office_user)
    client.cookies["django_language"] = "vi"
    rows = read_csv(client.get("/exports/csv/membership/"), delimiter=";")
    assert rows[0][0] == "Quý"
    assert len(rows[0]) == 7 and rows[0][5] == "Báo cáo"


def test_reporter_csv_outside_its_subtree_is_404(client, district_reporter, committee_data):  # noqa: F811
    client = logged_in(client, district_reporter)
    assert client.get("/exports/csv/unit/D1/?year=2025").status_code == 404
    assert client.get("/exports/csv/unit/D2/?year=2025").status_code == 200
    assert client.get("/exports/csv/membership/?unit=D1").status_code == 404


def test_reporter_overview_csv_is_its_own_unit(client, district_reporter, committee_data):  # noqa: F811
    response = logged_in(client, district_reporter).get("/exports/csv/overview/?year=2025")
    assert response.status_code == 302
    assert response["Location"].startswith("/exports/csv/unit/D2/")


def test_unknown_table_is_404(client, office_user, programme):
    assert logged_in(client, office_user).get("/exports/csv/secrets/").status_code == 404


def test_the_overview_links_to_the_workbook_and_the_csv(client, office_user, programme):
    client.force_login(office_user)
    page = client.get("/dashboards/").content.decode()
    assert "/exports/workbook/?year=" in page
    assert "/exports/csv/overview/" in page
