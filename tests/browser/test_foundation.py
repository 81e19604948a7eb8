"""Issue 2 in a real browser: log in, switch language, browse the tree before and after 2025."""

import pytest

from demo.accounts import demo_accounts_load
from demo.hierarchy import demo_hierarchy_load
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    demo_hierarchy_load()
    demo_accounts_load()


def test_office_staff_log_in_switch_language_and_see_the_tree_change(page, demo, screenshot_dir):
    login(page, "vanphong", "demo")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("button", name="Đăng xuất").is_visible()

    page.click("button[data-lang=en]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").is_visible()
    page.click("button[data-lang=vi]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "vi"

    page.goto(f"{page.base_url}/units/?on=2024-06-30")
    before = page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / "tree-2024.png"), full_page=False)
    page.goto(f"{page.base_url}/units/")
    today = page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / "tree-today.png"), full_page=False)

    assert "LĐLĐ huyện Tam Đường" in before
    assert "Công đoàn Phường Tân Phong" not in before
    assert "LĐLĐ huyện Tam Đường" not in today
    assert "Công đoàn Phường Tân Phong" in today


def test_a_reporter_sees_only_its_own_subtree(page, demo):
    login(page, "tanphong", "demo")
    page.goto(f"{page.base_url}/units/")
    text = page.locator("main").inner_text()
    assert "Công đoàn Phường Tân Phong" in text
    assert "Công đoàn Phường Đoàn Kết" not in text
    response = page.goto(f"{page.base_url}/units/LDLD-TD/")
    assert response is not None and response.status == 404
