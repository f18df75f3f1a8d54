"""Meter import speed, measured against its floor: `python -m benchmarks.import_speed [--rows N] [--db sqlite|postgresql|both]`.

The same N hourly readings (default 1,000,000: 400 meters x 2,500 hours) are loaded into two fresh databases:
- floor: a bare bulk insert of the rows (executemany on SQLite, COPY on PostgreSQL), nothing else;
- validated: the platform feed loader (`data_access.feed.load_feed`) reading the CSV files, checking every line
  (known meter, number, not negative, start of an hour), skipping readings already stored, committing progress
  chunk by chunk, and adding each chunk to the daily, hourly-park and monthly rollups.
Goal (issue 19, after issue 8's 2x): validated at most 1.5x the floor, rollups included. Writes benchmarks/import_speed.md and .json.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import time
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import insert, text

from data_access import db
from data_access.feed import load_feed
from data_access.models import Enterprise, Meter, Park
from data_access.meter_store import insert_readings
from data_access.uscc import make_uscc

from benchmarks.report import OUT, on_each, publish, rows_and_databases, save_json
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = dt.datetime(2026, 1, 1)
GOAL = 1.5  # issue 19 §4 (issue 8 asked for 2x)


def fresh_database(kind: str, workdir: Path, *, meters: bool = True):
    """A migrated, empty database; with `meters`, one park, 100 enterprises and 400 meters. Returns (engine, cleanup)."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        engine = db.make_engine(url)
        cleanup = engine.dispose
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = db.make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine = db.make_engine(f"{PG_URL}?options=-csearch_path%3D{schema}")

        def cleanup():
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    db.upgrade(engine)
    if not meters:
        return engine, cleanup
    with engine.begin() as conn:
        conn.execute(insert(Park).values(id=1, code="B", name_zh="基准园区", name_en="Bench", centre_lat=37.8, centre_lon=113.5))
        conn.execute(insert(Enterprise), [dict(id=i, park_id=1, uscc=make_uscc("140300", i), name=f"企业{i}", sector="equipment",
                                               enterprise_class="green_low_carbon") for i in range(1, 101)])
        carriers = (("electricity_grid", "kWh"), ("electricity_own_renewable", "kWh"), ("heat_purchased", "GJ"), ("natural_gas", "m3"))
        conn.execute(insert(Meter), [dict(id=(e - 1) * 4 + k + 1, code=f"B-{e:03d}-{c}", enterprise_id=e, park_id=1, carrier=c, unit=u)
                                     for e in range(1, 101) for k, (c, u) in enumerate(carriers)])
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('meter', 'id'), 400)"))
    return engine, cleanup


def rows(n: int):
    """n readings, hour by hour across the 400 meters (deterministic)."""
    rng = np.random.default_rng(11)
    hours = -(-n // 400)
    values = rng.gamma(2.0, 300.0, size=(hours, 400)).round(3)
    k = 0
    for h in range(hours):
        ts = START + dt.timedelta(hours=h)
        for m in range(400):
            if k == n:
                return
            yield m + 1, ts, float(values[h, m])
            k += 1


def write_feed(n: int, folder: Path, per_file: int = 100_000) -> list[Path]:
    codes = {(e - 1) * 4 + k + 1: f"B-{e:03d}-{c}" for e in range(1, 101)
             for k, c in enumerate(("electricity_grid", "electricity_own_renewable", "heat_purchased", "natural_gas"))}
    folder.mkdir(parents=True, exist_ok=True)
    files, f, w = [], None, None
    for i, (mid, ts, v) in enumerate(rows(n)):
        if i % per_file == 0:
            if f:
                f.close()
            path = folder / f"feed-{i // per_file:04d}.csv"
            files.append(path)
            f = path.open("w", encoding="utf-8", newline="")
            w = csv.writer(f)
            w.writerow(["meter_code", "ts", "value"])
        w.writerow([codes[mid], ts.isoformat(), v])
    if f:
        f.close()
    return files


def measure(kind: str, n: int, workdir: Path) -> dict:
    feed_dir = workdir / "feed"
    if not feed_dir.exists():
        write_feed(n, feed_dir)
    engine, cleanup = fresh_database(kind, workdir)
    try:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            written = insert_readings(conn, rows(n))
        floor = time.perf_counter() - t0
    finally:
        cleanup()
    engine, cleanup = fresh_database(kind, workdir)
    try:
        t0 = time.perf_counter()
        report = load_feed(engine, feed_dir)
        validated = time.perf_counter() - t0
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT COUNT(*) FROM meter_reading")).scalar_one()
            daily = conn.execute(text("SELECT COUNT(*) FROM energy_daily")).scalar_one()
    finally:
        cleanup()
    assert written == n and report.added == n == stored, (written, report.added, stored)
    return {"db": kind, "rows": n, "floor_s": round(floor, 2), "validated_s": round(validated, 2),
            "ratio": round(validated / floor, 2), "daily_rollup_rows": daily, "goal_met": validated <= GOAL * floor}


def main(argv: list[str] | None = None) -> int:
    args, kinds = rows_and_databases(__doc__, 1_000_000, argv)
    results = on_each(measure, kinds, args.rows)
    stamp = save_json("import_speed.json", {"results": results})
    lines = [f"# Meter import speed ({args.rows:,} hourly readings)", "",
             f"Measured {stamp} on this machine (2 cores) with `python -m benchmarks.import_speed --rows {args.rows}`.", "",
             f"| database | floor: bare bulk insert (s) | validated feed load incl. rollups (s) | ratio | goal ≤ {GOAL:g}x |",
             "|---|---|---|---|---|"]
    lines += [f"| {r['db']} | {r['floor_s']} | {r['validated_s']} | {r['ratio']} | {'met' if r['goal_met'] else 'missed'} |" for r in results]
    lines += ["", "Floor: `data_access.meter_store.insert_readings` (executemany / COPY) of the rows, nothing else. Validated: "
              "`data_access.feed.load_feed` over the same rows as CSV files of 100,000 lines, read with pandas: every line checked, stored readings "
              "looked up so nothing is counted twice, progress committed every 50,000 lines, each chunk's sums added to the rollups in place (`rollups.add_to_rollups`)."]
    if not all(r["goal_met"] for r in results):
        lines += ["", "Where the goal is missed, why (cProfile of 200,000 rows on PostgreSQL, 2026-12-06, 3.55 s): reading and checking "
                  "the CSV with pandas 1.46 s, the COPY itself 1.10 s (the floor), adding each chunk to the rollups 0.61 s (0.34 s of it "
                  "the upserts), the stored-reading lookup and progress rows the rest. Adding the chunks' sums in place instead of "
                  "re-reading the readings (issue 19's step) took the same machine from 2.58x to 2.26x on SQLite and from 2.51x to "
                  "2.47x on PostgreSQL. Upserting each chunk's sums through a COPYed staging table (2026-12-07, "
                  "`sqlfuncs.upsert(bulk=True)`, which took an hour of the feed at L from 18x to 8-12x COPY) does not move this "
                  "ratio beyond the noise: 300,000 rows on PostgreSQL, twice each way, 2.23x and 2.81x with it, 2.67x and 2.65x "
                  "without; the same run's floors varied from 1.8 s to 2.5 s. On this machine the whole table varies by about "
                  "0.3x from run to run (2026-12-07: 2.37x and 2.50x on SQLite, 2.70x and 3.05x on PostgreSQL, against 2.23x and "
                  "2.29x on 2026-12-06's machine). Parsing and checking the text alone takes longer than COPY: reaching 1.5x "
                  "would mean COPYing the file into a staging table and checking it there in SQL. Not done."]
    old = (OUT / "import_speed.md").read_text(encoding="utf-8") if (OUT / "import_speed.md").exists() else ""
    credit = old[old.index("<!-- credit:start -->"):] if "<!-- credit:start -->" in old else ""  # benchmarks.credit_import's section
    return publish("import_speed.md", "\n".join(lines) + "\n" + ("\n" + credit if credit else ""))


if __name__ == "__main__":
    raise SystemExit(main())
