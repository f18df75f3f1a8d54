"""Display links: the token is shown once and stored only as a digest; revoking it ends it."""

import hashlib

import pytest
from sqlalchemy import select

from data_access import display_store, db
from data_access.models import AuditLog, DisplayToken


def test_a_display_link_is_stored_hashed_resolves_to_its_park_and_ends_when_revoked(migrated_db_with_demo):
    engine = migrated_db_with_demo.engine
    with db.writing(engine) as conn:
        token = display_store.create_token(conn, name="联席会议室大屏", park_id=1, actor="admin")
    assert len(token) >= 40
    with engine.connect() as conn:
        stored = conn.execute(select(DisplayToken.token_sha256, DisplayToken.name)).one()
        assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest() and token not in str(stored)
        shown = display_store.resolve(conn, token)
        assert (shown.name, shown.park_id) == ("联席会议室大屏", 1)
        assert display_store.resolve(conn, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert display_store.resolve(conn, "") is None and display_store.resolve(conn, "x" * 500) is None
    with db.writing(engine) as conn:
        display_store.revoke_token(conn, token_id=shown.token_id, actor="admin")
    with engine.connect() as conn:
        assert display_store.resolve(conn, token) is None
        actions = conn.execute(select(AuditLog.action).where(AuditLog.entity == "display_token")).scalars().all()
        assert actions == ["display_token_created", "display_token_revoked"]
        assert display_store.list_tokens(conn)["revoked_at"].notna().all()
    with pytest.raises(display_store.DisplayTokenError) as err, db.writing(engine) as conn:
        display_store.revoke_token(conn, token_id=shown.token_id, actor="admin")
    assert err.value.code == "gone"
    with pytest.raises(display_store.DisplayTokenError) as err, db.writing(engine) as conn:
        display_store.create_token(conn, name="  ", park_id=1, actor="admin")
    assert err.value.code == "name"
