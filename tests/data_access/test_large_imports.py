"""Ordinary-but-large files (issue 22, item 11): a 100,000-row credit report imports on both databases. Before
the lookups and inserts went in batches, 10,000 rows failed on PostgreSQL ("stack depth limit exceeded"), 40,000
hit its 65,535-parameter limit and 317,000 SQLite's "too many SQL variables"."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from benchmarks.credit_files import add_lenders, credit_csv
from data_access.ingest.load import MAX_CHANGES, run_import
from data_access.models import CreditFacility, CreditSnapshot

TODAY = dt.date(2026, 11, 28)
ROWS = 100_000


def _counts(engine) -> tuple[int, int, int, float]:
    with engine.connect() as conn:
        facilities = conn.execute(select(func.count()).select_from(CreditFacility)).scalar_one()
        snapshots = conn.execute(select(func.count()).select_from(CreditSnapshot)).scalar_one()
        current = conn.execute(select(func.count()).select_from(CreditSnapshot).where(CreditSnapshot.is_current.is_(True))).scalar_one()
        balance = conn.execute(select(func.sum(CreditSnapshot.balance)).where(CreditSnapshot.is_current.is_(True))).scalar_one()
    return facilities, snapshots, current, float(balance or 0)


def test_a_100000_row_credit_file_is_previewed_imported_and_revised(migrated_db):
    engine = migrated_db.engine
    add_lenders(engine)
    content = credit_csv(ROWS)

    preview = run_import(engine, "credit", content, "credit.csv", actor="t", today=TODAY, confirm=False)
    assert preview.ok, preview.problems[:3]
    assert (preview.rows, preview.added) == (ROWS, ROWS)
    assert _counts(engine) == (0, 0, 0, 0.0)  # a preview writes nothing

    result = run_import(engine, "credit", content, "credit.csv", actor="t", today=TODAY)
    assert result.ok and result.written and (result.added, result.changed) == (ROWS, 0)
    facilities, snapshots, current, balance = _counts(engine)
    assert (facilities, snapshots, current) == (ROWS // 10, ROWS, ROWS)

    revised = run_import(engine, "credit", credit_csv(ROWS, balance_step=1.0), "credit-revised.csv", actor="t", today=TODAY)
    assert revised.ok and (revised.added, revised.changed, revised.unchanged) == (0, ROWS, 0)
    assert len(revised.changes) == MAX_CHANGES  # the list shown is bounded; the counts cover every row
    assert _counts(engine)[:3] == (ROWS // 10, 2 * ROWS, ROWS)
    assert _counts(engine)[3] == pytest.approx(balance + ROWS * 1.0)  # every balance one 万元 higher

    again = run_import(engine, "credit", credit_csv(ROWS, balance_step=1.0), "credit-revised.csv", actor="t", today=TODAY)
    assert (again.added, again.changed, again.unchanged) == (0, 0, ROWS)
