"""Frozen meeting snapshots and submitted 零碳金融简报 in the database. No Streamlit here.

A snapshot is written once and never updated: its payload holds the figures and the chart specs as they
were, so reopening it shows what the meeting saw even after the data underneath is revised.
A briefing is one row per (park, institution, month); an institution may save it as a draft and edit it
until it submits; after submission it is read-only. The PBOC branch's own park-wide briefing has no
institution.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Connection, and_, insert, select, update

from data_access.models import Briefing, Institution, Snapshot

BRIEFING_STATES = ("draft", "submitted")


class BriefingLocked(ValueError):
    """A submitted briefing cannot be changed; `by` and `at` say who submitted it and when."""

    def __init__(self, message: str, *, by: str, at: dt.datetime):
        super().__init__(message)
        self.by, self.at = by, at


def _json_safe(payload: dict) -> dict:
    """Round-trip through JSON so what is stored is exactly what will be read back (dates as text)."""
    return json.loads(json.dumps(payload, ensure_ascii=False, default=str))


def save_snapshot(conn: Connection, *, park_id: int, title: str, payload: dict, created_by: str) -> int:
    title = title.strip()
    if not title:
        raise ValueError("a snapshot needs a title")
    new_id = conn.execute(insert(Snapshot).values(park_id=park_id, title=title[:300], payload=_json_safe(payload),
                                                  created_by=created_by, created_at=dt.datetime.now())
                          .returning(Snapshot.id)).scalar_one()
    return int(new_id)


def list_snapshots(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """Snapshots of a park, newest first: id, title, created_by, created_at."""
    rows = conn.execute(select(Snapshot.id, Snapshot.title, Snapshot.created_by, Snapshot.created_at)
                        .where(Snapshot.park_id == park_id).order_by(Snapshot.created_at.desc(), Snapshot.id.desc())).all()
    return pd.DataFrame(rows, columns=["id", "title", "created_by", "created_at"])


def load_snapshot(conn: Connection, snapshot_id: int, *, park_id: int | None = None) -> dict | None:
    """id, park_id, title, payload, created_by, created_at; None when there is no such snapshot (in that park)."""
    cond = [Snapshot.id == snapshot_id] + ([Snapshot.park_id == park_id] if park_id is not None else [])
    row = conn.execute(select(Snapshot.__table__).where(*cond)).one_or_none()
    if row is None:
        return None
    return {"id": row.id, "park_id": row.park_id, "title": row.title, "payload": row.payload,
            "created_by": row.created_by, "created_at": row.created_at}


def load_briefing(conn: Connection, *, park_id: int, institution_id: int | None, period: dt.date) -> dict | None:
    inst = Briefing.institution_id.is_(None) if institution_id is None else Briefing.institution_id == institution_id
    row = conn.execute(select(Briefing.__table__).where(Briefing.park_id == park_id, inst, Briefing.period == period)).one_or_none()
    if row is None:
        return None
    return {"id": row.id, "issue_no": row.issue_no, "title": row.title, "body": row.body, "status": row.status,
            "submitted_by": row.submitted_by, "submitted_at": row.submitted_at}


def save_briefing(conn: Connection, *, park_id: int, institution_id: int | None, period: dt.date, issue_no: int,
                  title: str, body: dict, user: str, submit: bool) -> int:
    """Insert or update the (park, institution, month) briefing; `submit` makes it final.

    Raises BriefingLocked when it was already submitted.
    """
    period = period.replace(day=1)
    current = load_briefing(conn, park_id=park_id, institution_id=institution_id, period=period)
    if current and current["status"] == "submitted":
        raise BriefingLocked(f"the briefing for {period:%Y-%m} was submitted by {current['submitted_by']} "
                             f"at {current['submitted_at']:%Y-%m-%d %H:%M}; it can no longer be changed",
                             by=current["submitted_by"], at=current["submitted_at"])
    values = dict(title=title[:300], body=_json_safe(body), issue_no=issue_no,
                  status="submitted" if submit else "draft",
                  submitted_by=user if submit else None, submitted_at=dt.datetime.now() if submit else None)
    if current:
        conn.execute(update(Briefing).where(Briefing.id == current["id"]).values(**values))
        briefing_id = current["id"]
    else:
        briefing_id = conn.execute(insert(Briefing).values(park_id=park_id, institution_id=institution_id, period=period,
                                                           **values).returning(Briefing.id)).scalar_one()
    return int(briefing_id)


def submission_status(conn: Connection, *, park_id: int, period: dt.date, institution_ids: list[int]) -> pd.DataFrame:
    """For each institution expected to report: institution_id, code, short_name, inst_type, status
    ('submitted', 'draft' or 'missing'), submitted_by, submitted_at. Missing first, then drafts."""
    b = Briefing
    rows = conn.execute(
        select(Institution.id, Institution.code, Institution.short_name, Institution.inst_type, b.status, b.submitted_by,
               b.submitted_at)
        .select_from(Institution)
        .outerjoin(b, and_(b.institution_id == Institution.id, b.park_id == park_id, b.period == period.replace(day=1)))
        .where(Institution.id.in_(institution_ids))
    ).all()
    df = pd.DataFrame(rows, columns=["institution_id", "code", "short_name", "inst_type", "status", "submitted_by",
                                     "submitted_at"])
    df["status"] = df["status"].fillna("missing")
    order = {"missing": 0, "draft": 1, "submitted": 2}
    return df.sort_values(["status", "short_name"], key=lambda s: s.map(order) if s.name == "status" else s).reset_index(drop=True)
