"""The Excel round trip: template download, upload, preview, confirmation, and bad files."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fileread import reader
from reports.excel import INPUT_COLUMN, SHEET_NARRATIVE, SHEET_REPORT
from reports.models import EventAction, ReportEvent, ValueState
from reports.numbers import Entry
from reports.services import ReportInput, report_save
from tests.conftest import opened, period


@pytest.fixture
def q3(programme):
    return period(programme, "2024Q3")


@pytest.fixture
def report(small_tree, q3, district_reporter):
    report = opened(small_tree.d2, q3, district_reporter)
    return report_save(
        report,
        ReportInput(values={"members": Entry.of(1200), "informed_ytd": Entry.na()}),
        version=report.version,
        actor=district_reporter,
    )


def download(client, report):
    response = client.get(reverse("reports:excel_download", args=[report.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def rows_by_code(sheet):
    return {
        row[0].value: row
        for row in sheet.iter_rows()
        if isinstance(row[0].value, str) and not row[0].value.startswith("#")
    }


def header(sheet):
    return {
        row[0].value: row[2].value
        for row in sheet.iter_rows()
        if isinstance(row[0].value, str)
        and row[0].value.startswith("#")
        and row[0].value != "#fields"
    }


def as_upload(book, name="bao-cao.xlsx"):
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, report, file):
    return client.post(reverse("reports:excel_upload", args=[report.pk]), {"file": file})


def values_of(report):
    return {v.field.code: (v.state, v.number) for v in report.values.select_related("field")}


# ---------------------------------------------------------------- download


def test_reporter_downloads_the_template_prefilled_with_current_values(
    client, report, district_reporter
):
    client.force_login(district_reporter)
    book = download(client, report)
    sheet = book[SHEET_REPORT]
    assert header(sheet) == {
        "#unit": "D2",
        "#period": "2024Q3",
        "#cutoff": "30/09/2024",
        "#report": report.pk,
        "#revision": 1,
        "#version": report.version,
    }
    rows = rows_by_code(sheet)
    assert rows["members"][INPUT_COLUMN - 1].value == 1200
    assert rows["informed_ytd"][INPUT_COLUMN - 1].value == "NA"
    assert rows["members"][1].value == "Số đoàn viên công đoàn"
    assert "30/09/2024" in rows["members"][2].value
    wording = rows["informed_ytd"][2].value
    assert any(day in wording for day in ("01/01", "1/1", "1 January"))
    # Registry denominators are filled in where nothing was entered: D2 has two CĐCS.
    assert rows["grassroots_total"][INPUT_COLUMN - 1].value == 2
    # Once-a-year fields are asked for in the fourth quarter only.
    assert "grassroots_state_good" not in rows
    assert SHEET_NARRATIVE in book.sheetnames


def test_the_template_is_protected_with_only_marked_input_cells_unlocked(
    client, report, district_reporter
):
    client.force_login(district_reporter)
    book = download(client, report)
    sheet = book[SHEET_REPORT]
    assert sheet.protection.sheet
    assert book.security.lockStructure
    assert sheet.column_dimensions["A"].hidden
    for row in rows_by_code(sheet).values():
        value_cell = row[INPUT_COLUMN - 1]
        assert not value_cell.protection.locked
        assert value_cell.fill.fgColor.rgb.endswith("FFF2CC")
        assert value_cell.number_format == "#,##0"
        assert all(c.protection.locked for c in row[: INPUT_COLUMN - 1])
    assert sheet["C3"].protection.locked
    (rule,) = sheet.data_validations.dataValidation
    first, last = min(r[0].row for r in rows_by_code(sheet).values()), sheet.max_row
    assert str(rule.sqref) == f"E{first}:E{last}"
    assert rule.type == "custom" and '"NA"' in rule.formula1 and rule.allow_blank
    assert rule.showInputMessage and "NA" in rule.prompt
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    narrative = book[SHEET_NARRATIVE]
    assert narrative.protection.sheet
    assert not narrative["C4"].protection.locked and narrative["B4"].protection.locked


def test_office_staff_download_any_report(client, report, office_user):
    client.force_login(office_user)
    book = download(client, report)
    assert header(book[SHEET_REPORT])["#unit"] == "D2"


def test_another_districts_reporter_cannot_download_the_template(
    client, report, other_district_reporter
):
    client.force_login(other_district_reporter)
    response = client.get(reverse("reports:excel_download", args=[report.pk]))
    assert response.status_code == 404


def test_download_costs_a_constant_number_of_queries(
    client, report, district_reporter, django_assert_max_num_queries
):
    client.force_login(district_reporter)
    # 15: the programmes in force in the quarter, named in the title, are one read more.
    with django_assert_max_num_queries(15):
        client.get(reverse("reports:excel_download", args=[report.pk]))


# ---------------------------------------------------------------- upload, preview, confirm


def filled(client, report, **cells):
    book = download(client, report)
    rows = rows_by_code(book[SHEET_REPORT])
    for code, value in cells.items():
        rows[code][INPUT_COLUMN - 1].value = value
    return book


def test_an_upload_shows_a_preview_and_saves_only_on_confirmation(
    client, report, district_reporter
):
    client.force_login(district_reporter)
    book = filled(client, report, members=1250, workers_union_units="2.000")
    book[SHEET_NARRATIVE]["C4"] = "Đã tổ chức 12 hội nghị"
    response = upload(client, report, as_upload(book))
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed" in page or "thay đổi" in page
    assert "<mark>1,250</mark>" in page and "<mark>2,000</mark>" in page  # English client
    report.refresh_from_db()
    assert values_of(report)["members"] == (ValueState.NUMBER, 1200)

    response = client.post(
        reverse("reports:excel_confirm", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    saved = values_of(report)
    assert saved["members"] == (ValueState.NUMBER, 1250)
    assert saved["workers_union_units"] == (ValueState.NUMBER, 2000)
    assert saved["informed_ytd"] == (ValueState.NOT_APPLICABLE, None)
    assert report.narratives.get(task_group__code="3.1").results == "Đã tổ chức 12 hội nghị"
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert event.action == EventAction.IMPORT and event.actor == district_reporter
    assert {"field": "members", "old": "1200", "new": "1250"} in event.changes


def test_a_confirmation_cannot_be_replayed(client, report, district_reporter):
    client.force_login(district_reporter)
    upload(client, report, as_upload(filled(client, report, members=1250)))
    url = reverse("reports:excel_confirm", args=[report.pk])
    client.post(url, {"version": report.version})
    response = client.post(url, {"version": report.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:excel_upload", args=[report.pk])


def test_a_committee_reader_cannot_upload(client, report, committee_user):
    client.force_login(committee_user)
    response = client.get(reverse("reports:excel_upload", args=[report.pk]))
    assert response.status_code == 403


def test_another_districts_reporter_cannot_upload(client, report, other_district_reporter):
    client.force_login(other_district_reporter)
    response = client.get(reverse("reports:excel_upload", args=[report.pk]))
    assert response.status_code == 404


def test_a_save_in_between_makes_the_confirmation_stale(
    client, report, district_reporter, office_user
):
    client.force_login(district_reporter)
    upload(client, report, as_upload(filled(client, report, members=1250)))
    version = report.version
    report_save(
        report,
        ReportInput(values={"members": Entry.of(1300)}),
        version=version,
        actor=office_user,
    )
    response = client.post(reverse("reports:excel_confirm", args=[report.pk]), {"version": version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "office" in page and "1300" in page
    report.refresh_from_db()
    assert values_of(report)["members"] == (ValueState.NUMBER, 1300)


# ---------------------------------------------------------------- bad uploads change nothing


def refused(response, report, before, *words):
    page = response.content.decode()
    assert not any(w in page for w in ['id="excel-confirm"'] if response.status_code == 400)
    for word in words:
        assert word in page, word
    report.refresh_from_db()
    assert values_of(report) == before
    assert not ReportEvent.objects.filter(report=report, action=EventAction.IMPORT).exists()


def test_text_in_a_number_cell_is_reported_by_row_and_field(client, report, district_reporter):
    client.force_login(district_reporter)
    book = filled(client, report, members="nhiều")
    row = rows_by_code(book[SHEET_REPORT])["members"][0].row
    before = values_of(report)
    response = upload(client, report, as_upload(book))
    from targets.models import Field

    label = Field.objects.get(code="members").label
    assert f"{row}, {label} (members)" in response.content.decode()  # the label and the code
    assert "Save these values" not in response.content.decode()
    refused(response, report, before)
    assert f"reports.excel_upload.{report.pk}" not in client.session


def test_a_numerator_above_its_denominator_is_refused_as_in_the_form(
    client, report, district_reporter
):
    client.force_login(district_reporter)
    book = filled(client, report, cba_signed=500, cba_eligible=100)
    before = values_of(report)
    response = upload(client, report, as_upload(book))
    refused(response, report, before, "(cba_signed)")


def test_a_formula_is_refused_not_evaluated(client, report, district_reporter):
    client.force_login(district_reporter)
    book = filled(client, report, members="=1000+250")
    before = values_of(report)
    response = upload(client, report, as_upload(book))
    refused(response, report, before, "(members)")
    assert "formula" in response.content.decode() or "công thức" in response.content.decode()


def test_another_reports_file_is_refused(client, report, small_tree, programme, office_user):
    other = opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    client.force_login(office_user)
    book = download(client, other)
    before = values_of(report)
    response = upload(client, report, as_upload(book))
    assert response.status_code == 400
    refused(response, report, before, f"(id {other.pk})")


def test_a_file_that_is_not_a_zip_is_refused(client, report, district_reporter):
    client.force_login(district_reporter)
    before = values_of(report)
    fake = SimpleUploadedFile("bao-cao.xlsx", b"members,1250\n" * 20)
    response = upload(client, report, fake)
    assert response.status_code == 400
    refused(response, report, before, ".xlsx")


def test_a_password_protected_workbook_is_refused(client, report, district_reporter):
    client.force_login(district_reporter)
    before = values_of(report)
    ole = SimpleUploadedFile("bao-cao.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = upload(client, report, ole)
    assert response.status_code == 400
    refused(response, report, before)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, report, district_reporter):
    client.force_login(district_reporter)
    before = values_of(report)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(60):
                member.write(chunk)
    assert len(bomb.getvalue()) < 200 * 1024
    response = upload(client, report, SimpleUploadedFile("bao-cao.xlsx", bomb.getvalue()))
    assert response.status_code == 400
    refused(response, report, before, "MB")


def test_an_oversize_file_is_refused(client, report, district_reporter, monkeypatch):
    client.force_login(district_reporter)
    before = values_of(report)
    book = filled(client, report, members=1250)
    monkeypatch.setattr(reader, "MAX_BYTES", 1024)
    response = upload(client, report, as_upload(book))
    assert response.status_code == 400
    refused(response, report, before)


def test_user_text_starting_with_equals_is_written_as_text_not_a_formula(
    client, small_tree, report, district_reporter
):
    small_tree.d2.name = '=HYPERLINK("http://x","y")'
    small_tree.d2.save()
    data = ReportInput(narratives={"3.1": ("=1+1", "", "")})
    report_save(report, data, version=report.version, actor=district_reporter)
    client.force_login(district_reporter)
    book = download(client, report)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://x","y")' in [c.value for c in book[SHEET_REPORT]["D"]]
    assert "=1+1" in [c.value for c in book[SHEET_NARRATIVE]["C"]]


def test_the_report_form_leads_to_the_excel_round_trip(client, report, district_reporter):
    client.force_login(district_reporter)
    page = client.get(reverse("reports:edit", args=[report.pk])).text
    links = re.search(r'<p class="muted excel-links".*?</p>', page, re.S).group(0)
    for name in ("excel_download", "excel_upload"):
        href = reverse(f"reports:{name}", args=[report.pk])
        assert href in links
        assert client.get(href).status_code == 200
