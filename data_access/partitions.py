"""On PostgreSQL the raw hourly readings (`meter_reading`) are a partitioned table: one range partition per month of
`ts`, plus a default partition that catches a month not created yet. A province's hundreds of millions of readings
then sit in monthly tables: a feed run or a rollup refresh touches the current month's partition and its index only,
and an old month can be detached or archived whole. SQLite keeps one plain table; every function here is a no-op there.

Partitions are created by the migration (the months with data, and the next months), by `python -m cli
meter-partitions --ahead N` (run it monthly from cron), and on demand by `ensure_months`. A reading that arrives for
a month without its partition lands in the default partition; creating that month moves it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sqlalchemy import Connection, text

PARENT = "meter_reading"
DEFAULT = f"{PARENT}_default"
_NAME = re.compile(rf"^{PARENT}_(\d{{6}}|default)$")


def is_partition(name: str) -> bool:
    """A partition's table name (the schema comparison leaves them out: they are not models)."""
    return bool(_NAME.match(name))


def month_table(month: dt.date) -> str:
    return f"{PARENT}_{month:%Y%m}"


def _next(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first.replace(day=1)
    while m <= last:
        out.append(m)
        m = _next(m)
    return out


def is_partitioned(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    kind = conn.execute(text("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(:t)"), {"t": PARENT}).scalar()
    return kind == "p"


def existing(conn: Connection) -> list[str]:
    """The partitions of meter_reading, by name (empty on SQLite)."""
    if not is_partitioned(conn):
        return []
    return sorted(conn.execute(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(:t)"),
        {"t": PARENT}).scalars())


def ensure_months(conn: Connection, months: Iterable[dt.date]) -> list[str]:
    """Create the monthly partitions that are missing; readings of those months waiting in the default partition move
    into them (in the caller's transaction). Returns the tables created."""
    if not is_partitioned(conn):
        return []
    have = set(existing(conn))
    created = []
    for month in sorted({m.replace(day=1) for m in months}):
        name = month_table(month)
        if name in have:
            continue
        bounds = {"lo": dt.datetime.combine(month, dt.time()), "hi": dt.datetime.combine(_next(month), dt.time())}
        waiting = conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE ts >= :lo AND ts < :hi)"), bounds).scalar()
        if waiting:  # a default partition may not hold rows of a new partition's range: take them out first
            conn.execute(text(f"CREATE TEMPORARY TABLE _moving ON COMMIT DROP AS SELECT * FROM {DEFAULT} WHERE ts >= :lo AND ts < :hi"), bounds)
            conn.execute(text(f"DELETE FROM {DEFAULT} WHERE ts >= :lo AND ts < :hi"), bounds)
        conn.execute(text(f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM ('{bounds['lo']:%Y-%m-%d}') "
                          f"TO ('{bounds['hi']:%Y-%m-%d}')"))
        if waiting:
            conn.execute(text(f"INSERT INTO {PARENT} (meter_id, ts, value) SELECT meter_id, ts, value FROM _moving"))
            conn.execute(text("DROP TABLE _moving"))
        created.append(name)
    return created


def ensure_ahead(conn: Connection, *, today: dt.date | None = None, ahead: int = 12) -> list[str]:
    """This month's partition and the next `ahead` months'."""
    start = (today or dt.date.today()).replace(day=1)
    months = [start]
    for _ in range(ahead):
        months.append(_next(months[-1]))
    return ensure_months(conn, months)
