"""Green-finance measures on the frames of `data_access.credit_queries`. Pure pandas, money in 万元.

Measures per group at one month end: green balance, YoY growth, share of the park's green credit, green
share of the group's own lending, balance-weighted green and other rates, green NPL and overdue ratios,
new green lending in the year to date. The institution assessment follows the PBOC bank green-finance
evaluation template (80 % quantitative, 20 % qualitative) with weights stored as data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.formulas import ratio, share_of, yoy_growth
from data_access.taxonomy import BANK_TYPES


def _year_earlier(period: dt.date) -> dt.date:
    return period.replace(year=period.year - 1)


def compute_group_summary(by_group: pd.DataFrame, period: dt.date, *, whole: float | None = None) -> pd.DataFrame:
    """One row per group at `period` (month start).

    whole : the green balance `share_of_green` is a share of; default the sum of the groups (plus any left out).
        Pass the park's green balance when the groups are one type's institutions, so a column that says
        "占园区绿色贷款" is a share of the park, not of the type.

    by_group : `load_credit_by` output. When it carries green_balance_prev (growth by institution type), that
        like-for-like base is used; otherwise the group's own balance a year earlier.
    Columns: group, green_balance, green_balance_prev, yoy (fraction), share_of_green (of all groups),
    total_balance, green_share_of_lending, green_rate, other_rate, green_npl_ratio, green_overdue_ratio,
    ytd_green_disbursed, n_borrowers, green_nonbank_balance (green leasing and other non-bank financing,
    outside every loan column).
    """
    if by_group.empty:
        return pd.DataFrame()
    now = by_group[by_group["period"] == period].set_index("group")
    if now.empty:
        return pd.DataFrame()
    if "green_balance_prev" in now.columns:  # restated like-for-like by the query (growth by institution type)
        prev = now["green_balance_prev"]
    else:
        prev = by_group[by_group["period"] == _year_earlier(period)].set_index("group")["green_balance"]
    ytd = by_group[(by_group["period"] >= period.replace(month=1)) & (by_group["period"] <= period)]
    ytd_disbursed = ytd.groupby("group")["green_disbursed"].sum()
    out = pd.DataFrame({
        "green_balance": now["green_balance"],
        "green_balance_prev": prev.reindex(now.index),
        "total_balance": now["total_balance"],
        "green_rate": ratio(now["green_rate_x_balance"], now["green_balance"]),
        "other_rate": ratio(now["other_rate_x_balance"], now["total_balance"] - now["green_balance"]),
        "green_npl_ratio": share_of(now["green_npl_balance"], now["green_balance"]),
        "green_overdue_ratio": share_of(now["green_overdue_balance"], now["green_balance"]),
        "ytd_green_disbursed": ytd_disbursed.reindex(now.index).fillna(0.0),
        "n_borrowers": now["n_borrowers"],
        "green_nonbank_balance": now["green_nonbank_balance"] if "green_nonbank_balance" in now.columns else 0.0,
    })
    out["yoy"] = yoy_growth(out["green_balance"], out["green_balance_prev"])
    # Groups that publicity-safe mode left out still count in the whole a share is taken of.
    left_out = by_group.attrs.get("suppressed_green_balance", {}).get(period, 0.0)
    out["share_of_green"] = out["green_balance"] / (whole if whole else out["green_balance"].sum() + left_out)
    out["green_share_of_lending"] = share_of(out["green_balance"], out["total_balance"])
    return out.reset_index().sort_values("green_balance", ascending=False).reset_index(drop=True)


def suppressed_at(frame: pd.DataFrame, key=None) -> bool:
    """Whether publicity-safe mode left anything out of `frame` (a data_access frame marked in
    `attrs["suppressed"]` with (period or year, group) pairs) at `key`, or at all when `key` is None.
    A request that could only show one institution is marked (None, None) and counts for every key."""
    marks = frame.attrs.get("suppressed", [])
    return any(key is None or k is None or k == key for k, _ in marks)


def as_all_lending(by_group: pd.DataFrame) -> pd.DataFrame:
    """The same frame with all lending in the green columns, for the growth of all loans by the same rules
    (and the same like-for-like base) as green loans."""
    out = by_group.assign(green_balance=by_group["total_balance"])
    if "total_balance_prev" in out.columns:
        out["green_balance_prev"] = out["total_balance_prev"]
    return out


def compute_series(by_group: pd.DataFrame, group: str | None = None) -> pd.DataFrame:
    """Monthly green balance and YoY growth of one group (or of all together): period, green_balance, yoy."""
    df = by_group if group is None else by_group[by_group["group"] == group]
    s = df.groupby("period")["green_balance"].sum().sort_index()
    months = [p.to_timestamp().date() for p in pd.period_range(min(s.index), max(s.index), freq="M")]
    full = s.reindex(months)  # a missing month stays empty, so YoY never compares the wrong months
    if "green_balance_prev" in df.columns:  # like-for-like base from the query (growth by institution type)
        prev = df.groupby("period")["green_balance_prev"].sum(min_count=1).reindex(months)
    else:
        prev = full.shift(12)
    return pd.DataFrame({"period": full.index, "green_balance": full.values, "yoy": yoy_growth(full, prev).values})


def quarter_end_month(period: dt.date) -> dt.date:
    """The last month of the latest quarter complete at `period` (a month start)."""
    q_last = ((period.month - 1) // 3) * 3 + 3
    if period.month == q_last:
        return period
    prev_q_last = q_last - 3
    return dt.date(period.year, prev_q_last, 1) if prev_q_last > 0 else dt.date(period.year - 1, 12, 1)


ASSESSMENT_ITEMS = ("green_share", "market_share", "growth", "risk", "policy_execution", "internal_rules", "green_support")


def compute_assessment_inputs(by_institution: pd.DataFrame, tasks: pd.DataFrame, quarter_end: dt.date) -> pd.DataFrame:
    """The raw measure behind every assessment item, per institution, for the quarter ending `quarter_end`.

    Columns: institution_id and one column per item:
    green_share (green / all own lending at quarter end), market_share (of the park's green credit),
    growth (YoY growth of green balance), risk (green NPL ratio; lower is better),
    policy_execution (share of the year's tasks due by quarter end that are done),
    internal_rules (share of the quarter's months the institution reported), green_support (green share of
    the quarter's new lending).
    """
    q_months = [(pd.Timestamp(quarter_end) - pd.DateOffset(months=k)).date().replace(day=1) for k in (2, 1, 0)]
    summary = compute_group_summary(by_institution, quarter_end).set_index("group")
    if summary.empty:
        return pd.DataFrame(columns=["institution_id", *ASSESSMENT_ITEMS])
    quarter = by_institution[by_institution["period"].isin(q_months)]
    reported = quarter.groupby("group")["period"].nunique() / 3
    disbursed = quarter.groupby("group")[["green_disbursed", "total_disbursed"]].sum()
    out = pd.DataFrame({
        "green_share": summary["green_share_of_lending"],
        "market_share": summary["share_of_green"],
        "growth": summary["yoy"],
        "risk": summary["green_npl_ratio"],
        "internal_rules": reported.reindex(summary.index).fillna(0.0),
        "green_support": ratio(disbursed["green_disbursed"], disbursed["total_disbursed"]).reindex(summary.index),
    })
    if not tasks.empty:
        due = tasks[(tasks["year"] == quarter_end.year) & (pd.to_datetime(tasks["due_date"]) <= pd.Timestamp(quarter_end) + pd.offsets.MonthEnd(0))]
        rate = due.groupby("institution_id")["status"].apply(lambda s: (s == "done").mean())
        out["policy_execution"] = rate.reindex(out.index)
    else:
        out["policy_execution"] = np.nan
    out.index.name = "institution_id"
    return out.reset_index()[["institution_id", *ASSESSMENT_ITEMS]]


def compute_assessment(inputs: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Scores per institution and item, 0-100, with the weighted contribution of each.

    `inputs` must hold the whole population being assessed (every banking institution of the park), never
    one institution alone: quantitative items are scored against the others, 100 for the best, 0 for the
    worst, linear between (risk reversed). Qualitative items are scored on their own scale: 0.85 is 85.
    A missing measure (no tasks due, no balance a year ago, nothing disbursed in the quarter) is not
    applicable: it scores nothing and the institution's applicable weights are scaled up to the full weight,
    so a total stays out of 100 and is not lowered for having nothing to measure.
    Columns: institution_id, item, part, value, applicable, score (NaN when not applicable), weight,
    points (score x weight x full weight / applicable weight).
    """
    w = weights.set_index("code")
    rows = []
    for item in ASSESSMENT_ITEMS:
        values = inputs.set_index("institution_id")[item].astype(float)
        if w.loc[item, "part"] == "quantitative":
            lo, hi = values.min(), values.max()
            span = hi - lo
            scaled = (values - lo) / span if span and not np.isnan(span) else pd.Series(1.0, index=values.index)
            score = (1 - scaled if item == "risk" else scaled) * 100
        else:
            score = values.clip(0, 1) * 100
        for inst, value in values.items():
            rows.append({"institution_id": inst, "item": item, "part": w.loc[item, "part"], "value": value,
                         "applicable": bool(pd.notna(value)), "score": float(score[inst]),
                         "weight": float(w.loc[item, "weight"])})
    out = pd.DataFrame(rows, columns=["institution_id", "item", "part", "value", "applicable", "score", "weight"])
    full = float(w.loc[list(ASSESSMENT_ITEMS), "weight"].sum())
    applicable_weight = out[out["applicable"]].groupby("institution_id")["weight"].sum()
    factor = full / out["institution_id"].map(applicable_weight)
    out["points"] = (out["score"] * out["weight"] * factor).where(out["applicable"], 0.0).fillna(0.0)
    return out


def assessment_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """institution_id, total (0-100), quantitative, qualitative, rank (1 = best)."""
    pivot = scores.pivot_table(index="institution_id", columns="part", values="points", aggfunc="sum").fillna(0.0)
    out = pd.DataFrame({"quantitative": pivot.get("quantitative", 0.0), "qualitative": pivot.get("qualitative", 0.0)})
    out["total"] = out["quantitative"] + out["qualitative"]
    out["rank"] = out["total"].rank(ascending=False, method="min").astype(int)
    return out.reset_index().sort_values("rank").reset_index(drop=True)


def assessed_population(institutions: pd.DataFrame) -> pd.DataFrame:
    """The institutions the PBOC green-finance evaluation scores: banking institutions only (the 2021 scheme
    is for 银行业金融机构; leasing and other non-banks are shown beside it, not ranked in it)."""
    return institutions[institutions["inst_type"].isin(BANK_TYPES)]


def scope_assessment(comparison: pd.DataFrame, scores: pd.DataFrame, own_institution: int | None, *,
                     rank_visible: bool) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """What one viewer may see of an assessment computed on the whole population.

    The assessment is always computed over every assessed institution first (so a bank's share, score and
    rank are the ones the PBOC sees); a reporter (own_institution set) then gets only its own rows, plus the
    park median of the total and the size of the population, and its rank only when `rank_visible` (the
    PBOC branch decides). Returns (comparison, scores, context) where context holds median_total, n_assessed
    and rank_visible.
    """
    assessed = comparison["assessment_total"].dropna() if not comparison.empty else pd.Series(dtype=float)
    context = {"median_total": float(assessed.median()) if not assessed.empty else None,
               "n_assessed": int(assessed.size), "rank_visible": True}
    if own_institution is None:
        return comparison, scores, context
    context["rank_visible"] = rank_visible
    mine = comparison[comparison["institution_id"] == own_institution].copy()
    if not rank_visible:
        mine["assessment_rank"] = np.nan
    return mine.reset_index(drop=True), scores[scores["institution_id"] == own_institution], context


def compute_task_completion(tasks: pd.DataFrame, as_of: dt.date, *, by: str = "institution") -> pd.DataFrame:
    """Per `by` ('institution' or 'inst_type'): tasks, done, overdue (due before as_of and not done), completion
    rate of the tasks already due."""
    if tasks.empty:
        return pd.DataFrame(columns=[by, "n_tasks", "n_due", "n_done", "n_overdue", "completion"])
    due = pd.to_datetime(tasks["due_date"]) <= pd.Timestamp(as_of)
    df = tasks.assign(is_due=due, is_done=tasks["status"] == "done", is_overdue=due & (tasks["status"] != "done"))
    out = df.groupby(by).agg(n_tasks=("is_due", "size"), n_due=("is_due", "sum"), n_done=("is_done", "sum"),
                             n_overdue=("is_overdue", "sum")).reset_index()
    done_due = df[df["is_due"]].groupby(by)["is_done"].sum()
    out["completion"] = ratio(out[by].map(done_due).fillna(0), out["n_due"])
    return out.sort_values("completion").reset_index(drop=True)


def compute_policy_tool_summary(tools: pd.DataFrame, period: dt.date, *, months: int = 12) -> pd.DataFrame:
    """Per tool over the `months` ending in `period`: eligible, loans, funding, use rate (loans / eligible),
    carbon reduced per 亿元 of loans (tCO2e), fiscal cost, number of institutions."""
    if tools.empty:
        return pd.DataFrame()
    start = (pd.Timestamp(period) - pd.DateOffset(months=months - 1)).date()
    w = tools[(tools["period"] >= start) & (tools["period"] <= period)]
    out = w.groupby("tool").agg(eligible=("eligible_amount", "sum"), loans=("loan_amount", "sum"),
                                funding=("funding_amount", "sum"), carbon_t=("carbon_reduction_t", "sum"),
                                fiscal_cost=("fiscal_cost", "sum"), n_institutions=("institution_id", "nunique")).reset_index()
    out["use_rate"] = ratio(out["loans"], out["eligible"])
    # Tools that disclose no reduction (subsidy, guarantee ...) get no figure rather than a misleading zero.
    out["carbon_per_yi"] = ratio(out["carbon_t"].where(out["carbon_t"] > 0), out["loans"] / 1e4)
    return out.sort_values("loans", ascending=False).reset_index(drop=True)


def compute_institution_comparison(by_institution: pd.DataFrame, tasks: pd.DataFrame, totals: pd.DataFrame,
                                   period: dt.date, institutions: pd.DataFrame) -> pd.DataFrame:
    """Every institution side by side at `period`: institution_id, name, inst_type, green_balance,
    green_nonbank_balance, yoy,
    market_share, green_share_of_lending, total_growth (YoY of all its lending), green_npl_ratio,
    task_completion, assessment_total, assessment_rank. Sorted by assessment rank."""
    s = compute_group_summary(by_institution, period)
    if s.empty:
        return pd.DataFrame()
    total_yoy = compute_group_summary(as_all_lending(by_institution), period)
    s = s.merge(total_yoy[["group", "yoy"]].rename(columns={"yoy": "total_growth"}), on="group", how="left")
    completion = compute_task_completion(tasks[tasks["year"] == period.year] if not tasks.empty else tasks, period,
                                         by="institution_id")
    s = s.merge(completion[["institution_id", "completion"]].rename(columns={"completion": "task_completion"}),
                left_on="group", right_on="institution_id", how="left").drop(columns="institution_id")
    s = s.merge(totals[["institution_id", "total", "rank"]].rename(columns={"total": "assessment_total", "rank": "assessment_rank"}),
                left_on="group", right_on="institution_id", how="left").drop(columns="institution_id")
    names = institutions.set_index("id")
    s["name"] = s["group"].map(names["short_name"])
    s["inst_type"] = s["group"].map(names["inst_type"])
    out = s.rename(columns={"group": "institution_id", "share_of_green": "market_share"})
    cols = ["institution_id", "name", "inst_type", "green_balance", "green_nonbank_balance", "yoy", "market_share", "green_share_of_lending",
            "total_growth", "green_npl_ratio", "task_completion", "assessment_total", "assessment_rank"]
    return (out[cols].sort_values(["assessment_rank", "green_balance"], ascending=[True, False], na_position="last")
            .reset_index(drop=True))


def assess(by_institution: pd.DataFrame, tasks: pd.DataFrame, institutions: pd.DataFrame, weights: pd.DataFrame,
           period: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The quarter's assessment of every banking institution of the park, and every institution compared.

    The frames must be the whole park's (unscoped): scope the result with `scope_assessment`.
    Returns (scores, totals, comparison); non-banks appear in the comparison with no score or rank.
    """
    quarter_end = quarter_end_month(period)
    banks = set(assessed_population(institutions)["id"])
    inputs = compute_assessment_inputs(by_institution[by_institution["group"].isin(banks)], tasks, quarter_end)
    scores = compute_assessment(inputs, weights)
    totals = assessment_totals(scores) if not scores.empty else pd.DataFrame(columns=["institution_id", "total", "rank"])
    comparison = compute_institution_comparison(by_institution, tasks, totals, period, institutions)
    return scores, totals, comparison
