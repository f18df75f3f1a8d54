"""The energy-carbon pages and the park map in a real browser, offline."""

import pytest

from tests.browser.conftest import SCREENSHOTS, WAIT_MS, real_errors, settle, sign_in

pytestmark = pytest.mark.browser


def test_energy_page_map_and_live_panel(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    page.locator("[data-testid='stSidebarNav'] a", has_text="能碳监测").click()
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=WAIT_MS)
    settle(page)
    body = page.inner_text("body")
    assert "绿电消费占比近12个月为" in body and "最近有数据的一天：2026-10-31逐时负荷与绿电" in body  # not "实时": the day is not today
    assert page.locator("[data-testid='stPlotlyChart']").count() == 8  # with why emissions moved
    assert page.locator("[data-testid='stException']").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "energy.png"), full_page=True)
    assert real_errors(page) == []


def test_carbon_account_page(app_server, page):
    sign_in(page, app_server, "park_committee")
    page.locator("[data-testid='stSidebarNav'] a", has_text="企业碳账户").click()
    page.wait_for_selector("[data-testid='stMetric']", timeout=WAIT_MS)
    settle(page)
    assert "碳效等级" in page.inner_text("body")
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "carbon_account.png"), full_page=True)
    assert real_errors(page) == []
