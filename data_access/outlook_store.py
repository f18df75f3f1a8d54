"""The stored 2030 outlooks (`StoredOutlook`): read by fingerprint, written after a data load, pruned per park."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, select

from data_access.models import StoredOutlook
from data_access.sqlfuncs import upsert


def load(conn: Connection, fingerprints: Iterable[str]) -> dict[str, dict]:
    """The stored payloads of these fingerprints (those not stored are left out)."""
    keys = sorted(set(fingerprints))
    if not keys:
        return {}
    return dict(conn.execute(select(StoredOutlook.fingerprint, StoredOutlook.payload).where(StoredOutlook.fingerprint.in_(keys))).all())


def replace_for_park(conn: Connection, park_id: int, rows: list[dict]) -> None:
    """Keep exactly `rows` (dicts of StoredOutlook's columns) as the park's stored outlooks: older ones are dropped."""
    conn.execute(delete(StoredOutlook).where(StoredOutlook.park_id == park_id))
    fresh = {r["fingerprint"]: r for r in rows}  # two indicators never share inputs, but a repeat must not fail
    if not fresh:
        return
    columns = ("park_id", "indicator", "period", "method", "data_version", "payload", "computed_at")
    # two refreshes at once (two imports finishing together) write the same fingerprints: the later one updates
    upsert(conn, StoredOutlook, list(fresh.values()), ["fingerprint"], lambda table, excluded: {c: excluded[c] for c in columns})


def count(conn: Connection, park_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(StoredOutlook)
    if park_id is not None:
        stmt = stmt.where(StoredOutlook.park_id == park_id)
    return int(conn.execute(stmt).scalar_one())
