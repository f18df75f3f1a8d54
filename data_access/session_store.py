"""Password sign-ins that survive a browser reload (issue 17).

Streamlit keeps a signed-in user in its session, which a reload or a network drop ends. So at sign-in the page gets a
one-time ticket (`issue_ticket`, good for TICKET_SECONDS), and the browser posts it to the server's /session/redeem
route (dashboard.session_routes), which exchanges it (`redeem_ticket`) for a random token set as an HttpOnly cookie:
page scripts never see the token. On the next page load the app reads the cookie and `resume`s the session while it
has been used within the idle timeout. Only SHA-256 digests are stored; `end` closes a session at sign-out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Connection, insert, select, update

from data_access.models import WebSession

COOKIE = "zc_session"  # the HttpOnly cookie that holds the token
TICKET_SECONDS = 60
TOUCH_SECONDS = 60  # last_seen_at is written at most this often per session


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_ticket(conn: Connection, user_id: int, *, now: dt.datetime | None = None) -> tuple[int, str]:
    """A new session for `user_id` with a one-time ticket: (session id, ticket)."""
    now = now or dt.datetime.now()
    ticket = secrets.token_urlsafe(32)
    session_id = conn.execute(insert(WebSession).values(
        user_id=user_id, ticket_sha256=_digest(ticket), ticket_expires_at=now + dt.timedelta(seconds=TICKET_SECONDS),
        created_at=now, last_seen_at=now).returning(WebSession.id)).scalar_one()
    return int(session_id), ticket


def redeem_ticket(conn: Connection, ticket: str | None, *, now: dt.datetime | None = None) -> str | None:
    """The cookie token for a valid, unexpired, unused ticket (which is then spent), else None."""
    now = now or dt.datetime.now()
    if not ticket or len(ticket) > 100:
        return None
    token = secrets.token_urlsafe(32)
    done = conn.execute(update(WebSession).where(
        WebSession.ticket_sha256 == _digest(ticket), WebSession.ticket_expires_at >= now, WebSession.ended_at.is_(None),
        WebSession.token_sha256.is_(None)).values(ticket_sha256=None, ticket_expires_at=None, token_sha256=_digest(token),
                                                  last_seen_at=now)).rowcount
    return token if done == 1 else None


def resume(conn: Connection, token: str | None, *, idle: dt.timedelta,
           now: dt.datetime | None = None) -> tuple[int, int] | None:
    """(session id, user id) of the open session the cookie `token` belongs to, used within `idle`; else None.
    A session idle for longer is ended here."""
    now = now or dt.datetime.now()
    if not token or len(token) > 100:
        return None
    row = conn.execute(select(WebSession.id, WebSession.user_id, WebSession.last_seen_at)
                       .where(WebSession.token_sha256 == _digest(token), WebSession.ended_at.is_(None))).first()
    if row is None:
        return None
    if now - row.last_seen_at > idle:
        end(conn, row.id, now=now)
        return None
    touch(conn, row.id, now=now, last_seen=row.last_seen_at)
    return int(row.id), int(row.user_id)


def touch(conn: Connection, session_id: int, *, now: dt.datetime | None = None,
          last_seen: dt.datetime | None = None) -> None:
    """Record use of a session (at most every TOUCH_SECONDS), so the idle timeout counts from the last page run."""
    now = now or dt.datetime.now()
    if last_seen is None or now - last_seen >= dt.timedelta(seconds=TOUCH_SECONDS):
        conn.execute(update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now))


def end(conn: Connection, session_id: int, *, now: dt.datetime | None = None) -> None:
    """Close a session: its cookie no longer signs anyone in."""
    conn.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                 .values(ended_at=now or dt.datetime.now(), ticket_sha256=None))


def end_by_token(conn: Connection, token: str | None) -> None:
    """Close the session a cookie token belongs to (sign-out from the browser's side)."""
    if token and len(token) <= 100:
        conn.execute(update(WebSession).where(WebSession.token_sha256 == _digest(token), WebSession.ended_at.is_(None))
                     .values(ended_at=dt.datetime.now()))
