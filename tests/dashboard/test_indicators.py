"""Park indicators per month: 12-month windows, YoY growth, gaps, and the one definition per indicator."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.indicators import INDICATORS, compute_park_monthly, trailing_label
from data_access.reference import read_factor_rows

FACTORS = pd.DataFrame(read_factor_rows())


def energy_frame(months, grid=1_000_000.0, own=100_000.0, trade=50.0):
    return pd.DataFrame({
        "period": months, "electricity_grid_kwh": grid, "electricity_own_renewable_kwh": own,
        "electricity_direct_green_kwh": 0.0, "heat_purchased_gj": 0.0, "natural_gas_m3": 0.0, "coal_t": 0.0,
        "green_trade_mwh": trade, "certificate_mwh": 0.0,
    })


def months(start, n):
    return [p.to_timestamp().date() for p in pd.period_range(start, periods=n, freq="M")]


def test_twelve_month_share_is_a_ratio_of_sums_not_a_mean_of_ratios():
    ms = months("2024-01", 12)
    e = energy_frame(ms)
    e.loc[0, "electricity_grid_kwh"] = 9_000_000.0  # one big month weighs more
    out, _ = compute_park_monthly(e, pd.DataFrame(), pd.DataFrame(), FACTORS)
    total = e["electricity_grid_kwh"].sum() + e["electricity_own_renewable_kwh"].sum()
    green = e["electricity_own_renewable_kwh"].sum() + e["green_trade_mwh"].sum() * 1000
    assert out.loc[dt.date(2024, 12, 1), "green_power_share_t12"] == pytest.approx(green / total)
    assert np.isnan(out.loc[dt.date(2024, 11, 1), "green_power_share_t12"])  # only 11 months so far


def test_a_gap_in_the_months_is_not_bridged():
    ms = months("2024-01", 14)
    e = energy_frame([m for m in ms if m != dt.date(2024, 6, 1)])
    out, _ = compute_park_monthly(e, pd.DataFrame(), pd.DataFrame(), FACTORS)
    assert dt.date(2024, 6, 1) in out.index
    # Every window containing the missing June has fewer than 12 months of data and stays empty.
    assert out["total_emissions_t12"].isna().all()


def test_green_loan_yoy_and_share():
    ms = months("2024-01", 13)
    credit = pd.DataFrame({"period": ms, "green_balance": [100.0] * 12 + [118.2], "total_balance": [200.0] * 13,
                           "green_disbursed": 0.0, "total_disbursed": 0.0, "green_overdue_balance": 0.0,
                           "green_npl_balance": [0.0] * 12 + [1.182], "npl_balance": 0.0,
                           "green_rate_weighted": [300.0] * 12 + [354.6], "n_green_facilities": 3})
    out, _ = compute_park_monthly(pd.DataFrame(), credit, pd.DataFrame(), FACTORS)
    last = out.loc[dt.date(2025, 1, 1)]
    assert last["green_balance_yoy"] == pytest.approx(0.182)
    assert last["green_share_of_lending"] == pytest.approx(0.591)
    assert last["green_npl_ratio"] == pytest.approx(0.01)
    assert last["green_rate"] == pytest.approx(3.0)
    assert np.isnan(out.loc[dt.date(2024, 12, 1), "green_balance_yoy"])


def test_no_data_at_all_gives_an_empty_frame():
    out, used = compute_park_monthly(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), FACTORS)
    assert out.empty and used == []


def test_every_indicator_names_formula_unit_source_and_a_column():
    for ind in INDICATORS.values():
        assert ind.formula_zh and ind.formula_en and ind.source and ind.display_unit_zh
        assert ind.better in ("higher", "lower") and ind.change in ("pp", "pct", "abs")


@pytest.mark.parametrize(("code", "stored", "text"), [
    ("green_power_share", 0.3589, "35.9 %"),
    ("total_emissions", 1_624_919.8, "162.5 万吨CO2"),
    ("green_loan_balance", 1_492_915.0, "149.3 亿元"),
    ("carbon_per_energy", 2.968, "2.97 tCO2/tce"),
])
def test_display_units(code, stored, text):
    assert INDICATORS[code].format(stored, "zh") == text


def test_trailing_label():
    assert trailing_label("2026-10-01") == "2025-11至2026-10"
    assert trailing_label("2026-10-01", "en") == "2025-11 to 2026-10"


def test_the_core_target_is_derived_from_the_band_of_the_method_in_force():
    """Issue 16.1: the demo park uses 55.0万 tce by 当量值 and 107.3万 tce by 等价值, so the band, and with it the
    target, depends on the method; a stored 0.2 must not win over the band."""
    import datetime as dt

    from dashboard.indicators import core_band, core_target, targets_in_force

    months = [dt.date(2026, m, 1) for m in range(1, 11)]
    stored = pd.DataFrame([{"indicator": "carbon_per_energy", "year": 2030, "value": 0.2, "is_assumption": False, "source": "x"},
                           {"indicator": "green_power_share", "year": 2030, "value": 0.8, "is_assumption": True, "source": "y"}])
    for energy, threshold, band in ((550_000.0, 0.2, "mid"), (1_073_000.0, 0.3, "large"), (150_000.0, None, "small")):
        monthly = pd.DataFrame({"energy_tce_t12": [energy] * 10}, index=months)
        assert core_band(monthly, months[-1])[:2] == (threshold, band)
        in_force = targets_in_force(stored, monthly, months[-1], target_year=2030, method="coal_equivalent").set_index("indicator")
        if threshold is None:
            assert "carbon_per_energy" not in in_force.index  # no national threshold below 20万 tce, and no stored stand-in
        else:
            assert in_force.loc["carbon_per_energy", "value"] == threshold
            assert bool(in_force.loc["carbon_per_energy", "is_assumption"])  # the year is the park's own choice
        assert in_force.loc["green_power_share", "value"] == 0.8
    # A month before 12 months of data exist takes the band of the latest known 12 months, never a future one.
    monthly = pd.DataFrame({"energy_tce_t12": [None] * 5 + [1_200_000.0] * 5}, index=months)
    assert core_band(monthly, months[3]) == (None, "unknown", None)
    assert core_target(monthly, months[-1], target_year=2028, method="calorific")["year"] == 2028
