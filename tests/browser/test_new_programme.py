"""Issue 18 in a real browser: office staff import a second programme from a hand-typed file,
check it and publish it; two reporters report on it; programme 03 keeps its figures.
Screenshots at 1280 and 390 px go to SCREENSHOT_DIR (e.g. /tmp/h18-shots)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from reports.assignments import assignments_apply_proposal
from reports.models import Report, Value
from reports.services import report_approve
from rollup.engine import PeriodSpec, progress
from targets.models import Programme, ProgrammeStatus
from targets.programmes import quarter_of
from tests.conftest import approved, opened, period
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PROGRAMME_2 = Path(__file__).resolve().parent.parent / "data" / "programme-2.xlsx"
NEW_FIELDS = {"members_in_hardship": 40, "members_in_hardship_helped_ytd": 30}


def _figures(programme: Programme, unit, period: str) -> list[tuple[object, ...]]:
    result = progress(programme, unit, PeriodSpec.parse(period))
    return [(r.code, r.numerator, r.denominator, r.value) for r in result.results]


def _vi(browser, live_server, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    context.set_default_timeout(20000)
    return context, context.new_page()


def _shoot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / name), full_page=True)


def _office_publishes(browser, live_server, folder: Path, quarter_start: dt.date) -> None:
    context, page = _vi(browser, live_server, 1280)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/programmes/")
    page.click("#action-import-programme")
    page.set_input_files("#id_file", str(PROGRAMME_2))
    _shoot(page, folder, "import-1280.png")
    with page.expect_navigation():
        page.click("#import-submit")
    assert "Đã tạo bản nháp 07/CTr-LĐLĐ." in page.inner_text("main")
    assert "Không có vấn đề nào." in page.inner_text("#problems")
    _shoot(page, folder, "draft-1280.png")
    with page.expect_navigation():
        page.click("#action-check")
    assert page.inner_text("#programme-status") == "Đã kiểm tra"
    page.click("#action-publish")
    page.fill("#id_day", "15/11/2026")  # not the first day of a quarter: refused, kept
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Hãy ban hành từ ngày đầu của một quý." in page.inner_text("main")
    assert page.input_value("#id_day") == "15/11/2026"
    _shoot(page, folder, "publish-refused-1280.png")
    page.fill("#id_day", quarter_start.strftime("%d/%m/%Y"))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.inner_text("#programme-status") == "Đã ban hành"
    _shoot(page, folder, "published-1280.png")
    context.close()
    context, page = _vi(browser, live_server, 390)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/programmes/07-ctr-ldld-2026/")
    _shoot(page, folder, "published-390.png")
    context.close()


def _reporter_sends(browser, live_server, folder: Path, username: str, report: Report) -> None:
    context, page = _vi(browser, live_server, 390 if username == "reporter_w1" else 1280)
    login(page, live_server, username)
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    assert "Chăm lo đời sống" in page.inner_text("main")  # the new programme's field group
    for code, number in NEW_FIELDS.items():
        page.fill(f"#id_v_{code}", str(number))
    page.fill("#id_v_union_homes_built", "2")
    _shoot(page, folder, f"report-{username}.png")
    with page.expect_navigation():
        page.click("button[name=submit]")
    _shoot(page, folder, f"report-{username}-sent.png")
    context.close()


def test_office_publishes_a_second_programme_and_two_units_report_on_it(
    browser,
    live_server,
    small_tree,
    programme,
    office_user,
    district_reporter,
    ward_reporter,
    screenshot_dir,
):
    folder = screenshot_dir
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2025Q4", members=1250, workers_union_units=1400)
    before = _figures(programme, small_tree.province, "2025Q4")
    year, quarter = quarter_of(timezone.localdate())
    quarter_start = dt.date(year, quarter * 3 - 2, 1)

    _office_publishes(browser, live_server, folder, quarter_start)
    second = Programme.objects.get(code="07-ctr-ldld-2026")
    assert second.status == ProgrammeStatus.PUBLISHED and second.published_from == quarter_start

    code = f"{year}Q{quarter}"
    for unit, username in ((small_tree.d2, "reporter_d2"), (small_tree.ward, "reporter_w1")):
        report = opened(unit, period(programme, code))
        Value.objects.filter(report=report, field__group="welfare").delete()
        _reporter_sends(browser, live_server, folder, username, report)
        report.refresh_from_db()
        assert report.status == "submitted", username
        report_approve(report, actor=office_user)

    # Read as after the quarter's end, when the quarter is complete.
    later = quarter_start + dt.timedelta(days=150)
    shown = progress(second, small_tree.province, PeriodSpec.parse(code), today=later)
    c01 = next(r for r in shown.results)
    assert (c01.code, c01.numerator, c01.denominator) == ("C01", 60, 80)
    assert _figures(programme, small_tree.province, "2025Q4") == before
