"""One hour of the platform feed for every hourly meter of a scale data set, against COPY of the same rows:
`python -m benchmarks.feed_hour [--size L] [--hours 3]` -> benchmarks/feed_hour.md (issue 19: within 2x COPY at L).

For each of the next `hours` hours after the last stored reading: the floor is `meter_store.insert_readings` (COPY on
PostgreSQL) of that hour's rows in a transaction that is rolled back; then the same rows, written as a feed CSV file,
go through `data_access.feed.load_feed` (every line checked, stored readings looked up, progress committed, rollups
refreshed for the touched day) and stay. The table reports the median hour.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

import pstats

import numpy as np
from sqlalchemy import func, select

from benchmarks import scale_data
from data_access import db
from data_access.feed import load_feed
from data_access.meter_store import insert_readings
from data_access.models import Meter, MeterReading

OUT = Path(__file__).resolve().parent
GOAL = 2.0
PARTS = {"_csv_chunks": "reading and checking the lines", "insert_readings": "writing the readings (COPY)",
         "add_to_rollups": "adding the hour to the daily, hourly-park and monthly rollups",
         "_upsert_by_copy": "of which the upserts (COPY into a staging table, then one INSERT ... ON CONFLICT per rollup)"}


def _hourly_meters(conn) -> list[tuple[int, str]]:
    return [tuple(r) for r in conn.execute(select(Meter.id, Meter.code).where(Meter.carrier.in_(scale_data.HOURLY_CARRIERS))
                                           .order_by(Meter.id))]


def measure(size: str, backend: str, hours: int) -> dict:
    url, _ = scale_data.build(size, backend)
    engine = db.make_engine(url)
    with engine.connect() as conn:
        meters = _hourly_meters(conn)
        # the last hour stored, read through the primary key of one meter (every hourly meter reaches the same hour)
        last = max(conn.execute(select(func.max(MeterReading.ts)).where(MeterReading.meter_id == mid)).scalar() or dt.datetime(2000, 1, 1)
                   for mid, _ in meters[:5])
        n_readings = conn.execute(select(func.count()).select_from(MeterReading)).scalar() if backend == "sqlite" else \
            conn.exec_driver_sql("SELECT sum(reltuples)::bigint FROM pg_class WHERE relname LIKE 'meter_reading_%%' AND relkind = 'r'").scalar()
    rng = np.random.default_rng(19)
    floors, loads, parts = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(1, hours + 1):
            ts = last + dt.timedelta(hours=k)
            rows = [(mid, ts, float(v)) for (mid, _), v in zip(meters, rng.gamma(2.0, 300.0, size=len(meters)).round(3))]
            with engine.connect() as conn:
                t0 = time.perf_counter()
                insert_readings(conn, rows)
                floors.append(time.perf_counter() - t0)
                conn.rollback()
            folder = Path(tmp) / f"hour{k}"
            folder.mkdir()
            with (folder / f"feed-{ts:%Y%m%d%H}.csv").open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(["meter_code", "ts", "value"])
                w.writerows([code, ts.isoformat(), v] for (_, code), (_, _, v) in zip(meters, rows))
            profile = cProfile.Profile()  # where the time goes: the same functions in every hour
            t0 = time.perf_counter()
            profile.enable()
            report = load_feed(engine, folder, now=ts + dt.timedelta(hours=1))
            profile.disable()
            loads.append(time.perf_counter() - t0)
            stats = pstats.Stats(profile).stats
            parts.append({name: sum(v[3] for (_, _, fn), v in stats.items() if fn == name) for name in PARTS})
            assert report.added == len(rows), (report.added, len(rows))
    engine.dispose()
    floor, load = statistics.median(floors), statistics.median(loads)
    return {"size": size, "db": backend, "measured": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "meters": len(meters),
            "meter_readings": int(n_readings or 0), "hours": hours, "floor_s": round(floor, 4), "feed_s": round(load, 4),
            "ratio": round(load / floor, 2),
            "parts_s": {name: round(statistics.median(p[name] for p in parts), 4) for name in PARTS}, "floors": [round(x, 4) for x in floors], "loads": [round(x, 4) for x in loads]}


def write_markdown(results: list[dict]) -> None:
    lines = ["# One feed hour at scale", "",
             "Written by `python -m benchmarks.feed_hour --size L --db postgresql` (see that file for the method). Goal: the "
             f"validated feed load of one hour for every hourly meter within {GOAL:g}x COPY of the same rows.", "",
             "| size | database | readings underneath | meters (rows) | COPY, rolled back (s) | feed load incl. checks and rollups (s) | ratio | goal |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['size']} | {r['db']} | {r['meter_readings']:,} | {r['meters']:,} | {r['floor_s']:.3f} | {r['feed_s']:.3f} | "
                     f"{r['ratio']:.1f}x | {'met' if r['ratio'] <= GOAL else 'missed'} |")
    lines += ["", f"Measured {results[-1]['measured']} on 2 cores; each figure the median of {results[-1]['hours']} consecutive hours.", ""]
    for r in results:
        if r.get("parts_s"):
            lines += [f"Where the feed load's {r['feed_s']:.3f} s go at {r['size']} on {r['db']} (cProfile, cumulative, in the same run): "
                      + "; ".join(f"{PARTS[k]} {v:.3f} s" for k, v in r["parts_s"].items())
                      + "; the rest is the file's progress record and the stored-reading lookup.", ""]
    lines += ["Why the goal is missed: with one hourly meter per enterprise, an hour's rollups are as many rows as the hour "
              "itself (one daily and one monthly row per enterprise, 8,000 in all at L), and each is an update of a row "
              "that exists (find it through the key's index, write a new version, update the index) where the readings are "
              "a plain append by COPY. Steps taken: adding each chunk's sums in place (`rollups.add_to_rollups`) instead of "
              "recomputing the touched day and month from the stored rows (0.72 s to about 0.45 s, 2026-12-06); COPYing "
              "the sums into a staging table and upserting them in one INSERT ... ON CONFLICT per rollup instead of an "
              "executemany (`sqlfuncs.upsert(bulk=True)`: the rollups 0.30 s to 0.21 s, the hour 18x COPY to 8-12x on "
              "2026-12-07; the ratio moves with COPY's own 0.03-0.06 s on a busy machine). What is left is PostgreSQL "
              "updating 8,000 rows. The one step that would close the gap changes what users see: hourly feed runs "
              "updating only the hourly-park rollup and the daily and monthly ones built once a day, so the daily and "
              "monthly pages would lag the live panel by up to a day. Not taken.", ""]
    (OUT / "feed_hour.md").write_text("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=scale_data.SIZES, default="L")
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    ap.add_argument("--hours", type=int, default=3)
    args = ap.parse_args()
    result = measure(args.size, args.db, args.hours)
    store = OUT / "feed_hour.json"
    results = [r for r in (json.loads(store.read_text()) if store.exists() else []) if (r["size"], r["db"]) != (args.size, args.db)]
    results.append(result)
    store.write_text(json.dumps(results, indent=1) + "\n")
    write_markdown(results)
    print((OUT / "feed_hour.md").read_text())


if __name__ == "__main__":
    main()
