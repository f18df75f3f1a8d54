"""Demo work ledgers (工作台账): adviser services, FX and cross-border facilitation, due-diligence exemption,
payment services, talent and publicity, cross-department consultations, from January 2025 to the last demo month.

Every entry number starts with DEMO-. The sizes are assumptions for a national high-tech zone of about 80-120
enterprises (README, "Demo data"): ten firms in FX facilitation, each settling about US$ 0.4-0.9 m a month in
the trade pilot and US$ 50-200 k on current account (about US$ 90 m a year for the park), a cross-border loan of US$ 3-10 m a few times a
year, converted at 7.1 yuan per dollar. A few entries are left overdue so that each overdue rule has a case: a
follow-up and a consultation decision past their day, an exemption case undecided for more than 60 days, a
planned event not marked held, and one bank that has not sent its payment ledger for the last month.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from data_access import taxonomy as tx
from data_access.demo.park_model import EnterpriseModel, ParkSpec, add_months, month_range, rng_for
from data_access.models import CreditFacility, LedgerEntry, Project

START = dt.date(2025, 1, 1)
DEPT_SHORT = {"pboc": "RH", "ndrc": "FG", "finance": "CZ", "park_committee": "GW"}  # 人行, 发改, 财政, 管委会
USD_CNY = 7.1  # assumption for the demo's conversion, near the 2025-2026 central parity
ADVISERS = ("王敏", "李强", "张磊", "赵静", "陈晨", "刘洋", "杨帆", "周婷")
LIST_ITEMS = {
    "duty_list": ("贷前实地核查企业碳排放与能耗数据", "按园区白名单核实企业绿色属性", "贷后按季跟踪项目减排效果"),
    "exempt_list": ("因不可抗力导致的零碳改造项目贷款损失", "已按流程尽职、因政策调整导致的风险", "碳排放权价格大幅波动导致质押物贬值"),
    "negative_list": ("违反授信审批程序", "隐瞒或伪造企业环境信息", "与借款企业存在利益输送"),
}
CASES = ("园区企业设备贷款逾期，已按清单履职", "光伏项目并网延期致还款困难", "碳排放权质押贷款质押物贬值", "储能项目技术路线调整致贷款展期")
OUTREACH_TITLES = {
    "training": "“金融+管理+技术”复合型人才培训班（第{n}期）",
    "seminar": "“政金企（园）研”专题交流会（第{n}次）",
    "column": "金融支持零碳园区高质量发展专栏（第{n}期）",
    "broadcast": "零碳园区金融政策专题直播（第{n}场）",
    "event": "零碳园区银企对接专场活动（第{n}场）",
}
DECISIONS = {
    "project_financing": "{project}纳入重点项目融资清单，主办行牵头对接",
    "interest_subsidy": "园区中小微企业绿色贷款贴息（{q}）",
    "financing_guarantee": "政府性融资担保机构对园区绿色项目担保费率降至1%以下（{q}）",
    "risk_compensation": "设立零碳园区绿色贷款风险补偿资金池（{q}）",
    "green_fund": "绿色产业基金投向园区储能与氢能项目（{q}）",
}


def write_ledgers(conn, park: ParkSpec, park_id: int, ents: list[EnterpriseModel], insts: list[dict], last: dt.date) -> int:
    """Insert the park's demo ledgers; returns how many entries."""
    rng = rng_for(park.purpose + 23)
    scale = park.scale
    months = month_range(START, last)
    banks = [i for i in insts if i["inst_type"] in tx.BANK_TYPES]
    facilities = {}
    for fid, inst_id, ent_id, contract_no, amount, start in conn.execute(
            select(CreditFacility.id, CreditFacility.institution_id, CreditFacility.enterprise_id, CreditFacility.contract_no,
                   CreditFacility.amount, CreditFacility.start_date).where(CreditFacility.park_id == park_id)):
        facilities.setdefault(inst_id, []).append((fid, ent_id, float(amount), start))
    projects = conn.execute(select(Project.id, Project.name).where(Project.park_id == park_id).order_by(Project.id)).all()
    rows: list[dict] = []

    def add(ledger: str, owner: str, ref: str, day: dt.date, category: str, status: str, **values) -> None:
        keeper = DEPT_SHORT.get(owner, owner)  # an entry number names its keeper, as each keeper numbers its own ledger
        base = dict(ledger=ledger, owner=owner, ref=f"DEMO-{park.code}-{keeper}-{ref}", park_id=park_id, institution_id=None, department=None,
                    entry_date=day, category=category, status=status, title=None, participants=None, enterprise_id=None,
                    project_id=None, facility_id=None, policy_tool=None, quantity=None, amount=None, amount_usd=None,
                    attendance=None, reach=None, due_date=None, closed_on=None)
        rows.append(base | values)

    def day_in(month: dt.date) -> dt.date:
        return month.replace(day=int(rng.integers(3, 27)))

    # Adviser services (§九): a few visits a month; about a third lead to a loan of the adviser's bank that started after.
    for m in months:
        for k in range(int(rng.integers(2, 6) * scale) or 1):
            bank = banks[int(rng.integers(len(banks)))]
            day = day_in(m)
            ent = ents[int(rng.integers(len(ents)))]
            later = [f for f in facilities.get(bank["id"], []) if f[3] and day <= f[3] <= day + dt.timedelta(days=120)]
            roll = rng.random()
            values = dict(institution_id=bank["id"], title=ADVISERS[int(rng.integers(len(ADVISERS)))], enterprise_id=ent.id,
                          category=tx.LEDGER_CATEGORIES["adviser"][int(rng.integers(3))])
            if later and roll < 0.45:
                fid, ent_id, amount, _ = later[int(rng.integers(len(later)))]
                values.update(enterprise_id=ent_id, facility_id=fid, amount=round(amount, 2))
                status = "financed"
            elif roll < 0.75 and m >= months[-3]:  # older follow-ups have been settled one way or the other
                status = "following"
                values["due_date"] = day + dt.timedelta(days=int(rng.integers(20, 75)))
            else:
                status = "no_need"
            category = values.pop("category")
            add("adviser", bank["code"], f"GW-{m:%Y%m}-{k + 1:02d}", day, category, status, **values)

    # FX and cross-border facilitation (§六): pilot firms' monthly settlements at two banks; cross-border loans now and then.
    fx_banks = banks[1:3] if len(banks) > 2 else banks
    pilots = [ents[int(i)] for i in rng.choice(len(ents), size=min(len(ents), max(3, int(10 * scale))), replace=False)]
    for m in months:
        for j, ent in enumerate(pilots):
            bank = fx_banks[j % len(fx_banks)]
            joined = START.replace(month=1 + j % 6) if j >= len(pilots) // 2 else START  # half joined the pilot during 2025
            if m < joined:
                continue
            for category, n_range, usd_range in (("trade_pilot", (4, 22), (40, 90)), ("current_account", (1, 8), (5, 20))):
                n = int(rng.integers(*n_range))
                usd = round(float(rng.uniform(*usd_range)), 2)
                add("fx", bank["code"], f"FX-{m:%Y%m}-{ent.idx + 1:03d}-{tx.LEDGER_CATEGORIES['fx'].index(category) + 1}", m, category, "done", institution_id=bank["id"],
                    enterprise_id=ent.id, quantity=n, amount_usd=usd, amount=round(usd * USD_CNY, 2))
        if rng.random() < 0.3:
            ent, bank = pilots[int(rng.integers(len(pilots)))], fx_banks[0]
            usd = round(float(rng.uniform(300, 1000)), 2)
            add("fx", bank["code"], f"KJ-{m:%Y%m}", m, "cross_border_financing", "done", institution_id=bank["id"], enterprise_id=ent.id,
                quantity=1, amount_usd=usd, amount=round(usd * USD_CNY, 2))

    # Due-diligence exemption (§六): each bank's three lists set in March 2025, then the cases judged by them.
    for bank in banks:
        for category, items in LIST_ITEMS.items():
            for k, item in enumerate(items):
                add("exemption", bank["code"], f"QD-{tx.LEDGER_CATEGORIES['exemption'].index(category) + 1}-{k + 1}", dt.date(2025, 3, 1), category, "in_force",
                    institution_id=bank["id"], title=item)
    case_months = months[2::3] + ([months[-1]] if (len(months) - 1) % 3 != 2 else [])  # the last month's case is new
    for k, m in enumerate(case_months):
        bank = banks[k % len(banks)]
        day = day_in(m)
        pending = k >= len(case_months) - 2  # the latest two wait for their decision; the older of them is overdue
        status = "applied" if pending else ("refused" if k % 5 == 3 else "granted")
        add("exemption", bank["code"], f"MZ-{m:%Y%m}", day, "case", status, institution_id=bank["id"], title=CASES[k % len(CASES)],
            amount=round(float(rng.uniform(80, 900)), 2),
            closed_on=None if pending else day + dt.timedelta(days=int(rng.integers(15, 50))))

    # Payment services (§六): each bank's monthly counts; the last bank has not sent the last month yet.
    for b, bank in enumerate(banks):
        for m in months:
            if b == len(banks) - 1 and m == months[-1]:
                continue
            for category, n_range in (("account_opening", (1, 9)), ("green_channel", (2, 14)), ("payment_terminal", (0, 4))):
                n = int(rng.integers(*n_range))
                if n == 0:
                    continue
                amount = round(n * float(rng.uniform(20, 120)), 2) if category == "green_channel" else None
                add("payment", bank["code"], f"ZF-{m:%Y%m}-{tx.LEDGER_CATEGORIES['payment'].index(category) + 1}", m, category, "done", institution_id=bank["id"],
                    quantity=n, amount=amount)

    # Talent and publicity (§八): the PBOC branch's columns and broadcasts, the park committee's events and training.
    counters = {c: 0 for c in OUTREACH_TITLES}
    for m in months + [add_months(months[-1], 1)]:
        planned_only = m > last
        plan = [("column", "pboc")] + ([("broadcast", "pboc")] if m.month % 3 == 1 else []) + \
               ([("event", "park_committee")] if m.month % 2 == 0 else []) + ([("training", "park_committee")] if m.month % 4 == 2 else []) + \
               ([("seminar", "pboc")] if m.month % 6 == 3 else [])
        for category, dept in plan:
            counters[category] += 1
            day = day_in(m)
            held = not planned_only and not (m == months[-1] and category == "event")  # last month's event: not marked held
            values = dict(department=dept, title=OUTREACH_TITLES[category].format(n=counters[category]))
            if held and category in ("column", "broadcast"):
                values["reach"] = int(rng.integers(3000, 12000) * (4 if category == "broadcast" else 1))
            elif held:
                values["attendance"] = int(rng.integers(*{"event": (80, 260), "training": (30, 70), "seminar": (18, 45)}[category]))
            add("outreach", dept, f"XC-{m:%Y%m}-{tx.LEDGER_CATEGORIES['outreach'].index(category) + 1}", day, category, "held" if held else "planned", **values)

    # Cross-department consultations (§十六): the development and reform commission with the PBOC on project
    # financing every other month; the finance bureau's fiscal measures each quarter.
    meetings = months[::2]
    for k, m in enumerate(meetings):
        if not projects:
            break
        pid, pname = projects[k % len(projects)]
        day = day_in(m)
        due = day + dt.timedelta(days=int(rng.integers(30, 90)))
        closed = due <= last - dt.timedelta(days=20) and k != len(meetings) - 3  # one decision left open past its day
        add("consultation", "ndrc", f"HS-{m:%Y%m}", day, "project_financing", "closed" if closed else "open", department="ndrc",
            participants="ndrc,pboc,park_committee", title=DECISIONS["project_financing"].format(project=pname), project_id=pid,
            amount=round(float(rng.uniform(3000, 20000)), 2), due_date=due,
            closed_on=due - dt.timedelta(days=int(rng.integers(0, 20))) if closed else None)
    fiscal = ("interest_subsidy", "financing_guarantee", "risk_compensation", "green_fund")
    for k, m in enumerate(months[1::3]):
        category = fiscal[k % len(fiscal)]
        day = day_in(m)
        due = day + dt.timedelta(days=60)
        closed = due <= last
        add("consultation", "finance", f"CZ-{m:%Y%m}", day, category, "closed" if closed else "open", department="finance",
            participants="finance,pboc,park_committee", title=DECISIONS[category].format(q=f"{m.year}年第{(m.month - 1) // 3 + 1}季度"),
            policy_tool=tx.FISCAL_POLICY_TOOL.get(category), amount=round(float(rng.uniform(200, 3000)), 2), due_date=due,
            closed_on=due - dt.timedelta(days=10) if closed else None)

    if rows:
        conn.execute(insert(LedgerEntry), rows)
    return len(rows)
