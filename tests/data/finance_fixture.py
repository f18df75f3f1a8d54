"""A small hand-made credit book for the finance tests. Every expected figure is worked out in the tests.

Two institutions, three borrowers, 2025-01 to 2026-03:
- bank A (id 1) was a local legal-person bank until 2025-12 and is a provincial legal-person bank from
  2026-01 (it changed type);
- A1: bank A, green, 1,000 万元 balance every month, normal;
- A2: bank A, not green, 500 万元 every month;
- B1: bank B (id 2, state-owned), green, 2,000 万元 until it is repaid in 2025-07 (balance 0 from then on);
- B2: bank B, green, 800 万元 from 2025-06, disbursed then; non-performing from 2026-01;
rates: A1 3.0 %, A2 4.0 %, B1 3.5 %, B2 3.2 %.
"""

import datetime as dt

from sqlalchemy import insert

from data_access.models import CreditFacility, CreditSnapshot, Enterprise, Institution, Park, Task


def months(start: dt.date, end: dt.date):
    out, m = [], start
    while m <= end:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def build(conn) -> None:
    conn.execute(insert(Park).values(id=1, code="F", name_zh="测试园区", name_en="Test park", centre_lat=37.8, centre_lon=113.5))
    conn.execute(insert(Enterprise), [
        dict(id=1, park_id=1, uscc="91350200776049653A", name="甲", sector="equipment", enterprise_class="green_low_carbon"),
        dict(id=2, park_id=1, uscc="91350500798359476R", name="乙", sector="equipment", enterprise_class="high_carbon_industrial"),
        dict(id=3, park_id=1, uscc="91440101MA5CJQ4N59", name="丙", sector="computing_ai", enterprise_class="data_center"),
    ])
    conn.execute(insert(Institution), [
        dict(id=1, code="A", name="银行A", short_name="A", inst_type="provincial_legal"),
        dict(id=2, code="B", name="银行B", short_name="B", inst_type="state_owned"),
    ])
    start = dt.date(2024, 1, 1)
    facilities = [
        dict(id=1, institution_id=1, enterprise_id=1, contract_no="A1", product_line="energy_saving", is_green=True, rate=3.0),
        dict(id=2, institution_id=1, enterprise_id=2, contract_no="A2", product_line="general", is_green=False, rate=4.0),
        dict(id=3, institution_id=2, enterprise_id=3, contract_no="B1", product_line="new_power_system", is_green=True, rate=3.5),
        dict(id=4, institution_id=2, enterprise_id=2, contract_no="B2", product_line="traditional_energy_decarb", is_green=True, rate=3.2),
    ]
    conn.execute(insert(CreditFacility), [dict(f, park_id=1, start_date=start, maturity_date=dt.date(2030, 1, 1),
                                               amount=2000, collateral_type="none") for f in facilities])
    snaps = []
    for m in months(dt.date(2025, 1, 1), dt.date(2026, 3, 1)):
        a_type = "local_legal" if m < dt.date(2026, 1, 1) else "provincial_legal"
        snaps.append(dict(facility_id=1, period=m, balance=1000, disbursed=0, rate=3.0, status="normal", inst_type=a_type))
        snaps.append(dict(facility_id=2, period=m, balance=500, disbursed=0, rate=4.0, status="normal", inst_type=a_type))
        repaid = m >= dt.date(2025, 7, 1)
        snaps.append(dict(facility_id=3, period=m, balance=0 if repaid else 2000, disbursed=0, rate=3.5,
                          status="repaid" if repaid else "normal", inst_type="state_owned"))
        if m >= dt.date(2025, 6, 1):
            snaps.append(dict(facility_id=4, period=m, balance=800, disbursed=800 if m == dt.date(2025, 6, 1) else 0, rate=3.2,
                              status="npl" if m >= dt.date(2026, 1, 1) else "normal", inst_type="state_owned"))
    conn.execute(insert(CreditSnapshot), [dict(s, park_id=1) for s in snaps])
    conn.execute(insert(Task), [
        dict(park_id=1, year=2026, institution_id=1, code="T1", title="任务一", due_date=dt.date(2026, 2, 28), status="done"),
        dict(park_id=1, year=2026, institution_id=1, code="T2", title="任务二", due_date=dt.date(2026, 3, 28), status="overdue"),
        dict(park_id=1, year=2026, institution_id=2, code="T3", title="任务三", due_date=dt.date(2026, 3, 28), status="done"),
        dict(park_id=1, year=2026, institution_id=2, code="T4", title="任务四", due_date=dt.date(2026, 9, 28), status="not_started"),
    ])
