"""Large credit report files, generated: the park, banks and borrowers they refer to, and the CSV itself.

Used by the import test (`tests/data_access/test_large_imports.py`) and the credit import benchmark
`benchmarks/credit_import.py`. A file of N rows holds N / months contracts, each reported for `months` months.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import Engine, insert

from data_access.models import Enterprise, Institution, Park
from data_access.uscc import make_uscc

BANKS = 8
BORROWERS = 500
HEADER = ["机构代码", "合同编号", "借款人统一社会信用代码", "项目编号", "产品类别", "是否绿色贷款", "起始日", "到期日", "合同金额（万元）",
          "合同利率（%）", "政策工具", "担保方式", "报告期", "月末余额（万元）", "本月发放（万元）", "五级分类状态", "逾期天数（天）"]


def borrower_uscc(i: int) -> str:
    return make_uscc("140300", 50_000 + i)


def add_lenders(engine: Engine) -> None:
    """One park, eight banks (CB-1 … CB-8) and 500 borrowers, into a migrated empty database."""
    with engine.begin() as conn:
        conn.execute(insert(Park).values(id=1, code="L", name_zh="大文件园区", name_en="Large-file park", centre_lat=37.8, centre_lon=113.5))
        conn.execute(insert(Institution), [dict(id=i, code=f"CB-{i}", name=f"测试银行{i}", short_name=f"银行{i}", inst_type="joint_stock")
                                           for i in range(1, BANKS + 1)])
        conn.execute(insert(Enterprise), [dict(id=i, park_id=1, uscc=borrower_uscc(i), name=f"借款企业{i}", sector="equipment",
                                               enterprise_class="green_low_carbon") for i in range(1, BORROWERS + 1)])


def credit_csv(rows: int, *, months: int = 10, last: dt.date = dt.date(2026, 10, 1), balance_step: float = 0.0,
               prefix: str = "C") -> bytes:
    """A UTF-8 credit file of `rows` rows: rows // months contracts (numbered `prefix`0000000 on), each with the
    months up to `last`. `balance_step` shifts every balance, so a second file with another step revises every row."""
    contracts = max(1, rows // months)
    periods = [_month(last, -k) for k in range(months - 1, -1, -1)]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    written = 0
    for c in range(contracts):
        bank = c % BANKS + 1
        amount = 500 + (c % 97) * 10
        for k, period in enumerate(periods):
            if written == rows:
                break
            w.writerow([f"CB-{bank}", f"{prefix}{c:07d}", borrower_uscc(c % BORROWERS + 1), "", "energy_saving" if c % 3 else "general",
                        "是" if c % 4 else "否", "2025-01-15", "2029-01-15", amount, 3.45, "", "none", f"{period:%Y-%m}",
                        round(amount * (1 - 0.01 * k) + balance_step, 2), amount if k == 0 else 0, "normal", 0])
            written += 1
    return out.getvalue().encode("utf-8")


def _month(d: dt.date, delta: int) -> dt.date:
    m = d.year * 12 + d.month - 1 + delta
    return dt.date(m // 12, m % 12 + 1, 1)
