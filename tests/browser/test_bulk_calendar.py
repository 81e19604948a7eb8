"""Issue 18 item 4 in a real browser: the office sets the due date of two quarters at once
(a date before a cut-off refused first, the typed date kept), then ends three assignments at
once from the tracking pages. Screenshots at 1280 and 390 px go to SCREENSHOT_DIR."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reports.assignments import assignments_apply_proposal
from reports.models import Assignment
from tests.conftest import period
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def _vi(browser, live_server, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    context.set_default_timeout(20000)
    return context, context.new_page()


def _shoot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / name), full_page=True)


def _latest(code: str) -> Assignment:
    found = (
        Assignment.objects.filter(unit__code=code)
        .order_by("-first_period__year", "-first_period__quarter")
        .first()
    )
    assert found is not None, code
    return found


def _set_due_dates(page, live_server, folder: Path, quarters) -> None:
    page.goto(f"{live_server.url}/reports/calendar/")
    for quarter in quarters:
        page.check(f"input[name='due-quarters'][value='{quarter.pk}']")
    page.fill("#id_due-due", "01/04/2025")  # after the first quarter's cut-off, not the second's
    with page.expect_navigation():
        page.click("#due-submit")
    main = page.inner_text("main")
    assert "Quý 2/2025: hạn nộp không được trước ngày chốt số liệu" in main
    assert page.input_value("#id_due-due") == "01/04/2025"
    assert page.is_checked(f"input[name='due-quarters'][value='{quarters[1].pk}']")
    _shoot(page, folder, "due-refused-1280.png")
    page.fill("#id_due-due", "30/09/2025")
    with page.expect_navigation():
        page.click("#due-submit")
    assert "Đã lưu hạn nộp: Quý 1/2025, Quý 2/2025." in page.inner_text("main")
    assert "30/09/2025" in page.inner_text("#period-2025Q2")
    _shoot(page, folder, "due-saved-1280.png")


def _end_three(page, live_server, folder: Path, units) -> None:
    page.goto(f"{live_server.url}/reports/tracking/")
    with page.expect_navigation():
        page.click("#link-assignments-bulk")
    for unit in units:
        page.check(f"input[name='units'][value='{unit.pk}']")
    page.select_option("#id_last", label="Quý 2/2026")
    page.check("input[name='action'][value='end']")
    _shoot(page, folder, "bulk-chosen-1280.png")
    with page.expect_navigation():
        page.click("#bulk-submit")
    assert "Đã thay đổi 3 phân công." in page.inner_text("main")
    _shoot(page, folder, "bulk-done-1280.png")


def test_office_sets_two_due_dates_and_ends_three_assignments(
    browser, live_server, small_tree, programme, office_user, screenshot_dir
):
    assignments_apply_proposal()
    quarters = [period(programme, "2025Q1"), period(programme, "2025Q2")]
    units = [small_tree.province, small_tree.d2, small_tree.ward]

    context, page = _vi(browser, live_server, 1280)
    login(page, live_server, "office")
    _set_due_dates(page, live_server, screenshot_dir, quarters)
    _end_three(page, live_server, screenshot_dir, units)
    context.close()

    for quarter in quarters:
        quarter.refresh_from_db()
        assert quarter.due == quarter.due_override == dt.date(2025, 9, 30)
    for unit in units:
        assert _latest(unit.code).last_period.code == "2026Q2"

    context, page = _vi(browser, live_server, 390)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/calendar/")
    _shoot(page, screenshot_dir, "calendar-390.png")
    page.goto(f"{live_server.url}/reports/assignments/bulk/")
    page.check(f"input[name='units'][value='{small_tree.d2.pk}']")
    page.select_option("#id_last", label="Quý 1/2026")
    page.check("input[name='action'][value='extend']")
    with page.expect_navigation():
        page.click("#bulk-submit")
    assert "D2: phân công đã kéo dài đến Quý 2/2026." in page.inner_text("main")
    _shoot(page, screenshot_dir, "bulk-refused-390.png")
    context.close()


def test_select_all_ticks_every_unit_shown_and_only_with_script(
    browser, live_server, small_tree, programme, office_user
):
    """Ending the assignments of a hundred units is one tick, not a hundred: the toggle ticks
    and clears every unit the (filtered) list shows; without script it is not offered."""
    assignments_apply_proposal()
    context, page = _vi(browser, live_server, 390)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/assignments/bulk/")
    boxes = page.locator("input[name='units']")
    assert boxes.count() >= 3
    page.check("#select-all-units")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.uncheck("#select-all-units")
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    context.close()
    bare = browser.new_context(java_script_enabled=False)
    page = bare.new_page()
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/assignments/bulk/")
    assert not page.locator("#select-all-units").is_visible()
    bare.close()
