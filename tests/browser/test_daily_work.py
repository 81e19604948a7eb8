"""Issue 16 in a real browser: a forgotten password replaced through the emailed link, and a
report and the overview printed to PDF by Chromium in the administrative layout."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.core import mail

from reports.assignments import assignments_apply_proposal
from tests.conftest import approved
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def d2_report(small_tree, programme):
    assignments_apply_proposal()
    return approved(
        small_tree.d2,
        programme,
        "2025Q4",
        members=1250,
        workers_union_units=1400,
        informed_ytd=900,
        narratives={
            "3.1": ("Tổ chức 12 hội nghị tuyên truyền.", "", "Tiếp tục phát triển đoàn viên.")
        },
    )


def _vi_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    context.set_default_timeout(15000)
    return context, context.new_page()


def test_a_reporter_replaces_a_forgotten_password_from_the_emailed_link(
    browser, live_server, district_reporter, screenshot_dir
):
    from django.core.cache import cache

    cache.clear()
    district_reporter.email = "tamduong@example.vn"
    district_reporter.save()
    context, page = _vi_page(browser, live_server)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Email").fill("tamduong@example.vn")
    page.get_by_role("button", name="Gửi đường dẫn").click()
    page.wait_for_selector("#reset-sent")
    page.screenshot(path=str(screenshot_dir / "password-reset-sent.png"))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    page.screenshot(path=str(screenshot_dir / "password-reset-choose.png"))
    page.fill("#id_new_password1", "Lai-Chau-2026-moi")
    page.fill("#id_new_password2", "Lai-Chau-2026-moi")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_selector("#reset-complete")
    page.screenshot(path=str(screenshot_dir / "password-reset-done.png"))
    login(page, live_server, "reporter_d2", "Lai-Chau-2026-moi")
    assert "/accounts/login/" not in page.url
    context.close()


def _pdf_text(path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode()


def test_a_printed_report_is_a_pdf_with_the_heading_figures_and_signature_and_no_menu(
    browser, live_server, district_reporter, d2_report, screenshot_dir
):
    context, page = _vi_page(browser, live_server)
    login(page, live_server, "reporter_d2")
    page.goto(f"{live_server.url}/reports/{d2_report.pk}/")
    page.click("#print-report")
    page.wait_for_selector(".document")
    page.screenshot(path=str(screenshot_dir / "print-report-screen.png"), full_page=True)
    pdf = screenshot_dir / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    text = _pdf_text(pdf)
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ……/BC-D2",
        "Lai Châu, ngày",
        "BÁO CÁO",
        "1.250",
        "Tổ chức 12 hội nghị tuyên truyền.",
        "Nơi nhận:",
        "CHỦ TỊCH",
    ):
        assert part in text, part
    for screen_only in ("Đăng xuất", "Quay lại màn hình", "Sửa"):
        assert screen_only not in text, screen_only
    context.close()


def test_the_printed_overview_is_a_pdf_with_every_indicator(
    browser, live_server, office_user, d2_report, screenshot_dir
):
    context, page = _vi_page(browser, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/dashboards/?year=2025")
    page.click("#print-overview")
    page.wait_for_selector(".document")
    pdf = screenshot_dir / "overview.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = _pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "TM. BAN THƯỜNG VỤ" in text
    for code in ("A01", "T01"):
        assert code in text, code
    context.close()


def test_a_screen_printed_as_it_is_leaves_out_the_menu_and_buttons(
    browser, live_server, office_user, d2_report, screenshot_dir
):
    context, page = _vi_page(browser, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/{d2_report.pk}/")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator("#report-actions").is_visible()
    assert page.locator("main h1").is_visible()
    pdf = screenshot_dir / "report-screen-printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = _pdf_text(pdf)
    assert "Đăng xuất" not in text
    assert "1.250" in text
    context.close()


def test_a_report_returned_in_the_browser_emails_its_reporter_with_the_reason(
    browser, live_server, office_user, district_reporter, small_tree, programme, screenshot_dir
):
    from django.core.management import call_command

    district_reporter.email = "tamduong@example.vn"
    district_reporter.save()
    assignments_apply_proposal()
    report = approved(small_tree.d2, programme, "2025Q3", approve=False, members=100)
    context, page = _vi_page(browser, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.locator("#return-form summary").click()
    page.fill("#id_return_reason", "Thiếu số liệu quý 3")
    with page.expect_navigation():
        page.locator("#return-form button[type=submit]").click()
    page.screenshot(path=str(screenshot_dir / "returned-by-office.png"))
    assert mail.outbox == []  # queued with the action, sent by the command
    call_command("send_notifications")
    assert [m.to for m in mail.outbox] == [["tamduong@example.vn"]]
    assert "Thiếu số liệu quý 3" in mail.outbox[0].body
    assert f"/reports/{report.pk}/" in mail.outbox[0].body
    context.close()


def test_the_office_reminds_a_late_unit_from_the_tracking_grid(
    browser, live_server, office_user, district_reporter, small_tree, programme, screenshot_dir
):
    district_reporter.email = "tamduong@example.vn"
    district_reporter.save()
    assignments_apply_proposal()
    context, page = _vi_page(browser, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/tracking/")
    button = page.get_by_role("button", name=re.compile("^Nhắc nộp.*Unit D2")).first
    with page.expect_navigation():
        button.click()
    page.screenshot(path=str(screenshot_dir / "reminded.png"))
    assert "Đã gửi lời nhắc" in page.locator(".messages").inner_text()
    assert [m.to for m in mail.outbox] == [["tamduong@example.vn"]]
    context.close()
