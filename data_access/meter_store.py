"""Write many rows fast: COPY on PostgreSQL, one executemany on SQLite. Hourly meter readings (imports, the feed,
the demo seed) and the demo's other large tables go through here.

Every path runs inside the caller's transaction, so a failed load leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import repeat

from sqlalchemy import Connection, Table

from data_access import partitions
from data_access.models import MeterReading

_SQLITE_TS = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's own SQLite DateTime format; range filters compare strings
_READING_COLUMNS = ("meter_id", "ts", "value")


def insert_readings(conn: Connection, rows: Iterable[tuple[int, dt.datetime, float]]) -> int:
    """Insert (meter_id, ts, value) rows; returns the number written. Duplicate keys raise IntegrityError.

    Given a list, the monthly partitions its readings need are created first (PostgreSQL); a caller streaming a
    generator creates them itself (`partitions.ensure_months`), else its rows wait in the default partition."""
    if isinstance(rows, Sequence):
        _ensure_partitions(conn, (ts for _, ts, _ in rows))
    return bulk_insert(conn, MeterReading.__table__, _READING_COLUMNS, rows)


def insert_series(conn: Connection, series: Iterable[tuple[int, Sequence[dt.datetime], Sequence[float]]]) -> int:
    """Insert whole runs of readings, (meter_id, stamps, values) per meter; returns the number written.

    The same as `insert_readings` of the flattened rows, faster on SQLite for a month of hourly readings (the demo
    seed's live window): meters that share one `stamps` list have its timestamps formatted once."""
    if conn.dialect.name == "postgresql":
        series = list(series)
        _ensure_partitions(conn, (ts for _, stamps, _ in series for ts in ((stamps[0], stamps[-1]) if len(stamps) else ())))
        return insert_readings(conn, (row for mid, stamps, values in series for row in zip(repeat(mid), stamps, values)))
    formatted: dict[int, tuple[Sequence[dt.datetime], list[str]]] = {}  # id(stamps) -> (stamps kept alive, texts)
    n = 0

    def rows():
        nonlocal n
        for mid, stamps, values in series:
            if id(stamps) not in formatted:
                formatted[id(stamps)] = stamps, [t.strftime(_SQLITE_TS) for t in stamps]
            n += len(values)
            yield from zip(repeat(mid), formatted[id(stamps)][1], values)

    _sqlite_executemany(conn, MeterReading.__table__, _READING_COLUMNS, rows())
    return n


def _ensure_partitions(conn: Connection, stamps: Iterable[dt.datetime]) -> None:
    """The monthly partitions of meter_reading for these timestamps (PostgreSQL; nothing on SQLite)."""
    if conn.dialect.name == "postgresql":
        partitions.ensure_months(conn, {dt.date(ts.year, ts.month, 1) for ts in stamps})


def bulk_insert(conn: Connection, table: Table, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Insert plain rows (tuples in `columns` order; dates, datetimes, numbers, text, booleans) without SQLAlchemy's
    per-value processing; returns the number written. Stored values equal what `insert(table)` would store."""
    n = 0
    if conn.dialect.name == "postgresql":
        cols = ", ".join(columns)
        with conn.connection.dbapi_connection.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    stamps: dict[dt.date, str] = {}  # readings and monthly rows share few dates across many rows: format each once

    def _text(v):
        if not isinstance(v, dt.date):
            return v
        text = stamps.get(v)
        if text is None:
            if len(stamps) > 100_000:  # a feed spanning years: keep memory bounded
                stamps.clear()
            text = stamps[v] = v.strftime(_SQLITE_TS) if isinstance(v, dt.datetime) else v.isoformat()
        return text

    def _adapt(row):
        nonlocal n
        n += 1
        return tuple(map(_text, row))

    _sqlite_executemany(conn, table, columns, (_adapt(r) for r in rows))
    return n


def _sqlite_executemany(conn: Connection, table: Table, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    cur = conn.connection.dbapi_connection.cursor()
    try:
        cur.executemany(sql, rows)
    finally:
        cur.close()
