"""A quarterly report's whole journey in a real browser: fill, submit, return, fix, approve."""

from __future__ import annotations

import pytest

from reports.assignments import assignments_apply_proposal
from reports.models import Report, ReportStatus, Value
from tests.conftest import period
from tests.reports.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "pw-for-tests-123"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def q3(programme):
    assignments_apply_proposal()
    return period(programme, "2024Q3")


@pytest.fixture
def new_page(browser):
    """Opens a page in a fresh browser context (one per person); all are closed afterwards."""
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    # Closing the contexts ends keep-alive requests, so the live server lets go of the database.
    for context in contexts:
        context.close()


def test_a_report_is_filled_submitted_returned_fixed_and_approved(
    new_page, live_server, small_tree, q3, district_reporter, office_user, screenshot_dir
):
    # The reporter opens this quarter's report from the list and fills it in.
    reporter = new_page()
    login(reporter, live_server, district_reporter.username, PASSWORD)
    reporter.goto(f"{live_server.url}/reports/")
    reporter.screenshot(path=str(screenshot_dir / "list-reporter.png"))
    # The latest finished quarter comes first; older ones without a report are folded away.
    reporter.click(".earlier-slots summary")
    with reporter.expect_navigation():
        reporter.click("button[data-period='2024Q3']")
    assert "/edit/" in reporter.url
    assert reporter.input_value("#id_v_grassroots_total") == "2"  # from the registry
    reporter.fill("#id_v_members", "1.234")
    reporter.fill("#id_v_workers_union_units", "2 000")
    reporter.fill("#id_v_informed_ytd", "1500")
    reporter.check("#id_na_enterprise_workers")
    reporter.click("#narrative-31 summary")
    reporter.fill("#id_n_3_1_results", "Tổ chức 12 hội nghị tuyên truyền pháp luật lao động.")
    reporter.screenshot(path=str(screenshot_dir / "form-desktop.png"), full_page=True)
    reporter.set_viewport_size(PHONE)
    reporter.screenshot(path=str(screenshot_dir / "form-phone.png"))
    reporter.locator("#row-grassroots_total").scroll_into_view_if_needed()
    reporter.screenshot(path=str(screenshot_dir / "form-phone-registry.png"))
    width = reporter.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the form must not scroll sideways on a phone"
    reporter.set_viewport_size(DESKTOP)
    with reporter.expect_navigation():
        reporter.click("button[name=save]")
    assert reporter.input_value("#id_v_members") == "1.234"
    # Sending with fields left empty is refused: each needs a figure, N/A or a reason.
    with reporter.expect_navigation():
        reporter.click("button[name=submit]")
    assert "/edit/" in reporter.url
    assert "ô đang để trống" in reporter.inner_text("main")  # "… fields are empty"
    reporter.evaluate(
        """() => {
            for (const reason of document.querySelectorAll('input[name^="nr_"]')) {
                const code = reason.name.slice(3);
                const value = document.querySelector(`[name="v_${code}"]`);
                const na = document.querySelector(`[name="na_${code}"]`);
                if (value && !value.value && !(na && na.checked)) {
                    reason.value = "Chưa có số liệu";
                }
            }
        }"""
    )
    with reporter.expect_navigation():
        reporter.click("button[name=submit]")
    assert reporter.get_attribute("#report-status .badge", "data-status") == "submitted"
    report = Report.objects.get(unit=small_tree.d2, period=q3)
    assert Value.objects.get(report=report, field__code="members").number == 1234
    assert Value.objects.get(report=report, field__code="enterprise_workers").state == "na"

    # Office staff return it with a reason.
    office = new_page()
    login(office, live_server, office_user.username, PASSWORD)
    office.goto(f"{live_server.url}/reports/")
    office.screenshot(path=str(screenshot_dir / "list-office.png"))
    office.goto(f"{live_server.url}/reports/{report.pk}/")
    office.click("#return-form summary")
    office.fill("#id_return_reason", "Số đoàn viên chưa khớp với sổ theo dõi.")
    with office.expect_navigation():
        office.click("#return-form button[type=submit]")
    assert office.get_attribute("#report-status .badge", "data-status") == "returned"

    # The reporter reads the reason, fixes a value and resubmits.
    reporter.goto(f"{live_server.url}/reports/{report.pk}/")
    assert "Số đoàn viên chưa khớp với sổ theo dõi." in reporter.inner_text("#return-reason")
    reporter.screenshot(path=str(screenshot_dir / "returned-reporter.png"), full_page=True)
    with reporter.expect_navigation():
        reporter.click("#report-actions a[href$='/edit/']")
    assert "Số đoàn viên chưa khớp" in reporter.inner_text("#return-reason")
    reporter.fill("#id_v_members", "1.240")
    with reporter.expect_navigation():
        reporter.click("button[name=submit]")
    assert reporter.get_attribute("#report-status .badge", "data-status") == "submitted"

    # Office staff approve; the page shows the status and the whole history.
    office.goto(f"{live_server.url}/reports/{report.pk}/")
    with office.expect_navigation():
        office.click("#approve-button")
    assert office.get_attribute("#report-status .badge", "data-status") == "approved"
    actions = office.eval_on_selector_all(
        "table.history tbody tr", "rows => rows.map(r => r.dataset.action)"
    )
    # "Save draft", then "Save and submit" refused for the empty fields (its save is kept),
    # then the reasons saved and the report sent.
    assert actions == [
        "create", "save", "save", "save", "submit", "return", "save", "submit", "approve"
    ]  # fmt: skip
    history = office.inner_text("table.history")
    assert "1.234" in history and "1.240" in history
    assert "Số đoàn viên chưa khớp với sổ theo dõi." in history
    office.screenshot(path=str(screenshot_dir / "approved-office.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert Value.objects.get(report=report, field__code="members").number == 1240
