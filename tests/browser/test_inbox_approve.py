"""The office inbox in a real browser: two checked reports approved with one button, a third
refused by four eyes and listed with its reason; screenshots at 1280 and 390 px go to
SCREENSHOT_DIR (the lead's /tmp/h16b-shots/)."""

from __future__ import annotations

import pytest

from reports.assignments import assignments_apply_proposal
from reports.models import Report, ReportStatus
from reports.services import report_save, report_submit
from tests.browser.test_accessibility import axe_violations
from tests.conftest import approved, explained, opened, period
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def _context(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    context.set_default_timeout(15000)
    return context, context.new_page()


def _status(report):
    return Report.objects.get(pk=report.pk).status


def test_the_office_approves_two_checked_reports_at_once_and_reads_the_refusal(
    browser, live_server, office_user, small_tree, programme, screenshot_dir
):
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2025Q2", members=1000)
    first = approved(small_tree.d2, programme, "2025Q3", approve=False, members=100)  # confirmed
    second = approved(small_tree.ward, programme, "2025Q3", approve=False, members=200)
    own = opened(small_tree.d2, period(programme, "2025Q4"))
    own = report_save(own, explained(own, {"members": 101}), version=1, actor=office_user)
    own = report_submit(own, version=own.version, actor=office_user)
    for width in (390, 1280):  # approving last
        context, page = _context(browser, live_server, width)
        login(page, live_server, "office")
        page.goto(f"{live_server.url}/")
        assert page.locator("#inbox-awaiting li").count() == 3
        row = page.locator(f'#inbox-awaiting li[data-report="{first.pk}"]')
        assert "1 số liệu thay đổi đột biến đã được xác nhận" in row.inner_text()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#inbox").screenshot(
            path=str(screenshot_dir / f"inbox-checkboxes-{width}.png")
        )
        if width == 390:
            context.close()
            continue
        for report in (first, second, own):
            page.locator(f"#approve-{report.pk}").check()
        page.locator("#inbox").screenshot(path=str(screenshot_dir / "inbox-checked-1280.png"))
        with page.expect_navigation():
            page.get_by_role("button", name="Duyệt các báo cáo đã chọn").click()
        messages = page.locator(".messages").inner_text()
        assert "Đã duyệt 2 báo cáo" in messages
        assert "Chưa duyệt: Unit D2 · Quý 4/2025" in messages
        assert "một tài khoản khác của Văn phòng phải duyệt" in messages
        assert _status(first) == _status(second) == ReportStatus.APPROVED
        assert _status(own) == ReportStatus.SUBMITTED
        assert page.locator("#inbox-awaiting li").count() == 1
        assert page.locator(".messages").bounding_box()["y"] < 900  # seen without scrolling
        page.screenshot(path=str(screenshot_dir / "inbox-approved-1280.png"))
        context.close()


def test_a_reporter_chooses_which_emails_to_receive_on_the_account_page(
    browser, live_server, district_reporter, screenshot_dir
):
    from notifications.models import Preference

    for width in (390, 1280):  # saving last
        context, page = _context(browser, live_server, width)
        login(page, live_server, "reporter_d2")
        page.goto(f"{live_server.url}/accounts/me/")
        choices = page.locator("#email-choices")
        assert choices.locator("input[type=checkbox]").count() == 4
        assert page.locator("#pref-approved").is_checked()  # everything on until chosen
        assert axe_violations(page) == []
        choices.screenshot(path=str(screenshot_dir / f"account-email-choices-{width}.png"))
        if width == 1280:
            page.locator("#pref-approved").uncheck()
            with page.expect_navigation():
                choices.locator("button[type=submit]").click()
            assert not page.locator("#pref-approved").is_checked()
            assert page.locator("#pref-returned").is_checked()
            saved = Preference.objects.get(account=district_reporter)
            assert saved.returned and not saved.approved
        context.close()
