"""Four eyes: whoever last changed a revision's figures cannot approve it; another office
account must. On by default; shown on the report page and in the message after a save."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from reports.assignments import assignments_apply_proposal
from reports.models import ReportStatus
from reports.services import FourEyes, ReportInput, report_approve, report_save, report_submit
from tests.conftest import explained, make_user, opened, period

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def draft(small_tree, programme):
    assignments_apply_proposal()
    return opened(small_tree.d2, period(programme, "2025Q3"))


@pytest.fixture
def second_office(small_tree):
    return make_user("office2", Role.OFFICE, small_tree.province)


def _sent_by(report, actor, values=None):
    report = report_save(
        report, explained(report, values or {"members": 130}), version=report.version, actor=actor
    )
    return report_submit(report, version=report.version, actor=actor)


def test_the_office_account_that_changed_the_figures_cannot_approve_them(
    draft, office_user, second_office
):
    report = _sent_by(draft, office_user)
    with pytest.raises(FourEyes):
        report_approve(report, actor=office_user)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report_approve(report, actor=second_office).status == ReportStatus.APPROVED


def test_a_report_the_reporter_filled_is_approved_by_any_office_account(
    draft, office_user, district_reporter
):
    report = _sent_by(draft, district_reporter)
    assert report_approve(report, actor=office_user).status == ReportStatus.APPROVED


def test_the_last_figure_change_counts_not_a_narrative_edit(
    draft, office_user, second_office, district_reporter
):
    report = report_save(draft, explained(draft, {"members": 130}), version=1, actor=office_user)
    narrative = ReportInput(narratives={"3.1": ("Đã sửa lời văn", "", "")})
    report = report_save(report, narrative, version=report.version, actor=second_office)
    report = report_submit(report, version=report.version, actor=second_office)
    with pytest.raises(FourEyes):
        report_approve(report, actor=office_user)
    assert report_approve(report, actor=second_office).status == ReportStatus.APPROVED


def test_the_rule_can_be_turned_off(settings, draft, office_user):
    settings.FOUR_EYES = False
    report = _sent_by(draft, office_user)
    assert report_approve(report, actor=office_user).status == ReportStatus.APPROVED


def test_the_report_page_says_who_must_approve_instead_of_the_button(
    client, draft, office_user, second_office
):
    report = _sent_by(draft, office_user)
    client.force_login(office_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="approve-button"' not in page
    assert 'id="four-eyes"' in page and "another office account" in page
    refused = client.post(reverse("reports:approve", args=[report.pk]), follow=True)
    assert "another office account must approve" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(second_office)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="approve-button"' in page and 'id="four-eyes"' not in page


def test_an_office_save_and_submit_does_not_say_it_was_sent_to_the_office(
    client, draft, office_user
):
    client.force_login(office_user)
    edit = reverse("reports:edit", args=[draft.pk])
    shown = client.get(edit).context["form"]
    data = {
        b.html_name: ("on" if b.value() else "")
        if b.widget_type == "checkbox"
        else str(b.value() or "")
        for b in shown
    }
    data = {k: v for k, v in data.items() if v}
    data.update({"v_members": "140", "submit": "1"})
    response = client.post(edit, data)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("provincial office" in t for t in texts), texts
    assert any("another office account must approve" in t for t in texts), texts
