"""Deterministic, fictitious demo data for the Yangquan High-tech Zone park and a second, smaller park.

Nothing here is real: institutions are named by type and a serial (政策性银行甲 …), enterprises carry
'示例' in their names, and every park row has is_demo = True so the UI shows 演示数据 / DEMO DATA.
Shapes follow a real park on its way to zero carbon: seasonal solar, a rising green-power share,
coal falling unevenly, data centres growing, a few laggards and problem loans.

Determinism: every random draw comes from a generator seeded by SEED and a fixed purpose number; arrays
indexed by month start at 2021-01 with the month on the leading axis, so a month's values do not depend
on how many months are generated or on how many of them get hourly data.

The rooms: `park_model` (parks, institutions, enterprises, calendar), `energy` (monthly and hourly energy,
output), `finance` (loans, policy tools, direct financing, planted risk cases), `governance` (profiles, library,
targets, tasks, projects, whitelist, alerts), `seed` (the one transaction that writes it all). The facts the
model leans on (policy-tool rates, the LPR path, the PV yield) are reference data with their sources
(data_access/reference/).
"""

from data_access.demo.energy import monthly_energy
from data_access.demo.finance import plant_risk_cases
from data_access.demo.governance import MILESTONE_PLAN, MILESTONE_STAGE
from data_access.demo.park_model import (HISTORY_START, PARKS, SERIALS, ParkSpec, build_enterprises, last_full_month,
                                         month_range)
from data_access.demo.seed import DEMO_WATERMARK, record_demo_watermark, reset_sequences, seed_demo

__all__ = ["DEMO_WATERMARK", "HISTORY_START", "MILESTONE_PLAN", "MILESTONE_STAGE", "PARKS", "SERIALS", "ParkSpec",
           "build_enterprises", "last_full_month", "month_range", "monthly_energy", "plant_risk_cases",
           "record_demo_watermark", "reset_sequences", "seed_demo"]
