"""Borrowers' yearly accounts as a report kind (issue 20 §1): the template imports, a second report for a year changes
the row and keeps the old values in the audit log, a row whose equity and debt add to nothing is refused with its
row and column named, and a bank's reporter cannot send them."""

from __future__ import annotations

from sqlalchemy import text

from data_access.ingest.kinds import KINDS
from data_access.ingest.templates import template_bytes
from tests.data_access.test_ingest import USCC, csv_bytes, demo_copy, fingerprint, run  # noqa: F401  (demo_copy is a fixture)

HEADER = [c.header for c in KINDS["financials"].columns]


def stored(engine, year: int):
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT f.total_equity, f.total_debt, f.ebit FROM enterprise_financials f JOIN enterprise e ON e.id = f.enterprise_id "
            "WHERE e.uscc = :u AND f.year = :y"), {"u": USCC, "y": year}).one()


def test_the_template_imports_and_a_second_report_changes_the_row(demo_copy):  # noqa: F811
    result = run(demo_copy, template_bytes("financials"), name="financials.xlsx", kind="financials")
    assert result.ok, [p.line() for p in result.problems]
    assert result.added + result.changed == 2
    assert [float(v) for v in stored(demo_copy, 2025)] == [32000.0, 41000.0, 5200.0]  # "3.2亿" is 32,000 万元
    again = run(demo_copy, template_bytes("financials"), name="financials.xlsx", kind="financials")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)

    fixed = run(demo_copy, csv_bytes([[USCC, 2025, 32000, 41000, 58000, 4800, 1650]], header=HEADER), name="财务更正.csv",
                kind="financials")
    assert (fixed.added, fixed.changed) == (0, 1)
    assert [(c["column"], float(c["old"]), float(c["new"])) for c in fixed.changes] == [("ebit", 5200.0, 4800.0)]
    assert float(stored(demo_copy, 2025)[2]) == 4800.0
    with demo_copy.connect() as conn:
        audit = conn.execute(text("SELECT detail FROM audit_log WHERE action = 'import_changed' AND entity = 'enterprise_financials' "
                                  "ORDER BY id DESC")).scalars().first()
    assert "5200" in str(audit) and "4800" in str(audit)  # the old value is kept


def test_equity_and_debt_that_add_to_nothing_are_refused_with_the_row_named(demo_db):
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, csv_bytes([[USCC, 2025, -500, 300, 1000, 50, 10]], header=HEADER), name="财务.csv", kind="financials")
    assert not result.ok and not result.written
    [problem] = [p for p in result.problems if "所有者权益与负债合计" in p.zh]
    assert (problem.row, problem.column, problem.file) == (2, "所有者权益合计（万元）", "财务.csv")
    assert fingerprint(demo_db.engine) == before


def test_a_reporter_cannot_send_borrowers_accounts(demo_db):
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, template_bytes("financials"), name="financials.xlsx", kind="financials", institution_id=14)
    assert "由园区管委会或能碳平台报送" in result.problems[0].zh and fingerprint(demo_db.engine) == before
