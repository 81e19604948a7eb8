"""Issue 16 in a real browser: the office's inbox, four eyes, the conflict merge between two
people in two browser contexts, and the typed figures restored after a dropped connection.
Screenshots at 1280 and 390 px go to SCREENSHOT_DIR (the lead's /tmp/h16-shots/)."""

from __future__ import annotations

import pytest

from accounts.models import Role
from reports.assignments import assignments_apply_proposal
from reports.models import ReportStatus, Value
from reports.numbers import Entry
from tests.browser.test_accessibility import axe_violations
from tests.conftest import approved, make_user, opened, period
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def _context(browser, live_server, width=1280, *, bypass_csp=False):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    context.set_default_timeout(15000)
    return context, context.new_page()


def _stored(report, code):
    value = Value.objects.get(report=report, field__code=code)
    return Entry(value.state, value.number)


def test_the_office_inbox_lists_the_report_awaiting_approval_and_leads_to_it(
    browser, live_server, office_user, small_tree, programme, screenshot_dir
):
    assignments_apply_proposal()
    report = approved(small_tree.d2, programme, "2025Q3", approve=False, members=100)
    for width in (1280, 390):
        context, page = _context(browser, live_server, width)
        login(page, live_server, "office")
        page.goto(f"{live_server.url}/")
        inbox = page.locator("#inbox")
        assert "1 báo cáo chờ duyệt" in inbox.inner_text()
        assert "Quý 3/2025" in page.locator("#inbox-awaiting").inner_text()
        assert page.locator("#inbox-overdue a").get_attribute("href").endswith("?status=late")
        width_px = page.evaluate("document.documentElement.scrollWidth")
        assert width_px <= width
        summary = page.locator("#inbox-summary")
        if width == 390:  # summed up at the top, in full after the figures
            assert "1 chờ duyệt" in summary.inner_text()
            first_figure = page.locator("table.indicators tbody tr").first.bounding_box()
            assert inbox.bounding_box()["y"] > first_figure["y"]
        else:
            assert summary.is_hidden()
        page.screenshot(path=str(screenshot_dir / f"home-{width}.png"))
        inbox.screenshot(path=str(screenshot_dir / f"inbox-{width}.png"))
        if width == 1280:
            with page.expect_navigation():
                page.locator(f'#inbox-awaiting li[data-report="{report.pk}"] a').click()
            assert page.url.endswith(f"/reports/{report.pk}/")
        context.close()


def test_four_eyes_the_office_editor_cannot_approve_its_own_edit(
    browser, live_server, office_user, small_tree, programme, screenshot_dir
):
    make_user("office2", Role.OFFICE, small_tree.province)
    assignments_apply_proposal()
    report = opened(small_tree.d2, period(programme, "2025Q3"))
    context, page = _context(browser, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    page.fill("#id_v_members", "1.234")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    message = page.locator(".messages").inner_text()
    assert "gửi Văn phòng LĐLĐ tỉnh" not in message
    assert "một tài khoản khác của Văn phòng phải duyệt" in message
    assert page.locator("#approve-button").count() == 0
    assert "nguyên tắc hai người" in page.locator("#four-eyes").inner_text()
    page.screenshot(path=str(screenshot_dir / "four-eyes.png"), full_page=True)
    context.close()
    context, page = _context(browser, live_server)
    login(page, live_server, "office2")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    with page.expect_navigation():
        page.locator("#approve-button").click()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    context.close()


def test_two_people_saving_the_same_report_merge_and_choose_where_both_changed(
    browser, live_server, office_user, district_reporter, small_tree, programme, screenshot_dir
):
    assignments_apply_proposal()
    report = opened(small_tree.d2, period(programme, "2025Q3"))
    Value.objects.filter(report=report, field__code="members").update(state="number", number=1142)
    edit = f"{live_server.url}/reports/{report.pk}/edit/"
    mine_ctx, mine = _context(browser, live_server, bypass_csp=True)  # axe-core is injected
    theirs_ctx, theirs = _context(browser, live_server)
    login(mine, live_server, "reporter_d2")
    login(theirs, live_server, "office")
    mine.goto(edit)
    theirs.goto(edit)
    theirs.fill("#id_v_members", "1.143")
    theirs.fill("#id_v_enterprise_workers", "7.700")
    with theirs.expect_navigation():
        theirs.locator("button[name=save]").click()
    mine.fill("#id_v_members", "1.141")
    mine.fill("#id_v_informed_ytd", "600")
    with mine.expect_navigation():
        mine.locator("button[name=save]").click()
    box = mine.locator("#clash-members")
    assert "1.141" in box.locator(".clash-mine").inner_text()
    assert "1.143" in box.locator(".clash-theirs").inner_text()
    assert "1.142" in box.locator(".clash-original").inner_text()
    assert mine.input_value("#id_v_enterprise_workers") == "7.700"
    assert mine.input_value("#id_v_informed_ytd") == "600"
    for width in (1280, 390):
        assert axe_violations(mine) == []
        mine.set_viewport_size({"width": width, "height": 900})
        mine.locator("#stale-box").scroll_into_view_if_needed()
        mine.screenshot(path=str(screenshot_dir / f"conflict-{width}.png"), full_page=False)
        mine.locator("#clash-box").screenshot(path=str(screenshot_dir / f"clash-{width}.png"))
    mine.set_viewport_size({"width": 1280, "height": 900})
    mine.get_by_label("Lấy của người kia").check()
    with mine.expect_navigation():
        mine.locator("button[name=save]").click()
    assert "Đã lưu bản nháp" in mine.locator(".messages").inner_text()
    assert _stored(report, "members") == Entry.of(1143)
    assert _stored(report, "enterprise_workers") == Entry.of(7700)
    assert _stored(report, "informed_ytd") == Entry.of(600)
    mine_ctx.close()
    theirs_ctx.close()


def test_figures_typed_before_a_dropped_connection_are_offered_back(
    browser, live_server, district_reporter, small_tree, programme, screenshot_dir
):
    assignments_apply_proposal()
    report = opened(small_tree.d2, period(programme, "2025Q3"))
    context, page = _context(browser, live_server, 390)
    login(page, live_server, "reporter_d2")
    edit = f"{live_server.url}/reports/{report.pk}/edit/"
    page.goto(edit)
    assert page.locator("#draft-prompt").is_hidden()
    page.fill("#id_v_members", "2.345")
    page.fill("#id_v_informed_ytd", "321")

    def drop(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/edit/", drop)
    try:
        page.locator("button[name=save]").click()
        page.wait_for_timeout(500)
    finally:
        page.unroute("**/edit/")
    page.goto(edit)
    assert page.input_value("#id_v_members") == ""
    prompt = page.locator("#draft-prompt")
    prompt.wait_for(state="visible")
    assert "Khôi phục" in prompt.inner_text()
    page.screenshot(path=str(screenshot_dir / "draft-prompt-390.png"))
    page.get_by_role("button", name="Khôi phục số liệu đã nhập").click()
    assert page.input_value("#id_v_members") == "2.345"
    assert page.input_value("#id_v_informed_ytd") == "321"
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    assert _stored(report, "members") == Entry.of(2345)
    page.goto(edit)
    page.wait_for_timeout(300)
    assert page.locator("#draft-prompt").is_hidden()
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('chitieu-draft:'))") == []
    )
    context.close()


def test_submitting_approving_and_reopening_in_the_browser_email_the_people_concerned(
    browser, live_server, office_user, district_reporter, small_tree, programme
):
    from django.core import mail
    from django.core.management import call_command

    office_user.email = "vanphong@example.vn"
    office_user.save()
    district_reporter.email = "tamduong@example.vn"
    district_reporter.save()
    assignments_apply_proposal()
    report = opened(small_tree.d2, period(programme, "2025Q3"))
    context, page = _context(browser, live_server)
    login(page, live_server, "reporter_d2")
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    page.fill("#id_v_members", "1.200")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    assert "gửi Văn phòng LĐLĐ tỉnh" in page.locator(".messages").inner_text()
    call_command("send_notifications")
    assert [m.to for m in mail.outbox] == [["vanphong@example.vn"]]
    assert f"/reports/{report.pk}/" in mail.outbox[0].body
    context.close()
    context, page = _context(browser, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    with page.expect_navigation():
        page.locator("#approve-button").click()
    page.locator("#reopen-form summary").click()
    page.fill("#id_reopen_reason", "Sửa số đoàn viên theo rà soát")
    with page.expect_navigation():
        page.locator("#reopen-form button[type=submit]").click()
    call_command("send_notifications")
    sent = [m for m in mail.outbox[1:] if m.to == ["tamduong@example.vn"]]
    assert len(sent) == 2
    assert any("Sửa số đoàn viên theo rà soát" in m.body for m in sent)
    context.close()
