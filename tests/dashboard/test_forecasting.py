"""Forecasting functions on synthetic series with known answers."""

import warnings

import numpy as np
import pandas as pd
import pytest

from dashboard import forecasting
from dashboard.forecasting import METHODS, backtest, forecast, infer_kind, probability_of_target

warnings.simplefilter("ignore")
RNG = np.random.default_rng(7)


def yearly(values, start="2015"):
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="Y"), dtype=float)


def test_a_linear_trend_is_extended():
    s = yearly(10 + 2 * np.arange(12) + RNG.normal(0, 0.2, 12))
    f = forecast(s, 2030)
    assert list(f.index.astype(str)) == [str(y) for y in range(2027, 2031)]
    assert f.loc["2030", "mean"] == pytest.approx(40, abs=1.5)
    assert (f["lower"] <= f["mean"]).all() and (f["mean"] <= f["upper"]).all()
    width = f["upper"] - f["lower"]
    assert width.iloc[-1] >= width.iloc[0]  # uncertainty does not shrink with the horizon


def test_a_seasonal_monthly_series_keeps_its_season():
    t = np.arange(96)
    s = pd.Series(100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + RNG.normal(0, 1, 96),
                  index=pd.period_range("2018-01", periods=96, freq="M"))
    f, fit = forecast(s, "2026-12", return_fit=True)
    expected = [100 + 0.5 * k + 10 * np.sin(2 * np.pi * k / 12) for k in range(96, 108)]
    assert fit.method == "combination" and fit.seasonal  # seasonally adjusted, then combined
    assert np.abs(f["mean"].to_numpy() - expected).max() < 3


def test_a_share_near_one_stays_in_bounds():
    s = yearly(np.clip(0.80 + 0.03 * np.arange(6), 0, 0.99))
    f = forecast(s, 2035)
    assert infer_kind(s) == "share"
    assert (f["upper"] <= 1).all() and (f["lower"] >= 0).all()


def test_a_falling_positive_series_never_goes_negative():
    s = yearly([100, 80, 62, 45, 30, 18, 9])
    f = forecast(s, 2035, kind="positive")
    assert (f["lower"] >= 0).all() and (f["mean"] >= 0).all()


def test_gaps_and_a_datetime_index_are_accepted():
    idx = pd.date_range("2019-01-01", periods=60, freq="MS")
    s = pd.Series(50 + np.arange(60) + RNG.normal(0, 1, 60), index=idx)
    s.iloc[[5, 6, 30]] = np.nan
    s = s.drop(s.index[[40, 41]])  # missing rows, not only NaN
    f = forecast(s, 2024)
    assert str(f.index[0]) == "2024-01" and str(f.index[-1]) == "2024-12"
    assert f.notna().all().all()


def test_short_history_gets_a_wide_honest_answer():
    short = forecast(yearly([10.0, 12.0, 13.5]), 2022)
    long = forecast(yearly(10 + 1.5 * np.arange(12) + RNG.normal(0, 0.5, 12), start="2006"), 2022)
    assert (short["upper"] - short["lower"]).iloc[-1] > (long["upper"] - long["lower"]).iloc[-1]


@pytest.mark.parametrize(("history", "until", "message"), [
    (yearly([1.0, 2.0]), 2030, "at least 3 observations"),
    (yearly([1.0, np.nan, 2.0, np.nan]), 2030, "at least 3 observations"),
    (yearly([1.0, 2.0, 3.0]), 2016, "must be after the last observation"),
])
def test_clear_errors(history, until, message):
    with pytest.raises(ValueError, match=message):
        forecast(history, until)


def test_a_share_out_of_bounds_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        forecast(yearly([0.2, 0.5, 1.4]), 2030, kind="share")


def test_probability_near_zero_and_near_one():
    rising = yearly(10 + 2 * np.arange(12) + RNG.normal(0, 0.3, 12))
    assert probability_of_target(rising, 2030, 20, "below") < 0.02
    assert probability_of_target(rising, 2030, 20, "above") > 0.98
    mid = probability_of_target(rising, 2030, 40, "above")
    assert 0.2 < mid < 0.8  # the target is about where the trend leads


def test_backtest_reports_mase_and_coverage():
    s = yearly(10 + 2 * np.arange(25) + RNG.normal(0, 1, 25), start="2000")
    bt = backtest(s, 3, n_origins=5)
    assert set(bt.errors.columns) >= {"origin", "h", "actual", "mean", "lower", "upper", "naive", "drift"}
    assert len(bt.errors) == 5 * 3
    assert bt.mase < bt.mase_naive  # a trending series: the naive forecast lags
    assert 0 <= bt.coverage <= 1


def balances(rng, n):
    """Monthly balances: a random walk with drift on the log scale (1.2 % a month, 2 % noise) plus 1 % noise."""
    t = np.arange(n)
    return 1e6 * np.exp(0.012 * t + np.cumsum(rng.normal(0, 0.02, n)) + rng.normal(0, 0.01, n))


def test_bands_widen_with_the_horizon_and_cover_far_ahead():
    rng = np.random.default_rng(2030)
    s = pd.Series(balances(rng, 72), index=pd.period_range("2020-01", periods=72, freq="M"))
    f = forecast(s, "2029-12")
    relative = (f["upper"] - f["lower"]) / f["mean"]
    assert relative.iloc[47] > 2 * relative.iloc[5]  # 48 months ahead against 6
    assert relative.is_monotonic_increasing and (f["lower"] > 0).all()
    # Out of sample with known futures: 60 more such balances, each forecast 48 months from its 72nd month.
    inside = []
    for _ in range(60):
        y = balances(rng, 120)
        fc = forecast(pd.Series(y[:72], index=s.index), "2029-12")
        inside.append((fc["lower"].to_numpy() <= y[72:]) & (y[72:] <= fc["upper"].to_numpy()))
    inside = np.array(inside)
    assert 0.70 <= inside.mean() <= 0.90
    assert 0.70 <= inside[:, 36:].mean() <= 0.95  # 37 to 48 months ahead, beyond the backtested steps


def test_the_combination_beats_both_baselines_on_real_series():
    sm = pytest.importorskip("statsmodels.api")
    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()["1980":"1999"]
    co2.index = co2.index.to_period("M")
    el = sm.datasets.elnino.load_pandas().data.set_index("YEAR").stack()
    nino = pd.Series(el.to_numpy(dtype=float), index=pd.period_range("1950-01", periods=len(el), freq="M")).iloc[-240:]
    inside = outcomes = 0
    for series in (co2, nino):
        bt = backtest(series, 12, n_origins=4)
        assert bt.mase < 0.8 * min(bt.mase_naive, bt.mase_drift)  # seasonal series: the naive ones miss the season
        inside += bt.coverage * len(bt.errors)
        outcomes += len(bt.errors)
    assert 0.70 <= inside / outcomes <= 0.95


def test_one_forecast_is_fast_and_reports_its_parts():
    import time

    rng = np.random.default_rng(5)
    s = pd.Series(balances(rng, 70), index=pd.period_range("2021-01", periods=70, freq="M"))
    forecasting._fit_and_values.cache_clear()
    t0 = time.perf_counter()
    f, fit = forecast(s, 2030, return_fit=True)
    assert time.perf_counter() - t0 < 2.0
    assert fit.method == "combination" and fit.members == ("theta", "ets_damped", "arima")
    assert set(fit.cv_error) == {"combination", "theta", "ets_damped", "arima", "naive", "drift"}
    assert fit.backtested_steps == 70 // 6 and fit.scale > 0
    assert (f["lower"] <= f["mean"]).all() and (f["mean"] <= f["upper"]).all()


@pytest.mark.parametrize("method", [m for m in METHODS if m != "auto"])
def test_every_single_model_can_still_be_asked_for(method):
    t = np.arange(48)
    s = pd.Series(0.2 + 0.005 * t + 0.02 * np.sin(2 * np.pi * t / 12) + RNG.normal(0, 0.005, 48),
                  index=pd.period_range("2022-01", periods=48, freq="M"))
    f, fit = forecast(s, 2028, method=method, return_fit=True)
    assert fit.method == method and f.notna().all().all()
    assert (f["lower"] >= 0).all() and (f["upper"] <= 1).all()  # a share stays a share


def test_scenario_through_the_engine():

    from dashboard.outlook import PV_YIELD_KWH_PER_KW, Scenario, scenario_effect
    from data_access.reference import read_factor_rows

    factors = pd.DataFrame(read_factor_rows())
    months = [p.to_timestamp().date() for p in pd.period_range("2025-11", periods=12, freq="M")]
    energy = pd.DataFrame({"period": months, "electricity_grid_kwh": 10_000_000.0, "electricity_own_renewable_kwh": 100_000.0,
                           "electricity_direct_green_kwh": 0.0, "heat_purchased_gj": 0.0, "natural_gas_m3": 0.0, "coal_t": 0.0,
                           "green_trade_mwh": 0.0, "certificate_mwh": 0.0})
    effect = scenario_effect(energy, factors, Scenario(added_mw_per_year=10), from_year=2027).set_index("year")
    # 10 MW a year, 1350 kWh/kW: 13,500 MWh more own power each year, replacing grid power at 0.6096 t/MWh.
    assert effect.loc[2027, "d_emissions_t"] == pytest.approx(-13_500 * 0.6096, rel=1e-6)
    assert effect.loc[2030, "d_emissions_t"] == pytest.approx(-4 * 13_500 * 0.6096, rel=1e-6)
    assert effect.loc[2030, "d_green_share"] == pytest.approx(4 * 13_500_000 / 121_200_000, rel=1e-6)
    purchases = scenario_effect(energy, factors, Scenario(purchases_mwh_per_year=12_000), from_year=2027).set_index("year")
    assert purchases.loc[2027, "d_emissions_t"] == pytest.approx(-12_000 * 0.6096, rel=1e-6)
    assert PV_YIELD_KWH_PER_KW == 1350.0
