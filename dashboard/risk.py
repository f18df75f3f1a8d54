"""Risk rules (§十三): each rule is a function of the park's data and the rule's parameters (stored as data in
`risk_rule`), returning alerts that name the subject, the evidence (numbers and period) and a suggested
action. `run_rules` gathers the inputs, evaluates every active rule and records new alerts (no duplicates
of open ones). No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from dashboard import energy as energy_calc
from dashboard.formulas import green_power_share
from dashboard.indicators import compute_park_monthly, targets_in_force
from data_access import credit_queries, queries, risk_store
from data_access.scope import FULL_ACCESS


def open_at_period_end(alerts: pd.DataFrame, period: dt.date) -> pd.Series:
    """未办结风险预警, the one definition every view uses (overview, big screen, gallery, briefing, risk page): an
    alert about `period` or an earlier month (by the month the alert is about, whenever it was raised) that was not
    closed or dismissed by the end of `period`. A boolean mask over `alerts` (`risk_store.load_alerts`)."""
    if alerts.empty:
        return pd.Series(False, index=alerts.index, dtype=bool)
    start = pd.Timestamp(period.replace(day=1))
    end = start + pd.offsets.MonthBegin(1)
    about = pd.to_datetime(alerts["period"]).fillna(pd.to_datetime(alerts["created_at"]).dt.to_period("M").dt.to_timestamp())
    closed = pd.to_datetime(alerts["closed_at"])
    return (about <= start) & (closed.isna() | (closed >= end))


def count_open(alerts: pd.DataFrame, period: dt.date) -> int:
    """How many alerts are open at the end of `period` (`open_at_period_end`)."""
    return int(open_at_period_end(alerts, period).sum())


def published_open_count(alerts: pd.DataFrame, period: dt.date, scope) -> int | None:
    """The open-alert count a scope may see: None in publicity-safe mode, where alerts (about institutions and
    enterprises) are not published at all, so no page, screen or briefing shows a count of nothing as 0."""
    return None if scope.publicity_safe else count_open(alerts, period)


@dataclass
class RiskInputs:
    park_id: int
    period: dt.date
    base_year: int
    target_year: int
    raw: dict  # risk_store.load_rule_inputs
    park_monthly: pd.DataFrame
    targets: pd.DataFrame
    enterprise_monthly: pd.DataFrame
    annual: pd.DataFrame
    outputs: pd.DataFrame
    by_institution: pd.DataFrame
    by_type: pd.DataFrame
    # Each institution's exposure to borrowers stressed under the park's central carbon-price scenario (stress.py),
    # and that scenario; empty and None when none is saved.
    stress: pd.DataFrame = field(default_factory=pd.DataFrame)
    stress_scenario: dict | None = None


def gather(conn: Connection, *, park_id: int, period: dt.date, base_year: int = 2025, target_year: int = 2030,
           enterprise_monthly: pd.DataFrame | None = None) -> RiskInputs:
    """Load what the rules need through the query layer (full access: rules see every institution). Energy is
    converted by the park's electricity method, and the targets are those in force (`targets_in_force`).
    `enterprise_monthly` is `enterprise_emissions(conn, park_id, period)` when the caller has it already."""
    factors = queries.load_emission_factors(conn)
    parks = queries.load_parks(conn).set_index("id")
    method = str(parks.loc[park_id, "electricity_method"]) if park_id in parks.index else "calorific"
    monthly, _ = compute_park_monthly(queries.load_energy_monthly(conn, park_id=park_id, scope=FULL_ACCESS),
                                      credit_queries.load_credit_monthly(conn, park_id=park_id, scope=FULL_ACCESS),
                                      queries.load_policy_tool_monthly(conn, park_id=park_id, scope=FULL_ACCESS), factors,
                                      method=method)
    ent = enterprise_emissions(conn, park_id, period) if enterprise_monthly is None else enterprise_monthly
    return RiskInputs(
        park_id, period, base_year, target_year, risk_store.load_rule_inputs(conn, park_id=park_id, period=period), monthly,
        targets_in_force(queries.load_targets(conn, park_id=park_id), monthly, period, target_year=target_year, method=method), ent, energy_calc.compute_annual(ent),
        queries.load_enterprise_outputs(conn, park_id=park_id, scope=FULL_ACCESS),
        credit_queries.load_credit_by(conn, park_id=park_id, scope=FULL_ACCESS, by="institution", end=period),
        credit_queries.load_credit_by(conn, park_id=park_id, scope=FULL_ACCESS, by="inst_type", end=period),
        *stress_exposure(conn, park_id, period, ent))


def gather_financed(conn: Connection, *, park_id: int, periods: list[dt.date], enterprise_monthly: pd.DataFrame) -> pd.DataFrame:
    """Financed emissions of every institution and borrower at `periods` (`financed.compute_financed` rows), from
    the loan book, the borrowers' accounts and `enterprise_monthly` (`compute_enterprise_emissions`, every
    enterprise): the 融资排放 and 碳价压力测试 pages and the climate risk rule read this one computation."""
    from dashboard import financed
    from data_access.reference import sector_intensities

    book = credit_queries.load_loan_book(conn, park_id=park_id, periods=periods)
    basis = financed.compute_basis(enterprise_monthly, queries.load_enterprise_financials(conn, park_id=park_id),
                                   queries.load_enterprise_outputs(conn, park_id=park_id, scope=FULL_ACCESS),
                                   queries.load_enterprises(conn, park_id=park_id, scope=FULL_ACCESS), sector_intensities(), periods)
    return financed.compute_financed(book, basis)


def stress_exposure(conn: Connection, park_id: int, period: dt.date, enterprise_monthly: pd.DataFrame) -> tuple[pd.DataFrame, dict | None]:
    """Each institution's exposure under the park's central carbon-price scenario at `period` (`stress.compute_exposure`
    at the scenario's year and price), and the scenario; empty and None when the park has no central scenario."""
    from dashboard import stress
    from data_access import stress_store

    central = stress_store.load_central(conn, park_id=park_id)
    if central is None or enterprise_monthly.empty:
        return pd.DataFrame(), central
    rows = gather_financed(conn, park_id=park_id, periods=[period], enterprise_monthly=enterprise_monthly)
    price = central["prices"].get(int(central["test_year"]))
    if rows.empty or price is None:
        return pd.DataFrame(), central
    borrowers = stress.compute_borrowers(rows, price, central["covered_share"], central["threshold"])
    return stress.compute_exposure(rows, borrowers), central


def enterprise_emissions(conn: Connection, park_id: int, period: dt.date) -> pd.DataFrame:
    """Every enterprise's monthly energy and emissions up to `period` (full access), as the rules and the
    guideline's carbon grades read them."""
    return energy_calc.compute_enterprise_emissions(
        queries.load_enterprise_energy_monthly(conn, park_id=park_id, scope=FULL_ACCESS, end=period),
        queries.load_emission_factors(conn))


def _above(value: float, limit: float) -> bool:
    """Strictly above a threshold, ignoring floating-point noise (a share of exactly 30 % is not above 30 %)."""
    return value > limit + 1e-9


def _alert(rule: str, kind: str, subject, period: dt.date, evidence: dict, action: str, *, institution_id=None,
           key_extra: str = "") -> dict:
    clean = {k: (round(float(v), 4) if isinstance(v, (float, np.floating)) else (int(v) if isinstance(v, np.integer) else
                 (str(v) if isinstance(v, (dt.date, pd.Timestamp)) else v))) for k, v in evidence.items()}
    return {"rule_code": rule, "subject_kind": kind, "subject_id": int(subject), "period": period,
            "institution_id": None if institution_id is None or pd.isna(institution_id) else int(institution_id),
            "evidence": clean, "suggested_action": action, "dedup_key": f"{rule}:{kind}:{int(subject)}{key_extra}"}


def _yearly(inputs: RiskInputs) -> tuple[dict, dict]:
    """Full-year emissions (t) and value added (万元) by (enterprise, year), built once per rule run: the greenwashing
    rules look them up for every green borrower."""
    if "_yearly" not in inputs.raw:
        full = inputs.annual[inputs.annual["months"] == 12]
        emissions = dict(zip(zip(full["enterprise_id"], full["year"]), full["total_emissions_t"].astype(float)))
        outputs = inputs.outputs.drop_duplicates(["enterprise_id", "year"], keep="first")
        value_added = dict(zip(zip(outputs["enterprise_id"], outputs["year"]), outputs["value_added"].astype(float)))
        inputs.raw["_yearly"] = emissions, value_added
    return inputs.raw["_yearly"]


def _intensity(inputs: RiskInputs, enterprise_id: int, year: int) -> float | None:
    emissions, value_added = _yearly(inputs)
    va = value_added.get((enterprise_id, year))
    if (enterprise_id, year) not in emissions or va is None or va <= 0:
        return None
    return emissions[(enterprise_id, year)] / va


def _latest_full_year(inputs: RiskInputs, enterprise_id: int) -> int | None:
    emissions, value_added = _yearly(inputs)
    years = [y for (e, y) in emissions if e == enterprise_id and (e, y) in value_added]
    return max(years) if years else None


def _green(inputs: RiskInputs) -> pd.DataFrame:
    f = inputs.raw["facilities"]
    return f[f["is_green"].astype(bool) & (f["balance"].astype(float) > 0)] if not f.empty else f


def rule_greenwashing_intensity_rose(inputs: RiskInputs, p: dict) -> list[dict]:
    out, green = [], _green(inputs)
    for ent_id, loans in green.groupby("enterprise_id"):
        first = pd.to_datetime(loans["start_date"]).min().date()
        y0, y1 = first.year - 1, _latest_full_year(inputs, ent_id)
        if y1 is None or y1 <= y0:
            continue
        i0, i1 = _intensity(inputs, ent_id, y0), _intensity(inputs, ent_id, y1)
        if i0 and i1 and (i1 / i0 - 1) * 100 > p["min_rise_pct"]:
            lender = loans.groupby("institution_id")["balance"].sum().astype(float).idxmax()
            out.append(_alert("greenwashing_intensity_rose", "enterprise", ent_id, inputs.period,
                              {"first_green_loan": first, "year_before": y0, "intensity_before": i0, "latest_year": y1,
                               "intensity_latest": i1, "rise_pct": (i1 / i0 - 1) * 100, "green_balance_wan": loans["balance"].astype(float).sum()},
                              "核查绿色贷款资金用途与企业减排措施，必要时调整授信或利率", institution_id=lender))
    return out


def rule_greenwashing_linked_discount(inputs: RiskInputs, p: dict) -> list[dict]:
    out, f = [], inputs.raw["facilities"]
    linked = f[f["carbon_linked"].astype(bool) & (f["rate_discount_bp"].fillna(0) > 0) & f["carbon_target_intensity"].notna()] if not f.empty else f
    for _, row in linked.iterrows():
        year = _latest_full_year(inputs, row["enterprise_id"])
        intensity = _intensity(inputs, row["enterprise_id"], year) if year else None
        target = float(row["carbon_target_intensity"])
        if intensity is not None and intensity > target * (1 + p["tolerance_pct"] / 100):
            out.append(_alert("greenwashing_linked_discount", "enterprise", row["enterprise_id"], inputs.period,
                              {"facility_id": row["facility_id"], "year": year, "intensity": intensity, "target": target,
                               "discount_bp": row["rate_discount_bp"]},
                              "按合同条款取消或下调利率优惠，并核验碳表现数据", institution_id=row["institution_id"],
                              key_extra=f":{int(row['facility_id'])}"))
    return out


def rule_fake_zero_reported_share(inputs: RiskInputs, p: dict) -> list[dict]:
    out, e = [], inputs.raw["enterprises"]
    claims = e[e["reported_green_share"].notna()]
    m = inputs.enterprise_monthly
    for _, row in claims.iterrows():
        mine = m[m["enterprise_id"] == row["enterprise_id"]].sort_values("period").tail(12)
        if mine.empty or mine["total_electricity_kwh"].sum() <= 0:
            continue
        metered = green_power_share(mine["green_power_kwh"].sum(), mine["total_electricity_kwh"].sum())
        if (float(row["reported_green_share"]) - metered) * 100 > p["margin_pp"]:
            out.append(_alert("fake_zero_reported_share", "enterprise", row["enterprise_id"], inputs.period,
                              {"reported_share": row["reported_green_share"], "metered_share_12m": metered,
                               "gap_pp": (float(row["reported_green_share"]) - metered) * 100},
                              "要求企业说明绿电来源并提供交易合同与绿证核销凭证"))
    return out


def rule_fake_zero_certificate_twice(inputs: RiskInputs, p: dict) -> list[dict]:
    return [_alert("fake_zero_certificate_twice", "enterprise", r["enterprise_id"], inputs.period,
                   {"reference": r["reference"], "claimed_first_as": r["claimed_first_as"], "times": r["times"],
                    "double_mwh": r["double_mwh"], "first": r["first"], "last": r["last"]},
                   "核对绿证核销记录，剔除重复计入部分", key_extra=f":{r['reference']}")
            for _, r in inputs.raw["certificates"].iterrows()]


def rule_fake_zero_label_no_supply(inputs: RiskInputs, p: dict) -> list[dict]:
    out, e, m = [], inputs.raw["enterprises"], inputs.enterprise_monthly
    for _, row in e[e["zero_carbon_label"].astype(bool)].iterrows():
        mine = m[m["enterprise_id"] == row["enterprise_id"]].sort_values("period").tail(int(p["months"]))
        supply = (mine["electricity_own_renewable_kwh"] + mine["electricity_direct_green_kwh"]).sum() if not mine.empty else 0.0
        if not mine.empty and supply <= 0:
            out.append(_alert("fake_zero_label_no_supply", "enterprise", row["enterprise_id"], inputs.period,
                              {"months": len(mine), "own_and_direct_kwh": supply, "electricity_kwh": mine["total_electricity_kwh"].sum()},
                              "核查“零碳”标识依据，未核实前不作为绿色授信依据"))
    return out


def _shares_at(frame: pd.DataFrame, period: dt.date) -> pd.Series:
    now = frame[frame["period"] == period].set_index("group")["green_balance"]
    return now / now.sum() if now.sum() > 0 else now


def rule_concentration_institution(inputs: RiskInputs, p: dict) -> list[dict]:
    shares = _shares_at(inputs.by_institution, inputs.period)
    return [_alert("concentration_institution", "institution", inst, inputs.period, {"share": s, "max_share": p["max_share"]},
                   "推动银团贷款或引入其他机构分担，降低单一机构集中度", institution_id=inst)
            for inst, s in shares.items() if _above(s, p["max_share"])]


def rule_concentration_borrower(inputs: RiskInputs, p: dict) -> list[dict]:
    out, green = [], _green(inputs)
    for inst, loans in green.groupby("institution_id"):
        total = loans["balance"].astype(float).sum()
        if total < p["min_balance"]:
            continue
        by_ent = loans.groupby("enterprise_id")["balance"].sum().astype(float) / total
        for ent, share in by_ent.items():
            if _above(share, p["max_share"]):
                out.append(_alert("concentration_borrower", "institution", inst, inputs.period,
                                  {"enterprise_id": ent, "share": share, "institution_green_wan": total},
                                  "关注单一客户集中度，评估风险分担安排", institution_id=inst, key_extra=f":{int(ent)}"))
    return out


def rule_concentration_hhi(inputs: RiskInputs, p: dict) -> list[dict]:
    shares = _shares_at(inputs.by_institution, inputs.period)
    hhi = float((shares**2).sum()) if len(shares) else 0.0
    return ([_alert("concentration_hhi", "park", inputs.park_id, inputs.period, {"hhi": hhi, "max_hhi": p["max_hhi"],
                                                                                 "institutions": len(shares)},
                    "研判园区绿色信贷供给结构，推动更多机构参与")] if _above(hhi, p["max_hhi"]) else [])


def rule_credit_npl(inputs: RiskInputs, p: dict) -> list[dict]:
    out, green = [], _green(inputs)
    bad = green[green["status"].isin(["overdue", "npl"])] if not green.empty else green
    for inst, loans in bad.groupby("institution_id"):
        out.append(_alert("credit_npl", "institution", inst, inputs.period,
                          {"overdue_loans": int((loans["status"] == "overdue").sum()), "npl_loans": int((loans["status"] == "npl").sum()),
                           "balance_wan": loans["balance"].astype(float).sum()},
                          "提示机构核实逾期、不良绿色贷款的处置方案", institution_id=inst))
    return out


def rule_credit_npl_rising(inputs: RiskInputs, p: dict) -> list[dict]:
    out, f = [], inputs.by_type
    before = (pd.Timestamp(inputs.period) - pd.DateOffset(months=int(p["months"]))).date()
    for t, g in f.groupby("group"):
        g = g.set_index("period")
        if inputs.period not in g.index or before not in g.index:
            continue
        ratio = lambda d: float(g.loc[d, "green_npl_balance"]) / float(g.loc[d, "green_balance"]) if g.loc[d, "green_balance"] else 0.0  # noqa: E731
        rise = (ratio(inputs.period) - ratio(before)) * 100
        if rise > p["rise_pp"]:
            out.append(_alert("credit_npl_rising", "park", inputs.park_id, inputs.period,
                              {"inst_type": t, "npl_ratio_now": ratio(inputs.period), "npl_ratio_before": ratio(before), "rise_pp": rise},
                              "研判该类机构绿色贷款质量变化原因", key_extra=f":{t}"))
    return out


def rule_fund_use_stalled(inputs: RiskInputs, p: dict) -> list[dict]:
    out, green = [], _green(inputs)
    ms = inputs.raw["milestones"]
    if green.empty or ms.empty:
        return out
    late = ms[pd.to_datetime(ms["earliest_overdue"]) < pd.Timestamp(inputs.period) - pd.Timedelta(days=int(p["overdue_days"]))]
    for _, m in late.iterrows():
        loans = green[green["project_id"] == m["project_id"]]
        for inst, lo in loans.groupby("institution_id"):
            out.append(_alert("fund_use_stalled", "project", m["project_id"], inputs.period,
                              {"overdue_milestones": m["n_overdue"], "earliest_overdue": m["earliest_overdue"],
                               "green_balance_wan": lo["balance"].astype(float).sum()},
                              "穿透核查贷款资金流向与项目进度", institution_id=inst, key_extra=f":{int(inst)}"))
    return out


def _target(inputs: RiskInputs, indicator: str):
    t = inputs.targets[inputs.targets["indicator"] == indicator] if not inputs.targets.empty else inputs.targets
    return None if t is None or t.empty else t.sort_values("year").iloc[-1]


def rule_trajectory_emissions(inputs: RiskInputs, p: dict) -> list[dict]:
    t = _target(inputs, "total_emissions")
    if t is None or "total_emissions_t12" not in inputs.park_monthly.columns:
        return []
    series = inputs.park_monthly["total_emissions_t12"]
    path = energy_calc.compute_target_path(series, float(t["value"]), base_year=inputs.base_year, target_year=int(t["year"]))
    on_path = path.set_index("period")["path"].get(inputs.period)
    actual = series.get(inputs.period)
    if on_path is None or actual is None or pd.isna(actual):
        return []
    above = (float(actual) / float(on_path) - 1) * 100
    return ([_alert("trajectory_emissions", "park", inputs.park_id, inputs.period,
                    {"emissions_12m_t": actual, "path_t": on_path, "above_pct": above}, "研判排放偏离目标路径的原因并提出加速措施")]
            if above > p["max_above_pct"] else [])


def rule_trajectory_green_share(inputs: RiskInputs, p: dict) -> list[dict]:
    t = _target(inputs, "green_power_share")
    col = "green_power_share_t12"
    if t is None or col not in inputs.park_monthly.columns:
        return []
    series = inputs.park_monthly[col]
    base_p = dt.date(inputs.base_year, 12, 1)
    if base_p not in series.index or inputs.period not in series.index:
        return []
    months_total = (int(t["year"]) - inputs.base_year) * 12
    done = (inputs.period.year - inputs.base_year) * 12 + inputs.period.month - 12
    if done <= 0:
        return []
    base = float(series.loc[base_p])
    needed = base + (float(t["value"]) - base) * min(done / months_total, 1.0)
    behind = (needed - float(series.loc[inputs.period])) * 100
    return ([_alert("trajectory_green_share", "park", inputs.park_id, inputs.period,
                    {"share_12m": series.loc[inputs.period], "path_share": needed, "behind_pp": behind},
                    "推动绿电交易、绿证采购和分布式光伏建设")] if behind > p["max_behind_pp"] else [])


def rule_data_late(inputs: RiskInputs, p: dict) -> list[dict]:
    r = inputs.raw["reporting"]
    before = set(r[r["period"] == inputs.raw["prev_period"]]["institution_id"])
    now = set(r[r["period"] == inputs.period]["institution_id"])
    return [_alert("data_late", "institution", inst, inputs.period, {"reported_before": str(inputs.raw["prev_period"]),
                                                                    "missing": str(inputs.period)},
                   "督促机构按期报送月度数据", institution_id=inst, key_extra=f":{inputs.period}") for inst in sorted(before - now)]


def rule_data_meter_gaps(inputs: RiskInputs, p: dict) -> list[dict]:
    c = inputs.raw["meter_coverage"]
    if c.empty or c["readings"].sum() == 0:  # no meter data this month at all: the park is not metered yet
        return []
    low = c[(c["readings"] / c["expected"]) < p["min_coverage"]]
    return [_alert("data_meter_gaps", "enterprise", r["enterprise_id"], inputs.period,
                   {"readings": r["readings"], "expected": r["expected"], "coverage": r["readings"] / r["expected"]},
                   "联系区域能碳管理平台补传缺失的计量数据", key_extra=f":{inputs.period}") for _, r in low.iterrows()]


def rule_data_revised(inputs: RiskInputs, p: dict) -> list[dict]:
    r = inputs.raw["revisions"]
    return [_alert("data_revised", "institution", inst, inputs.period, {"facilities": len(g), "max_revision": g["revision"].max()},
                   "核实报送后修改的原因并留存说明", institution_id=inst, key_extra=f":{inputs.period}")
            for inst, g in r.groupby("institution_id")]


def rule_carbon_stress_exposure(inputs: RiskInputs, p: dict) -> list[dict]:
    if inputs.stress.empty or inputs.stress_scenario is None:
        return []
    sc = inputs.stress_scenario
    return [_alert("carbon_stress_exposure", "institution", r["institution_id"], inputs.period,
                   {"share": r["share"], "exposure_wan": r["exposure"], "max_share": p["max_share"], "scenario": sc["name"],
                    "year": int(sc["test_year"]), "price": sc["prices"][int(sc["test_year"])], "threshold": sc["threshold"]},
                   "评估高碳借款人在碳价上升下的偿债能力，对接转型融资与减排改造", institution_id=r["institution_id"])
            for _, r in inputs.stress.iterrows() if pd.notna(r["share"]) and _above(r["share"], p["max_share"])]


RULES = {name.removeprefix("rule_"): fn for name, fn in globals().items() if name.startswith("rule_")}


def evaluate(rules: pd.DataFrame, inputs: RiskInputs) -> list[dict]:
    """Alerts of every active rule in `rules` (load_rules output), with the rule's severity."""
    alerts = []
    for _, rule in rules.iterrows():
        fn = RULES.get(rule["code"])
        if fn is None:
            continue  # a rule stored as data without an implementation yet is listed but not run
        for a in fn(inputs, dict(rule["params"] or {})):
            alerts.append({**a, "severity": rule["severity"]})
    return alerts


def run_rules(conn: Connection, *, park_id: int, period: dt.date, base_year: int = 2025, target_year: int = 2030,
              enterprise_monthly: pd.DataFrame | None = None) -> int:
    """Evaluate every active rule for a park and record the new alerts. Returns how many were added."""
    inputs = gather(conn, park_id=park_id, period=period, base_year=base_year, target_year=target_year,
                    enterprise_monthly=enterprise_monthly)
    return risk_store.record_alerts(conn, park_id, evaluate(risk_store.load_rules(conn), inputs))
