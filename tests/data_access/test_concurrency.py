"""Writers side by side (issue 22, items 16, 17): two command-line imports at once, and a feed while a page
previews and imports, all succeed on SQLite (writers wait for the lock and retry) and on PostgreSQL (they run
side by side); a preview never takes the write lock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, insert, select, text

from benchmarks.credit_files import add_lenders, credit_csv
from data_access.ingest.load import run_import
from data_access.models import CreditSnapshot, Meter, MeterReading
from data_access.reference import load_reference_factors

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date.today()  # the CLI checks periods against the real date; the files end in 2026-10


def popen(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=ROOT, env=dict(os.environ, DATABASE_URL=url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_two_command_line_imports_at_once_both_land(migrated_db, tmp_path):
    add_lenders(migrated_db.engine)
    files = []
    for prefix in ("A", "B"):
        path = tmp_path / f"credit-{prefix}.csv"
        path.write_bytes(credit_csv(20_000, prefix=prefix))
        files.append(path)
    runs = [popen(migrated_db.url, "import", "credit", str(p)) for p in files]
    outcomes = [r.communicate(timeout=600) + (r.returncode,) for r in runs]
    assert [code for _, _, code in outcomes] == [0, 0], [err[-2000:] for _, err, _ in outcomes]
    assert all("20000 added" in out for out, _, _ in outcomes)
    assert count(migrated_db.engine, CreditSnapshot) == 40_000


def test_a_feed_runs_while_a_page_previews_and_imports(migrated_db, tmp_path):
    engine = migrated_db.engine
    add_lenders(engine)
    with engine.begin() as conn:
        load_reference_factors(conn)  # the feed command runs the risk rules after loading
        conn.execute(insert(Meter), [dict(id=i, code=f"M-{i}", enterprise_id=i, park_id=1, carrier="electricity_grid", unit="kWh")
                                     for i in range(1, 201)])
    folder = tmp_path / "feed"
    folder.mkdir()
    start = dt.datetime(2026, 6, 1)
    for f in range(6):  # 6 files x 25,000 lines = 150,000 readings, committed 50,000 at a time
        with (folder / f"feed-{f}.csv").open("w", encoding="utf-8") as out:
            out.write("meter_code,ts,value\n")
            for h in range(125):
                ts = (start + dt.timedelta(hours=f * 125 + h)).isoformat()
                out.writelines(f"M-{m},{ts},{m + h % 7}\n" for m in range(1, 201))
    feed = popen(migrated_db.url, "feed", str(folder))
    content = credit_csv(20_000)
    previews = 0
    while feed.poll() is None and previews < 20:  # a user clicking about on the upload page while the feed runs
        preview = run_import(engine, "credit", content, "credit.csv", actor="t", today=TODAY, confirm=False)
        assert preview.ok and preview.added == 20_000
        previews += 1
    result = run_import(engine, "credit", content, "credit.csv", actor="t", today=TODAY)
    out, err = feed.communicate(timeout=600)
    assert feed.returncode == 0, err[-2000:]
    assert previews >= 1 and result.ok and result.added == 20_000
    assert "150000 readings added" in out
    assert count(engine, MeterReading) == 150_000 and count(engine, CreditSnapshot) == 20_000


def _hold_the_database(engine):
    """A connection in the middle of a write (SQLite: BEGIN IMMEDIATE; PostgreSQL: an open transaction that changed a row)."""
    holder = engine.connect()
    if holder.dialect.name == "sqlite":
        holder.exec_driver_sql("BEGIN IMMEDIATE")
    holder.execute(text("UPDATE institution SET short_name = short_name || '' WHERE id = 1"))
    return holder


def test_a_preview_does_not_wait_for_a_writer(migrated_db):
    """A writer holds the database (SQLite: BEGIN IMMEDIATE; PostgreSQL: an open transaction that inserted rows);
    a preview still answers at once, because it only reads."""
    engine = migrated_db.engine
    add_lenders(engine)
    holder = _hold_the_database(engine)
    try:
        started = time.monotonic()
        preview = run_import(engine, "credit", credit_csv(1_000), "credit.csv", actor="t", today=TODAY, confirm=False)
        assert preview.ok and preview.added == 1_000
        assert time.monotonic() - started < 20  # before, it queued behind the writer for the whole busy timeout
    finally:
        holder.rollback()
        holder.close()


def test_an_import_waits_for_a_writer_and_then_lands(migrated_db):
    engine = migrated_db.engine
    add_lenders(engine)
    holder = _hold_the_database(engine)
    release = threading.Timer(3.0, lambda: (holder.commit(), holder.close()))
    release.start()
    result = run_import(engine, "credit", credit_csv(1_000), "credit.csv", actor="t", today=TODAY)
    release.join()
    assert result.ok and result.written and result.added == 1_000
