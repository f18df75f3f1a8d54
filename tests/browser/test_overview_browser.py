"""The Overview in headless Chromium shows the KPI values the database holds.

Expected values are computed here with plain SQL and the factor values written out from
shared/domain/facts.md, independently of the app's query and indicator code.
"""

import datetime as dt

import pytest
from sqlalchemy import text

from tests.browser.conftest import SCREENSHOTS, WAIT_MS, real_errors, settle, sign_in

pytestmark = pytest.mark.browser

WINDOW = (dt.date(2025, 11, 1), dt.date(2026, 10, 1))  # the 12 months ending in the default month 2026-10
GRID_2023_EXCL_MARKET = 0.6096  # kgCO2/kWh, used for 2025-2026 (nearest earlier published year)
COAL_TCE, COAL_CO2 = 0.7143, 2.66
GAS_CO2, GAS_KGCE = 0.0021622, 1.2143
HEAT_CO2, HEAT_TCE = 0.11, 0.03412
ELEC_KGCE = 0.1229


def expected_kpis(engine) -> dict[str, str]:
    with engine.connect() as conn:
        carriers = dict(conn.execute(text(
            "SELECT carrier, SUM(value) FROM energy_monthly WHERE park_id = 1 AND period BETWEEN :a AND :b GROUP BY carrier"),
            {"a": WINDOW[0], "b": WINDOW[1]}).all())
        # Each MWh once: a GEC serial range counts in the first month any claim has it (the demo's ranges are
        # identical or disjoint); a claim without serials once per kind and reference.
        firsts = conn.execute(text(
            "SELECT MIN(period), MAX(mwh) FROM green_power_transaction WHERE park_id = 1 AND kind <> 'own_sold' "
            "AND serial_start IS NOT NULL GROUP BY serial_start, serial_end")).all()
        firsts += conn.execute(text(
            "SELECT MIN(period), MAX(mwh) FROM green_power_transaction WHERE park_id = 1 AND serial_start IS NULL "
            "GROUP BY kind, reference")).all()
        sold = conn.execute(text(
            "SELECT period, mwh FROM green_power_transaction WHERE park_id = 1 AND kind = 'own_sold'")).all()
        balance = conn.execute(text(  # banks' green loans (green leasing is reported apart)
            "SELECT SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.park_id = 1 AND f.is_green = :t AND s.is_current = :t AND s.period = :p AND s.inst_type <> 'other'"),
            {"t": True, "p": WINDOW[1]}).scalar()
    inside = lambda first: WINDOW[0].isoformat() <= str(first)[:10] <= WINDOW[1].isoformat()  # noqa: E731
    market_mwh = sum(float(mwh) for first, mwh in firsts if inside(first))
    sold_kwh = sum(float(mwh) for period, mwh in sold if inside(period)) * 1000  # own PV whose certificates were sold
    grid, own, direct = (carriers.get(c, 0.0) for c in ("electricity_grid", "electricity_own_renewable", "electricity_direct_green"))
    coal, gas, heat = (carriers.get(c, 0.0) for c in ("coal", "natural_gas", "heat_purchased"))
    total_kwh = grid + own + direct
    share = (own - sold_kwh + direct + market_mwh * 1000) / total_kwh
    emissions = (coal * COAL_TCE * COAL_CO2 + gas * GAS_CO2
                 + (grid + sold_kwh - market_mwh * 1000) * GRID_2023_EXCL_MARKET / 1000 + heat * HEAT_CO2)
    tce = total_kwh * ELEC_KGCE / 1000 + coal * COAL_TCE + gas * GAS_KGCE / 1000 + heat * HEAT_TCE
    return {
        "green_power_share": f"{share * 100:,.1f}",
        "total_emissions": f"{emissions / 1e4:,.1f}",
        "carbon_per_energy": f"{emissions / tce:,.2f}",
        "green_loan_balance": f"{float(balance) / 1e4:,.1f}",
    }


def test_overview_kpis_equal_the_database(app_server, page, demo_sqlite):
    sign_in(page, app_server, "leader")
    page.wait_for_selector("[data-testid='kpi-value'][data-kpi='green_loan_balance']", timeout=WAIT_MS)
    settle(page)
    shown = {el.get_attribute("data-kpi"): el.inner_text().split()[0]
             for el in page.locator("[data-testid='kpi-value']").all()}
    expected = expected_kpis(demo_sqlite.engine)
    for code, value in expected.items():
        assert shown[code] == value, (code, shown[code], value)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "DEMO DATA" in page.locator("[data-testid='demo-mark']").inner_text()
    assert "数据截至：能碳 2026-10-31；信贷 2026-10-31" in page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview.png"), full_page=True)
    assert real_errors(page) == []


def test_language_and_page_switch_keep_the_shell(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    page.wait_for_selector("[data-testid='kpi-value']", timeout=WAIT_MS)
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.includes('overview')")
    page.get_by_text("Metric catalogue").first.click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('Metric catalogue')",
                           timeout=WAIT_MS)
    # The language chosen on the first page survives the page change; the sidebar is still there.
    assert page.locator("[data-testid='stSidebar'] [role='radiogroup']").count() == 1  # language; the method is a park setting
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "indicators_en.png"), full_page=True)


def test_a_deep_link_asks_for_sign_in_then_opens_with_the_shell(app_server, page):
    page.goto(f"{app_server}/indicators")
    page.wait_for_selector("h1", timeout=WAIT_MS)
    settle(page)
    assert page.locator("h1").first.inner_text() == "零碳园区金融支持监测看板 · 登录"
    sign_in(page, app_server, "leader")
    page.locator("[data-testid='stSidebarNav'] a", has_text="指标口径").click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('指标口径')",
                           timeout=WAIT_MS)
    assert page.locator("[data-testid='stSidebar'] [role='radiogroup']").count() == 1  # language; the method is a park setting
    assert page.locator("[data-testid='stException']").count() == 0
