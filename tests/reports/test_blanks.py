"""A report says why a field is not reported: an empty field blocks its sending, the office
sees the fields not reported before approving, and imports and the demo give their reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import ReportStatus, ValueState
from reports.numbers import Entry
from reports.services import (
    ReportIncomplete,
    ReportInput,
    report_blanks,
    report_fields,
    report_open,
    report_save,
    report_submit,
)
from tests.conftest import period


def _all_but(report, *left_out: str) -> dict[str, Entry]:
    fields = report_fields(report.period)
    return {f.code: Entry.of(1) for f in fields if f.code not in left_out}


def test_an_all_blank_report_cannot_be_sent(small_tree, programme, district_reporter):
    report = report_open(small_tree.d2, period(programme, "2025Q3"), district_reporter)
    report = report_save(report, ReportInput(), version=report.version, actor=district_reporter)
    with pytest.raises(ReportIncomplete) as refused:
        report_submit(report, version=report.version, actor=district_reporter)
    asked = len(report_fields(report.period))
    assert len(refused.value.empty) == asked > 0
    assert f"{asked} fields are empty" in refused.value.messages[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_an_empty_field_blocks_sending_until_it_is_explained(
    small_tree, programme, district_reporter
):
    report = report_open(small_tree.d2, period(programme, "2025Q3"), district_reporter)
    values = {**_all_but(report, "court_cases", "court_cases_supported"), "members": Entry.of(30)}
    values["workers_union_units"] = Entry.of(40)
    report = report_save(
        report, ReportInput(values=values), version=report.version, actor=district_reporter
    )
    with pytest.raises(ReportIncomplete) as refused:
        report_submit(report, version=report.version, actor=district_reporter)
    assert {f.code for f in refused.value.empty} == {"court_cases", "court_cases_supported"}
    explained = ReportInput(
        values={"court_cases": Entry.blank(), "court_cases_supported": Entry.blank()},
        not_reported={"court_cases": "Tòa án chưa gửi số liệu", "court_cases_supported": "x"},
    )
    report = report_save(report, explained, version=report.version, actor=district_reporter)
    report = report_submit(report, version=report.version, actor=district_reporter)
    assert report.status == ReportStatus.SUBMITTED
    assert dict((f.code, r) for f, r in report_blanks(report))["court_cases"] == (
        "Tòa án chưa gửi số liệu"
    )


def test_a_reason_is_dropped_once_the_field_has_a_number(small_tree, programme):
    report = report_open(small_tree.d2, period(programme, "2025Q3"), None)
    data = ReportInput(values={"members": Entry.blank()}, not_reported={"members": "later"})
    report = report_save(report, data, version=report.version, actor=None)
    assert report.values.get(field__code="members").reason == "later"
    data = ReportInput(values={"members": Entry.of(5)}, not_reported={"members": "later"})
    report = report_save(report, data, version=report.version, actor=None)
    value = report.values.get(field__code="members")
    assert (value.state, value.reason) == (ValueState.NUMBER, "")


def test_the_office_sees_the_fields_not_reported_before_approving(
    client, small_tree, programme, office_user
):
    report = report_open(small_tree.d2, period(programme, "2025Q3"), None)
    values = _all_but(report, "court_cases")
    values["court_cases"] = Entry.blank()
    data = ReportInput(values=values, not_reported={"court_cases": "Chưa có số liệu tòa án"})
    report = report_save(report, data, version=report.version, actor=None)
    report = report_submit(report, version=report.version, actor=None)
    client.force_login(office_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).text
    asked = len(report_fields(report.period))
    assert f"1 of {asked} fields not reported" in page
    assert "Chưa có số liệu tòa án" in page
    assert 'id="report-programmes">03/CTr-LĐLĐ<' in page


def test_the_form_keeps_the_reason_typed(client, small_tree, programme, district_reporter):
    report = report_open(small_tree.d2, period(programme, "2025Q3"), district_reporter)
    client.force_login(district_reporter)
    url = reverse("reports:edit", args=[report.pk])
    page = client.get(url).text
    assert 'name="nr_court_cases"' in page
    data = {"version": str(report.version), "nr_court_cases": "Chưa có số liệu"}
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.values.get(field__code="court_cases").reason == "Chưa có số liệu"
    assert "Chưa có số liệu" in client.get(url).text
