"""The outlook measures the chance and the pace at the target's own year, not always at 2030."""

import warnings

import numpy as np
import pandas as pd
import pytest

from dashboard.forecasting import probability_of_target
from dashboard.indicators import INDICATORS
from dashboard.outlook import compute_outlook, required_path

warnings.simplefilter("ignore")
IND = INDICATORS["green_power_share"]  # higher is better, change in percentage points


def share_history() -> pd.Series:
    """60 months, 2021-01 to 2025-12, a share rising slowly from about 0.30 to 0.40."""
    rng = np.random.default_rng(16)
    months = pd.period_range("2021-01", periods=60, freq="M")
    return pd.Series(np.linspace(0.30, 0.40, 60) + rng.normal(0, 0.004, 60), index=months)


def monthly_frame(hist: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"green_power_share_t12": hist.to_numpy()}, index=[p.to_timestamp().date() for p in hist.index])


def targets(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"indicator": "green_power_share", "year": y, "value": v, "is_assumption": True} for y, v in rows])


def test_a_2027_target_is_judged_at_december_2027():
    hist = share_history()
    o = compute_outlook(IND, monthly_frame(hist), targets((2027, 0.5)))
    at_2027 = probability_of_target(hist, 2027, 0.5, "above", kind="share")
    at_2030 = probability_of_target(hist, 2030, 0.5, "above", kind="share")
    assert o.target_year == 2027
    assert o.probability == pytest.approx(at_2027)
    assert abs(at_2030 - at_2027) > 0.05  # the old code reported the 2030 chance for a 2027 target
    # Two years from December 2025 to December 2027, in percentage points a year.
    assert o.required_per_year == pytest.approx((0.5 - hist.iloc[-1]) / 2 * 100)
    # The fan still runs to 2030 and value_2030 is read there; the path needed ends at the target.
    assert str(o.fan.index[-1]) == "2030-12"
    assert o.value_2030 == pytest.approx(o.fan.loc[pd.Period("2030-12", freq="M"), "mean"])
    path = required_path(o, IND)
    assert str(path.index[-1]) == "2027-12" and path.iloc[-1] == pytest.approx(0.5)


def test_which_target_row_is_used():
    hist = share_history()
    frame = monthly_frame(hist)
    # The latest year not after until_year.
    assert compute_outlook(IND, frame, targets((2027, 0.5), (2030, 0.8), (2035, 0.9))).target_year == 2030
    assert compute_outlook(IND, frame, targets((2027, 0.5), (2035, 0.9))).target_year == 2027
    # Every row later than until_year: the earliest; the fan then runs to that target.
    later = compute_outlook(IND, frame, targets((2035, 0.9), (2040, 0.95)))
    assert later.target_year == 2035 and str(later.fan.index[-1]) == "2035-12"
    assert later.probability == pytest.approx(probability_of_target(hist, 2035, 0.9, "above", kind="share"))
    assert later.value_2030 == pytest.approx(later.fan.loc[pd.Period("2030-12", freq="M"), "mean"])
    # A target already in the past: no chance and no pace, the forecast still runs to 2030.
    past = compute_outlook(IND, frame, targets((2024, 0.35)))
    assert past.target_year == 2024 and past.probability is None and past.required_per_year is None
    assert str(past.fan.index[-1]) == "2030-12"


def test_no_target_and_the_default_2030_target_behave_as_before():
    hist = share_history()
    frame = monthly_frame(hist)
    none = compute_outlook(IND, frame, pd.DataFrame(columns=["indicator", "year", "value", "is_assumption"]))
    assert none.target is None and none.probability is None and none.target_year == 2030
    o = compute_outlook(IND, frame, targets((2030, 0.8)))
    assert o.probability == pytest.approx(probability_of_target(hist, 2030, 0.8, "above", kind="share"))
    assert o.required_per_year == pytest.approx((0.8 - hist.iloc[-1]) / 5 * 100)
