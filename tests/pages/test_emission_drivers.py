"""Why emissions moved on screen (issue 20 §2): the energy page's waterfall and table show the decomposition of the
park's change, follow the years and the sector picked, are the park's whole population for a bank's reporter, list
only sectors of enough enterprises in publicity mode, and the briefing says it in one sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import energy_views, i18n, lmdi
from dashboard.publication import gather_drivers
from data_access.scope import MIN_GROUP_SIZE
from tests.pages.test_pages import sign_in

PERIOD = dt.date(2026, 10, 1)  # the month the demo app opens on


@pytest.fixture(scope="module")
def drivers(demo_sqlite):
    with demo_sqlite.engine.connect() as conn:
        return gather_drivers(conn, park_id=1, method="calorific")


def drivers_table(at):
    [table] = [d.value for d in at.dataframe if "因素" in d.value.columns]
    return table


def shown_effects(at) -> dict[str, float]:
    table = drivers_table(at)
    return dict(zip(table["因素"], table["贡献（万吨CO2）"]))


def expected_effects(dec) -> dict[str, float]:
    table = energy_views.drivers_table(dec, "zh")
    return dict(zip(table["因素"], table["贡献（万吨CO2）"]))


def open_energy(monkeypatch, url, role):
    at = sign_in(monkeypatch, url, role)
    at.switch_page("pages/energy.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert i18n.t("lmdi.heading", "zh") in [h.value for h in at.subheader]
    return at


def test_the_analyst_sees_last_years_change_and_it_follows_the_years_and_sector(monkeypatch, demo_sqlite, drivers):
    at = open_energy(monkeypatch, demo_sqlite.url, "pboc_analyst")
    dec = lmdi.compute_decomposition(drivers, 2024, 2025)
    assert shown_effects(at) == expected_effects(dec)
    assert shown_effects(at)["合计变化"] == round((dec.end_t - dec.start_t) * 1e-4, 2)
    assert energy_views.drivers_sentence(dec, "zh") in [m.value for m in at.markdown]
    spec = next(c.proto.spec for c in at.get("plotly_chart") if "合计变化" in c.proto.spec)
    assert "2024年168.80" in spec or f"2024年{dec.start_t * 1e-4:,.2f}" in spec

    at.selectbox(key="en_lmdi_from").set_value(2021).run()
    assert shown_effects(at) == expected_effects(lmdi.compute_decomposition(drivers, 2021, 2025))
    sector = lmdi.publishable_sectors(drivers, 2021, 2025, 1)[0]
    at.selectbox(key="en_lmdi_scope").set_value(sector).run()
    by_sector = lmdi.compute_decomposition(drivers, 2021, 2025, sector=sector)
    assert shown_effects(at) == expected_effects(by_sector)
    assert "行业结构" not in shown_effects(at)  # one sector has no structure effect

    at.selectbox(key="en_lmdi_to").set_value(2021).run()
    assert i18n.t("lmdi.same_year", "zh") in [i.value for i in at.info]


def test_a_reporter_sees_the_whole_parks_change(monkeypatch, demo_sqlite, drivers):
    at = open_energy(monkeypatch, demo_sqlite.url, "institution_reporter")
    assert shown_effects(at) == expected_effects(lmdi.compute_decomposition(drivers, 2024, 2025))
    assert any("150家企业" in c.proto.spec for c in at.get("plotly_chart"))


def test_publicity_lists_only_sectors_of_enough_enterprises(monkeypatch, demo_sqlite, drivers):
    at = open_energy(monkeypatch, demo_sqlite.url, "publicity")
    assert shown_effects(at) == expected_effects(lmdi.compute_decomposition(drivers, 2024, 2025))
    options = at.selectbox(key="en_lmdi_scope").options
    sizes = drivers[drivers["year"] == 2025].drop_duplicates(["sector", "covered"]).groupby("sector")["n_enterprises"].sum()
    small = {i18n.label("sector", s, "zh") for s, n in sizes.items() if n < MIN_GROUP_SIZE}
    assert small, "the demo should have a sector too small to publish"
    assert not small & set(options)
    assert len(options) == 1 + sum(sizes >= MIN_GROUP_SIZE)


def test_the_briefing_says_why_emissions_moved(monkeypatch, demo_sqlite, drivers):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    sentence = energy_views.drivers_sentence(lmdi.compute_decomposition(drivers, 2024, 2025), "zh")
    assert sentence.startswith("按完整年度看，2025年全年园区碳排放")
    assert f"- {sentence}" in [m.value for m in at.markdown]
