"""Emissions engine: energy per month in, emissions, energy in tce and green power out. Pure pandas.

Input columns (one row per month, as `data_access.queries.load_energy_monthly` returns):
    period, electricity_grid_kwh, electricity_own_renewable_kwh, electricity_direct_green_kwh,
    heat_purchased_gj, natural_gas_m3, coal_t, green_trade_mwh, certificate_mwh

Method (PRODUCT.md "Indicators"):
- green power counted once = own renewables + direct supply + green-power trades + certificates retired
  (1 certificate = 1 MWh), never more than the electricity consumed;
- Scope 1 = coal x (tce per t x tCO2 per tce) + gas x factor;
- Scope 2 = (grid electricity - trades - certificates) x the grid factor that excludes market-traded green
  power (green power is counted separately, so the average factor would count it twice) + heat x factor;
- factors are data with a year and a source; a missing year falls back to the nearest earlier year
  (or the earliest published one when there is none earlier) and the fallback is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.formulas import green_power_share
from data_access import taxonomy as tx
from data_access.reference import reference_value

GRID_FACTOR = "grid_excl_market_green"
ELECTRICITY_METHODS = tx.ELECTRICITY_METHODS  # 当量值 / 等价值
_METHOD_FACTOR = {"calorific": "electricity_calorific", "coal_equivalent": "electricity_coal_equivalent"}


@dataclass(frozen=True)
class FactorChoice:
    factor: str
    value: float
    unit: str
    year_wanted: int | None
    year_used: int | None
    region_wanted: str
    region_used: str
    status: str
    source: str | None

    @property
    def is_fallback(self) -> bool:
        return (self.year_wanted is not None and self.year_used is not None and self.year_used != self.year_wanted) or (
            self.region_used != self.region_wanted and self.region_used != "any"
        )

    @property
    def is_assumption(self) -> bool:
        return self.status == "unconfirmed"


def select_factor(factors: pd.DataFrame, factor: str, year: int | None = None, region: str = "national") -> FactorChoice:
    """Pick one factor value for a year and region.

    Parameters
    ----------
    factors : DataFrame with columns factor, region, year (NaN/None = any year), value, unit, status, source.
    factor : factor code, e.g. 'grid_excl_market_green'.
    year : the year wanted; the nearest earlier published year is used when it is missing, and the earliest
        published year when nothing earlier exists.
    region : the region wanted; 'national' is used when the region has no value for this factor.
    """
    rows = factors[factors["factor"] == factor]
    if rows.empty:
        raise KeyError(f"emission factor {factor!r} is not in the factor table")
    region_rows = rows[rows["region"] == region]
    region_used = region
    if region_rows.empty:
        region_rows = rows[rows["region"].isin(["national", "any"])]
        region_used = str(region_rows["region"].iloc[0]) if not region_rows.empty else str(rows["region"].iloc[0])
        if region_rows.empty:
            region_rows = rows
    years = pd.to_numeric(region_rows["year"], errors="coerce")
    if years.isna().all():
        row = region_rows.iloc[0]
        year_used = None
    else:
        dated = region_rows[years.notna()].assign(_y=years[years.notna()].astype(int))
        if year is None:
            row = dated.sort_values("_y").iloc[-1]
        else:
            earlier = dated[dated["_y"] <= year]
            row = (earlier.sort_values("_y").iloc[-1] if not earlier.empty else dated.sort_values("_y").iloc[0])
        year_used = int(row["_y"])
    return FactorChoice(
        factor=factor,
        value=float(row["value"]),
        unit=str(row["unit"]),
        year_wanted=year,
        year_used=year_used,
        region_wanted=region,
        region_used=region_used,
        status=str(row["status"]),
        source=None if pd.isna(row.get("source")) else row.get("source"),
    )


def compute_green_power(energy: pd.DataFrame) -> pd.DataFrame:
    """Add total_electricity_kwh, green_power_kwh (counted once, capped at consumption) and green_power_share.

    green_power_share = (own not sold + direct + trades + certificates) / total electricity consumed, 0-1.
    Trades and certificates are in MWh, each MWh counted once upstream; 1 certificate = 1 MWh.
    """
    out = energy.copy()
    out["total_electricity_kwh"] = (
        out["electricity_grid_kwh"] + out["electricity_own_renewable_kwh"] + out["electricity_direct_green_kwh"]
    )
    claimed = (
        own_renewable_claimed_kwh(out)
        + out["electricity_direct_green_kwh"]
        + (out["green_trade_mwh"] + out["certificate_mwh"]) * 1000.0
    )
    out["green_power_kwh"] = np.minimum(claimed, out["total_electricity_kwh"])
    out["green_power_share"] = green_power_share(out["green_power_kwh"], out["total_electricity_kwh"])
    return out


def own_renewable_claimed_kwh(energy: pd.DataFrame) -> pd.Series:
    """Own renewable electricity the enterprise may still claim: generation used on site less the certificates
    issued on it and sold (own_sold_mwh; their green attribute went to the buyer), never below 0."""
    sold = energy["own_sold_mwh"] if "own_sold_mwh" in energy.columns else 0.0
    return (energy["electricity_own_renewable_kwh"] - sold * 1000.0).clip(lower=0)


def compute_emissions(energy: pd.DataFrame, factors: pd.DataFrame, *, region: str = "national",
                      grid_factor: str = GRID_FACTOR) -> tuple[pd.DataFrame, list[FactorChoice]]:
    """Emissions per row, tCO2, and the factors used.

    Adds: scope1_coal_t, scope1_gas_t, scope2_electricity_t, scope2_heat_t, total_emissions_t,
    grid_factor_year (the factor year actually used for the row's year).
    Returns the frame and the distinct FactorChoice objects used (for the page to cite and flag).
    """
    out = compute_green_power(energy)
    years = pd.to_datetime(out["period"]).dt.year
    coal_tce = select_factor(factors, "raw_coal")
    coal_co2 = select_factor(factors, "coal_co2_per_tce")
    gas = select_factor(factors, "natural_gas_co2")
    heat = select_factor(factors, "heat_co2")
    used = [coal_tce, coal_co2, gas, heat]
    grid_by_year: dict[int, FactorChoice] = {}
    for y in sorted(years.unique()):
        grid_by_year[int(y)] = select_factor(factors, grid_factor, int(y), region)
    used.extend(grid_by_year.values())
    grid_value = years.map(lambda y: grid_by_year[int(y)].value)
    # Grid electricity not covered by trades or certificates; green power is counted separately.
    market_green_kwh = (out["green_trade_mwh"] + out["certificate_mwh"]) * 1000.0
    # Own generation whose certificates were sold is ordinary electricity for the park: the grid factor applies.
    sold_own_kwh = out["electricity_own_renewable_kwh"] - own_renewable_claimed_kwh(out)
    residual_grid_kwh = (out["electricity_grid_kwh"] + sold_own_kwh - market_green_kwh).clip(lower=0)
    out["scope1_coal_t"] = out["coal_t"] * coal_tce.value * coal_co2.value
    out["scope1_gas_t"] = out["natural_gas_m3"] * gas.value
    out["scope2_electricity_t"] = residual_grid_kwh * grid_value / 1000.0  # kgCO2/kWh -> t
    out["scope2_heat_t"] = out["heat_purchased_gj"] * heat.value
    out["total_emissions_t"] = out[["scope1_coal_t", "scope1_gas_t", "scope2_electricity_t", "scope2_heat_t"]].sum(axis=1)
    out["grid_factor_year"] = years.map(lambda y: grid_by_year[int(y)].year_used)
    return out, _distinct(used)


def compute_energy_tce(energy: pd.DataFrame, factors: pd.DataFrame, *, method: str = "calorific") -> tuple[pd.Series, list[FactorChoice]]:
    """Total energy consumed per row in tce, with electricity converted by `method`.

    method 'calorific' (当量值) uses the heat content of electricity (0.1229 kgce/kWh);
    'coal_equivalent' (等价值) uses the coal burnt to supply it. The park's core indicator tCO2/tce changes
    several-fold between the two, so pages show which one is in use.
    """
    by_carrier = compute_energy_tce_by_carrier(energy, factors, method=method)
    return by_carrier.sum(axis=1), _energy_factors(factors, method)


def compute_energy_tce_by_carrier(energy: pd.DataFrame, factors: pd.DataFrame, *, method: str = "calorific") -> pd.DataFrame:
    """Energy consumed per row in tce by carrier: columns electricity (all of it, green or not,
    converted by `method`), coal, gas, heat; their sum is `compute_energy_tce`."""
    elec, coal, gas, heat = _energy_factors(factors, method)
    total_kwh = (
        energy["electricity_grid_kwh"] + energy["electricity_own_renewable_kwh"] + energy["electricity_direct_green_kwh"]
    )
    return pd.DataFrame({
        "electricity": total_kwh * elec.value / 1000.0,  # kgce/kWh -> tce
        "coal": energy["coal_t"] * coal.value,
        "gas": energy["natural_gas_m3"] * gas.value / 1000.0,  # kgce/m3 -> tce
        "heat": energy["heat_purchased_gj"] * heat.value,
    }, index=energy.index)


def _energy_factors(factors: pd.DataFrame, method: str) -> list[FactorChoice]:
    if method not in ELECTRICITY_METHODS:
        raise ValueError(f"method must be one of {ELECTRICITY_METHODS}, got {method!r}")
    return [select_factor(factors, _METHOD_FACTOR[method]), select_factor(factors, "raw_coal"),
            select_factor(factors, "natural_gas_tce"), select_factor(factors, "heat_tce")]


def compute_green_power_tce(green_power_kwh: pd.Series, factors: pd.DataFrame, *, method: str = "calorific") -> pd.Series:
    """Green power in tce, converted by the same method as the total, for the clean-energy share."""
    elec = select_factor(factors, _METHOD_FACTOR[method])
    return green_power_kwh * elec.value / 1000.0


def core_indicator_threshold(annual_energy_tce: float) -> float | None:
    """National threshold of tCO2 per tce by the park's yearly energy use (reference_values.csv, core_*).

    0.2 for parks using 20-100万 tce a year, 0.3 at or above 100万 tce; None below 20万 tce
    (no threshold found for small parks).
    """
    if annual_energy_tce >= reference_value("core_band_large_tce").value:
        return reference_value("core_threshold_large").value
    if annual_energy_tce >= reference_value("core_band_min_tce").value:
        return reference_value("core_threshold_mid").value
    return None


def _distinct(choices: list[FactorChoice]) -> list[FactorChoice]:
    seen, out = set(), []
    for c in choices:
        key = (c.factor, c.region_used, c.year_used, c.year_wanted)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
