"""Accounts: hashing, sign-in, lockout, administration, demo accounts; no secret ever reaches the log."""

import datetime as dt

import pytest
from sqlalchemy import insert, select

from data_access import auth
from data_access.models import AppUser, AuditLog, Park

PASSWORD = "Yq-zero-2030!"


def _user(conn, username="analyst1", role="pboc_analyst", **kw):
    return auth.create_user(conn, actor="test", username=username, display_name="分析员", role=role, password=PASSWORD, **kw)


def _real_park(conn):
    conn.execute(insert(Park).values(code="REAL", name_zh="真实园区", name_en="Real park", centre_lat=37.8,
                                     centre_lon=113.5, is_demo=False))


def test_right_password_signs_in_and_wrong_one_does_not(migrated_db):
    with migrated_db.engine.begin() as conn:
        _user(conn)
        ok = auth.authenticate(conn, "analyst1", PASSWORD)
        wrong = auth.authenticate(conn, "analyst1", "not-it-123")
        unknown = auth.authenticate(conn, "nobody", PASSWORD)
    assert ok.outcome == "ok" and ok.user.role == "pboc_analyst"
    assert (wrong.outcome, wrong.user) == ("wrong_password", None)
    assert unknown.outcome == "unknown_user"


def test_failures_make_the_account_back_off_exponentially_not_lock_hard(migrated_db):
    """Issue 22.4: five tries locked any account for 15 minutes; now it waits 1, 2, 4 ... minutes, and attempts
    during the wait neither count nor extend it."""
    now = dt.datetime(2026, 11, 28, 9, 0)
    minute = dt.timedelta(minutes=1)
    with migrated_db.engine.begin() as conn:
        _user(conn)
        outcomes = [auth.authenticate(conn, "analyst1", f"bad-guess-{i}", now=now).outcome for i in range(5)]
        assert outcomes == ["wrong_password"] * 5  # the answer never says "locked"
        # Backing off for 1 minute: even the right password waits, and guessing does not extend it.
        assert auth.authenticate(conn, "analyst1", "bad-guess-x", now=now + 0.5 * minute).outcome == "locked"
        assert auth.authenticate(conn, "analyst1", PASSWORD, now=now + 0.9 * minute).outcome == "locked"
        # One more failure after the wait doubles it (2 minutes), and the right password works after that.
        assert auth.authenticate(conn, "analyst1", "bad-guess-6", now=now + 1.1 * minute).outcome == "wrong_password"
        assert auth.authenticate(conn, "analyst1", PASSWORD, now=now + 2.9 * minute).outcome == "locked"
        assert auth.authenticate(conn, "analyst1", PASSWORD, now=now + 3.2 * minute).outcome == "ok"
        actions = conn.execute(select(AuditLog.action).where(AuditLog.actor == "analyst1").order_by(AuditLog.id)).scalars().all()
    assert "account_locked" in actions and actions[-1] == "login"
    assert [auth.backoff(n) for n in (4, 5, 6, 7, 20)] == [None, minute, 2 * minute, 4 * minute, 60 * minute]


def test_an_unknown_user_costs_the_same_work_as_a_real_one(migrated_db, monkeypatch):
    """Issue 22.4: a wrong password took 544 ms and an unknown user 2.4 ms, so usernames could be discovered."""
    calls = []
    real = auth._HASHER

    class Counting:  # the module's hasher, counting what it verifies
        def verify(self, h, p):
            calls.append(h)
            return real.verify(h, p)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(auth, "_HASHER", Counting())
    with migrated_db.engine.begin() as conn:
        _user(conn)
        assert auth.authenticate(conn, "nobody", "some-guess-1").outcome == "unknown_user"
        assert auth.authenticate(conn, "analyst1", "some-guess-1").outcome == "wrong_password"
    assert len(calls) == 2 and calls[0] == auth._DUMMY_HASH  # one argon2 verification each


def test_one_client_may_only_fail_so_often():
    limiter = auth.ClientLimiter(max_failures=3, window=dt.timedelta(minutes=15))
    t0 = dt.datetime(2026, 11, 28, 9, 0)
    for k in range(3):
        assert limiter.allowed("10.0.0.7", t0)
        limiter.failed("10.0.0.7", t0 + dt.timedelta(seconds=k))
    assert not limiter.allowed("10.0.0.7", t0 + dt.timedelta(minutes=1))
    assert limiter.allowed("10.0.0.8", t0 + dt.timedelta(minutes=1))  # another client is not held up
    assert limiter.allowed("10.0.0.7", t0 + dt.timedelta(minutes=16))  # the window moves on


def test_disabled_account_cannot_sign_in(migrated_db):
    with migrated_db.engine.begin() as conn:
        _user(conn)
        auth.set_role(conn, actor="test", username="analyst1", role="pboc_analyst", is_active=False)
        assert auth.authenticate(conn, "analyst1", PASSWORD).outcome == "inactive"


def test_no_password_or_hash_reaches_the_audit_log(migrated_db):
    with migrated_db.engine.begin() as conn:
        _user(conn)
        auth.authenticate(conn, "analyst1", PASSWORD)
        auth.authenticate(conn, "analyst1", "another-secret-1")
        auth.reset_password(conn, actor="admin", username="analyst1", password="Brand-new-pass-9")
        stored_hash = conn.execute(select(AppUser.password_hash)).scalar_one()
        log = " ".join(str(r) for r in conn.execute(select(AuditLog)).all())
        listed = str(auth.list_users(conn))
    assert stored_hash.startswith("$argon2id$")
    for secret in (PASSWORD, "another-secret-1", "Brand-new-pass-9", stored_hash, "$argon2"):
        assert secret not in log and secret not in listed


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(role="institution_reporter"), "needs an institution"),
    (dict(role="leader", institution_id=1), "only reporters have one"),
    (dict(role="superuser"), "unknown role"),
    (dict(role="leader", password="short1"), "at least 10 characters"),
    (dict(role="leader", password="onlyletterspassword"), "mix letters"),
])
def test_account_rules(migrated_db, kwargs, message):
    args = dict(actor="test", username="u1", display_name="x", password=PASSWORD)
    args.update(kwargs)
    with pytest.raises(auth.AccountError, match=message), migrated_db.engine.begin() as conn:
        auth.create_user(conn, **args)


def test_duplicate_username_is_refused(migrated_db):
    with migrated_db.engine.begin() as conn:
        _user(conn)
    with pytest.raises(auth.AccountError, match="taken"), migrated_db.engine.begin() as conn:
        _user(conn)


def test_demo_accounts_only_while_the_data_is_demo(demo_db):
    with demo_db.engine.connect() as conn:
        assert auth.only_demo_data(conn)
        accounts = auth.demo_accounts(conn)
        assert {u.role for u in accounts} == set(auth.tx.ROLES)
        assert not auth.needs_admin_setup(conn)
        reporter = auth.sign_in_demo(conn, "demo_reporter")
        assert reporter.institution_id is not None
        conn.rollback()


def test_real_data_disables_demo_accounts_and_asks_for_an_admin(migrated_db):
    with migrated_db.engine.begin() as conn:
        _real_park(conn)
        conn.execute(insert(AppUser).values(username="demo_leader", display_name="x", role="leader", is_demo=True))
        assert auth.needs_admin_setup(conn)
        with pytest.raises(auth.AccountError, match="demo accounts are disabled"):
            auth.sign_in_demo(conn, "demo_leader")
        assert not auth.bootstrap_admin(conn, None)
        assert auth.bootstrap_admin(conn, "Env-admin-pass-1")
        assert not auth.needs_admin_setup(conn)
        assert auth.authenticate(conn, "admin", "Env-admin-pass-1").user.role == "admin"


def test_identity_provider_users_must_have_an_account(migrated_db):
    with migrated_db.engine.begin() as conn:
        _user(conn, username="li.hua@pbc.example")
        assert auth.user_from_identity(conn, "li.hua@pbc.example").role == "pboc_analyst"
        assert auth.user_from_identity(conn, "stranger@example.com") is None
        assert auth.user_from_identity(conn, "") is None


def test_real_data_entering_a_demo_database_ends_demo_mode(migrated_db_with_demo):
    """Issue 22.2: a real bank added to a demo park left the passwordless demo accounts working."""
    from data_access.models import Institution, Upload

    with migrated_db_with_demo.engine.connect() as conn:
        trans = conn.begin()
        assert auth.only_demo_data(conn)
        conn.execute(insert(Upload).values(kind="credit", file_name="demo.csv", sha256="0" * 64, uploaded_by="demo_reporter"))
        assert auth.only_demo_data(conn)  # what a demo account imports is part of the demonstration
        conn.execute(insert(Upload).values(kind="credit", file_name="real.csv", sha256="1" * 64, uploaded_by="cli"))
        assert not auth.only_demo_data(conn)  # an import by anyone else is real data
        trans.rollback()
        trans = conn.begin()
        conn.execute(insert(Institution).values(code="RB-1", name="真实银行甲", short_name="真实银行甲", inst_type="state_owned"))
        assert not auth.only_demo_data(conn)
        with pytest.raises(auth.AccountError, match="demo accounts are disabled"):
            auth.sign_in_demo(conn, "demo_analyst")
        trans.rollback()
