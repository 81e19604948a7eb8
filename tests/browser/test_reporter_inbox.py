"""The reporter's "Waiting for you" in a real browser at 390 and 1280 px: returned, reopened
and due, each under its heading with the reason; screenshots to SCREENSHOT_DIR."""

from __future__ import annotations

import pytest

from reports.assignments import assignments_apply_proposal
from reports.services import report_reopen, report_return
from tests.browser.test_accessibility import axe_violations
from tests.conftest import approved, opened, period
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_the_reporter_reads_what_is_returned_reopened_and_due(
    browser, live_server, office_user, district_reporter, small_tree, programme, screenshot_dir
):
    assignments_apply_proposal()
    returned = approved(small_tree.d2, programme, "2025Q2", approve=False, members=200)
    report_return(returned, reason="Thiếu số đoàn viên nữ", actor=office_user)
    done = approved(small_tree.d2, programme, "2025Q3", members=210)
    report_reopen(done, reason="Kiểm tra lại số công đoàn cơ sở", actor=office_user)
    opened(small_tree.d2, period(programme, "2025Q4"), district_reporter)
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
        page = context.new_page()
        login(page, live_server, "reporter_d2")
        page.goto(f"{live_server.url}/")
        box = page.locator("#reporter-inbox")
        assert "Thiếu số đoàn viên nữ" in box.locator("#todo-returned").inner_text()
        assert "Kiểm tra lại số công đoàn cơ sở" in box.locator("#todo-reopened").inner_text()
        due = box.locator("#todo-due").inner_text()
        assert "Quý 4/2025" in due and "Quá hạn" in due
        assert "Bị trả lại (1)" in box.inner_text() and "Được mở lại để sửa (1)" in box.inner_text()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box.screenshot(path=str(screenshot_dir / f"reporter-inbox-{width}.png"))
        context.close()
