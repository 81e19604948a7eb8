"""axe-core in Chromium on the main pages at 1280 and 390 px: no serious or critical violation.

axe-core is vendored under tests/vendor (it checks the pages; the pages never load it) and is
injected into each page with the page's Content Security Policy bypassed for the test only.
The touch targets of the overview are checked to be at least 24 × 24 px (WCAG 2.2, 2.5.8).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from reports.assignments import assignments_apply_proposal
from reports.services import report_return
from tests.conftest import approved, make_unit
from tests.dashboards.conftest import login
from unions.models import DEMO_CACHE_KEY, Unit, UnitKind

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core-4.14.1.min.js"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING = ("serious", "critical")


@pytest.fixture
def data(small_tree, programme):
    """Figures for 2025, a returned report, and a demo unit so that the demo banner shows."""
    t = small_tree
    assignments_apply_proposal()
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    d2 = approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220)
    report = approved(t.ward, programme, "2025Q3", approve=False, members=85, informed_ytd=70)
    returned = report_return(report, reason="Số đoàn viên chưa khớp.", actor=None)
    demo = make_unit("DEMO-1", UnitKind.GRASSROOTS, t.d2)
    Unit.objects.filter(pk=demo.pk).update(is_demo=True)
    cache.delete(DEMO_CACHE_KEY)
    return {"d2": d2, "returned": returned}


def office_pages(data) -> list[str]:
    return [
        "/dashboards/?year=2025",
        "/dashboards/indicator/A01/?period=2025",
        "/dashboards/unit/D2/?year=2025",
        "/dashboards/membership/",
        "/reports/",
        f"/reports/{data['d2'].pk}/",
        "/reports/tracking/",
        "/units/",
        "/units/D2/",
        "/audit/",
        "/accounts/me/",
        f"/print/reports/{data['d2'].pk}/",
    ]


def reporter_pages(data) -> list[str]:
    return [f"/reports/{data['returned'].pk}/edit/", "/accounts/me/password/"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")), count: v.nodes.length}));
        }"""
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}, {v['count']} nodes, e.g. {v['nodes']})"
        for v in found
        if v["impact"] in BLOCKING or v["id"] == "region"
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, office_user, ward_reporter, data, width, screenshot_dir
):
    problems: list[str] = []
    for username, pages in (("office", office_pages(data)), ("reporter_w1", reporter_pages(data))):
        context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
        context.set_default_timeout(15000)
        context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
        page = context.new_page()
        login(page, live_server, username)
        for path in pages:
            page.goto(live_server.url + path)
            problems += axe_violations(page)
            if path == "/units/":
                page.screenshot(path=str(screenshot_dir / f"axe-units-{width}.png"))
        context.close()
    anonymous = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
    page = anonymous.new_page()
    for path in ("/accounts/login/", "/accounts/password-reset/"):
        page.goto(live_server.url + path)
        problems += axe_violations(page)
    anonymous.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_overviews_touch_targets_are_at_least_24_px(
    browser, live_server, office_user, data, width, screenshot_dir
):
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/dashboards/?year=2025")
    small = page.evaluate(
        """() => [...document.querySelectorAll("main a, main button, main input, main select,"
                + " main summary, header a, header button, header summary")]
            .filter(e => e.offsetParent !== null)
            .filter(e => {
                const r = e.getBoundingClientRect();
                if (r.width >= 24 && r.height >= 24) return false;
                // WCAG 2.5.8 exception: a link inside a sentence or a table cell's text
                const inline = getComputedStyle(e).display === "inline"
                    && e.closest("p, li, td, dd") && e.closest("p, li, td, dd").textContent.trim()
                       !== e.textContent.trim();
                return !inline;
            })
            .map(e => `${e.tagName} "${e.textContent.trim().slice(0, 30)}" `
                + `${Math.round(e.getBoundingClientRect().width)}x`
                + `${Math.round(e.getBoundingClientRect().height)}`)"""
    )
    page.screenshot(path=str(screenshot_dir / f"targets-{width}.png"), full_page=True)
    context.close()
    assert not small, "\n".join(small)
