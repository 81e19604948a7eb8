"""The main pages on a phone (390 px wide), as the users who see them: no page scrolls sideways,
the menu opens (by keyboard too) and leads on, and the overview's first figure, with its target and
status, shows whole on the first screen. On a 1280 px desktop the links stay plain and the pages
fit as well."""

from __future__ import annotations

import pytest

from reports.assignments import assignments_apply_proposal
from reports.services import report_return
from tests.conftest import approved
from tests.dashboards.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OFFICE_PAGES = {
    "overview": "/dashboards/?year=2025",
    "indicator": "/dashboards/indicator/A01/?period=2025",
    "membership": "/dashboards/membership/",
    "tracking": "/reports/tracking/",
}
REPORTS_LINK = {"vi": "Báo cáo", "en": "Reports"}
CORRECT = {"vi": "Sửa và gửi lại", "en": "Correct and send it again"}


@pytest.fixture
def returned(small_tree, programme):
    """Figures for 2025, and the ward's report for 2025Q3 returned to it for correction."""
    t = small_tree
    assignments_apply_proposal()
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    report = approved(t.ward, programme, "2025Q3", approve=False, members=85, informed_ytd=70)
    approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220)
    return report_return(report, reason="Số đoàn viên chưa khớp với báo cáo chuyên đề.", actor=None)


@pytest.fixture
def open_page(browser, live_server):
    """A page in a fresh context at the given size and language, logged in as `username`."""
    contexts = []

    def open_as(username: str | None, lang: str, viewport: dict[str, int]):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(15000)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        if username:
            login(page, live_server, username)
        return page

    yield open_as
    for context in contexts:  # so the live server lets go of the database
        context.close()


def fits(page) -> bool:
    """The document never scrolls sideways; a wide table may scroll inside its own box."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def visit(page, url: str, shot) -> None:
    page.goto(url)
    assert fits(page), page.url
    # The indicator tables are cards on a phone: not even their box scrolls sideways.
    for wrap in page.locator("div.table-wrap:has(> table.cards)").all():
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), page.url
    page.screenshot(path=str(shot), full_page=True)


def visit_all(page_for, live_server, lang, viewport, office_user, ward_reporter, returned, folder):
    """Every page to check, as its user, each saved as a screenshot; returns the office's page."""
    base, size = live_server.url, f"{viewport['width']}-{lang}"
    visit(page_for(None, lang, viewport), f"{base}/accounts/login/", folder / f"{size}-login.png")
    office = page_for(office_user.username, lang, viewport)
    for name, path in OFFICE_PAGES.items():
        visit(office, base + path, folder / f"{size}-{name}.png")
    reporter = page_for(ward_reporter.username, lang, viewport)
    visit(reporter, f"{base}/", folder / f"{size}-unit.png")  # a reporter's home: its unit
    assert "/dashboards/unit/W1/" in reporter.url
    visit(reporter, f"{base}/reports/", folder / f"{size}-reports.png")
    visit(reporter, f"{base}/reports/{returned.pk}/", folder / f"{size}-report.png")
    reporter.goto(f"{base}/")
    with reporter.expect_navigation():
        reporter.get_by_role("link", name=CORRECT[lang]).click()
    assert reporter.url.endswith(f"/reports/{returned.pk}/edit/")
    visit(reporter, reporter.url, folder / f"{size}-form.png")
    return office


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_main_pages_fit_a_phone_and_the_first_figure_is_on_the_first_screen(
    open_page, live_server, office_user, ward_reporter, returned, screenshot_dir, lang
):
    args = (live_server, lang, PHONE, office_user, ward_reporter, returned, screenshot_dir)
    office = visit_all(open_page, *args)

    office.goto(f"{live_server.url}{OFFICE_PAGES['overview']}")
    first = office.locator("table.indicators tbody tr").first
    value = first.locator("td.figure").bounding_box()
    assert value is not None and value["y"] + value["height"] <= PHONE["height"]
    for cell in ("th", "td.name", "td.figure", "td.target", "td.status"):  # none cut off
        box = first.locator(cell).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_phone_the_menu_opens_by_keyboard_and_leads_to_a_page(
    open_page, live_server, office_user, returned, screenshot_dir, lang
):
    page = open_page(office_user.username, lang, PHONE)
    page.goto(f"{live_server.url}{OFFICE_PAGES['overview']}")
    link = page.get_by_role("link", name=REPORTS_LINK[lang], exact=True)
    assert link.count() == 0  # folded away: neither shown nor read out

    page.locator("details.menu > summary").focus()
    page.keyboard.press("Enter")
    assert link.is_visible()
    assert page.get_by_role("button", name={"vi": "Đăng xuất", "en": "Log out"}[lang]).is_visible()
    page.screenshot(path=str(screenshot_dir / f"390-{lang}-menu.png"))
    with page.expect_navigation():
        link.click()
    assert page.url == f"{live_server.url}/reports/"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_desktop_the_links_are_plain_and_the_pages_fit(
    open_page, live_server, office_user, ward_reporter, returned, screenshot_dir, lang
):
    args = (live_server, lang, DESKTOP, office_user, ward_reporter, returned, screenshot_dir)
    office = visit_all(open_page, *args)

    assert not office.locator("details.menu").is_visible()
    assert office.get_by_role("link", name=REPORTS_LINK[lang], exact=True).is_visible()


def test_on_a_phone_the_programme_page_gives_each_indicator_its_name_whole(
    open_page, live_server, office_user, programme, screenshot_dir
):
    page = open_page(office_user.username, "vi", PHONE)
    url = f"{live_server.url}/programmes/{programme.code}/"
    visit(page, url, screenshot_dir / "390-vi-p03.png")
    row = page.locator("table.programme-indicators tbody tr").first
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "390-vi-p03-indicators.png"))
    name = row.locator("td.name").bounding_box()
    assert name is not None
    # the name reads across (most of) the screen, not squeezed into a column a word wide
    assert name["width"] >= 0.6 * PHONE["width"], name
    assert name["x"] >= 0 and name["x"] + name["width"] <= PHONE["width"]
    for cell in ("td.fields", "td.target"):  # the rest of the row is there, below the name
        box = row.locator(cell).bounding_box()
        assert box is not None and box["y"] >= name["y"] + name["height"] - 1, cell
        assert box["x"] + box["width"] <= PHONE["width"], cell
