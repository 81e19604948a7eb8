"""The office inbox: warning counts on each row, and approving several checked reports at once,
each through `report_approve` in its own transaction (a refusal leaves the others approved)."""

from __future__ import annotations

import pytest

from accounts.models import Role
from reports.assignments import assignments_apply_proposal
from reports.models import Report, ReportStatus
from reports.services import report_return, report_save, report_submit
from tests.conftest import approved, explained, make_user, opened, period

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

URL = "/reports/inbox/approve/"


@pytest.fixture
def assigned(programme):
    assignments_apply_proposal()
    return programme


def _sent(unit, programme, code, actor):
    report = opened(unit, period(programme, code), actor)
    report = report_save(report, explained(report, {"members": 120}), version=1, actor=actor)
    return report_submit(report, version=report.version, actor=actor)


def _post(client, *reports, versions=None):
    data: dict[str, list[str] | str] = {"approve": [str(r.pk) for r in reports]}
    for r in reports:
        data[f"version-{r.pk}"] = str((versions or {}).get(r.pk, r.version))
    return client.post(URL, data, follow=True)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _status(report):
    return Report.objects.get(pk=report.pk).status


def test_each_row_says_how_many_sharp_changes_the_reporter_confirmed(
    client, small_tree, assigned, office_user
):
    approved(small_tree.d2, assigned, "2025Q2", members=1000)
    jumped = approved(small_tree.d2, assigned, "2025Q3", approve=False, members=300)
    calm = _sent(small_tree.ward, assigned, "2025Q3", None)
    assert jumped.values.filter(warning_confirmed=True).count() == 1
    client.force_login(office_user)
    response = client.get("/")
    rows = {row.report.pk: row for row in response.context["inbox"].awaiting}
    assert rows[jumped.pk].warnings == 1 and rows[calm.pk].warnings == 0
    page = response.content.decode()
    item = page[page.index(f'data-report="{jumped.pk}"') :]
    assert "1 sharp change confirmed" in item[: item.index("</li>")]
    other = page[page.index(f'data-report="{calm.pk}"') :]
    assert "sharp change" not in other[: other.index("</li>")]


def test_the_inbox_shows_a_checkbox_with_the_version_for_each_report_and_one_button(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    client.force_login(office_user)
    page = client.get("/").content.decode()
    form = page[
        page.index('id="inbox-approve"') : page.index("</form>", page.index("inbox-approve"))
    ]
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'name="approve" value="{report.pk}"' in form
    assert f'name="version-{report.pk}" value="{report.version}"' in form
    assert "Approve the selected reports" in form


def test_two_checked_reports_are_approved_at_once(
    client, small_tree, assigned, office_user, district_reporter
):
    first = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    second = _sent(small_tree.ward, assigned, "2025Q3", None)
    client.force_login(office_user)
    response = _post(client, first, second)
    assert response.redirect_chain[-1][0] == "/"
    assert _status(first) == _status(second) == ReportStatus.APPROVED
    (message,) = _messages(response)
    assert message.startswith("Approved 2 reports:")
    assert "Unit D2" in message and "Unit W" in message
    assert response.context["inbox"].awaiting_total == 0


def test_four_eyes_refuses_its_own_edit_and_approves_the_others(
    client, small_tree, assigned, office_user
):
    own = _sent(small_tree.d2, assigned, "2025Q3", office_user)
    other = _sent(small_tree.ward, assigned, "2025Q3", None)
    client.force_login(office_user)
    messages = _messages(_post(client, own, other))
    assert _status(own) == ReportStatus.SUBMITTED
    assert _status(other) == ReportStatus.APPROVED
    assert messages[0] == f"Approved 1 report: Unit W1 · {other.period.label}."
    assert messages[1].startswith(f"Not approved: Unit D2 · {own.period.label}.")
    assert "four eyes" in messages[1]


def test_a_report_returned_after_the_page_was_shown_is_refused(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    shown = report.version
    other_office = make_user("office2", Role.OFFICE, small_tree.province)
    report_return(report, reason="Thiếu số liệu", actor=other_office)
    client.force_login(office_user)
    messages = _messages(_post(client, report, versions={report.pk: shown}))
    assert _status(report) == ReportStatus.RETURNED
    assert messages == [
        f"Not approved: Unit D2 · {report.period.label}. "
        "It is no longer awaiting approval (now returned)."
    ]


def test_a_report_sent_again_after_the_page_was_shown_is_refused_as_changed(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    shown = report.version
    report = report_return(report, reason="Sửa số đoàn viên", actor=office_user)
    report = report_save(
        report, explained(report, {"members": 125}), version=report.version, actor=district_reporter
    )
    report = report_submit(report, version=report.version, actor=district_reporter)
    client.force_login(office_user)
    messages = _messages(_post(client, report, versions={report.pk: shown}))
    assert _status(report) == ReportStatus.SUBMITTED
    assert len(messages) == 1 and "changed after the page was shown" in messages[0]


def test_a_missing_version_is_refused_as_a_change(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    client.force_login(office_user)
    response = client.post(URL, {"approve": [str(report.pk)]}, follow=True)
    assert _status(report) == ReportStatus.SUBMITTED
    assert "changed after the page was shown" in _messages(response)[0]


def test_an_unconfirmed_sharp_jump_is_refused_and_the_other_report_approved(
    client, small_tree, assigned, office_user
):
    approved(small_tree.d2, assigned, "2025Q2", members=1000)
    jumped = opened(small_tree.d2, period(assigned, "2025Q3"))
    jumped = report_save(jumped, explained(jumped, {"members": 300}), version=1, actor=None)
    jumped = report_submit(jumped, version=jumped.version, actor=None)
    other = _sent(small_tree.ward, assigned, "2025Q3", None)
    client.force_login(office_user)
    messages = _messages(_post(client, jumped, other))
    assert _status(jumped) == ReportStatus.SUBMITTED
    assert _status(other) == ReportStatus.APPROVED
    assert "changed sharply" in messages[1]


def test_a_report_out_of_reach_or_unknown_is_refused_and_nothing_breaks(
    client, small_tree, assigned, office_user, district_reporter
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    client.force_login(office_user)
    response = client.post(
        URL,
        {"approve": ["999999", "abc", str(report.pk)], f"version-{report.pk}": "x"},
        follow=True,
    )
    assert response.status_code == 200
    messages = _messages(response)
    assert "Not approved: Report no. 999999. No such report is within your access." in messages
    assert _status(report) == ReportStatus.SUBMITTED  # a version that is not a number: refused


def test_only_office_staff_may_approve_from_the_inbox(
    client, small_tree, assigned, district_reporter, committee_user
):
    report = _sent(small_tree.d2, assigned, "2025Q3", district_reporter)
    for user in (district_reporter, committee_user):
        client.force_login(user)
        response = client.post(URL, {"approve": [str(report.pk)], f"version-{report.pk}": "2"})
        assert response.status_code == 403
    assert _status(report) == ReportStatus.SUBMITTED
    client.logout()
    assert client.post(URL, {"approve": [str(report.pk)]}).status_code == 302
    assert client.get(URL).status_code in (302, 405)
    assert _status(report) == ReportStatus.SUBMITTED


def test_nothing_ticked_says_so(client, small_tree, assigned, office_user):
    client.force_login(office_user)
    response = client.post(URL, {}, follow=True)
    assert _messages(response) == ["Tick at least one report to approve."]


def test_an_old_revision_cannot_be_approved_from_the_inbox(
    client, small_tree, assigned, office_user
):
    old = approved(small_tree.d2, assigned, "2025Q3", members=100)
    client.force_login(office_user)
    messages = _messages(_post(client, old))
    assert "no longer awaiting approval (now approved)" in messages[0]
