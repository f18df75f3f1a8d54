"""KPI changes and the position against the 2030 target, on hand-made numbers."""

import datetime as dt

import pandas as pd
import pytest

from dashboard.indicators import INDICATORS
from dashboard.overview import (
    compute_change,
    compute_overview_kpis,
    compute_progress_rows,
    compute_target_position,
    required_value,
    time_elapsed,
)

SHARE, EMISSIONS, BALANCE = INDICATORS["green_power_share"], INDICATORS["total_emissions"], INDICATORS["green_loan_balance"]


def test_changes_in_points_percent_and_counts():
    assert compute_change(SHARE, 0.36, 0.275) == pytest.approx(8.5)
    assert compute_change(EMISSIONS, 98.0, 100.0) == pytest.approx(-2.0)
    assert compute_change(INDICATORS["open_alerts"], 10, 7) == 3
    assert compute_change(SHARE, 0.3, None) is None


def test_time_elapsed_runs_from_base_december_to_target_december():
    assert time_elapsed(dt.date(2025, 12, 1), 2025, 2030) == 0
    assert time_elapsed(dt.date(2026, 12, 1), 2025, 2030) == pytest.approx(0.2)
    assert time_elapsed(dt.date(2031, 3, 1), 2025, 2030) == 1


def test_share_path_is_straight_and_balance_path_is_constant_rate():
    assert required_value(SHARE, 0.3, 0.8, 0.2) == pytest.approx(0.4)
    # 100 -> 201.14 over five years is 15 % a year; after one year the path stands at 115.
    assert required_value(BALANCE, 100.0, 100 * 1.15**5, 0.2) == pytest.approx(115.0)


@pytest.mark.parametrize(("value", "status"), [(0.81, "met"), (0.41, "on_track"), (0.39, "behind")])
def test_position_of_a_share(value, status):
    got, required = compute_target_position(SHARE, value, dt.date(2026, 12, 1), 0.3, 2025, 0.8, 2030)
    assert got == status
    assert required == pytest.approx(0.8 if status == "met" else 0.4)


def test_steady_growth_at_the_target_rate_is_on_track():
    status, _ = compute_target_position(BALANCE, 115.01, dt.date(2026, 12, 1), 100.0, 2025, 100 * 1.15**5, 2030)
    assert status == "on_track"


def test_falling_emissions_position():
    status, required = compute_target_position(EMISSIONS, 90.0, dt.date(2026, 12, 1), 100.0, 2025, 10.0, 2030)
    assert required == pytest.approx(100 * 0.1**0.2)  # 63.1: the constant-rate path
    assert status == "behind"


def test_overview_kpis_from_a_monthly_frame():
    idx = [p.to_timestamp().date() for p in pd.period_range("2024-10", "2026-10", freq="M")]
    monthly = pd.DataFrame(index=pd.Index(idx, name="period"))
    monthly["green_power_share_t12"] = [0.2 + 0.01 * i for i in range(len(idx))]
    monthly["green_balance"] = 100.0
    monthly["green_balance_yoy"] = 0.1
    targets = pd.DataFrame([{"indicator": "green_power_share", "year": 2030, "value": 0.8, "is_assumption": True, "source": "x"}])
    kpis = {k.indicator.code: k for k in compute_overview_kpis(monthly, targets, 4, 6, dt.date(2026, 10, 1), base_year=2025)}
    share = kpis["green_power_share"]
    assert share.value == pytest.approx(0.44)
    assert share.change == pytest.approx(12.0)
    assert share.base_value == pytest.approx(0.34)  # December 2025
    assert share.target_is_assumption and share.status == "on_track"  # path requires 0.34 + 0.46 x 10/60 = 0.417
    assert len(share.trend) == 25
    assert kpis["green_loan_balance"].change == pytest.approx(10.0)
    assert kpis["open_alerts"].value == 4 and kpis["open_alerts"].change == -2
    assert kpis["total_emissions"].status == "no_data"
    rows = compute_progress_rows(list(kpis.values()))
    assert rows["code"].tolist() == ["green_power_share"]
    assert rows["progress"].iloc[0] == pytest.approx(0.1 / 0.46)
