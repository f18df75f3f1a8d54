"""Financed emissions (融资排放): each institution's share of its borrowers' emissions. Pure pandas.

Method: PCAF, The Global GHG Accounting and Reporting Standard, Part A: Financed Emissions, 2nd edition (December
2022). Business loans: attribution factor = outstanding / (the borrower's total equity + debt); financed emissions
= attribution factor × the borrower's scope 1 + 2 emissions. Project loans are attributed the same way: a project
is not metered on its own, so it carries its owner's emissions in the share of the owner's balance sheet it
finances, which gives the same figure (assumption). When lenders together lend more than the reported equity + debt,
the denominator is the total lent, so a borrower is never attributed more than once.

Data quality (PCAF score, 1 best to 5): no borrower scores 1 (the platform's figures are not third-party verified);
emissions from the park's energy-carbon platform (metered or reported energy × published factors) score 2; a
borrower without energy data is estimated from its value added × the national sector intensity (4); a borrower
without reported accounts has its equity + debt estimated from its sector (5). The reason goes with every score.

Units: balances 万元, emissions tCO2, economic intensity tCO2 per 亿元 outstanding, WACI tCO2 per 万元 of revenue.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.formulas import ratio

YI = 1e-4  # 万元 -> 亿元
REASONS = {  # code -> score; the words are in strings.toml (fe.reason.<code>)
    "platform": 2,
    "sector_intensity": 4,
    "no_accounts": 5,
}
BASIS_COLUMNS = ["enterprise_id", "period", "emissions_t", "denominator", "revenue", "ebit", "interest_expense", "accounts_year",
                 "score", "reason"]
SUMMARY_COLUMNS = ["period", "group", "balance", "financed_t", "green_financed_t", "other_financed_t", "intensity_t_per_yi",
                   "waci", "quality", "n_borrowers", *[f"share_score_{s}" for s in range(1, 6)]]


def report_periods(last: dt.date, first_year: int) -> list[dt.date]:
    """The months the view reads: each December from `first_year`, the chosen month and the month a year before."""
    decembers = (dt.date(y, 12, 1) for y in range(first_year, last.year) if dt.date(y, 12, 1) <= last)
    return sorted({*decembers, last, last.replace(year=last.year - 1)})


def _t12(per_ent: pd.DataFrame, period: dt.date) -> pd.DataFrame:
    """Each enterprise's emissions over the 12 months ending in `period`, annualised when it has fewer months."""
    start = (pd.Timestamp(period) - pd.DateOffset(months=11)).date()
    w = per_ent[(per_ent["period"] >= start) & (per_ent["period"] <= period)]
    out = w.groupby("enterprise_id").agg(total=("total_emissions_t", "sum"), months=("period", "nunique")).reset_index()
    out["emissions_t"] = out["total"] * 12 / out["months"]
    return out[["enterprise_id", "emissions_t"]]


def _latest_before(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per enterprise, the row of the latest year before `year` (the accounts known during `year`), else the
    earliest one it has."""
    if frame.empty:
        return frame
    before = frame[frame["year"] < year].sort_values("year").groupby("enterprise_id").tail(1)
    rest = frame[~frame["enterprise_id"].isin(before["enterprise_id"])].sort_values("year").groupby("enterprise_id").head(1)
    return pd.concat([before, rest], ignore_index=True)


def compute_basis(per_ent: pd.DataFrame, financials: pd.DataFrame, outputs: pd.DataFrame, enterprises: pd.DataFrame,
                  sector_intensity: pd.DataFrame, periods: list[dt.date]) -> pd.DataFrame:
    """Per borrower and month: the emissions, the PCAF denominator, revenue, EBIT and interest (of the accounts in
    use; none without accounts), with the score and its reason.

    per_ent : enterprise_id, period, total_emissions_t (monthly). financials : `load_enterprise_financials`.
    outputs : enterprise_id, year, output_value, value_added. enterprises : id, sector.
    sector_intensity : sector, value (tCO2 per 万元 value added; national, for enterprises without energy data).
    """
    rows = []
    sectors = enterprises.set_index("id")["sector"]
    intensity = sector_intensity.set_index("sector")["value"]
    for period in periods:
        base = pd.DataFrame({"enterprise_id": enterprises["id"].to_numpy()})
        base["sector"] = base["enterprise_id"].map(sectors)
        base = base.merge(_t12(per_ent, period), on="enterprise_id", how="left")
        acc = _latest_before(financials, period.year)
        out = _latest_before(outputs, period.year)
        base = base.merge(acc.rename(columns={"year": "accounts_year"}), on="enterprise_id", how="left")
        base = base.merge(out[["enterprise_id", "output_value", "value_added"]], on="enterprise_id", how="left")
        base["denominator"] = base["total_equity"] + base["total_debt"]
        # Sector proxy for missing accounts: the sector's median (equity + debt) per 万元 of output.
        known = base.dropna(subset=["denominator", "output_value"])
        known = known[known["output_value"] > 0]
        per_output = (known["denominator"] / known["output_value"]).groupby(known["sector"]).median()
        all_median = float((known["denominator"] / known["output_value"]).median()) if not known.empty else np.nan
        proxy = base["output_value"] * base["sector"].map(per_output).fillna(all_median)
        no_accounts = base["denominator"].isna() | (base["denominator"] <= 0)
        base.loc[no_accounts, "denominator"] = proxy[no_accounts]
        base["revenue"] = base["revenue"].where(~no_accounts & base["revenue"].notna(), base["output_value"])
        no_energy = base["emissions_t"].isna()
        base.loc[no_energy, "emissions_t"] = base["value_added"] * base["sector"].map(intensity)
        base["reason"] = np.where(no_accounts, "no_accounts", np.where(no_energy, "sector_intensity", "platform"))
        base["score"] = base["reason"].map(REASONS)
        base["period"] = period
        rows.append(base.dropna(subset=["emissions_t", "denominator"]))
    if not rows:
        return pd.DataFrame(columns=BASIS_COLUMNS)
    return pd.concat(rows, ignore_index=True)[BASIS_COLUMNS]


def compute_financed(book: pd.DataFrame, basis: pd.DataFrame) -> pd.DataFrame:
    """Per loan-book row (period, institution_id, inst_type, enterprise_id, is_green, balance): the attribution
    factor and the financed emissions (tCO2), with the borrower's emissions, revenue, score and reason."""
    df = book.merge(basis, on=["enterprise_id", "period"], how="inner")
    lent = df.groupby(["enterprise_id", "period"])["balance"].transform("sum")
    df["attribution"] = df["balance"] / np.maximum(df["denominator"], lent)
    df["financed_t"] = df["attribution"] * df["emissions_t"]
    return df


def compute_summary(financed: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Per month and group (`by`: 'institution_id', 'inst_type', or None for the park): SUMMARY_COLUMNS.

    intensity_t_per_yi = financed_t / outstanding in 亿元; waci = Σ (balance / group balance) × emissions / revenue
    (tCO2 per 万元; borrowers without revenue left out); quality = the score weighted by financed emissions."""
    if financed.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    df = financed.assign(group=financed[by] if by else "park")
    df["green_t"] = df["financed_t"].where(df["is_green"], 0.0)
    df["carbon_per_revenue"] = ratio(df["emissions_t"], df["revenue"].where(df["revenue"] > 0))
    has_revenue = df["carbon_per_revenue"].notna()
    df["waci_w"] = (df["balance"] * df["carbon_per_revenue"]).where(has_revenue, 0.0)
    df["waci_b"] = df["balance"].where(has_revenue, 0.0)
    df["score_x"] = df["score"] * df["financed_t"]
    for s in range(1, 6):
        df[f"s{s}"] = df["financed_t"].where(df["score"] == s, 0.0)
    g = df.groupby(["period", "group"]).agg(
        balance=("balance", "sum"), financed_t=("financed_t", "sum"), green_financed_t=("green_t", "sum"),
        waci_w=("waci_w", "sum"), waci_b=("waci_b", "sum"), score_x=("score_x", "sum"),
        n_borrowers=("enterprise_id", "nunique"), **{f"s{s}": (f"s{s}", "sum") for s in range(1, 6)}).reset_index()
    g["other_financed_t"] = g["financed_t"] - g["green_financed_t"]
    g["intensity_t_per_yi"] = ratio(g["financed_t"], g["balance"] * YI)
    g["waci"] = ratio(g["waci_w"], g["waci_b"])
    g["quality"] = ratio(g["score_x"], g["financed_t"])
    for s in range(1, 6):
        g[f"share_score_{s}"] = ratio(g[f"s{s}"], g["financed_t"])
    return g[SUMMARY_COLUMNS]


def compute_ranks(by_institution: pd.DataFrame, period: dt.date) -> pd.Series:
    """Each institution's rank by economic intensity at `period` among all institutions (1 = lowest tCO2 per
    亿元), indexed by institution id: computed on the whole population before any user's view is narrowed."""
    at = by_institution[by_institution["period"] == period].dropna(subset=["intensity_t_per_yi"])
    return at.set_index("group")["intensity_t_per_yi"].rank(method="min").astype(int)


def required_rate(base_value: float | None, target: float | None, base_year: int, target_year: int) -> float | None:
    """The yearly change (e.g. -0.08) that takes the park's emissions from the base year to the target: the pace a
    loan book's carbon intensity must at least keep to decarbonise as fast as the park must."""
    if not base_value or target is None or target_year <= base_year or target < 0:
        return None
    return (target / base_value) ** (1 / (target_year - base_year)) - 1


def compute_yearly_change(summary: pd.DataFrame) -> pd.DataFrame:
    """Per group, the change in economic intensity against the same month a year earlier (each December, and the
    chosen month): period, group, intensity_change (e.g. -0.05)."""
    s = summary.dropna(subset=["intensity_t_per_yi"]).sort_values("period")
    out = []
    for group, rows in s.groupby("group"):
        by_period = rows.set_index("period")["intensity_t_per_yi"]
        for p, value in by_period.items():
            prev = p.replace(year=p.year - 1)
            if prev in by_period.index and by_period[prev]:
                out.append({"period": p, "group": group, "intensity_change": value / by_period[prev] - 1})
    return pd.DataFrame(out, columns=["period", "group", "intensity_change"])
