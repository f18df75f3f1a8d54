"""Every page in the navigation renders for every park, in both languages, without an exception."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from dashboard.overview import OVERVIEW_CODES

APP = "../../app.py"


def run_app(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    return AppTest.from_file(APP, default_timeout=120).run()


def kpi_values(at: AppTest) -> dict[str, str]:
    out = {}
    for md in at.markdown:
        m = re.search(r"data-kpi='(\w+)'[^>]*>([^<]+)", md.value)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


@pytest.mark.parametrize("page", [p.path for p in PAGES])
@pytest.mark.parametrize("park_id", [1, 2])
def test_every_page_renders_for_every_park(monkeypatch, demo_sqlite, page, park_id):
    at = run_app(monkeypatch, demo_sqlite.url)
    at.selectbox(key="app_park").set_value(park_id).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("DEMO DATA" in md.value for md in at.markdown)  # the demo mark on every page
    assert any("数据截至" in c.value for c in at.caption)  # every page says how far its data runs


def test_overview_shows_every_kpi_with_a_value(monkeypatch, demo_sqlite):
    at = run_app(monkeypatch, demo_sqlite.url)
    values = kpi_values(at)
    assert set(values) == set(OVERVIEW_CODES)
    assert all(v != "—" for v in values.values()), values
    assert at.title[0].value == "阳泉高新区零碳园区 · 2026-10 总览"


def test_english_switch(monkeypatch, demo_sqlite):
    at = run_app(monkeypatch, demo_sqlite.url)
    at.radio(key="app_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Yangquan High-tech Zone zero-carbon park · overview for 2026-10"
    assert any("Green-power share" in md.value for md in at.markdown)


def test_method_switch_changes_the_core_indicator(monkeypatch, demo_sqlite):
    at = run_app(monkeypatch, demo_sqlite.url)
    calorific = float(kpi_values(at)["carbon_per_energy"])
    at.radio(key="app_method").set_value("coal_equivalent").run()
    coal_eq = float(kpi_values(at)["carbon_per_energy"])
    assert coal_eq < calorific / 1.3  # electricity weighs more in tce, so CO2 per tce falls


def test_an_empty_database_is_seeded_on_first_start(monkeypatch, tmp_path):
    monkeypatch.setenv("DEMO_HOURLY_MONTHS", "1")
    at = run_app(monkeypatch, f"sqlite:///{tmp_path / 'fresh.db'}")
    if not at.title:  # the seeding run ends with st.rerun(); AppTest needs one more run to follow it
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "总览" in at.title[0].value
