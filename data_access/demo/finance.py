"""Finance: credit facilities and their monthly balances, policy-tool use, direct financing and the planted risk
cases (problem loans, a resent report)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, insert, select

from data_access import taxonomy as tx
from data_access.models import (
    CreditFacility,
    CreditSnapshot,
    DirectFinancing,
    EnterpriseFinancials,
    EnterpriseOutput,
    Milestone,
    PolicyToolUse,
    Project,
    SyndicateMember,
)
from data_access.meter_store import bulk_insert
from data_access.reference import market_rate, policy_tool_rate, reference_value
from data_access.demo.governance import MILESTONE_PLAN, MILESTONE_STAGE
from data_access.demo.park_model import EnterpriseModel, HISTORY_START, ParkSpec, add_months, inst_type_at, month_range, rng_for

# --- credit -----------------------------------------------------------------------------------------

PRODUCT_BY_SECTOR = {
    "battery_materials": ("industrial_upgrade", "new_power_system", "energy_saving", "solid_waste"),
    "smart_terminal": ("industrial_upgrade", "green_building", "energy_saving"),
    "computing_ai": ("new_power_system", "energy_saving", "industrial_upgrade"),
    "tungsten_molybdenum": ("traditional_energy_decarb", "energy_saving", "ccus", "industrial_upgrade"),
    "pumps_valves": ("traditional_energy_decarb", "industrial_upgrade", "energy_saving"),
    "equipment": ("industrial_upgrade", "energy_saving", "green_transport"),
    "energy_saving_recycling": ("solid_waste", "energy_saving", "green_transport"),
    "park_utility": ("new_power_system", "power_heat", "green_building"),
}


def lpr_1y(d: dt.date) -> float:
    """One-year LPR in force on `d`, % (reference/market_rates.csv; only shapes demo loan rates)."""
    return market_rate("lpr_1y", d)


def carbon_tool_rate(d: dt.date) -> float:
    """Rate of the carbon emission reduction support tool in force on `d`, % (reference/policy_tool_rates.csv)."""
    return policy_tool_rate("carbon_reduction_tool", d)


def relending_rate(d: dt.date) -> float:
    """Sci-tech innovation and technology renovation relending rate on `d`, % (reference/policy_tool_rates.csv)."""
    return policy_tool_rate("sci_tech_relending", d)


NATIONAL_TOOL_TYPES = ("policy", "state_owned", "joint_stock")
# The monthly loan snapshots are the seed's largest credit table: written with bulk_insert, not row by row.
SNAPSHOT_COLUMNS = ("facility_id", "park_id", "period", "balance", "disbursed", "rate", "status", "overdue_days", "inst_type", "revision",
                    "is_current")


@dataclass
class FacilityModel:
    institution: int  # index into institutions
    enterprise: int  # index into enterprises
    product_line: str
    is_green: bool
    start: dt.date
    months: int
    amount: float  # 万元
    rate: float
    amortising: bool
    policy_tool: str | None = None
    collateral: str = "none"
    carbon_product: str | None = None
    carbon_linked: bool = False
    discount_bp: int | None = None
    project: int | None = None
    problem: str | None = None  # 'overdue' or 'npl' and when
    problem_from: dt.date | None = None
    syndicated: bool = False


def build_facilities(park: ParkSpec, ents: list[EnterpriseModel], insts: list[dict], last: dt.date) -> list[FacilityModel]:
    rng = rng_for(park.purpose + 2)
    by_type: dict[str, list[int]] = {}
    for i, inst in enumerate(insts):
        by_type.setdefault(inst["inst_type"], []).append(i)
    type_weights = {"policy": 0.10, "state_owned": 0.42, "joint_stock": 0.20, "provincial_legal": 0.10,
                    "local_legal": 0.12, "other": 0.06}
    types, tw = zip(*type_weights.items())
    tw = np.array(tw) / sum(tw)
    out: list[FacilityModel] = []
    for j, e in enumerate(ents):
        size = e.elec_mwh / 2_000  # bigger energy users borrow more
        n = int(np.clip(rng.poisson(2.5 + min(size, 6)), 1, 10))
        for _ in range(n):
            t = str(rng.choice(types, p=tw))
            inst = int(rng.choice(by_type[t]))
            # Lending grows over time: later start dates are more likely.
            start = add_months(dt.date(2019, 1, 1), int(95 * rng.random() ** 0.7))
            start = start.replace(day=1)
            green_p = {"green_low_carbon": 0.75, "data_center": 0.6, "high_carbon_industrial": 0.45}[e.enterprise_class]
            green_p = min(0.92, green_p + 0.04 * max(0, start.year - 2021))
            is_green = bool(rng.random() < green_p)
            line = str(rng.choice(PRODUCT_BY_SECTOR[e.sector.sector])) if is_green else "general"
            amortising = bool(rng.random() < 0.6)
            months = int(rng.choice([12, 24, 36, 60, 84, 120], p=[0.3, 0.15, 0.2, 0.2, 0.1, 0.05]))
            amount = float(np.exp(rng.normal(np.log(1_500 * (1 + min(size, 20)) ** 0.6), 0.7)))
            rate = lpr_1y(start) + float(rng.normal(0.35, 0.25)) - (0.25 if is_green else 0)
            f = FacilityModel(inst, j, line, is_green, start, months, round(amount, 2), round(max(rate, 2.2), 2), amortising)
            national = insts[inst]["inst_type"] in NATIONAL_TOOL_TYPES
            if is_green and national and line in ("new_power_system", "energy_saving", "traditional_energy_decarb") \
                    and start >= dt.date(2021, 11, 1) and rng.random() < 0.5:
                f.policy_tool = "carbon_reduction_tool"
            elif line == "industrial_upgrade" and national and start >= dt.date(2024, 4, 1) and rng.random() < 0.5:
                f.policy_tool = "sci_tech_relending"
            elif insts[inst]["inst_type"] == "local_legal" and is_green and rng.random() < 0.4:
                f.policy_tool = str(rng.choice(["interest_subsidy", "risk_compensation", "green_guarantee"]))
            r = rng.random()
            if is_green and r < 0.05 and start >= dt.date(2022, 1, 1):
                f.collateral, f.carbon_product = "carbon_quota_pledge", "carbon_quota_pledge"
            elif is_green and r < 0.09 and start >= dt.date(2023, 1, 1):
                f.collateral, f.carbon_product = "green_certificate_pledge", "green_certificate_pledge"
            elif is_green and r < 0.11 and start >= dt.date(2024, 1, 1):
                f.collateral, f.carbon_product = "carbon_sink_income_pledge", "carbon_sink_income_pledge"
            elif is_green and r < 0.15 and start >= dt.date(2023, 6, 1):
                f.collateral, f.carbon_product = "vep_esg", "vep_esg"
            elif r < 0.19 and insts[inst]["inst_type"] == "provincial_legal":
                f.collateral, f.carbon_product = "receivables_pledge", "supply_chain_zero_carbon"
            else:
                f.collateral = str(rng.choice(["none", "real_estate", "equipment", "guarantee"], p=[0.35, 0.3, 0.2, 0.15]))
            if insts[inst]["inst_type"] == "local_legal" and is_green and start >= dt.date(2023, 1, 1) and rng.random() < 0.45:
                f.carbon_linked, f.carbon_product = True, "carbon_performance_linked"
                f.discount_bp = int(rng.choice([10, 15, 20, 30]))
                f.rate = round(f.rate - f.discount_bp / 100, 2)
            out.append(f)
    # Problem loans: a few overdue and non-performing, concentrated in high-carbon borrowers.
    candidates = [i for i, f in enumerate(out) if ents[f.enterprise].enterprise_class == "high_carbon_industrial"
                  and f.start <= add_months(last, -18)]
    for k, i in enumerate(rng.choice(candidates, size=min(9, len(candidates)), replace=False) if candidates else []):
        f = out[int(i)]
        f.problem = "npl" if k % 3 == 0 else "overdue"
        f.problem_from = add_months(last, -int(rng.integers(2, 16)))
        f.months = max(f.months, (f.problem_from.year - f.start.year) * 12 + 24)
    out.extend(_general_lending(park, ents, insts, by_type))
    return out


# Ordinary working-capital and fixed-asset loans (not green), so that green loans are a plausible share of all
# park lending: about 30 % (national green loans are about 16 % of all loans, Huzhou's 33.9 % in 2024, a green
# park sits above the nation; domain/facts.md §2 and §7). A separate random stream, so the green book is unchanged.
GENERAL_LOANS_PER_ENTERPRISE = (2, 4)
GENERAL_LOAN_SCALE = 2.6


def _general_lending(park: ParkSpec, ents: list[EnterpriseModel], insts: list[dict], by_type: dict) -> list[FacilityModel]:
    rng = rng_for(park.purpose + 31)
    types = ("policy", "state_owned", "joint_stock", "provincial_legal", "local_legal")
    tw = np.array([0.05, 0.45, 0.22, 0.12, 0.16])
    out = []
    for j, e in enumerate(ents):
        size = e.elec_mwh / 2_000
        for _ in range(int(rng.integers(*GENERAL_LOANS_PER_ENTERPRISE, endpoint=True))):
            inst = int(rng.choice(by_type[str(rng.choice(types, p=tw))]))
            start = add_months(dt.date(2019, 1, 1), int(95 * rng.random() ** 0.8)).replace(day=1)
            months = int(rng.choice([36, 60, 84, 120], p=[0.25, 0.35, 0.25, 0.15]))
            amount = GENERAL_LOAN_SCALE * float(np.exp(rng.normal(np.log(1_500 * (1 + min(size, 20)) ** 0.6), 0.6)))
            rate = lpr_1y(start) + float(rng.normal(0.45, 0.25))
            f = FacilityModel(inst, j, "general", False, start, months, round(amount, 2), round(max(rate, 2.4), 2),
                              bool(rng.random() < 0.5))
            f.collateral = str(rng.choice(["none", "real_estate", "equipment", "guarantee"], p=[0.3, 0.35, 0.2, 0.15]))
            out.append(f)
    return out


def facility_balance(f: FacilityModel, m: dt.date) -> tuple[float, float, str, int]:
    """(balance, disbursed, status, overdue_days) of a facility at month `m`, 万元."""
    k = (m.year - f.start.year) * 12 + m.month - f.start.month
    if k < 0:
        return 0.0, 0.0, "repaid", 0
    status, overdue = "normal", 0
    if f.problem and f.problem_from and m >= f.problem_from:
        status = f.problem
        overdue = 30 * ((m.year - f.problem_from.year) * 12 + m.month - f.problem_from.month + 1)
        overdue = max(overdue, 91) if status == "npl" else min(overdue, 89)
        frozen_k = (f.problem_from.year - f.start.year) * 12 + f.problem_from.month - f.start.month
        k = frozen_k  # no repayment once in trouble
    if k >= f.months and status == "normal":
        return 0.0, 0.0, "repaid", 0
    disbursed = f.amount if (m.year, m.month) == (f.start.year, f.start.month) else 0.0
    if f.amortising and k >= 12:
        remaining = max(0.0, 1 - (k - 11) / max(1, f.months - 11))
        balance = f.amount * remaining
    elif f.amortising:
        balance = f.amount
    else:  # revolving working capital: utilisation moves with the seasons
        balance = f.amount * (0.75 + 0.2 * math.sin(2 * math.pi * (m.month + f.enterprise % 5) / 12))
    return round(balance, 2), round(disbursed, 2), status, overdue


@dataclass
class RiskCases:
    """Cases planted for the risk rules (§十三), each with a near miss where one fits; README "Demo data" lists them."""
    late_institution: int | None = None  # index into institutions: reported the month before, not the last month
    revised: set[int] = field(default_factory=set)  # facility indexes whose last month was re-sent as revision 2


def plant_risk_cases(park: ParkSpec, facilities: list[FacilityModel], insts: list[dict], ents: list[EnterpriseModel],
                     last: dt.date) -> RiskCases:
    """Shape the facility book so that every rule has a case in the demo, and some cases fall just short.

    Main park: the largest lender is brought to ~28 % of the park's green credit (near miss for the 30 % share
    rule, HHI stays low); one joint-stock green loan turns non-performing three months ago (NPL ratio of the
    type rises by more than 0.5 pp); one institution re-sends its last month (figures changed after submission).
    Second park: one institution is late with the last month, and the largest lender books a big green loan
    that lifts it to 45 % of the park's green credit (share rule and HHI both trigger).
    """
    cases = RiskCases()
    itype = lambda f: inst_type_at(insts[f.institution], last)  # noqa: E731
    # Green *loans*: a leasing firm's green leasing is not in the park's green credit (tx.BANK_TYPES).
    bal = lambda f: facility_balance(f, last)[0] if f.is_green and itype(f) in tx.BANK_TYPES else 0.0  # noqa: E731

    def green_by_inst() -> dict[int, float]:
        out: dict[int, float] = {}
        for f in facilities:
            if f.institution != cases.late_institution:
                out[f.institution] = out.get(f.institution, 0.0) + bal(f)
        return out

    if park.purpose:
        by_inst = green_by_inst()
        cases.late_institution = min((i for i, b in by_inst.items() if b > 0), key=by_inst.get)
        by_inst = green_by_inst()
        top, total = max(by_inst, key=by_inst.get), sum(by_inst.values())
        amount = (0.45 * total - by_inst[top]) / (1 - 0.45)  # balance equals the amount in the first 12 months
        biggest = max(ents, key=lambda e: e.elec_mwh)
        facilities.append(FacilityModel(top, biggest.idx, PRODUCT_BY_SECTOR[biggest.sector.sector][0], True,
                                        add_months(last, -10), 60, round(amount, 2), round(lpr_1y(last) - 0.2, 2), True))
        return cases

    by_inst = green_by_inst()
    top, total = max(by_inst, key=by_inst.get), sum(by_inst.values())
    movable = sorted((i for i, f in enumerate(facilities) if f.is_green and f.project is None and f.institution != top
                      and f.policy_tool is None and not f.problem and bal(f) > 0),
                     key=lambda i: -bal(facilities[i]))
    for i in movable:  # loans without a policy tool, so tool eligibility does not change
        if (by_inst[top] + bal(facilities[i])) / total <= 0.285:
            by_inst[top] += bal(facilities[i])
            facilities[i].institution = top
        if by_inst[top] / total >= 0.275:
            break
    js_total = sum(bal(f) for f in facilities if itype(f) == "joint_stock")
    turn = add_months(last, -3)
    for f in sorted(facilities, key=bal):
        if (itype(f) == "joint_stock" and not f.problem and f.start < add_months(turn, -2) and f.project is None
                and 0.01 <= bal(f) / js_total <= 0.05):
            f.problem, f.problem_from = "npl", turn
            f.months = max(f.months, (turn.year - f.start.year) * 12 + 24)
            break
    resender = sorted(by_inst, key=by_inst.get)[len(by_inst) // 2]
    cases.revised = {i for i, f in enumerate(facilities) if f.institution == resender and bal(f) > 0}
    cases.revised = set(sorted(cases.revised)[:3])
    return cases


def seed_finance(conn, park: ParkSpec, park_id: int, ents, insts, last: dt.date) -> dict:
    rng = rng_for(park.purpose + 3)
    facilities = build_facilities(park, ents, insts, last)
    # Projects: the park's zero-carbon projects, each with a lead bank; big ones are syndicated.
    project_plan = [
        ("园区分布式光伏二期", "power_heat", 52_000), ("源网荷储一体化示范", "power_heat", 180_000),
        ("绿色数据中心液冷改造", "energy_saving", 36_000), ("钨钼冶炼电窑炉替代", "industrial_upgrade", 64_000),
        ("动力电池材料零碳工厂", "industrial_upgrade", 95_000), ("园区集中供热清洁化改造", "power_heat", 48_000),
        ("工业固废综合利用中心", "solid_waste", 42_000), ("新能源重卡换电站", "green_transport", 18_000),
        ("智能终端产业园绿色建筑", "green_building", 75_000), ("园区碳捕集利用示范", "ccus", 26_000),
        ("泵阀铸造余热回收", "energy_saving", 9_500), ("废旧电池回收再生", "solid_waste", 33_000),
        ("园区物流电动化", "green_transport", 12_000), ("屋顶光伏+储能（三期）", "power_heat", 28_000),
        ("数据中心绿电直供专线", "power_heat", 41_000), ("装备制造数字化节能改造", "energy_saving", 15_000),
    ]
    if park.purpose:
        project_plan = project_plan[:4]
    banks = [i for i, inst in enumerate(insts) if inst["inst_type"] != "other"]
    projects, syndicate_rows, milestone_rows = [], [], []
    for k, (name, category, invest) in enumerate(project_plan):
        pid = park.purpose + k + 1
        invest = invest * park.scale
        start = add_months(dt.date(2022, 3, 1), int(rng.integers(0, 48)))
        # Milestones first, then the stage they reach, so a project never stands at a stage past a node it has not
        # passed (every fifth project is held up from 开工建设 on and stays at the stage before it).
        ms_plan = []
        for n_ms, (ms_name, offset) in enumerate(MILESTONE_PLAN):
            planned = add_months(start, offset)
            ms_plan.append((ms_name, planned, planned <= add_months(last, -1) and not (k % 5 == 3 and n_ms >= 2)))
        stage = "planning"
        for (ms_name, _planned, done) in ms_plan:
            if not done:
                break
            stage = MILESTONE_STAGE[ms_name]
        lead = int(rng.choice(banks))
        owner = ents[int(rng.integers(0, len(ents)))]
        if not park.purpose and k == 3:
            owner = ents[8]  # the enterprise with restricted capacity: its project falls on the negative list
        projects.append({"id": pid, "park_id": park_id, "code": f"{park.code}-P{k + 1:02d}", "name": name, "enterprise_id": owner.id,
                         "category": category, "stage": stage, "investment": round(invest, 2),
                         "financing_need": round(invest * float(rng.uniform(0.55, 0.8)), 2), "lead_bank_id": insts[lead]["id"],
                         "expected_reduction_t": round(invest * float(rng.uniform(0.4, 1.6)), 0),
                         "start_date": start, "planned_completion": add_months(start, int(rng.integers(18, 40))),
                         "on_negative_list": False})
        syndicated = invest >= 60_000 * park.scale
        members = [lead] + ([int(x) for x in rng.choice([b for b in banks if b != lead], size=2, replace=False)] if syndicated else [])
        shares = [1.0] if not syndicated else [0.5, 0.3, 0.2]
        for b, s in zip(members, shares):
            syndicate_rows.append({"project_id": pid, "institution_id": insts[b]["id"], "share": s,
                                   "amount": round(projects[-1]["financing_need"] * 0.8 * s, 2)})
        # Project loans: one facility per member, green, disbursed as the project starts.
        if start <= last and stage != "planning":
            for b, s in zip(members, shares):
                facilities.append(FacilityModel(b, owner.idx, _line_for(category), True, add_months(start, 2), 120,
                                                round(projects[-1]["financing_need"] * 0.8 * s * (0.6 if stage == "financing" else 1.0), 2),
                                                round(lpr_1y(start) - 0.2, 2), True, project=k, syndicated=syndicated,
                                                policy_tool="carbon_reduction_tool" if insts[b]["inst_type"] in NATIONAL_TOOL_TYPES and category in ("power_heat", "energy_saving") else None))
        for ms_name, planned, done in ms_plan:
            status = "done" if done else ("overdue" if planned < last else "planned")
            milestone_rows.append({"project_id": pid, "name": ms_name, "planned_date": planned,
                                   "actual_date": add_months(planned, int(rng.integers(0, 2))) if done else None, "status": status})
    conn.execute(insert(Project), projects)
    conn.execute(insert(SyndicateMember), syndicate_rows)
    conn.execute(insert(Milestone), milestone_rows)
    cases = plant_risk_cases(park, facilities, insts, ents, last)

    months = month_range(HISTORY_START, last)
    fac_rows, snap_rows = [], []
    tool_acc: dict[tuple[int, str, dt.date], dict] = {}
    for n, f in enumerate(facilities):
        if f.start > last:
            continue
        fid = park.purpose * 10 + n + 1
        inst = insts[f.institution]
        fac_rows.append({
            "id": fid, "park_id": park_id, "institution_id": inst["id"], "enterprise_id": ents[f.enterprise].id,
            "project_id": (park.purpose + f.project + 1) if f.project is not None else None,
            "contract_no": f"{inst['code']}-{park.code}-{n + 1:05d}", "product_line": f.product_line, "is_green": f.is_green,
            "start_date": f.start, "maturity_date": add_months(f.start, f.months), "amount": f.amount, "rate": f.rate,
            "policy_tool": f.policy_tool, "collateral_type": f.collateral, "carbon_product": f.carbon_product,
            "carbon_linked": f.carbon_linked,
            "carbon_target_intensity": (round(float(rng.uniform(0.3, 1.2)), 3) if f.carbon_linked else None),
            "rate_discount_bp": f.discount_bp, "is_syndicated": f.syndicated})
        for m in months:
            if m < f.start.replace(day=1):
                continue
            if m == last and f.institution == cases.late_institution:
                break  # this institution has not sent its last month yet
            bal, disb, status, overdue = facility_balance(f, m)
            revision = 1
            if m == last and n in cases.revised and status != "repaid":  # first submission, corrected by revision 2
                snap_rows.append({"facility_id": fid, "period": m, "balance": round(bal * 1.08, 2), "disbursed": disb,
                                  "rate": f.rate, "status": status, "overdue_days": overdue,
                                  "inst_type": inst_type_at(inst, m), "revision": 1, "is_current": False})
                revision = 2
            if status == "repaid":  # the month after maturity is reported once, at zero, then no more
                snap_rows.append({"facility_id": fid, "period": m, "balance": 0.0, "disbursed": 0.0, "rate": f.rate,
                                  "status": "repaid", "overdue_days": 0, "inst_type": inst_type_at(inst, m),
                                  "revision": 1, "is_current": True})
                break
            snap_rows.append({"facility_id": fid, "period": m, "balance": bal, "disbursed": disb, "rate": f.rate,
                              "status": status, "overdue_days": overdue, "inst_type": inst_type_at(inst, m),
                              "revision": revision, "is_current": True})
            if f.policy_tool and disb > 0:
                key = (inst["id"], f.policy_tool, m)
                acc = tool_acc.setdefault(key, {"eligible": 0.0, "loan": 0.0})
                acc["loan"] += disb
    conn.execute(insert(CreditFacility), fac_rows)
    bulk_insert(conn, CreditSnapshot.__table__, SNAPSHOT_COLUMNS, (tuple(park_id if c == "park_id" else r[c] for c in SNAPSHOT_COLUMNS) for r in snap_rows))

    tool_rows = []
    # How much of the eligible lending each institution actually books under a tool differs by institution
    # (some use the tools eagerly, some hardly) and by month; eligible = loans / that use rate.
    use_rng = rng_for(park.purpose + 23)
    inst_use = {i: float(use_rng.uniform(0.45, 0.95)) for i in sorted({k[0] for k in tool_acc})}
    for (inst_id, tool, m), acc in sorted(tool_acc.items()):
        loan = acc["loan"]
        use = float(np.clip(inst_use[inst_id] + use_rng.normal(0, 0.08), 0.3, 1.0))
        row = {"park_id": park_id, "institution_id": inst_id, "tool": tool, "period": m,
               "eligible_amount": round(loan / use, 2), "loan_amount": round(loan, 2), "funding_amount": 0.0,
               "tool_rate": None, "carbon_reduction_t": None, "fiscal_cost": 0.0, "revision": 1, "is_current": True}
        if tool == "carbon_reduction_tool":
            # PBOC refinances 60 % of eligible principal (reference data, sourced).
            row.update(funding_amount=round(reference_value("carbon_reduction_tool_refinance_share").value * loan, 2),
                       tool_rate=carbon_tool_rate(m),
                       carbon_reduction_t=round(loan * float(rng.uniform(2.0, 4.5)), 0))
        elif tool == "sci_tech_relending":
            row.update(funding_amount=round(reference_value("sci_tech_relending_refinance_share").value * loan, 2),
                       tool_rate=relending_rate(m))  # the share is an assumption (reference data)
        elif tool == "interest_subsidy":
            row.update(fiscal_cost=round(loan * 0.01, 2))  # 1 pp subsidy for a year
        elif tool == "risk_compensation":
            row.update(funding_amount=round(loan * 0.02, 2), fiscal_cost=round(loan * 0.02, 2))
        elif tool == "green_guarantee":
            row.update(fiscal_cost=round(loan * 0.005, 2))
        tool_rows.append(row)
    if tool_rows:
        conn.execute(insert(PolicyToolUse), tool_rows)

    instruments = [("green_bond", "园区绿色债券"), ("transition_bond", "钨钼转型债券"), ("sci_tech_bond", "科技创新债券"),
                   ("green_fund", "零碳产业基金"), ("equity_plus_debt", "股权+债权综合融资"), ("financial_leasing", "光伏设备融资租赁")]
    df_rows = []
    for k in range(12 if not park.purpose else 3):
        inst_code, inst_name = instruments[k % len(instruments)]
        issue = add_months(dt.date(2021, 6, 1), int(rng.integers(0, 64)))
        if issue > last:
            continue
        e = ents[int(rng.integers(0, len(ents)))]
        linked = projects[k % len(projects)] if k % 3 == 0 and projects[k % len(projects)]["stage"] not in ("planning", "approved") else None
        if linked:  # bonds, funds and leasing raised for a project count towards what it has secured
            e = next(x for x in ents if x.id == linked["enterprise_id"])
        df_rows.append({"park_id": park_id, "enterprise_id": e.id, "project_id": linked["id"] if linked else None,
                        "institution_id": insts[int(rng.integers(0, len(insts)))]["id"], "instrument": inst_code,
                        "name": f"{e.name[:4]}{inst_name}（{issue:%Y}）", "issue_date": issue,
                        "maturity_date": add_months(issue, 60), "amount": round(float(rng.uniform(5_000, 60_000)) * park.scale, 2),
                        "rate": round(float(rng.uniform(2.2, 3.8)), 2) if inst_code.endswith("bond") else None})
    if df_rows:
        conn.execute(insert(DirectFinancing), df_rows)
    return {"project": len(projects), "credit_facility": len(fac_rows), "credit_snapshot": len(snap_rows),
            "policy_tool_use": len(tool_rows), "direct_financing": len(df_rows)}


def _line_for(category: str) -> str:
    return {"power_heat": "power_heat", "green_building": "green_building", "green_transport": "green_transport",
            "solid_waste": "solid_waste", "ccus": "ccus", "energy_saving": "energy_saving",
            "industrial_upgrade": "industrial_upgrade"}[category]


# Demo assumptions shaping borrowers' accounts: EBIT margin on revenue and revenue per 万元 of assets by sector.
EBIT_MARGIN = {"battery_materials": 0.08, "smart_terminal": 0.07, "computing_ai": 0.12, "tungsten_molybdenum": 0.06,
               "pumps_valves": 0.07, "equipment": 0.08, "energy_saving_recycling": 0.05, "park_utility": 0.04}
ASSET_TURNOVER = {"battery_materials": 0.9, "smart_terminal": 1.2, "computing_ai": 0.5, "tungsten_molybdenum": 0.7,
                  "pumps_valves": 0.9, "equipment": 0.8, "energy_saving_recycling": 0.6, "park_utility": 0.25}
# Demo: EBIT at least this many times interest before noise, so a few borrowers, not a third, start below 1.5x; the
# carbon-heavy smelters and materials makers run thinner, so a carbon price bites there first.
ICR_FLOOR = {"tungsten_molybdenum": 1.9, "battery_materials": 2.3}
WITHOUT_FINANCIALS = 0.08  # share of borrowers whose accounts were not sent (financed emissions use a sector proxy)


def write_financials(conn, park: ParkSpec, park_id: int, ents: list[EnterpriseModel]) -> int:
    """Yearly accounts for the years with reported output: revenue about the output value, assets from the
    sector's turnover but never below what the banks lend (equity + debt above the loans), debt 40-68 % of assets,
    interest at 3.4-4.5 % of the bank loans, EBIT at the sector's margin or its interest cover floor, whichever is
    more, with noise (a few borrowers start below 1.5x cover). A few borrowers send none."""
    rng = rng_for(park.purpose + 11)
    by_id = {e.id: e for e in ents}
    s, f = CreditSnapshot, CreditFacility
    balances = conn.execute(select(f.enterprise_id, s.period, func.sum(s.balance)).join(f, f.id == s.facility_id)
                            .where(s.park_id == park_id, s.is_current.is_(True)).group_by(f.enterprise_id, s.period)).all()
    loans: dict[tuple[int, int], list[float]] = {}
    for ent_id, period, balance in balances:
        year = (period if isinstance(period, dt.date) else dt.date.fromisoformat(str(period)[:10])).year
        loans.setdefault((ent_id, year), []).append(float(balance))
    outputs = conn.execute(select(EnterpriseOutput.enterprise_id, EnterpriseOutput.year, EnterpriseOutput.output_value)
                           .where(EnterpriseOutput.enterprise_id.in_(list(by_id)))).all()
    skipped = {e.id for e in ents if rng.random() < WITHOUT_FINANCIALS}
    rows = []
    for ent_id, year, output in sorted(outputs):
        if ent_id in skipped:
            continue
        sector = by_id[ent_id].sector.sector
        lent = loans.get((ent_id, year), [0.0])
        peak, mean = max(lent), sum(lent) / len(lent)
        revenue = float(output) * float(rng.uniform(0.95, 1.05))
        assets = max(revenue / ASSET_TURNOVER[sector] * float(rng.uniform(0.8, 1.2)), peak * float(rng.uniform(1.6, 2.8)))
        debt = max(assets * float(rng.uniform(0.40, 0.68)), peak * 1.15)
        interest = mean * float(rng.uniform(0.034, 0.045)) + (debt - mean) * 0.005
        rows.append({"enterprise_id": ent_id, "year": year, "total_equity": round(max(assets - debt, assets * 0.2), 2),
                     "total_debt": round(debt, 2), "revenue": round(revenue, 2),
                     "ebit": round(max(revenue * EBIT_MARGIN[sector], interest * ICR_FLOOR.get(sector, 3.0)) * float(rng.lognormal(0, 0.45)), 2),
                     "interest_expense": round(interest, 2)})
    if rows:
        conn.execute(insert(EnterpriseFinancials), rows)
    return len(rows)
