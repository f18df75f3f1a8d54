"""The six work ledgers as report kinds (issue 23): each template imports, a second report of an entry corrects it
and keeps the old values in the audit log, and each kind refuses a bad file with its row and column named and
nothing written, on SQLite and PostgreSQL. Cross-column rules: a follow-up needs its day, a loan must be the
institution's own, a status must fit its kind, a department must exist; reporters send only their own rows."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from data_access.ingest.kinds import KINDS, LEDGER_KINDS
from data_access.ingest.templates import template_bytes
from tests.data_access.test_ingest import csv_bytes, demo_copy, run  # noqa: F401  (demo_copy is a fixture)


def header(kind: str) -> list[str]:
    return [c.header for c in KINDS[kind].columns]


def ledger_state(engine) -> str:
    """The ledger table, the import log and the audit log, hashed: equal means nothing was written."""
    h = hashlib.sha256()
    with engine.connect() as conn:
        for table in ("ledger_entry", "upload", "audit_log"):
            for row in sorted(repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}"))):
                h.update(row.encode())
    return h.hexdigest()


@pytest.mark.parametrize("ledger", list(LEDGER_KINDS))
def test_each_template_imports_and_a_resent_file_changes_nothing(demo_copy, ledger):  # noqa: F811
    kind = f"ledger_{ledger}"
    result = run(demo_copy, template_bytes(kind), name=f"{kind}.xlsx", kind=kind)
    assert result.ok, [p.line() for p in result.problems]
    assert (result.added, result.changed) == (2, 0)
    with demo_copy.connect() as conn:
        n = conn.execute(text("SELECT COUNT(*) FROM ledger_entry WHERE ledger = :l AND upload_id = :u"),
                         {"l": ledger, "u": result.upload_id}).scalar_one()
    assert n == 2
    again = run(demo_copy, template_bytes(kind), name=f"{kind}.xlsx", kind=kind)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)


# One bad cell per kind: (kind, row of the data, column header, value, the message's words).
BAD = {
    "adviser": ("服务结果", "已放款", "不在代码表内"),
    "fx": ("金额（万美元）", "-5", "不能小于0"),
    "exemption": ("登记或申请日期", "2026-13-01", "应为日期"),
    "payment": ("数量（户/笔/台）", "3.5", "应为整数"),
    "outreach": ("部门", "宣传部", "不在代码表内"),
    "consultation": ("项目编号", "YQ-HTZ-P99", "项目编号不存在"),
}


@pytest.mark.parametrize("ledger", list(BAD))
def test_a_bad_cell_is_refused_with_its_row_and_column_and_nothing_is_written(demo_db, ledger):
    kind = f"ledger_{ledger}"
    column, value, words = BAD[ledger]
    examples = KINDS[kind].examples
    rows = []
    for example in examples:
        rows.append([example.get(c.key, "") for c in KINDS[kind].columns])
    rows[1][header(kind).index(column)] = value  # the second data row: spreadsheet row 3
    before = ledger_state(demo_db.engine)
    result = run(demo_db.engine, csv_bytes(rows, header=header(kind)), name=f"{kind}.csv", kind=kind)
    assert not result.ok and not result.written
    hit = [p for p in result.problems if words in p.zh]
    assert hit, [p.line() for p in result.problems]
    assert (hit[0].row, hit[0].column) == (3, column)
    assert ledger_state(demo_db.engine) == before


def adviser_row(**change) -> list:
    row = dict(KINDS["ledger_adviser"].examples[0]) | change
    return [row.get(c.key, "") for c in KINDS["ledger_adviser"].columns]


@pytest.mark.parametrize(("change", "column", "words"), [
    ({"due_date": ""}, "下次跟进日期", "须填写日期"),  # following up without a day
    ({"status": "financed", "contract_no": "LL-1-2025-0001", "amount": 300}, "促成贷款合同编号", "没有合同编号"),  # not SO-1's loan
    ({"park_code": "YQ-XX"}, "园区代码", "园区代码不存在"),
])
def test_rules_across_columns_are_refused_with_the_column(demo_db, change, column, words):
    before = ledger_state(demo_db.engine)
    result = run(demo_db.engine, csv_bytes([adviser_row(**change)], header=header("ledger_adviser")), name="gw.csv", kind="ledger_adviser")
    hit = [p for p in result.problems if words in p.zh]
    assert hit and (hit[0].row, hit[0].column) == (2, column), [p.line() for p in result.problems]
    assert ledger_state(demo_db.engine) == before


def test_an_exemption_status_must_fit_its_kind_and_departments_must_exist(demo_db):
    ex = dict(KINDS["ledger_exemption"].examples[1]) | {"status": "granted"}  # a list item cannot be "exempted"
    result = run(demo_db.engine, csv_bytes([[ex.get(c.key, "") for c in KINDS["ledger_exemption"].columns]], header=header("ledger_exemption")),
                 name="mz.csv", kind="ledger_exemption")
    assert any("清单条目的状态" in p.zh and p.column == "状态" for p in result.problems), [p.line() for p in result.problems]
    hs = dict(KINDS["ledger_consultation"].examples[0]) | {"participants": "市发展改革委、宣传部"}
    result = run(demo_db.engine, csv_bytes([[hs.get(c.key, "") for c in KINDS["ledger_consultation"].columns]],
                                           header=header("ledger_consultation")), name="hs.csv", kind="ledger_consultation")
    assert any("不是已登记的部门：宣传部" in p.zh and p.column == "参会部门" for p in result.problems), [p.line() for p in result.problems]


def test_a_second_report_corrects_the_entry_and_keeps_the_old_values(demo_copy):  # noqa: F811
    run(demo_copy, template_bytes("ledger_adviser"), name="gw.xlsx", kind="ledger_adviser")
    fixed = run(demo_copy, csv_bytes([adviser_row(status="no_need", due_date="")], header=header("ledger_adviser")), name="更正.csv",
                kind="ledger_adviser")
    assert fixed.ok and (fixed.added, fixed.changed) == (0, 1), [p.line() for p in fixed.problems]
    assert {c["column"] for c in fixed.changes} == {"status", "due_date"}
    with demo_copy.connect() as conn:
        status = conn.execute(text("SELECT status FROM ledger_entry WHERE owner = 'SO-1' AND ref = 'GW-2026-031'")).scalar_one()
        audit = conn.execute(text("SELECT detail FROM audit_log WHERE action = 'import_changed' AND entity = 'ledger_entry' "
                                  "ORDER BY id DESC")).scalars().first()
    assert status == "no_need"
    assert "following" in str(audit) and "2026-12-15" in str(audit)


def test_reporters_send_only_their_own_institution_and_not_the_departments_ledgers(demo_db):
    with demo_db.engine.connect() as conn:
        ll1 = conn.execute(text("SELECT id FROM institution WHERE code = 'LL-1'")).scalar_one()
    before = ledger_state(demo_db.engine)
    mine = run(demo_db.engine, template_bytes("ledger_adviser"), name="gw.xlsx", kind="ledger_adviser", institution_id=ll1)
    assert any("只能报送本机构" in p.zh for p in mine.problems)  # the template's rows are SO-1's
    theirs = run(demo_db.engine, template_bytes("ledger_outreach"), name="xc.xlsx", kind="ledger_outreach", institution_id=ll1)
    assert not theirs.ok and "机构填报员不能导入" in theirs.problems[0].zh
    assert ledger_state(demo_db.engine) == before
