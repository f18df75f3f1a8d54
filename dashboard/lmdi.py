"""Why emissions moved: the additive LMDI-I decomposition of the change in emissions between two years. Pure pandas.

Method: B. W. Ang (2005), "The LMDI approach to decomposition analysis: a practical guide", Energy Policy 33,
867-871 (`../shared/domain/facts.md`). Per sector i and carrier j (coal, gas, heat, electricity) the emissions
of the enterprises that reported value added are the product

    C_ij = Q · S_i · I_i · M_ij · G_ij · F_ij · U_ij

    Q     value added of the covered enterprises, 万元                          output
    S_i   Q_i / Q, the sector's share of value added                           structure
    I_i   E_i / Q_i, energy per 万元 of value added, tce                         energy intensity
    M_ij  E_ij / E_i, the carrier's share of the sector's energy (tce)         energy mix
    G_ij  electricity: 1 − green-power share (the part that is grid power); 1 for fuels        green power
    F_ij  electricity: C_ij / (E_ij · G_ij), tCO2 per tce of grid power; 1 for fuels          grid factor
    U_ij  coal, gas, heat: C_ij / E_ij, tCO2 per tce; 1 for electricity (constant factors)     fuel factors

and the effect of factor x is Σ_ij L(C_ij^T, C_ij^0) · ln(x_ij^T / x_ij^0) with L(a, b) = (a − b) / (ln a − ln b):
the effects add up to the change with no residual. A term that appears or vanishes (a new sector, a carrier a
sector starts or stops using, electricity that turns wholly green) gives its whole change to the first factor in
the chain above that is zero: the limit of Ang's small-value substitution, without the rounding of a small δ.

Enterprises without value added for a year cannot be split into output and intensity; their emissions are one
more, separate, bar ("uncovered"), so the bars still add up to the park's change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import carbon

EFFECTS = ("output", "structure", "intensity", "mix", "green_power", "grid_factor", "fuel_factor")
CARRIERS = ("coal", "gas", "heat", "electricity")
_EMISSIONS = {"coal": "scope1_coal_t", "gas": "scope1_gas_t", "heat": "scope2_heat_t", "electricity": "scope2_electricity_t"}
SECTOR_YEAR_COLUMNS = ["sector", "year", "carrier", "value_added", "energy_tce", "emissions_t", "electricity_kwh",
                       "green_kwh", "n_enterprises", "covered"]


@dataclass(frozen=True)
class Decomposition:
    """The change in emissions from `year0` to `year1` (tCO2) and the effects that make it up.

    effects: tCO2 by EFFECTS, then 'uncovered' (the emissions of enterprises without value added); their sum
    is end_t − start_t.
    """

    year0: int
    year1: int
    sector: str | None
    start_t: float
    end_t: float
    effects: pd.Series
    n_enterprises: int

    @property
    def change_t(self) -> float:
        return self.end_t - self.start_t


def log_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """L(a, b) = (a − b) / (ln a − ln b), and a where a = b (both positive)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (a - b) / (np.log(a) - np.log(b))
    return np.where(np.isclose(a, b, rtol=1e-12, atol=0), a, out)


def compute_lmdi(terms0: pd.DataFrame, terms1: pd.DataFrame, *, shared: tuple[str, ...] = ("output",)) -> pd.Series:
    """Additive LMDI-I effects of the factors in the columns, tCO2.

    terms0, terms1 : one row per term, one column per factor (in chain order); a term's emissions are the product
        of its factors. A term missing on one side is 0 there; a factor that is 0 or undefined (NaN) makes it 0.
    shared : factors with one value for the whole period (the park's value added): a missing term takes it too.
    Returns the effect per factor; the effects sum to Σ C^1 − Σ C^0 exactly (to float rounding).
    """
    index = terms0.index.union(terms1.index)
    x0 = terms0.reindex(index)
    x1 = terms1.reindex(index)[x0.columns]
    for x, given in ((x0, terms0), (x1, terms1)):
        for col in shared:
            if col in x.columns and not given.empty:
                x[col] = given[col].iloc[0]
    c0 = x0.fillna(0.0).prod(axis=1).to_numpy()
    c1 = x1.fillna(0.0).prod(axis=1).to_numpy()
    both = (c0 > 0) & (c1 > 0)
    effects = pd.Series(0.0, index=x0.columns)
    if both.any():
        weight = log_mean(c1[both], c0[both])
        ratios = np.log(x1.to_numpy()[both] / x0.to_numpy()[both])
        effects += (weight[:, None] * ratios).sum(axis=0)
    for side_zero, c_new, sign in ((x0, c1, 1.0), (x1, c0, -1.0)):
        appearing = ((c0 == 0) if sign > 0 else (c1 == 0)) & (c_new > 0)
        for pos in np.flatnonzero(appearing):
            values = side_zero.iloc[pos]
            first = next(col for col in x0.columns if not values[col] > 0)  # the first factor that is 0 or undefined
            effects[first] += sign * c_new[pos]
    return effects


def compute_sector_year(per_ent: pd.DataFrame, outputs: pd.DataFrame, enterprises: pd.DataFrame,
                        factors: pd.DataFrame, *, method: str = "calorific") -> pd.DataFrame:
    """Calendar-year sums per sector and carrier, the input of `compute_decomposition`.

    per_ent : `energy.compute_enterprise_emissions` output (enterprise_id, period, carriers, emissions by scope).
    outputs : enterprise_id, year, value_added (万元). enterprises : id, sector.
    Returns SECTOR_YEAR_COLUMNS: energy_tce and emissions_t of the carrier; value_added, electricity_kwh and
    green_kwh are the sector's (repeated on its carriers); covered = the enterprises reported value added that
    year (uncovered rows carry their energy and emissions with value_added 0). Only years with 12 months of data.
    """
    if per_ent.empty:
        return pd.DataFrame(columns=SECTOR_YEAR_COLUMNS)
    df = per_ent.assign(year=pd.to_datetime(per_ent["period"]).dt.year)
    months = df.groupby("year")["period"].nunique()
    df = df[df["year"].isin(months[months == 12].index)]
    tce = carbon.compute_energy_tce_by_carrier(df, factors, method=method)
    parts = {f"tce_{c}": tce[c].to_numpy() for c in CARRIERS} | {f"co2_{c}": df[_EMISSIONS[c]].to_numpy() for c in CARRIERS}
    df = df.assign(**parts)
    sums = [*parts, "total_electricity_kwh", "green_power_kwh"]
    per_year = df.groupby(["enterprise_id", "year"], as_index=False)[sums].sum()
    va = outputs[["enterprise_id", "year", "value_added"]].astype({"value_added": float})
    per_year = per_year.merge(va, on=["enterprise_id", "year"], how="left")
    per_year["covered"] = per_year["value_added"].fillna(0) > 0
    per_year["value_added"] = per_year["value_added"].where(per_year["covered"], 0.0)
    per_year = per_year.merge(enterprises[["id", "sector"]].rename(columns={"id": "enterprise_id"}), on="enterprise_id")
    keys = ["sector", "year", "covered"]
    sector = per_year.groupby(keys).agg(value_added=("value_added", "sum"), electricity_kwh=("total_electricity_kwh", "sum"),
                                        green_kwh=("green_power_kwh", "sum"), n_enterprises=("enterprise_id", "nunique"),
                                        **{k: (k, "sum") for k in parts}).reset_index()
    rows = []
    for c in CARRIERS:
        part = sector[[*keys, "value_added", "electricity_kwh", "green_kwh", "n_enterprises"]].copy()
        part["carrier"], part["energy_tce"], part["emissions_t"] = c, sector[f"tce_{c}"], sector[f"co2_{c}"]
        rows.append(part)
    return pd.concat(rows, ignore_index=True)[SECTOR_YEAR_COLUMNS].sort_values(["year", "sector", "carrier"], ignore_index=True)


def decomposable_years(table: pd.DataFrame) -> list[int]:
    """Years with 12 months of energy and value added reported by at least one enterprise."""
    if table.empty:
        return []
    covered = table[table["covered"] & (table["value_added"] > 0)]
    return sorted(int(y) for y in covered["year"].unique())


def _terms(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The factors of every (sector, carrier) term in `year` (covered enterprises only), chain order."""
    t = table[(table["year"] == year) & table["covered"]]
    if t.empty:
        return pd.DataFrame(columns=list(EFFECTS))
    q = float(t.drop_duplicates("sector")["value_added"].sum())
    energy = t.groupby("sector")["energy_tce"].transform("sum")
    is_elec = t["carrier"] == "electricity"
    with np.errstate(divide="ignore", invalid="ignore"):
        grid_share = np.where(is_elec, 1 - t["green_kwh"] / t["electricity_kwh"], 1.0)
        terms = pd.DataFrame({
            "output": q,
            "structure": t["value_added"] / q,
            "intensity": energy / t["value_added"],
            "mix": t["energy_tce"] / energy,
            "green_power": grid_share,
            "grid_factor": np.where(is_elec, t["emissions_t"] / (t["energy_tce"] * grid_share), 1.0),
            "fuel_factor": np.where(is_elec, 1.0, t["emissions_t"] / t["energy_tce"]),
        })
    terms.index = pd.MultiIndex.from_arrays([t["sector"], t["carrier"]])
    return terms.replace([np.inf, -np.inf], np.nan).clip(lower=0)


def compute_decomposition(table: pd.DataFrame, year0: int, year1: int, *, sector: str | None = None) -> Decomposition:
    """The LMDI effects of the change in emissions from `year0` to `year1`, for the park or one sector.

    table : `compute_sector_year` output. For one sector the structure effect is 0 (its share is 1).
    """
    t = table if sector is None else table[table["sector"] == sector]
    totals = t.groupby(["year", "covered"])["emissions_t"].sum()

    def total(year: int, covered: bool | None = None) -> float:
        if covered is None:
            return float(sum(totals.get((year, flag), 0.0) for flag in (True, False)))
        return float(totals.get((year, covered), 0.0))

    effects = compute_lmdi(_terms(t, year0), _terms(t, year1))
    effects["uncovered"] = total(year1, False) - total(year0, False)
    n = int(t[(t["year"] == year1)].drop_duplicates(["sector", "covered"])["n_enterprises"].sum())
    return Decomposition(year0, year1, sector, total(year0), total(year1), effects, n)


def years_by(years: list[int], period) -> list[int]:
    """The decomposable years complete by `period` (a month start; December completes its year)."""
    last = period.year if period.month == 12 else period.year - 1
    return [y for y in years if y <= last]


def latest_pair(years: list[int], period) -> tuple[int, int] | None:
    """The last year complete by `period` and the year before it, when both can be decomposed: the pair the
    energy page opens on and the briefing writes about."""
    done = years_by(years, period)
    if not done or done[-1] - 1 not in done:
        return None
    return done[-1] - 1, done[-1]


def latest_decomposition(table: pd.DataFrame, period) -> Decomposition | None:
    """The park's decomposition for `latest_pair` (the briefing's sentence), or None when there is no pair."""
    pair = latest_pair(decomposable_years(table), period)
    return None if pair is None else compute_decomposition(table, *pair)


def publishable_sectors(table: pd.DataFrame, year0: int, year1: int, min_group: int) -> list[str]:
    """Sectors with at least `min_group` enterprises in both years, largest emitter first (publicity-safe mode
    shows no smaller group)."""
    t = table[table["year"].isin([year0, year1])]
    n = t.drop_duplicates(["sector", "year", "covered"]).groupby(["sector", "year"])["n_enterprises"].sum().unstack()
    ok = n[(n.reindex(columns=[year0, year1]).fillna(0) >= min_group).all(axis=1)].index
    size = t[t["year"] == year1].groupby("sector")["emissions_t"].sum().reindex(ok).fillna(0)
    return list(size.sort_values(ascending=False).index)
