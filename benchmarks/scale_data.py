"""Scale data sets from the demo model: `python -m benchmarks.scale_data --size S|M|L --db sqlite|postgresql [--rebuild]`.

| size | parks | enterprises | hourly meter data | meter rows (grid electricity, one meter per enterprise) |
|---|---|---|---|---|
| S | 1 | 150 | 2 years | about 2.6 million |
| M | 5 | 1,000 | 3 years | about 26 million |
| L | 20 | 4,000 | 3 years | about 105 million |

Every park is drawn by the demo model (`data_access.demo`): enterprises, monthly energy history from 2021,
credit facilities and month-end snapshots, policy tools, projects, tasks, alerts. The first park is the demo
park itself (150 enterprises) in every size, so the pages the benchmark opens show the same amount of
data while what lies underneath grows. Hourly readings are read for the grid-electricity meter of every
enterprise; the other carriers are reported monthly, as most parks' platforms do.

Memory stays flat whatever the size: readings are generated and written one park-month at a time
(about 110,000 rows), by COPY on PostgreSQL and executemany on SQLite; the rollups are then built in the
database. SQLite files go to benchmarks/.data/ (git-ignored); PostgreSQL data sets to schema bench_<size>.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from pathlib import Path

from sqlalchemy import text

from data_access import db, demo

DATA = Path(__file__).resolve().parent / ".data"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = dt.date(2026, 11, 28)  # fixed, like the tests: every build is the same data set
SIZES = {  # parks, enterprises, hourly months
    "S": (1, 150, 24),
    "M": (5, 1_000, 36),
    "L": (20, 4_000, 36),
}
HOURLY_CARRIERS = ("electricity_grid",)


def park_specs(size: str) -> tuple[demo.ParkSpec, ...]:
    """The demo park first, then parks drawn by the same model sharing the remaining enterprises."""
    n_parks, n_ents, _ = SIZES[size]
    main = demo.PARKS[0]
    specs = [main]
    rest = n_ents - main.n_enterprises
    for k in range(1, n_parks):
        share = rest // (n_parks - 1) + (1 if k <= rest % (n_parks - 1) else 0)
        specs.append(dataclasses.replace(
            main, code=f"SCALE-{k:02d}", name_zh=f"规模测试园区{k:02d}", name_en=f"Scale test park {k:02d}",
            lat=main.lat + 0.05 * k, lon=main.lon + 0.04 * k, n_enterprises=share, purpose=1000 * k))
    return tuple(specs)


def url_for(size: str, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{DATA / f'scale_{size}.db'}"
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3Dbench_{size.lower()}"


def build(size: str, backend: str, *, rebuild: bool = False, quiet: bool = False) -> tuple[str, dict]:
    """Build (or reuse) the data set; returns its URL and what was written (empty when reused)."""
    url = url_for(size, backend)
    if backend == "postgresql":
        admin = db.make_engine(PG_URL)
        with admin.begin() as conn:
            if rebuild:
                conn.execute(text(f"DROP SCHEMA IF EXISTS bench_{size.lower()} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS bench_{size.lower()}"))
        admin.dispose()
    elif rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    engine = db.make_engine(url)
    db.upgrade(engine)
    if not db.is_empty(engine):
        return url, {}
    started = time.time()

    def progress(f: float, msg: str) -> None:
        if not quiet:
            print(f"\r[{f * 100:5.1f}%] {time.time() - started:7.0f} s  {msg:<60}", end="", file=sys.stderr, flush=True)

    counts = demo.seed_demo(engine, today=TODAY, hourly_months=SIZES[size][2], progress=progress, parks=park_specs(size),
                            hourly_carriers=HOURLY_CARRIERS)
    from dashboard.checks import after_load  # guideline marks and risk rules, as after every load

    with engine.begin() as conn:
        after_load(conn)
    from dashboard import stored_outlooks  # and the stored 2030 outlooks, as after every load

    stored_outlooks.refresh(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    counts["build_seconds"] = round(time.time() - started, 1)
    if not quiet:
        print(file=sys.stderr)
    return url, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=SIZES, required=True)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--rebuild", action="store_true", help="drop and build again")
    args = ap.parse_args()
    url, counts = build(args.size, args.db, rebuild=args.rebuild)
    print(f"{args.size} on {args.db}: {db.make_engine(url).url.render_as_string(hide_password=True)}")
    for k, v in counts.items():
        print(f"{k:28s} {v:>14,}" if isinstance(v, int) else f"{k:28s} {v:>14}")


if __name__ == "__main__":
    main()
