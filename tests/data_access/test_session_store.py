"""Sign-ins kept through a reload: a one-time ticket becomes the cookie's token once, the token works while used within
the idle timeout, and an ended session's cookie signs no one in (issue 17)."""

import datetime as dt

from sqlalchemy import insert, select

from data_access import db, session_store
from data_access.models import AppUser, WebSession

T0 = dt.datetime(2026, 12, 6, 9, 0)
IDLE = dt.timedelta(minutes=240)


def _user(engine) -> int:
    with db.writing(engine) as conn:
        return conn.execute(insert(AppUser).values(username="analyst", display_name="分析员", role="pboc_analyst")
                            .returning(AppUser.id)).scalar_one()


def test_a_ticket_is_good_once_and_only_for_a_minute(migrated_db):
    user_id = _user(migrated_db.engine)
    with db.writing(migrated_db.engine) as conn:
        session_id, ticket = session_store.issue_ticket(conn, user_id, now=T0)
        late_id, late = session_store.issue_ticket(conn, user_id, now=T0)
        token = session_store.redeem_ticket(conn, ticket, now=T0 + dt.timedelta(seconds=30))
        assert token and token != ticket
        assert session_store.redeem_ticket(conn, ticket, now=T0 + dt.timedelta(seconds=31)) is None  # spent
        assert session_store.redeem_ticket(conn, late, now=T0 + dt.timedelta(seconds=61)) is None  # expired
        assert session_store.redeem_ticket(conn, "made-up", now=T0) is None
        stored = conn.execute(select(WebSession.ticket_sha256, WebSession.token_sha256).where(WebSession.id == session_id)).one()
    assert stored.ticket_sha256 is None and stored.token_sha256 != token and len(stored.token_sha256) == 64  # digests only


def test_the_cookie_resumes_within_the_idle_timeout_and_not_after(migrated_db):
    user_id = _user(migrated_db.engine)
    with db.writing(migrated_db.engine) as conn:
        session_id, ticket = session_store.issue_ticket(conn, user_id, now=T0)
        token = session_store.redeem_ticket(conn, ticket, now=T0)
        assert session_store.resume(conn, token, idle=IDLE, now=T0 + dt.timedelta(minutes=200)) == (session_id, user_id)
        # used at 200 minutes: the idle timeout counts from there
        assert session_store.resume(conn, token, idle=IDLE, now=T0 + dt.timedelta(minutes=430)) == (session_id, user_id)
        assert session_store.resume(conn, token, idle=IDLE, now=T0 + dt.timedelta(minutes=671)) is None  # 241 idle
        assert session_store.resume(conn, token, idle=IDLE, now=T0 + dt.timedelta(minutes=672)) is None  # ended for good
        assert conn.execute(select(WebSession.ended_at).where(WebSession.id == session_id)).scalar_one() is not None


def test_signing_out_ends_the_session_by_id_or_by_cookie(migrated_db):
    user_id = _user(migrated_db.engine)
    with db.writing(migrated_db.engine) as conn:
        first, ticket = session_store.issue_ticket(conn, user_id, now=T0)
        token = session_store.redeem_ticket(conn, ticket, now=T0)
        session_store.end(conn, first)
        assert session_store.resume(conn, token, idle=IDLE, now=T0) is None
        _, ticket2 = session_store.issue_ticket(conn, user_id, now=T0)
        token2 = session_store.redeem_ticket(conn, ticket2, now=T0)
        session_store.end_by_token(conn, token2)
        assert session_store.resume(conn, token2, idle=IDLE, now=T0) is None
        third, ticket3 = session_store.issue_ticket(conn, user_id, now=T0)
        session_store.end(conn, third)
        assert session_store.redeem_ticket(conn, ticket3, now=T0) is None  # an ended session's ticket is spent too
