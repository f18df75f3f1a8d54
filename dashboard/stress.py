"""Carbon-price stress test of the park's loan book (碳价压力测试). Pure pandas.

For each borrower: extra annual cost = emissions (tCO2, last 12 months) × carbon price (元/tCO2) × covered share,
set against its EBIT: interest coverage after = (EBIT − extra cost) / interest expense. A borrower is stressed when
that falls below the threshold. For each institution: the outstanding to stressed borrowers and its share of the
institution's book. Balance sheets are held as they are (a static test: no pass-through, no abatement).

Every price path, the covered share and the threshold are assumptions, not forecasts: none is taken from an
official source (`../shared/domain/facts.md` holds no carbon-price projection).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.formulas import ratio
from data_access.reference import carbon_price_paths

YEARS = (2026, 2027, 2028, 2029, 2030)


@dataclass(frozen=True)
class Scenario:
    code: str
    prices: dict[int, float]  # 元/tCO2 by year
    covered_share: float  # share of each borrower's emissions that pays the price, 0-1
    threshold: float  # interest coverage below which a borrower is stressed


# Preset paths (元/tCO2 by year: low, central, high), each an assumption with its basis in
# data_access/reference/carbon_price_paths.csv; their names are in strings.toml (sx.preset.<code>).
PRESETS: dict[str, dict[int, float]] = carbon_price_paths()
DEFAULT_COVERED_SHARE = 0.6  # assumption: direct and indirect emissions under a future market's cover
DEFAULT_THRESHOLD = 1.5  # assumption: interest coverage below 1.5x is commonly read as weak
STRESS_COLUMNS = ["enterprise_id", "emissions_t", "ebit", "interest_expense", "extra_cost", "icr_before", "icr_after",
                  "assessed", "stressed", "newly_stressed"]


def compute_borrowers(basis: pd.DataFrame, price: float, covered_share: float, threshold: float) -> pd.DataFrame:
    """Per borrower (basis: enterprise_id, emissions_t, ebit, interest_expense; 万元): STRESS_COLUMNS.

    extra_cost (万元) = emissions_t × price × covered_share / 10,000; icr = EBIT / interest. A borrower without
    accounts is not assessed. With no interest to pay it is stressed only when the cost turns EBIT negative.
    """
    b = basis.drop_duplicates("enterprise_id")[["enterprise_id", "emissions_t", "ebit", "interest_expense"]].copy()
    b["extra_cost"] = b["emissions_t"] * price * covered_share / 1e4
    b["assessed"] = b["ebit"].notna() & b["interest_expense"].notna()
    after = b["ebit"] - b["extra_cost"]
    b["icr_before"] = ratio(b["ebit"], b["interest_expense"].where(b["interest_expense"] > 0))
    b["icr_after"] = ratio(after, b["interest_expense"].where(b["interest_expense"] > 0))
    no_interest = b["assessed"] & ~(b["interest_expense"] > 0)
    b["stressed"] = b["assessed"] & np.where(no_interest, after < 0, b["icr_after"] < threshold)
    was = b["assessed"] & np.where(no_interest, b["ebit"] < 0, b["icr_before"] < threshold)
    b["newly_stressed"] = b["stressed"] & ~was
    return b[STRESS_COLUMNS].reset_index(drop=True)


def compute_exposure(book: pd.DataFrame, borrowers: pd.DataFrame) -> pd.DataFrame:
    """Per institution (book: institution_id, enterprise_id, balance at one month, 万元): balance, exposure (to
    stressed borrowers), new_exposure (to those the price pushed below the threshold), share (exposure over its
    book), unassessed (outstanding to borrowers without accounts)."""
    df = book.merge(borrowers[["enterprise_id", "stressed", "newly_stressed", "assessed"]], on="enterprise_id", how="left")
    flag = lambda col: df[col].fillna(False).astype(bool)  # noqa: E731
    df["exposure"] = df["balance"].where(flag("stressed"), 0.0)
    df["new_exposure"] = df["balance"].where(flag("newly_stressed"), 0.0)
    df["unassessed"] = df["balance"].where(~flag("assessed"), 0.0)
    out = df.groupby("institution_id").agg(balance=("balance", "sum"), exposure=("exposure", "sum"),
                                           new_exposure=("new_exposure", "sum"), unassessed=("unassessed", "sum")).reset_index()
    out["share"] = ratio(out["exposure"], out["balance"])
    return out.sort_values("share", ascending=False, ignore_index=True)


def compute_path(book: pd.DataFrame, basis: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The park's exposure to stressed borrowers in each year of the path: year, price, n_stressed, n_new (pushed
    below the threshold by the price), exposure, new_exposure (to the n_new), share and new_share (of the park's
    book)."""
    rows = []
    total = float(book["balance"].sum())
    for year, price in sorted(scenario.prices.items()):
        borrowers = compute_borrowers(basis, price, scenario.covered_share, scenario.threshold)
        stressed = set(borrowers.loc[borrowers["stressed"], "enterprise_id"])
        new = set(borrowers.loc[borrowers["newly_stressed"], "enterprise_id"])
        exposure = float(book.loc[book["enterprise_id"].isin(stressed), "balance"].sum())
        new_exposure = float(book.loc[book["enterprise_id"].isin(new), "balance"].sum())
        rows.append({"year": year, "price": price, "n_stressed": len(stressed), "n_new": len(new),
                     "exposure": exposure, "new_exposure": new_exposure,
                     "share": exposure / total if total else np.nan, "new_share": new_exposure / total if total else np.nan})
    return pd.DataFrame(rows)
