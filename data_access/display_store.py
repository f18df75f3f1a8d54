"""Display links for the big screen: a meeting-room PC opens `/?screen=1&token=…` and shows one park's big screen
through reloads and server restarts, signed in as no one.

A token is 32 random bytes (URL-safe text), shown once to the admin who makes it; only its SHA-256 is stored, so
the database does not hold a working link. It grants the big screen of its park, read-only, and nothing else
(dashboard.navigation gives the role "display" that page only). Revoking it ends the screen within one rotation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, insert, select, update

from data_access.models import AuditLog, DisplayToken, Park


class DisplayTokenError(ValueError):
    """A display-link request that cannot be carried out; `code` names why (dashboard.i18n "scr.token.err.<code>")."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Display:
    """What a valid token grants: the big screen of `park_id`."""

    token_id: int
    name: str
    park_id: int


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(conn: Connection, *, name: str, park_id: int, actor: str) -> str:
    """Make a named display link for a park; returns the token (the only time it exists in clear)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DisplayTokenError("name", "a display link needs a name of 1-100 characters")
    if conn.execute(select(Park.id).where(Park.id == park_id)).first() is None:
        raise DisplayTokenError("park", f"no park {park_id}")
    token = secrets.token_urlsafe(32)
    new_id = conn.execute(insert(DisplayToken).values(name=name, park_id=park_id, token_sha256=_digest(token), created_by=actor,
                                                      created_at=dt.datetime.now()).returning(DisplayToken.id)).scalar_one()
    conn.execute(insert(AuditLog).values(actor=actor, action="display_token_created", entity="display_token", entity_id=str(new_id),
                                         detail={"name": name, "park_id": park_id}))
    return token


def revoke_token(conn: Connection, *, token_id: int, actor: str) -> None:
    """Revoke a display link: the screen using it goes back to the sign-in page within one rotation."""
    done = conn.execute(update(DisplayToken).where(DisplayToken.id == token_id, DisplayToken.revoked_at.is_(None))
                        .values(revoked_at=dt.datetime.now(), revoked_by=actor)).rowcount
    if not done:
        raise DisplayTokenError("gone", f"no active display link {token_id}")
    conn.execute(insert(AuditLog).values(actor=actor, action="display_token_revoked", entity="display_token",
                                         entity_id=str(token_id)))


def resolve(conn: Connection, token: str | None) -> Display | None:
    """The display a token grants, or None (unknown, revoked or malformed)."""
    if not token or len(token) > 100:
        return None
    row = conn.execute(select(DisplayToken.id, DisplayToken.name, DisplayToken.park_id)
                       .where(DisplayToken.token_sha256 == _digest(token), DisplayToken.revoked_at.is_(None))).first()
    return None if row is None else Display(int(row.id), row.name, int(row.park_id))


def list_tokens(conn: Connection) -> pd.DataFrame:
    """Every display link (never the token): id, name, park, created by/at, revoked at."""
    D = DisplayToken
    r = conn.execute(select(D.id, D.name, Park.name_zh.label("park"), Park.name_en.label("park_en"), D.created_by, D.created_at,
                            D.revoked_at).join(Park, Park.id == D.park_id).order_by(D.id))
    return pd.DataFrame(r.fetchall(), columns=list(r.keys()))
