"""The emissions engine against hand-computed cases (factor values from domain/facts.md)."""

import datetime as dt

import pandas as pd
import pytest

from dashboard import carbon
from data_access.reference import read_factor_rows

FACTORS = pd.DataFrame(read_factor_rows())


def month(period="2023-06-01", **values):
    row = dict(period=dt.date.fromisoformat(period), electricity_grid_kwh=0.0, electricity_own_renewable_kwh=0.0,
               electricity_direct_green_kwh=0.0, heat_purchased_gj=0.0, natural_gas_m3=0.0, coal_t=0.0,
               green_trade_mwh=0.0, certificate_mwh=0.0)
    row.update(values)
    return pd.DataFrame([row])


def test_a_month_with_trades_and_certificates():
    # 1,000 MWh from the grid of which 200 MWh traded green and 100 certificates; 300 MWh own PV; 100 MWh direct.
    df = month(electricity_grid_kwh=1_000_000, electricity_own_renewable_kwh=300_000, electricity_direct_green_kwh=100_000,
               green_trade_mwh=200, certificate_mwh=100, coal_t=10, natural_gas_m3=5_000, heat_purchased_gj=100)
    out, used = carbon.compute_emissions(df, FACTORS)
    row = out.iloc[0]
    assert row["total_electricity_kwh"] == 1_400_000
    assert row["green_power_kwh"] == 700_000  # 300 + 100 + 200 + 100 MWh, each once
    assert row["green_power_share"] == pytest.approx(0.5)
    # Grid electricity not covered by trades or certificates: 700 MWh x 0.6096 (2023, excl. market green power).
    assert row["scope2_electricity_t"] == pytest.approx(700_000 * 0.6096 / 1000)
    assert row["scope1_coal_t"] == pytest.approx(10 * 0.7143 * 2.66)
    assert row["scope1_gas_t"] == pytest.approx(5_000 * 0.0021622)
    assert row["scope2_heat_t"] == pytest.approx(100 * 0.11)
    assert row["total_emissions_t"] == pytest.approx(426.72 + 19.00038 + 10.811 + 11.0)
    assert any(c.factor == "grid_excl_market_green" and c.year_used == 2023 for c in used)


def test_own_generation_whose_certificates_were_sold_is_not_claimed():
    """Issue 16.6: own PV whose certificates were sold was still counted as the park's green power."""
    df = month(electricity_grid_kwh=1_000_000, electricity_own_renewable_kwh=300_000, own_sold_mwh=120)
    row = carbon.compute_emissions(df, FACTORS)[0].iloc[0]
    assert row["green_power_kwh"] == 180_000 and row["green_power_share"] == pytest.approx(180_000 / 1_300_000)
    # The 120 MWh whose attribute went to the buyer is ordinary electricity: the grid factor applies.
    assert row["scope2_electricity_t"] == pytest.approx(1_120_000 * 0.6096 / 1000)
    oversold = carbon.compute_green_power(month(electricity_own_renewable_kwh=100_000, own_sold_mwh=500)).iloc[0]
    assert oversold["green_power_kwh"] == 0  # never below zero


def test_green_power_is_capped_at_consumption():
    df = month(electricity_grid_kwh=100_000, electricity_own_renewable_kwh=50_000, certificate_mwh=500)
    out, _ = carbon.compute_emissions(df, FACTORS)
    assert out.iloc[0]["green_power_share"] == 1.0
    assert out.iloc[0]["scope2_electricity_t"] == 0.0  # never negative


def test_missing_factor_year_uses_the_nearest_earlier_year():
    choice = carbon.select_factor(FACTORS, "grid_excl_market_green", 2026, "national")
    assert (choice.year_used, choice.value, choice.is_fallback) == (2023, 0.6096, True)
    out, used = carbon.compute_emissions(month("2026-03-01", electricity_grid_kwh=1000), FACTORS)
    assert out.iloc[0]["grid_factor_year"] == 2023
    assert out.iloc[0]["scope2_electricity_t"] == pytest.approx(0.6096)


def test_year_before_any_publication_uses_the_earliest():
    choice = carbon.select_factor(FACTORS, "grid_excl_market_green", 2021, "national")
    assert (choice.year_used, choice.value) == (2022, 0.5856)


def test_region_without_the_factor_falls_back_to_national():
    choice = carbon.select_factor(FACTORS, "grid_excl_market_green", 2023, "north_china")
    assert choice.region_used == "national" and choice.is_fallback
    regional = carbon.select_factor(FACTORS, "grid_average", 2023, "north_china")
    assert (regional.value, regional.region_used, regional.is_fallback) == (0.6361, "north_china", False)


def test_unknown_factor_is_a_clear_error():
    with pytest.raises(KeyError, match="not in the factor table"):
        carbon.select_factor(FACTORS, "nuclear_fusion")


@pytest.mark.parametrize(("method", "kgce_per_kwh"), [("calorific", 0.1229), ("coal_equivalent", 0.300)])
def test_energy_in_tce_by_method(method, kgce_per_kwh):
    df = month(electricity_grid_kwh=1_000_000, coal_t=100, natural_gas_m3=10_000, heat_purchased_gj=1_000)
    tce, used = carbon.compute_energy_tce(df, FACTORS, method=method)
    expected = 1_000_000 * kgce_per_kwh / 1000 + 100 * 0.7143 + 10_000 * 1.2143 / 1000 + 1_000 * 0.03412
    assert tce.iloc[0] == pytest.approx(expected)
    assert {c.factor for c in used} >= {"raw_coal", "natural_gas_tce", "heat_tce"}


def test_core_indicator_differs_several_fold_between_methods():
    df = month(electricity_grid_kwh=10_000_000)
    out, _ = carbon.compute_emissions(df, FACTORS)
    cal, _ = carbon.compute_energy_tce(df, FACTORS, method="calorific")
    coal_eq, _ = carbon.compute_energy_tce(df, FACTORS, method="coal_equivalent")
    ratio_cal = out["total_emissions_t"].iloc[0] / cal.iloc[0]
    ratio_eq = out["total_emissions_t"].iloc[0] / coal_eq.iloc[0]
    assert ratio_cal == pytest.approx(0.6096 / 0.1229)  # about 5 tCO2/tce for grid-only power
    assert ratio_cal / ratio_eq == pytest.approx(0.300 / 0.1229)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method must be one of"):
        carbon.compute_energy_tce(month(), FACTORS, method="made_up")


@pytest.mark.parametrize(("tce", "threshold"), [(150_000, None), (200_000, 0.2), (999_999, 0.2), (1_000_000, 0.3)])
def test_core_threshold_by_energy_band(tce, threshold):
    assert carbon.core_indicator_threshold(tce) == threshold
