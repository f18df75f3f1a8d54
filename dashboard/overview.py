"""Headline KPIs of the Overview: value, change against last year, position against the 2030 target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.indicators import INDICATORS, Indicator

OVERVIEW_CODES = (
    "green_power_share",
    "total_emissions",
    "carbon_per_energy",
    "green_loan_balance",
    "policy_tool_loans",
    "open_alerts",
)
# Indicators whose target is stored under another code.
TARGET_CODE = {"green_loan_balance": "green_loan_balance"}


@dataclass
class Kpi:
    indicator: Indicator
    period: dt.date
    value: float | None  # stored unit
    previous: float | None  # same measure a year earlier
    change: float | None  # display units: percentage points, percent or count, per indicator.change
    target: float | None = None
    target_year: int | None = None
    target_is_assumption: bool = False
    target_assumption_part: str = "value"  # 'value' or 'year' (a national threshold whose year is ours)
    base_value: float | None = None  # value at the end of the base year
    required_now: float | None = None  # where the straight path from base to target stands at `period`
    status: str = "no_target"  # met, on_track, behind, no_target, no_data
    trend: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    extra: dict = field(default_factory=dict)


def _at(series: pd.Series, period: dt.date) -> float | None:
    if period not in series.index:
        return None
    v = series.loc[period]
    return None if pd.isna(v) else float(v)


def _year_earlier(period: dt.date) -> dt.date:
    return period.replace(year=period.year - 1)


def compute_change(ind: Indicator, value: float | None, previous: float | None) -> float | None:
    """Change against a year earlier in the indicator's change unit (pp, % or count)."""
    if value is None or previous is None:
        return None
    if ind.change == "pp":
        return (value - previous) * 100
    if ind.change == "pct":
        return None if previous == 0 else (value / previous - 1) * 100
    return value - previous


def _multiplicative(ind: Indicator, base: float, target: float) -> bool:
    """Indicators changed in percent move along a constant-rate path (both ends must be positive)."""
    return ind.change == "pct" and base > 0 and target > 0


def required_value(ind: Indicator, base: float, target: float, frac: float) -> float:
    """Where the path from `base` to `target` stands after `frac` (0-1) of the time.

    Straight for shares (changed in percentage points), constant yearly rate for quantities changed in
    percent (emissions, intensities, balances), so a steady 15 % a year meets a 15 %-a-year target.
    """
    if _multiplicative(ind, base, target):
        return base * (target / base) ** frac
    return base + (target - base) * frac


def progress_fraction(ind: Indicator, base: float, value: float, target: float) -> float | None:
    """Share of the way from `base` to `target` covered by `value`, on the same scale as `required_value`."""
    if base == target:
        return None
    if _multiplicative(ind, base, target) and value > 0:
        return float(np.log(value / base) / np.log(target / base))
    return (value - base) / (target - base)


def compute_target_position(ind: Indicator, value: float | None, period: dt.date, base_value: float | None,
                            base_year: int, target: float | None, target_year: int | None) -> tuple[str, float | None]:
    """(status, required_now) against the path from the base-year value to the target (see `required_value`).

    status is 'met' when the target is already reached, 'on_track' when the value is at or better than the
    path at `period`, 'behind' otherwise; 'no_target' or 'no_data' when it cannot be judged, 'before_base' for a
    month before the base year's end (the path and its starting value did not exist yet; the energy page agrees).
    The path runs from December of the base year to December of the target year.
    """
    if target is None or target_year is None:
        return "no_target", None
    if value is None:
        return "no_data", None
    if period < dt.date(base_year, 12, 1):
        return "before_base", None  # the path starts at the base year's end: an earlier month is not judged against it
    better = (lambda a, b: a >= b) if ind.better == "higher" else (lambda a, b: a <= b)
    if better(value, target):
        return "met", target
    if base_value is None:
        return "behind", None
    required = required_value(ind, base_value, target, time_elapsed(period, base_year, target_year))
    return ("on_track" if better(value, required) else "behind"), required


def compute_overview_kpis(monthly: pd.DataFrame, targets: pd.DataFrame, alerts_now: int | None,
                          alerts_year_ago: int | None, period: dt.date, *, base_year: int, trend_months: int = 36,
                          institution_scoped: bool = False) -> list[Kpi]:
    """KPIs for the Overview at `period` (a month start).

    Parameters
    ----------
    monthly : `compute_park_monthly` frame (index: month start).
    targets : `load_targets` frame (indicator, year, value, is_assumption, source).
    alerts_now, alerts_year_ago : open alert counts at the end of `period` and a year earlier.
    institution_scoped : the credit figures are one institution's, so the park's credit target does not apply.
    """
    kpis = []
    for code in OVERVIEW_CODES:
        ind = INDICATORS[code]
        if code == "open_alerts":
            value = None if alerts_now is None else float(alerts_now)
            prev = None if alerts_year_ago is None else float(alerts_year_ago)
            kpi = Kpi(ind, period, value, prev, compute_change(ind, value, prev), status="no_target")
            kpi.extra["suppressed"] = alerts_now is None  # not published (publicity-safe mode), never shown as 0
            kpis.append(kpi)
            continue
        series = monthly[ind.column] if ind.column in monthly.columns else pd.Series(dtype=float)
        value = _at(series, period)
        prev = _at(series, _year_earlier(period))
        kpi = Kpi(ind, period, value, prev, compute_change(ind, value, prev))
        if code == "green_loan_balance" and "green_balance_yoy" in monthly.columns:
            kpi.extra["yoy"] = _at(monthly["green_balance_yoy"], period)
            kpi.change = None if kpi.extra["yoy"] is None else kpi.extra["yoy"] * 100
        t = targets[targets["indicator"] == TARGET_CODE.get(code, code)] if not targets.empty else targets
        if institution_scoped and code in ("green_loan_balance", "policy_tool_loans"):
            t = None
            kpi.extra["own_institution"] = True  # the card says so: a cropped screenshot is never read as the park's
        if t is not None and not t.empty:
            row = t.sort_values("year").iloc[-1]
            kpi.target, kpi.target_year = float(row["value"]), int(row["year"])
            kpi.target_is_assumption = bool(row["is_assumption"])
            kpi.target_assumption_part = str(row.get("assumption_part") or "value")
            kpi.base_value = _at(series, dt.date(base_year, 12, 1))
            kpi.status, kpi.required_now = compute_target_position(
                ind, value, period, kpi.base_value, base_year, kpi.target, kpi.target_year
            )
        if value is None:
            kpi.status = "no_data"
        if code == "policy_tool_loans" and bool(monthly.get("policy_tool_suppressed", pd.Series(dtype=bool)).get(period, False)):
            kpi.extra["suppressed"] = True  # publicity-safe: a tool of fewer than 3 institutions; not published, never 0
        start = (pd.Period(period, freq="M") - (trend_months - 1)).to_timestamp().date()
        kpi.trend = series[(series.index >= start) & (series.index <= period)].dropna()
        kpis.append(kpi)
    return kpis


def status_of(kpis: list[Kpi]) -> dict[str, int]:
    """Counts of KPI statuses, for a one-line summary."""
    out: dict[str, int] = {}
    for k in kpis:
        out[k.status] = out.get(k.status, 0) + 1
    return out


def is_finite(x) -> bool:
    return x is not None and not (isinstance(x, float) and np.isnan(x))


def time_elapsed(period: dt.date, base_year: int, target_year: int) -> float:
    """Share of the time from December of the base year to December of the target year that has passed."""
    months_total = (target_year - base_year) * 12
    months_done = (period.year - base_year) * 12 + period.month - 12
    return min(max(months_done / months_total, 0.0), 1.0) if months_total > 0 else 1.0


def compute_progress_rows(kpis: list[Kpi], lang: str = "zh") -> pd.DataFrame:
    """Share of the gap between the base-year value and the target already closed, per KPI with both.

    Columns: code, name, progress (0 = still at the base value, 1 = target reached; negative = moved away),
    status, status_text.
    """
    from dashboard import i18n

    rows = []
    for k in kpis:
        if k.target is None or k.base_value is None or k.value is None:
            continue
        progress = progress_fraction(k.indicator, k.base_value, k.value, k.target)
        if progress is None:
            continue
        rows.append({"code": k.indicator.code, "name": i18n.t("kpi." + k.indicator.code, lang), "progress": progress,
                     "status": k.status, "status_text": i18n.t("status." + k.status, lang)})
    return pd.DataFrame(rows, columns=["code", "name", "progress", "status", "status_text"])
