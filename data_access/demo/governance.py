"""Governance: enterprise profiles, the resource library, targets, tasks, projects and milestones, the whitelist,
risk alerts and the green-certificate double claims planted for the rules to find."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import insert, text

from data_access.models import (
    EnterpriseProfile,
    FinancialProduct,
    LibraryItem,
    RiskAlert,
    RiskAlertEvent,
    Target,
    Task,
    WhitelistEntry,
    WhitelistVersion,
)
from data_access.demo.park_model import EnterpriseModel, ParkSpec, add_months, rng_for

def write_profiles(conn, park: ParkSpec, ents: list[EnterpriseModel], last: dt.date) -> int:
    """Whitelist and guideline facts for every enterprise; a few fall on the negative list on purpose:
    the 5th enterprise is a dishonest debtor, the 9th has restricted capacity, the 14th two environmental penalties."""
    rng = rng_for(park.purpose + 11)
    rows = []
    for e in ents:
        green = e.enterprise_class == "green_low_carbon"
        rows.append({"enterprise_id": e.id, "as_of": last, "patents": int(rng.poisson(9 if green else 4)),
                     "high_tech": bool(rng.random() < (0.5 if green else 0.25)), "specialised": bool(rng.random() < 0.2),
                     "tax_credit_grade": str(rng.choice(["A", "B", "M", "C"], p=[0.45, 0.4, 0.1, 0.05])),
                     "env_penalties": int(rng.random() < (0.15 if e.enterprise_class == "high_carbon_industrial" else 0.03)),
                     "dishonest": e.idx == 4, "restricted_capacity": e.idx == 8 and not park.purpose,
                     "has_transition_plan": bool(e.enterprise_class != "high_carbon_industrial" or rng.random() < 0.6)})
    if len(rows) > 13:
        rows[13]["env_penalties"] = 2
    conn.execute(insert(EnterpriseProfile), rows)
    return len(rows)


def write_library(conn, insts: list[dict]) -> dict:
    """The resource library (§十二): products of the demo institutions, public policies with their sources, and
    typical cases (fictitious, like the institutions)."""
    by_code = {i["code"]: i["id"] for i in insts}
    every = ["green_low_carbon", "data_center", "high_carbon_industrial"]
    products = [  # institution, name, line, carbon product, rate range, term, amount range, collateral, classes, categories, tool, whitelist only
        ("SO-1", "零碳园区项目贷", "new_power_system", None, 2.6, 3.3, 180, 5_000, 200_000, ["real_estate", "equipment", "receivables_pledge"], every, ["power_heat", "green_building"], "carbon_reduction_tool", False),
        ("SO-2", "碳减排支持工具专项贷款", "energy_saving", None, 2.5, 3.1, 120, 1_000, 100_000, ["equipment", "guarantee"], every, ["energy_saving", "power_heat"], "carbon_reduction_tool", False),
        ("SO-3", "转型金融贷款（钨钼、装备）", "traditional_energy_decarb", None, 2.9, 3.6, 96, 2_000, 80_000, ["real_estate", "equipment"], ["high_carbon_industrial"], ["industrial_upgrade", "energy_saving"], None, False),
        ("PB-1", "园区基础设施中长期贷款", "new_power_system", None, 2.4, 3.0, 240, 20_000, 500_000, ["real_estate", "guarantee"], every, ["power_heat", "green_transport", "ccus"], None, False),
        ("PB-2", "科技创新再贷款配套贷款", "industrial_upgrade", None, 2.5, 3.2, 60, 500, 30_000, ["guarantee", "none"], ["green_low_carbon", "data_center"], ["industrial_upgrade"], "sci_tech_relending", False),
        ("JS-1", "碳配额质押贷款", "energy_saving", "carbon_quota_pledge", 3.0, 3.8, 36, 300, 20_000, ["carbon_quota_pledge"], ["high_carbon_industrial"], [], None, False),
        ("JS-2", "绿证质押融资", "new_power_system", "green_certificate_pledge", 3.1, 3.9, 24, 100, 5_000, ["green_certificate_pledge"], every, [], None, False),
        ("JS-3", "绿色建筑按揭贷款", "green_building", None, 3.0, 3.7, 120, 1_000, 60_000, ["real_estate"], every, ["green_building"], None, False),
        ("PL-1", "供应链金融+零碳", "industrial_upgrade", "supply_chain_zero_carbon", 3.3, 4.2, 12, 50, 3_000, ["receivables_pledge"], every, [], None, False),
        ("LL-1", "碳表现挂钩贷款", "energy_saving", "carbon_performance_linked", 3.4, 4.5, 36, 50, 3_000, ["guarantee", "equipment", "none"], every, ["energy_saving", "solid_waste"], "interest_subsidy", True),
        ("LL-2", "VEP+ESG评级贷款", "industrial_upgrade", "vep_esg", 3.5, 4.6, 36, 50, 2_000, ["none", "guarantee"], ["green_low_carbon", "data_center"], [], "green_guarantee", True),
        ("LL-3", "未来碳汇收益权质押贷款", "solid_waste", "carbon_sink_income_pledge", 3.6, 4.8, 60, 100, 5_000, ["carbon_sink_income_pledge"], every, ["solid_waste", "ccus"], "risk_compensation", False),
        ("OT-1", "光伏设备融资租赁", "new_power_system", None, 3.8, 5.2, 96, 200, 50_000, ["equipment"], every, ["power_heat", "green_transport"], None, False),
        ("OT-2", "新能源重卡经营性租赁", "green_transport", None, 4.0, 5.5, 60, 100, 20_000, ["equipment"], every, ["green_transport"], None, False),
    ]
    conn.execute(insert(FinancialProduct), [{
        "institution_id": by_code[c], "name": n, "product_line": line, "carbon_product": cp, "rate_min": r0, "rate_max": r1,
        "term_months_max": term, "min_amount": a0, "max_amount": a1, "collateral": col, "eligible_classes": cls, "categories": cats,
        "policy_tool": tool, "whitelist_only": wl, "description": ""} for c, n, line, cp, r0, r1, term, a0, a1, col, cls, cats, tool, wl in products])
    items = [
        ("policy", "阳泉市金融支持零碳园区建设行动方案", "构建政策、产品、案例、企业和项目于一体的综合金融资源库；建立融资白名单；制定融资支持指引。", "阳泉市人民政府办公室", None, "项目种子文件 seed/action-plan-yangquan-2026-13.txt", "白名单 指引 资源库 零碳园区"),
        ("policy", "碳减排支持工具", "人民银行按贷款本金的60%提供资金支持，利率1.75%（2021-11-08起），1.50%（2025-05-07起），1.25%（2026-01-19起）。", "中国人民银行", dt.date(2021, 11, 8), "中国人民银行，2021-11-08 推出碳减排支持工具", "碳减排 再贷款 清洁能源 节能环保"),
        ("policy", "科技创新和技术改造再贷款", "支持科技型中小企业和重点领域技术改造，利率1.75%（2024-04-07起），1.50%（2025-05-07起），1.25%（2026-01-15起）。", "中国人民银行", dt.date(2024, 4, 7), "中国人民银行，2024-04-07 设立科技创新和技术改造再贷款", "科技 技术改造 再贷款"),
        ("case", "分布式光伏项目银团贷款（示例）", "主办银行牵头三家机构组建银团，按5:3:2分担园区分布式光伏二期融资，绿证质押增信。", "演示数据", None, None, "银团 光伏 主办银行"),
        ("case", "钨钼企业转型金融贷款（示例）", "以碳配额质押并约定单位增加值排放下降目标，达标后利率下调30个基点。", "演示数据", None, None, "转型金融 碳配额 挂钩"),
        ("case", "数据中心绿电直供与融资租赁（示例）", "租赁公司以直租方式支持液冷改造，绿电直供合同作为还款来源。", "演示数据", None, None, "数据中心 租赁 绿电"),
    ]
    conn.execute(insert(LibraryItem), [{"kind": k, "title": t, "body": b, "issuer": i, "issued": d, "source": src, "tags": tags}
                                       for k, t, b, i, d, src, tags in items])
    return {"financial_product": len(products), "library_item": len(items)}


# A demo project's nodes (months after its start) and the stage each one, once passed, brings it to.
MILESTONE_PLAN = (("立项批复", 0), ("融资落实", 6), ("开工建设", 9), ("主体完工", 20), ("投产运营", 28))
MILESTONE_STAGE = {"立项批复": "approved", "融资落实": "financing", "开工建设": "construction", "主体完工": "construction",
                   "投产运营": "operation"}


def seed_governance(conn, park: ParkSpec, park_id: int, ents, insts, last: dt.date, design, months) -> dict:
    rng = rng_for(park.purpose + 4)
    # Targets: the national core threshold is sourced; the park's own targets were not found (assumptions).
    base_i = [i for i, m in enumerate(months) if m.year == 2025]
    # The core indicator's target (≤0.2 / ≤0.3 tCO2/tce) is not stored: it follows from the national band for the
    # park's energy use under its electricity method (dashboard.indicators.core_target).
    targets = [
        {"indicator": "clean_energy_share", "year": 2030, "value": 0.9, "is_assumption": True,
         "source": "《国家级零碳园区建设指标体系（试行）》引导性指标 ≥90%（仅见二手来源转述，官方全文未获得，待核对）"},
        {"indicator": "green_power_share", "year": 2030, "value": 0.8, "is_assumption": True,
         "source": "假设：园区目标未公开，按鄂尔多斯零碳园区约70%-80%的水平设定"},
        {"indicator": "solid_waste_reuse", "year": 2030, "value": 0.8, "is_assumption": True,
         "source": "引导性指标 ≥80%（二手来源）"},
    ]
    if base_i:
        # Total emissions: assumed equal to the core threshold times the base-year energy (a rough ceiling).
        targets.append({"indicator": "total_emissions", "year": 2030, "value": 0.0, "is_assumption": True,
                        "source": "假设：2030年能耗按2025年水平、单位能耗碳排放0.2 tCO2/tce 推算", "_derive": True})
        targets.append({"indicator": "green_loan_balance", "year": 2030, "value": 0.0, "is_assumption": True,
                        "source": "假设：2025年末余额按年均增长15%推算至2030年", "_derive_credit": True})
    target_rows = []
    for t in targets:
        row = {k: v for k, v in t.items() if not k.startswith("_")}
        row.update(park_id=park_id, updated_by="demo")
        if t.get("_derive"):
            row["value"] = _derived_emission_target(design, base_i)
        if t.get("_derive_credit"):
            dec = dt.date(2025, 12, 1)
            bal = conn.execute(text(
                "SELECT COALESCE(SUM(s.balance), 0) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
                "WHERE s.park_id = :p AND f.is_green = :g AND s.period = :d AND s.is_current = :c"),
                {"p": park_id, "g": True, "d": dec, "c": True}).scalar_one()
            row["value"] = round(float(bal) * 1.15 ** 5, 0)
        target_rows.append(row)
    conn.execute(insert(Target), target_rows)

    # Annual task lists 2025 and 2026 (§一): six tasks per bank and year.
    task_titles = [
        ("制定零碳园区专项信贷计划和额度", "§二"), ("推出零碳园区贷产品矩阵专属产品", "§二"), ("对接区域能碳管理平台获取能碳数据", "§三"),
        ("为园区企业开立碳账户", "§五"), ("落地碳资产质押或绿证质押贷款", "§七"), ("按期报送零碳金融简报", "§九"),
    ]
    task_rows = []
    for year in (2025, 2026):
        for inst in insts:
            if inst["inst_type"] == "other":
                continue
            for k, (title, section) in enumerate(task_titles):
                due = dt.date(year, 3 * (k % 4) + 3, 28)
                r = rng.random()
                if due <= last:
                    status = "done" if r < 0.78 else "overdue"
                else:
                    status = "in_progress" if r < 0.6 else "not_started"
                task_rows.append({"park_id": park_id, "year": year, "institution_id": inst["id"],
                                  "code": f"{year}-{k + 1:02d}", "title": title, "seed_section": section, "due_date": due,
                                  "status": status, "completed_on": due - dt.timedelta(days=int(rng.integers(0, 40))) if status == "done" else None,
                                  "evidence": "见报送材料" if status == "done" else None})
    conn.execute(insert(Task), task_rows)

    # Whitelist (§十四): two versions; entries with scores and their parts.
    versions = [(1, dt.date(2025, 6, 30)), (2, dt.date(2026, 3, 31))]
    wl_entries = []
    listed_before: set[int] = set()
    for v, eff in versions:
        if eff > last:
            continue
        vid = park.purpose + v
        conn.execute(insert(WhitelistVersion), [{"id": vid, "park_id": park_id, "version": v, "effective_date": eff,
                                                 "document_no": f"阳高新管〔{eff.year}〕{10 + v}号（示例）", "created_by": "demo"}])
        for e in ents:
            parts = {"credit_compliance": round(float(rng.uniform(15, 30)), 1),
                     "operating_fit": round(float(rng.uniform(10, 25)), 1),
                     "innovation": round(float(rng.uniform(5, 20)), 1),
                     "green_performance": round(float(rng.uniform(5, 25)) - (8 if e.laggard else 0), 1)}
            score = round(sum(parts.values()), 1)
            listed = score >= 60
            if listed and e.id not in listed_before:
                action, reason = "added", None
            elif not listed and e.id in listed_before:
                action, reason = "removed", "综合评分低于60分"
            else:
                action, reason = "rescored", None
            if listed or e.id in listed_before:
                wl_entries.append({"version_id": vid, "enterprise_id": e.id, "listed": listed, "action": action,
                                   "score": score, "score_parts": parts, "reason": reason})
            if listed:
                listed_before.add(e.id)
            else:
                listed_before.discard(e.id)
    if wl_entries:
        conn.execute(insert(WhitelistEntry), wl_entries)

    # A few risk alerts with their loop history, so the overview has open and closed ones.
    alert_specs = [
        ("credit_npl", "high", "institution", "提示机构核实不良贷款处置方案"),
        ("concentration_institution", "medium", "institution", "关注单一机构集中度，推动银团分担"),
        ("fake_zero_label_no_supply", "high", "enterprise", "核查企业零碳标识的绿电来源"),
        ("data_late", "low", "institution", "督促机构按期报送月度数据"),
        ("trajectory_emissions", "medium", "park", "研判排放超出目标路径的原因"),
        ("greenwashing_intensity_rose", "high", "enterprise", "核查绿色贷款企业排放强度上升原因"),
    ]
    alert_rows, event_rows, open_keys = [], [], set()
    aid = park.purpose
    for k, (rule, sev, kind, action) in enumerate(alert_specs * (2 if not park.purpose else 1)):
        aid += 1
        created = dt.datetime.combine(add_months(last, -int(rng.integers(0, 20))), dt.time(9, 30))
        subject = {"institution": insts[int(rng.integers(0, len(insts)))]["id"], "enterprise": ents[int(rng.integers(0, len(ents)))].id,
                   "park": park_id}[kind]
        path = ["identified", "assessed", "alerted", "feedback", "closed"][: int(rng.integers(1, 6))]
        # Each step 20 days after the last, but none after the data end: no alert is closed in the future.
        step = min(20, max(1, (dt.datetime.combine(add_months(last, 1), dt.time(0)) - created).days // len(path)))
        closed = path[-1] == "closed"
        key = f"{rule}:{kind}:{subject}"  # the rules' own key: a later run finds this alert instead of adding another
        if not closed and key in open_keys:
            continue  # one open alert per rule and subject (the database enforces it too)
        if not closed:
            open_keys.add(key)
        alert_rows.append({"id": aid, "park_id": park_id, "rule_code": rule, "severity": sev, "subject_kind": kind,
                           "subject_id": subject, "institution_id": subject if kind == "institution" else None,
                           "period": created.date().replace(day=1), "evidence": {"note": "演示预警"},
                           "suggested_action": action, "state": path[-1], "dedup_key": key if not closed else f"{key}:closed:{aid}",
                           "created_at": created, "closed_at": created + dt.timedelta(days=step * len(path)) if closed else None})
        prev = None
        for s_i, state in enumerate(path):
            event_rows.append({"alert_id": aid, "from_state": prev, "to_state": state,
                               "actor": "system" if state == "identified" else "demo_analyst",
                               "note": None, "at": created + dt.timedelta(days=step * s_i)})
            prev = state
    conn.execute(insert(RiskAlert), alert_rows)
    conn.execute(insert(RiskAlertEvent), event_rows)
    return {"target": len(target_rows), "task": len(task_rows), "whitelist_entry": len(wl_entries), "risk_alert": len(alert_rows)}


GEC_SERIAL_BASE = 10_000_000_000


def double_claims(rows: list[dict], design, ents, months, park_id: int, last: dt.date, serial: int) -> list[dict]:
    """Three ways one MWh gets claimed twice, for the counting and the risk rules to catch:
    one certificate batch reported again the next month; the certificates bundled with one trade reported again as
    certificates; and certificates issued on one enterprise's own PV and sold (its last 6 months, 40 % of
    generation), which the enterprise may no longer count as its own green power."""
    out = []
    certs = [r for r in rows if r["kind"] == "certificate"]
    if certs:
        dup = dict(certs[len(certs) // 2])
        dup["period"] = add_months(dup["period"], 1).replace(day=1)
        if dup["period"] <= last:
            out.append(dup)
    bundled = [r for r in rows if r["kind"] == "trade" and r["serial_start"] is not None and r["period"] <= add_months(last, -2)]
    if bundled:
        t = bundled[len(bundled) // 3]
        out.append({**t, "kind": "certificate", "period": add_months(t["period"], 1).replace(day=1),
                    "reference": t["reference"].replace("GT-", "GEC-") + "-BUNDLED"})
    own = design["electricity_own_renewable"]
    j = int(np.argmax(own.sum(axis=0)))
    for i, m in enumerate(months):
        if m > add_months(last, -6) and m <= last and own[i, j] > 0:
            n = int(own[i, j] / 1000 * 0.4)
            if n > 0:
                out.append({"enterprise_id": ents[j].id, "park_id": park_id, "period": m, "kind": "own_sold", "mwh": float(n),
                            "reference": f"GEC-SOLD-{ents[j].idx + 1:03d}-{m:%Y%m}", "serial_start": serial, "serial_end": serial + n - 1})
                serial += n
    return out


def _derived_emission_target(design, base_i: list[int]) -> float:
    """0.2 tCO2/tce x the base year's energy use in tce (calorific electricity method), tCO2."""
    kwh = sum(float(design[c][base_i].sum()) for c in ("electricity_grid", "electricity_own_renewable", "electricity_direct_green"))
    tce = (kwh * 0.1229 / 1000 + float(design["coal"][base_i].sum()) * 0.7143
           + float(design["natural_gas"][base_i].sum()) * 1.2143 / 1000 + float(design["heat_purchased"][base_i].sum()) * 0.03412)
    return round(0.2 * tce, 0)
