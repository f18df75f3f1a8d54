"""Why emissions moved (issue 20 §2): the additive LMDI-I effects add up to the change exactly, a two-sector example
computed by hand comes out right, terms that appear or vanish go to the factor that made them, and the park's
decomposition starts and ends at the park's own yearly emissions."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from dashboard import charts, energy_views, i18n, lmdi
from dashboard.indicators import compute_park_monthly
from dashboard.publication import gather_drivers
from data_access import credit_queries, queries
from data_access.scope import FULL_ACCESS


def row(sector, year, va, carrier, tce, co2, kwh=0.0, green=0.0, covered=True, n=3):
    return dict(sector=sector, year=year, carrier=carrier, value_added=va, energy_tce=tce, emissions_t=co2,
                electricity_kwh=kwh, green_kwh=green, n_enterprises=n, covered=covered)


def two_sectors() -> pd.DataFrame:
    """Sector A burns coal and buys electricity, grows, burns less coal and buys 20 % green power; sector B buys
    electricity only, shrinks, uses more energy per 万元 and buys 50 % green power. Value added 200 both years."""
    return pd.DataFrame([
        row("A", 2024, 100, "coal", 50, 130), row("A", 2024, 100, "electricity", 50, 250, 400, 0),
        row("B", 2024, 100, "electricity", 100, 500, 800, 0),
        row("A", 2025, 120, "coal", 40, 104), row("A", 2025, 120, "electricity", 60, 240, 480, 96),
        row("B", 2025, 80, "electricity", 100, 250, 800, 400),
    ])


def L(a, b):  # the log mean, written out
    return a if a == b else (a - b) / (math.log(a) - math.log(b))


def test_a_two_sector_example_computed_by_hand():
    dec = lmdi.compute_decomposition(two_sectors(), 2024, 2025)
    # Factors by term (2024 -> 2025): A-coal S .5->.6, I 1->100/120, M .5->.4, C 130->104;
    # A-elec S .5->.6, I 1->100/120, M .5->.6, G 1->.8, F 5->5, C 250->240; B-elec S .5->.4, I 1->1.25, G 1->.5, C 500->250.
    ac, ae, be = L(104, 130), L(240, 250), L(250, 500)
    expected = {
        "output": 0.0,  # value added 200 both years
        "structure": ac * math.log(.6 / .5) + ae * math.log(.6 / .5) + be * math.log(.4 / .5),
        "intensity": ac * math.log(100 / 120) + ae * math.log(100 / 120) + be * math.log(1.25),
        "mix": ac * math.log(.4 / .5) + ae * math.log(.6 / .5),
        "green_power": ae * math.log(.8) + be * math.log(.5),
        "grid_factor": 0.0, "fuel_factor": 0.0, "uncovered": 0.0,
    }
    for effect, value in expected.items():
        assert dec.effects[effect] == pytest.approx(value, abs=1e-9), effect
    assert dec.effects["green_power"] == pytest.approx(-304.66, abs=0.01)
    assert (dec.start_t, dec.end_t) == (880, 594)
    assert dec.effects.sum() == pytest.approx(-286, abs=1e-9)


def test_one_sector_has_no_structure_effect_and_its_own_output():
    dec = lmdi.compute_decomposition(two_sectors(), 2024, 2025, sector="A")
    assert dec.effects["structure"] == 0
    assert dec.effects["output"] == pytest.approx((L(104, 130) + L(240, 250)) * math.log(120 / 100), abs=1e-9)
    assert dec.effects.sum() == pytest.approx((104 + 240) - (130 + 250), abs=1e-9)


def test_terms_that_appear_or_vanish_go_to_the_factor_that_made_them():
    t = two_sectors()
    new_sector = row("C", 2025, 50, "gas", 10, 21.6)
    starts_gas = row("A", 2025, 120, "gas", 5, 10.8)
    all_green = row("B", 2025, 80, "electricity", 100, 0, 800, 800)
    t = pd.concat([t[~((t["sector"] == "B") & (t["year"] == 2025))], pd.DataFrame([new_sector, starts_gas, all_green])])
    dec = lmdi.compute_decomposition(t, 2024, 2025)
    assert dec.effects.sum() == pytest.approx(dec.change_t, abs=1e-9)
    # B's electricity went wholly green: its 500 t leave through green power, even though B's share changed too
    b_only = lmdi.compute_decomposition(t[t["sector"] == "B"], 2024, 2025, sector="B")
    assert b_only.effects["green_power"] == pytest.approx(-500)
    assert b_only.effects.drop("green_power").abs().max() == 0
    # a sector new in 2025 enters through structure; a carrier A starts to use, through the mix
    a = {"output": 200.0, "structure": 0.5, "intensity": 1.0, "mix": 0.5, "green_power": 1.0, "grid_factor": 1.0,
         "fuel_factor": 2.6}
    c = a | {"structure": 0.25, "mix": 1.0, "fuel_factor": 2.16}  # 200 x .25 x 1 x 1 x 2.16 = 108 t
    a_gas = a | {"mix": 0.1, "fuel_factor": 2.16}  # 21.6 t
    before = pd.DataFrame([a, a | {"mix": 0.0, "fuel_factor": np.nan}], index=["A-coal", "A-gas"])  # A burnt no gas
    after = pd.DataFrame([a, c, a_gas], index=["A-coal", "C-gas", "A-gas"])
    entered = lmdi.compute_lmdi(before, after)
    assert entered["structure"] == pytest.approx(108) and entered["mix"] == pytest.approx(21.6)
    assert entered.drop(["structure", "mix"]).abs().max() == 0


def test_enterprises_without_value_added_are_a_bar_of_their_own():
    t = pd.concat([two_sectors(), pd.DataFrame([row("A", 2024, 0, "coal", 10, 26, covered=False),
                                                row("A", 2025, 0, "coal", 20, 52, covered=False)])])
    dec = lmdi.compute_decomposition(t, 2024, 2025)
    assert dec.effects["uncovered"] == pytest.approx(26)
    assert dec.effects.sum() == pytest.approx(dec.change_t, abs=1e-9) and dec.change_t == pytest.approx(-286 + 26)


def test_the_effects_add_up_to_the_change_on_random_books():
    rng = np.random.default_rng(20)
    for _ in range(50):
        rows = []
        for year in (2024, 2025):
            for sector in "ABCDE":
                if rng.random() < 0.15:
                    continue  # a sector absent one year
                va = float(rng.uniform(10, 500))
                for carrier, factor in (("coal", 2.66), ("gas", 2.16), ("heat", 3.4), ("electricity", 4.9)):
                    tce = 0.0 if rng.random() < 0.25 else float(rng.uniform(1, 300))
                    green = float(rng.choice([0.0, rng.uniform(0, 1), 1.0])) if carrier == "electricity" else 0.0
                    kwh = tce / 1.229e-4
                    rows.append(row(sector, year, va, carrier, tce, tce * factor * (1 - green), kwh, kwh * green))
        t = pd.DataFrame(rows)
        dec = lmdi.compute_decomposition(t, 2024, 2025)
        assert dec.effects.sum() == pytest.approx(dec.change_t, rel=1e-12, abs=1e-7)


def test_the_sentence_reads_the_effects_as_the_chart_prints_them():
    dec = lmdi.compute_decomposition(two_sectors(), 2024, 2025)
    zh = energy_views.drivers_sentence(dec, "zh")
    # 880 t -> 594 t: down 286 t (-32.5 %), green power took 305 t off
    assert zh.startswith("按完整年度看，2025年全年园区碳排放0.06万吨CO2，较2024年下降0.03万吨（−32.5%）。"
                         "按对数平均迪氏指数（LMDI）分解：绿电减少排放0.03万吨")
    assert zh.endswith("各项合计下降0.03万吨。")
    en = energy_views.drivers_sentence(dec, "en")
    assert en.startswith("Taking whole years, in 2025 the park emitted 0.6 kt CO2, 0.3 kt less than in 2024 (−32.5%). "
                         "By factor (log-mean Divisia index, LMDI): green power took off 0.3 kt")
    table = energy_views.drivers_table(dec, "zh")
    assert list(table.iloc[:, 0]) == ["产出规模", "行业结构", "能源强度（能效）", "能源结构", "绿电", "电网排放因子", "合计变化"]


def test_the_park_decomposition_starts_and_ends_at_the_parks_yearly_emissions(demo_db):
    with demo_db.engine.connect() as conn:
        table = gather_drivers(conn, park_id=1, method="calorific")
        monthly, _ = compute_park_monthly(queries.load_energy_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          credit_queries.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_policy_tool_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_emission_factors(conn), method="calorific")
    yearly = monthly["total_emissions_t"].groupby(pd.to_datetime(monthly.index).year).sum()
    y0, y1 = lmdi.latest_pair(lmdi.decomposable_years(table), dt.date(2026, 11, 1))
    assert (y0, y1) == (2024, 2025)
    for a, b in ((y0, y1), (2021, 2025), (2022, 2023)):
        dec = lmdi.compute_decomposition(table, a, b)
        assert dec.start_t == pytest.approx(yearly[a], rel=1e-9) and dec.end_t == pytest.approx(yearly[b], rel=1e-9)
        assert dec.effects.sum() == pytest.approx(yearly[b] - yearly[a], rel=1e-9)
    # the grid factor changed from 2022 to 2023 (0.5856 -> 0.6096 kgCO2/kWh) and not after (2023's carried forward)
    assert lmdi.compute_decomposition(table, 2022, 2023).effects["grid_factor"] > 0
    assert lmdi.compute_decomposition(table, 2024, 2025).effects["grid_factor"] == pytest.approx(0, abs=1e-6)


def test_the_printed_parts_add_up_to_the_printed_change():
    """Rounded one by one, the demo's 2024-2025 parts printed −3.54 against a net −3.55: the parts are rounded to the
    total (largest remainder), in the chart, the table and the sentence alike."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        values = pd.Series(rng.normal(0, 10, 6), index=list("abcdef"))
        parts = charts.round_to_total(values, 2)
        assert round(parts.sum(), 2) == round(values.sum(), 2)
        assert ((parts - values).abs() < 0.01 + 1e-9).all()
    dec = lmdi.compute_decomposition(two_sectors(), 2024, 2025)
    for lang in ("zh", "en"):
        table = energy_views.drivers_table(dec, lang)
        parts, total = table.iloc[:-1, 1], table.iloc[-1, 1]
        assert round(parts.sum(), 2) == total == round(dec.change_t * i18n.scale("co2", lang), energy_views.drivers_decimals(lang))
