"""Energy and carbon per enterprise and park: breakdowns, rankings, the target path, carbon efficiency.

Pure pandas on the frames of `data_access.queries`; emissions come from `dashboard.carbon`.
Units: emissions tCO2, energy tce, value added 万元, intensities tCO2 per 万元 of value added.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard import carbon
from dashboard.formulas import green_power_share, ratio
from data_access.reference import reference_value, sector_intensities

# Zhejiang 工业碳效码 grading: K = enterprise intensity / sector benchmark intensity; grade 1 (best) to 5 at the
# cut-offs of reference_values.csv (carbon_grade_k1..k4: 0.6 / 0.8 / 1.2 / 2.0, DB33/T 1347—2023 as read in a
# secondary document, unconfirmed).
GRADE_CUTOFFS = tuple(reference_value(f"carbon_grade_k{k}").value for k in (1, 2, 3, 4))


def compute_enterprise_emissions(energy: pd.DataFrame, factors: pd.DataFrame, *, method: str = "calorific") -> pd.DataFrame:
    """Per enterprise and month: the carbon engine's columns plus energy_tce.

    energy : `load_enterprise_energy_monthly` output (enterprise_id, period, carriers, trades, certificates).
    """
    if energy.empty:
        return energy
    out, _used = carbon.compute_emissions(energy, factors)
    tce, _ = carbon.compute_energy_tce(energy, factors, method=method)
    return out.assign(energy_tce=tce.values)


def compute_annual(monthly: pd.DataFrame, *, by: str = "enterprise_id") -> pd.DataFrame:
    """Calendar-year sums per `by` with the number of months behind each (a year with < 12 is partial).

    Columns: by, year, months, total_emissions_t, energy_tce, total_electricity_kwh, green_power_kwh,
    green_power_share.
    """
    if monthly.empty:
        return pd.DataFrame(columns=[by, "year", "months", "total_emissions_t", "energy_tce", "total_electricity_kwh",
                                     "green_power_kwh", "green_power_share"])
    df = monthly.assign(year=pd.to_datetime(monthly["period"]).dt.year)
    out = df.groupby([by, "year"]).agg(
        months=("period", "nunique"), total_emissions_t=("total_emissions_t", "sum"), energy_tce=("energy_tce", "sum"),
        total_electricity_kwh=("total_electricity_kwh", "sum"), green_power_kwh=("green_power_kwh", "sum"),
    ).reset_index()
    out["green_power_share"] = green_power_share(out["green_power_kwh"], out["total_electricity_kwh"])
    return out


def compute_trailing(monthly: pd.DataFrame, period: dt.date, *, months: int = 12) -> pd.DataFrame:
    """Per enterprise, the `months` ending in `period` and the same window a year earlier.

    Columns: enterprise_id, emissions_t (this window), emissions_prev_t, change_t, change_pct, energy_tce,
    complete (both windows fully reported).
    """
    end = pd.Timestamp(period)
    start = end - pd.DateOffset(months=months - 1)
    prev_end, prev_start = end - pd.DateOffset(years=1), start - pd.DateOffset(years=1)
    p = pd.to_datetime(monthly["period"])
    cur = monthly[(p >= start) & (p <= end)].groupby("enterprise_id").agg(
        emissions_t=("total_emissions_t", "sum"), energy_tce=("energy_tce", "sum"), n=("period", "nunique"))
    prev = monthly[(p >= prev_start) & (p <= prev_end)].groupby("enterprise_id").agg(
        emissions_prev_t=("total_emissions_t", "sum"), n_prev=("period", "nunique"))
    out = cur.join(prev, how="left").reset_index()
    out["change_t"] = out["emissions_t"] - out["emissions_prev_t"]
    out["change_pct"] = ratio(out["change_t"], out["emissions_prev_t"]) * 100
    out["complete"] = (out["n"] == months) & (out["n_prev"] == months)
    return out.drop(columns=["n", "n_prev"])


def compute_top_emitters(trailing: pd.DataFrame, enterprises: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` largest emitters over the window: enterprise_id, name, sector, emissions_t, share (of the park)."""
    df = trailing.merge(enterprises[["id", "name", "sector", "enterprise_class"]], left_on="enterprise_id", right_on="id")
    total = df["emissions_t"].sum()
    df = df.assign(share=df["emissions_t"] / total if total else np.nan)
    return df.sort_values("emissions_t", ascending=False).head(n).reset_index(drop=True)


def compute_biggest_improvers(trailing: pd.DataFrame, enterprises: pd.DataFrame, n: int = 10,
                              min_prev_t: float = 1000.0) -> pd.DataFrame:
    """Largest cuts in tCO2 against a year earlier, among enterprises with complete windows and at least
    `min_prev_t` emitted the year before (so tiny emitters' percentages do not lead the list)."""
    df = trailing[trailing["complete"] & (trailing["emissions_prev_t"] >= min_prev_t)]
    df = df.merge(enterprises[["id", "name", "sector", "enterprise_class"]], left_on="enterprise_id", right_on="id")
    return df.sort_values("change_t").head(n).reset_index(drop=True)


def compute_breakdown(per_enterprise: pd.DataFrame, enterprises: pd.DataFrame, by: str) -> pd.DataFrame:
    """Emissions by `by` ('sector' or 'enterprise_class').

    per_enterprise : enterprise_id, emissions_t (e.g. `compute_trailing` output).
    Columns: group, emissions_t, share, n_enterprises.
    """
    df = per_enterprise.merge(enterprises[["id", by]], left_on="enterprise_id", right_on="id")
    out = df.groupby(by).agg(emissions_t=("emissions_t", "sum"), n_enterprises=("enterprise_id", "nunique")).reset_index()
    out["share"] = out["emissions_t"] / out["emissions_t"].sum()
    return out.rename(columns={by: "group"}).sort_values("emissions_t", ascending=False).reset_index(drop=True)


EFFICIENCY_COLUMNS = ["enterprise_id", "sector", "intensity", "benchmark", "benchmark_kind", "sector_members",
                      "sector_median", "k", "grade"]


def compute_carbon_efficiency(annual: pd.DataFrame, outputs: pd.DataFrame, enterprises: pd.DataFrame, year: int,
                              national: pd.DataFrame | None = None) -> pd.DataFrame:
    """Carbon efficiency of every enterprise with a full year of energy and a value-added report.

    intensity = the enterprise's emissions / its value added (tCO2 per 万元). The benchmark is its sector's in the
    park taken as a whole, Σ emissions / Σ value added, so each enterprise counts by its size rather than one vote
    each (a simple mean let a small clean firm pull the benchmark down as much as a big emitter); when the park
    sector has fewer than `sector_benchmark_min_members` (reference data) enterprises, it is the national sector
    intensity of sector_intensity.csv instead (stated there as sourced or an assumption), because a sector of one
    measured against itself is always grade 3. K = intensity / benchmark; grade 1 (best) .. 5 (worst).

    Columns: enterprise_id, sector, intensity, benchmark, benchmark_kind ('park_sector' or 'national_sector';
    'none' when neither exists and no grade is given), sector_members, sector_median, k, grade.
    """
    full = annual[(annual["year"] == year) & (annual["months"] == 12)]
    df = full.merge(outputs[outputs["year"] == year], on=["enterprise_id", "year"]).merge(
        enterprises[["id", "sector"]], left_on="enterprise_id", right_on="id")
    df = df[df["value_added"] > 0]
    if df.empty:
        return pd.DataFrame(columns=EFFICIENCY_COLUMNS)
    df = df.assign(intensity=df["total_emissions_t"] / df["value_added"])
    grouped = df.groupby("sector")
    park_benchmark = grouped["total_emissions_t"].transform("sum") / grouped["value_added"].transform("sum")
    members = grouped["enterprise_id"].transform("nunique")
    national = sector_intensities() if national is None else national
    national_value = df["sector"].map(national.set_index("sector")["value"])
    enough = members >= reference_value("sector_benchmark_min_members").value
    benchmark = park_benchmark.where(enough, national_value)
    kind = np.where(enough, "park_sector", np.where(national_value.notna(), "national_sector", "none"))
    df = df.assign(benchmark=benchmark, benchmark_kind=kind, sector_members=members,
                   sector_median=grouped["intensity"].transform("median"))
    df = df.assign(k=df["intensity"] / df["benchmark"])
    grades = np.searchsorted(np.array(GRADE_CUTOFFS), df["k"].fillna(np.inf).to_numpy(), side="left") + 1
    df = df.assign(grade=pd.array(np.where(df["k"].notna(), grades, pd.NA), dtype="Int64"))
    return df[EFFICIENCY_COLUMNS].reset_index(drop=True)


def grade_of(k: float) -> int:
    """Grade 1-5 for one K value (K at a cut-off belongs to the better grade)."""
    return int(np.searchsorted(np.array(GRADE_CUTOFFS), k, side="left") + 1)


def compute_target_path(series: pd.Series, target: float, *, base_year: int, target_year: int) -> pd.DataFrame:
    """Monthly target path from the December base-year value to the target in December of the target year.

    series : a quantity indexed by month start (e.g. 12-month emissions). The path falls at a constant yearly
    rate when both ends are positive, else in a straight line. Columns: period, path.
    """
    base_period = dt.date(base_year, 12, 1)
    if base_period not in series.index or pd.isna(series.loc[base_period]):
        return pd.DataFrame(columns=["period", "path"])
    base = float(series.loc[base_period])
    months = [p.to_timestamp().date() for p in pd.period_range(base_period, dt.date(target_year, 12, 1), freq="M")]
    frac = np.arange(len(months)) / (len(months) - 1)
    path = base * (target / base) ** frac if base > 0 and target > 0 else base + (target - base) * frac
    return pd.DataFrame({"period": months, "path": path})


def compute_footprint_since_green_loans(monthly: pd.DataFrame, loans: pd.DataFrame, outputs: pd.DataFrame) -> dict | None:
    """Did the enterprise's footprint improve since its first green loan?

    Compares the 12 months before the first green loan started with the latest 12 months: emissions and,
    when value added is known for both years, intensity. Returns None without green loans or data.
    """
    green = loans[loans["is_green"]] if not loans.empty else loans
    if green.empty or monthly.empty:
        return None
    first = min(green["start_date"])
    p = pd.to_datetime(monthly["period"])
    before = monthly[(p < pd.Timestamp(first)) & (p >= pd.Timestamp(first) - pd.DateOffset(months=12))]
    latest_end = p.max()
    latest = monthly[p > latest_end - pd.DateOffset(months=12)]
    if len(before) < 12 or len(latest) < 12 or pd.Timestamp(first) > latest_end - pd.DateOffset(months=12):
        return {"first_green_loan": first, "comparable": False}
    e0, e1 = before["total_emissions_t"].sum(), latest["total_emissions_t"].sum()
    result = {"first_green_loan": first, "comparable": True, "emissions_before_t": e0, "emissions_latest_t": e1,
              "emissions_change_pct": (e1 / e0 - 1) * 100 if e0 else None}
    # Intensity on calendar years: the year before the first green loan against the latest reported year.
    va = outputs.set_index("year")["value_added"] if not outputs.empty else pd.Series(dtype=float)
    years = pd.to_datetime(monthly["period"]).dt.year
    y0 = first.year - 1
    y1 = int(va.index.max()) if len(va) else None
    if y1 is not None and y1 > y0 and y0 in va.index and (years == y0).sum() == 12 and (years == y1).sum() == 12:
        i0 = monthly[years == y0]["total_emissions_t"].sum() / va[y0]
        i1 = monthly[years == y1]["total_emissions_t"].sum() / va[y1]
        result.update(intensity_before=i0, intensity_latest=i1, intensity_change_pct=(i1 / i0 - 1) * 100,
                      intensity_years=(y0, y1))
    result["improved"] = (result.get("intensity_change_pct", result["emissions_change_pct"]) or 0) < 0
    return result
