"""Green finance in a real browser: a click on a bar drills down; the comparison downloads as Excel."""

import pytest

from tests.browser.conftest import SCREENSHOTS, WAIT_MS, download_rows, real_errors, settle, sign_in

pytestmark = pytest.mark.browser


def test_click_a_bar_to_drill_down_and_back(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    page.locator("[data-testid='stSidebarNav'] a", has_text="绿色金融").click()
    bars = page.locator(".st-key-gf_by_inst_type .plotly .bars .point path")
    bars.first.wait_for(timeout=WAIT_MS)
    settle(page)
    assert "各类机构绿色贷款余额" in page.inner_text("body")
    bars.nth(bars.count() - 1).click(force=True)  # the top bar: the largest institution type
    page.wait_for_selector(".st-key-gf_by_institution .plotly", timeout=WAIT_MS)
    assert "国有银行各机构绿色贷款余额" in page.inner_text("body")
    page.locator(".st-key-gf_by_institution .plotly .bars .point path").last.click(force=True)
    page.get_by_text("贷款明细（").wait_for(timeout=WAIT_MS)
    settle(page)
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "green_finance_loans.png"), full_page=True)
    page.locator(".st-key-gf_crumb_park button").click()
    page.wait_for_selector(".st-key-gf_by_inst_type .plotly", timeout=WAIT_MS)
    assert "各类机构绿色贷款余额" in page.inner_text("body")
    assert page.locator("[data-testid='stException']").count() == 0
    assert real_errors(page) == []


def test_comparison_downloads_as_excel(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    page.locator("[data-testid='stSidebarNav'] a", has_text="机构画像").click()
    page.get_by_role("tab", name="机构对比排名").click()
    wb, rows = download_rows(page, "in_compare_xlsx")
    assert rows[0][:2] == ("排名", "机构")
    assert len(rows) == 1 + 18
    assert real_errors(page) == []
