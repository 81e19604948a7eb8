"""A Standing Committee reader opens the overview in a real browser, drills into one indicator
and one unit, and sees the figures the roll-up and the read API give."""

from __future__ import annotations

import pytest
from django.utils import translation

from dashboards.templatetags.figures import figure, num
from rollup.engine import PeriodSpec, progress

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expected(programme, unit, period: str, code: str, lang: str) -> str:
    result = next(
        r for r in progress(programme, unit, PeriodSpec.parse(period)).results if r.code == code
    )
    with translation.override(lang):
        return figure(result)


def api_counts(page, base: str, unit: str, period: str, code: str, lang: str) -> str | None:
    """ "(n/d)" as the read API gives it, or None while the API is not there."""
    response = page.request.get(f"{base}/api/v1/progress/?unit={unit}&period={period}")
    if response.status != 200:
        return None
    row = next(i for i in response.json()["indicators"] if i["code"] == code)
    with translation.override(lang):
        if row["denominator"] is None:
            return num(row["numerator"])
        return f"({num(row['numerator'])}/{num(row['denominator'])})"


def test_committee_reader_drills_from_overview_to_indicator_and_unit(
    browser, live_server, committee_user, reported, programme, screenshot_dir
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server, "committee")
    page.select_option("select[name=year]", "2025")
    with page.expect_navigation():
        page.click("form.dash-params button[type=submit]")
    lang = page.get_attribute("html", "lang") or "vi"

    a01 = page.inner_text("tr[data-code=A01] td.figure")
    t01 = page.inner_text("tr[data-code=T01] td.figure")
    assert a01 == expected(programme, reported.province, "2025", "A01", lang)
    # The term runs to 2026 but the figures stop in 2025Q4: the cell says which quarter.
    as_of = {"vi": "số liệu Quý 4/2025", "en": "figures of Quarter 4/2025"}[lang]
    assert t01 == f"{expected(programme, reported.province, 'term', 'T01', lang)} ({as_of})"
    from_api = api_counts(page, base, "P", "2025", "A01", lang)
    if from_api is not None:
        assert from_api in a01
    page.screenshot(path=str(screenshot_dir / "overview.png"), full_page=True)

    with page.expect_navigation():
        page.click("tr[data-code=T01] th a")
    assert page.inner_text("dd.figure").startswith(
        expected(programme, reported.province, "term", "T01", lang)
    )
    assert page.locator("figure.chart svg").count() == 1
    assert page.locator("table.breakdown tbody tr").count() >= 2
    page.screenshot(path=str(screenshot_dir / "indicator.png"), full_page=True)

    with page.expect_navigation():
        page.click("table.breakdown a:text('Unit D2')")
    assert "/dashboards/unit/D2/" in page.url
    d2 = page.inner_text("tr[data-code=T01] td.figure")
    assert d2 == f"{expected(programme, reported.d2, 'term', 'T01', lang)} ({as_of})"
    from_api = api_counts(page, base, "D2", "term", "T01", lang)
    if from_api is not None:
        assert d2.startswith(from_api)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(screenshot_dir / "unit-phone.png"), full_page=True)
    context.close()  # ends keep-alive requests, so the live server lets go of the database
