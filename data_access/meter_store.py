"""Write hourly meter readings fast: COPY on PostgreSQL, one executemany on SQLite.

Both paths run inside the caller's transaction, so a failed load leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Table

from data_access.models import MeterReading

_SQLITE_TS = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's own SQLite DateTime format; range filters compare strings


def insert_readings(conn: Connection, rows: Iterable[tuple[int, dt.datetime, float]]) -> int:
    """Insert (meter_id, ts, value) rows; returns the number written. Duplicate keys raise IntegrityError."""
    return bulk_insert(conn, MeterReading.__table__, ("meter_id", "ts", "value"), rows)


def bulk_insert(conn: Connection, table: Table, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    dbapi = conn.connection.dbapi_connection
    n = 0
    if conn.dialect.name == "postgresql":
        cols = ", ".join(columns)
        with dbapi.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    qmarks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({qmarks})"

    stamps: dict[dt.datetime, str] = {}  # hourly readings share few timestamps across many meters: format each once

    def _text(v):
        if not isinstance(v, dt.datetime):
            return v
        text = stamps.get(v)
        if text is None:
            if len(stamps) > 100_000:  # a feed spanning years: keep memory bounded
                stamps.clear()
            text = stamps[v] = v.strftime(_SQLITE_TS)
        return text

    def _adapt(row):
        nonlocal n
        n += 1
        return tuple(map(_text, row))

    cur = dbapi.cursor()
    try:
        cur.executemany(sql, (_adapt(r) for r in rows))
    finally:
        cur.close()
    return n
