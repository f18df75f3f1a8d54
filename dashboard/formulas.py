"""One function per ratio indicator: the formula, its unit and its source, used by every page, the big screen,
the briefing, the risk rules and the forecasts. Pure numpy / pandas; each accepts numbers or aligned Series
(sums of any window: a month, 12 months, a year, one enterprise or the park).

A ratio whose denominator is 0 or missing is missing (NaN), never 0 or infinity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def ratio(num, den):
    """num / den, missing where den is 0 or missing; Series in, Series out (floats), numbers in, float out."""
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        den_s = den.astype(float) if isinstance(den, pd.Series) else den
        denominator = den_s.where(den_s != 0) if isinstance(den_s, pd.Series) else (np.nan if not den_s else den_s)
        return (num.astype(float) if isinstance(num, pd.Series) else float(num)) / denominator
    if den is None or num is None or pd.isna(den) or den == 0:
        return float("nan")
    return float(num) / float(den)


def green_power_share(green_power_kwh, total_electricity_kwh):
    """绿电消费占比 Green-power share, 0-1.

    = (own renewables not sold + direct green supply + green-power trades + certificates retired x 1 MWh)
      / total electricity consumed, each MWh counted once (by GEC serial) and never above consumption.
    Unit: share (shown in %). Source: PRODUCT.md indicator definition; 1 certificate = 1 MWh (发改能源〔2023〕1044号).
    The counted-once green power is `carbon.compute_green_power`'s green_power_kwh.
    """
    return ratio(green_power_kwh, total_electricity_kwh)


def carbon_per_energy(emissions_t, energy_tce):
    """单位能耗碳排放 Carbon per unit of energy, tCO2/tce: emissions / energy consumed, electricity converted by the
    park's method. Source: the core indicator of 《国家级零碳园区建设指标体系（试行）》 (发改环资〔2025〕910号)."""
    return ratio(emissions_t, energy_tce)


def clean_energy_share(green_power_tce, energy_tce):
    """清洁能源消费占比 Clean-energy share, 0-1: green power in tce (the park's method) / energy consumed in tce.
    Natural gas is not counted as clean (an assumption about the definition). Source: the guiding indicator of
    《国家级零碳园区建设指标体系（试行）》 (threshold read in secondary sources only)."""
    return ratio(green_power_tce, energy_tce)


def yoy_growth(now, year_ago):
    """同比增速 Year-on-year growth, a fraction: now / a year earlier - 1 (missing without a base)."""
    return ratio(now, year_ago) - 1


def share_of(part, whole):
    """A part's share of its whole, 0-1 (green share of lending, share of the park's green loans, NPL ratio)."""
    return ratio(part, whole)
