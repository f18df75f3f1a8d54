"""Saved Explore questions (issue 21 §2): a name, an owner, the users it is shared with, whether it is pinned to the
owner's overview. The question itself is its link's parameters; whoever opens it sees its answer within their own
scope (explore_store narrows every question by the viewer's role), so sharing never widens what anyone sees."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from data_access.models import AppUser, SavedQuestion


class QuestionNameError(ValueError):
    """A saved question needs a name of 1-100 characters."""


def save(conn: Connection, *, owner_id: int, name: str, params: dict, shared_with=()) -> int:
    """Keep the question under `name` (the owner's question of that name is replaced); returns its id."""
    name = (name or "").strip()
    if not 0 < len(name) <= 100:
        raise QuestionNameError(name)
    shared = sorted({int(u) for u in shared_with if int(u) != owner_id})
    now = dt.datetime.now()
    q = SavedQuestion
    existing = conn.execute(select(q.id).where(q.owner_id == owner_id, q.name == name)).scalar()
    if existing is not None:
        conn.execute(update(q).where(q.id == existing).values(params=dict(params), shared_with=shared, updated_at=now))
        return existing
    return conn.execute(insert(q).values(owner_id=owner_id, name=name, params=dict(params), shared_with=shared,
                                         pinned=False, created_at=now, updated_at=now).returning(q.id)).scalar_one()


def remove(conn: Connection, question_id: int, *, owner_id: int) -> bool:
    return conn.execute(delete(SavedQuestion).where(SavedQuestion.id == question_id,
                                                    SavedQuestion.owner_id == owner_id)).rowcount == 1


def pin(conn: Connection, question_id: int, *, owner_id: int, pinned: bool) -> bool:
    """Pin the owner's question to its overview, or take it off."""
    return conn.execute(update(SavedQuestion).where(SavedQuestion.id == question_id, SavedQuestion.owner_id == owner_id)
                        .values(pinned=pinned)).rowcount == 1


def visible(conn: Connection, *, user_id: int) -> pd.DataFrame:
    """The user's own questions and those shared with them: id, name, params, shared_with, pinned, owner_id, owner
    (display name), mine; own first, then by name."""
    q, u = SavedQuestion, AppUser
    rows = conn.execute(select(q.id, q.name, q.params, q.shared_with, q.pinned, q.owner_id, u.display_name.label("owner"))
                        .join(u, u.id == q.owner_id).order_by(q.name)).mappings().all()
    out = pd.DataFrame([dict(r) for r in rows if r["owner_id"] == user_id or user_id in (r["shared_with"] or [])],
                       columns=["id", "name", "params", "shared_with", "pinned", "owner_id", "owner"])
    out["mine"] = out["owner_id"] == user_id
    return out.sort_values(["mine", "name"], ascending=[False, True]).reset_index(drop=True)


def colleagues(conn: Connection, *, user_id: int) -> pd.DataFrame:
    """Active users a question may be shared with (not the owner, not display screens): id, display_name, role."""
    u = AppUser
    rows = conn.execute(select(u.id, u.display_name, u.role).where(u.is_active, u.id != user_id).order_by(u.display_name))
    return pd.DataFrame(rows.fetchall(), columns=["id", "display_name", "role"])
