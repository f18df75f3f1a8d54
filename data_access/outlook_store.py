"""The stored 2030 outlooks (`StoredOutlook`): read by fingerprint, written after a data load, pruned per park."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, insert, select

from data_access.models import StoredOutlook


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
    conn.execute(delete(StoredOutlook).where(StoredOutlook.fingerprint.in_(list(fresh))))
    if fresh:
        conn.execute(insert(StoredOutlook), list(fresh.values()))


def count(conn: Connection, park_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(StoredOutlook)
    if park_id is not None:
        stmt = stmt.where(StoredOutlook.park_id == park_id)
    return int(conn.execute(stmt).scalar_one())
