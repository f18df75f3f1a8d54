"""Command line: `python -m data_access.cli COMMAND`.

    upgrade                 apply the Alembic migrations to DATABASE_URL (or the embedded SQLite file)
    seed-demo               fill an empty database with the deterministic demo parks
    info                    print the database (password hidden), its revision and row counts
    risk-run                run the risk rules for every park (or --park CODE) at the last reported month
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import func, select

from data_access import db, demo, settings
from data_access.models import Base


def _progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction * 100:5.1f}%] {message:<60}", end="", file=sys.stderr, flush=True)


def cmd_upgrade(args) -> int:
    engine = db.make_engine(args.database_url)
    db.upgrade(engine)
    print(f"database at head: {settings.redact(engine.url.render_as_string(hide_password=False))}")
    return 0


def cmd_seed_demo(args) -> int:
    engine = db.make_engine(args.database_url)
    db.ensure_schema(engine)
    if not demo.is_empty(engine):
        print("error: the database already holds parks; seed-demo only fills an empty database", file=sys.stderr)
        return 2
    today = dt.date.fromisoformat(args.today) if args.today else None
    counts = demo.seed_demo(engine, today=today, hourly_months=args.hourly_months, progress=_progress)
    print(file=sys.stderr)
    for table, n in counts.items():
        print(f"{table:28s} {n:>12,d}")
    return cmd_risk_run(argparse.Namespace(database_url=args.database_url, park=None))  # rules run after every load


def cmd_risk_run(args) -> int:
    # The checks live in dashboard/ (they use the indicator and carbon computations); imported here only.
    from dashboard.checks import after_load
    from data_access.queries import load_parks

    engine = db.make_engine(args.database_url)
    db.ensure_schema(engine)
    with engine.begin() as conn:
        if args.park and args.park not in set(load_parks(conn)["code"]):
            print(f"error: no park with code {args.park!r}", file=sys.stderr)
            return 2
        for code, period, added in after_load(conn, park_code=args.park):
            print(f"{code}: no data, nothing to check" if period is None
                  else f"{code}: guideline applied and rules run for {period:%Y-%m}, {added} new alerts")
    return 0


def cmd_info(args) -> int:
    engine = db.make_engine(args.database_url)
    print(f"database: {settings.redact(engine.url.render_as_string(hide_password=False))}")
    print(f"schema current: {db.schema_is_current(engine)}")
    if not db.schema_is_current(engine):
        return 0
    with engine.connect() as conn:
        print(f"data version: {db.data_version(conn)}")
        for table in Base.metadata.sorted_tables:
            n = conn.execute(select(func.count()).select_from(table)).scalar_one()
            print(f"{table.name:28s} {n:>12,d}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="overrides DATABASE_URL and secrets.toml")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_upgrade)
    seed = sub.add_parser("seed-demo", help="fill an empty database with demo data")
    seed.add_argument("--hourly-months", type=int, default=24, help="months of hourly meter data (default 24)")
    seed.add_argument("--today", help="pretend today is this date (YYYY-MM-DD), for reproducible data sets")
    seed.set_defaults(func=cmd_seed_demo)
    sub.add_parser("info", help="show the database and row counts").set_defaults(func=cmd_info)
    risk = sub.add_parser("risk-run", help="run the risk rules and record new alerts")
    risk.add_argument("--park", help="park code (default: every park)")
    risk.set_defaults(func=cmd_risk_run)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
