"""Accounts: argon2 password hashes, sign-in with lockout, user administration. No Streamlit here.

Nothing in this module logs or returns a password or a hash: the audit log records who, when and
the outcome only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, func, insert, select, update

from data_access import taxonomy as tx
from data_access.models import AppUser, AuditLog, Institution, Park

MAX_FAILED_ATTEMPTS = 5  # failures in a row before the account backs off
BACKOFF_FIRST = dt.timedelta(minutes=1)  # then 2, 4, 8 ... minutes for each further failure, at most BACKOFF_MAX
BACKOFF_MAX = dt.timedelta(minutes=60)
CLIENT_MAX_FAILURES = 10  # failed sign-ins one client may make in CLIENT_WINDOW before it must wait
CLIENT_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("no account has this password")  # verified for unknown users: the same time as a real one
USERS = AppUser.__table__  # Core rows (this module works on connections, not ORM sessions)


@dataclass(frozen=True)
class User:
    """The signed-in user as pages see it (never carries the hash)."""

    id: int
    username: str
    display_name: str
    role: str
    institution_id: int | None
    is_demo: bool


@dataclass(frozen=True)
class SignIn:
    user: User | None
    outcome: str  # ok, unknown_user, wrong_password, locked, inactive, no_password


class AccountError(ValueError):
    """A user-administration request that cannot be carried out. `code` and `params` let the UI say why in the
    user's language (dashboard.i18n "auth.err.<code>"); the message is the English log and command-line text."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code, self.params = code, params


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    code = _password_code(password)
    return {None: None, "password_short": f"at least {MIN_PASSWORD_LENGTH} characters",
            "password_mix": "mix letters with digits or symbols"}[code]


def _password_code(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_short"
    if password.isdigit() or password.isalpha():
        return "password_mix"
    return None


def _check_password(password: str) -> None:
    code = _password_code(password)
    if code:
        raise AccountError(code, f"password: {password_problem(password)}", n=MIN_PASSWORD_LENGTH)


def _to_user(row) -> User:
    return User(row.id, row.username, row.display_name, row.role, row.institution_id, row.is_demo)


def _audit(conn: Connection, actor: str, action: str, entity_id: str | None, detail: dict | None = None) -> None:
    conn.execute(insert(AuditLog).values(actor=actor, action=action, entity="app_user", entity_id=entity_id,
                                         detail=detail, at=dt.datetime.now()))


def backoff(failures: int) -> dt.timedelta | None:
    """How long an account waits after `failures` failed sign-ins in a row: nothing below MAX_FAILED_ATTEMPTS, then
    1, 2, 4 ... minutes, at most an hour. An attempt during the wait neither counts nor extends it, so nobody can
    hold an account locked for long by guessing; the per-client limit (`ClientLimiter`) stops one client guessing."""
    if failures < MAX_FAILED_ATTEMPTS:
        return None
    return min(BACKOFF_FIRST * 2 ** (failures - MAX_FAILED_ATTEMPTS), BACKOFF_MAX)


def authenticate(conn: Connection, username: str, password: str, *, now: dt.datetime | None = None) -> SignIn:
    """Check a password; every attempt is logged (never the password).

    Unknown users cost the same argon2 verification as real ones, and the page shows one message for an unknown
    user, a wrong password and an account backing off, so neither the answer nor its time tells whether a
    username exists. `inactive` is told only to someone who gave the right password. Failures in a row make
    the account back off (`backoff`). Call inside a transaction (the failure counter and the audit row are written).
    """
    now = now or dt.datetime.now()
    row = conn.execute(select(USERS).where(AppUser.username == username)).one_or_none()
    if row is None or not row.password_hash:
        try:
            _HASHER.verify(_DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            pass
        reason = "unknown_user" if row is None else "no_password"
        _audit(conn, username[:64] or "?", "login_failed", None if row is None else str(row.id), {"reason": reason})
        return SignIn(None, reason)
    if row.locked_until and row.locked_until > now:
        try:  # the same work as any other attempt, so the wait is not visible in the answer's time
            _HASHER.verify(_DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            pass
        _audit(conn, row.username, "login_failed", str(row.id), {"reason": "backing_off"})
        return SignIn(None, "locked")
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        failed = (row.failed_attempts or 0) + 1
        wait = backoff(failed)
        conn.execute(update(AppUser).where(AppUser.id == row.id).values(
            failed_attempts=failed, locked_until=now + wait if wait else None))
        _audit(conn, row.username, "account_locked" if wait else "login_failed", str(row.id),
               {"reason": "wrong_password", "attempt": failed, "wait_minutes": wait.total_seconds() / 60 if wait else 0})
        return SignIn(None, "wrong_password")
    if not row.is_active:
        _audit(conn, row.username, "login_failed", str(row.id), {"reason": "inactive"})
        return SignIn(None, "inactive")
    values = {"failed_attempts": 0, "locked_until": None, "last_login_at": now}
    if _HASHER.check_needs_rehash(row.password_hash):
        values["password_hash"] = hash_password(password)
    conn.execute(update(AppUser).where(AppUser.id == row.id).values(**values))
    _audit(conn, row.username, "login", str(row.id))
    return SignIn(_to_user(row), "ok")


class ClientLimiter:
    """Failed sign-ins per client (its address), at most CLIENT_MAX_FAILURES in CLIENT_WINDOW. Process-wide and in
    memory: with several app servers behind a proxy, each limits what reaches it."""

    def __init__(self, max_failures: int = CLIENT_MAX_FAILURES, window: dt.timedelta = CLIENT_WINDOW):
        import threading

        self.max_failures, self.window = max_failures, window
        self._failures: dict[str, list[dt.datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: dt.datetime) -> list[dt.datetime]:
        kept = [t for t in self._failures.get(client, []) if now - t < self.window]
        if kept:
            self._failures[client] = kept
        else:
            self._failures.pop(client, None)
        return kept

    def allowed(self, client: str, now: dt.datetime | None = None) -> bool:
        with self._lock:
            return len(self._recent(client, now or dt.datetime.now())) < self.max_failures

    def failed(self, client: str, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now()
        with self._lock:
            self._failures[client] = [*self._recent(client, now), now]


def sign_in_demo(conn: Connection, username: str) -> User:
    """One-click sign-in for a demo account; refused unless the database holds demo data only."""
    if not only_demo_data(conn):
        raise AccountError("demo_disabled", "demo accounts are disabled: the database holds real data")
    row = conn.execute(select(USERS).where(AppUser.username == username, AppUser.is_demo.is_(True),
                                           AppUser.is_active.is_(True))).one_or_none()
    if row is None:
        raise AccountError("no_user", f"no demo account {username!r}", username=username)
    _audit(conn, row.username, "login_demo", str(row.id))
    return _to_user(row)


def load_account(conn: Connection, user_id: int) -> User | None:
    """The account as stored now, or None when it is deactivated or gone (sessions re-check it on every run)."""
    row = conn.execute(select(USERS).where(AppUser.id == user_id, AppUser.is_active.is_(True))).one_or_none()
    return None if row is None else _to_user(row)


def only_demo_data(conn: Connection) -> bool:
    """True while every row that can hold real data is demo data: every park is a demo park (and there is one),
    no park, institution, enterprise or meter was added after the demo seed (its watermark in `meta`), and
    every import was made by a demo account. Demo accounts work only while this holds; sessions check it on
    every run, so real data entering a demo park ends demo mode at once."""
    import json

    from data_access.models import Enterprise, Meta, Meter, Upload

    total, demo = conn.execute(select(func.count(), func.count().filter(Park.is_demo.is_(True))).select_from(Park)).one()
    if not total or total != demo:
        return False
    raw = conn.execute(select(Meta.value).where(Meta.key == "demo_watermark")).scalar()
    if raw is None:
        return False  # demo parks without the seed's watermark: not known to be demo data only
    marks = json.loads(raw)
    for model in (Park, Institution, Enterprise, Meter):
        if int(conn.execute(select(func.max(model.id))).scalar() or 0) > int(marks.get(model.__tablename__, 0)):
            return False
    demo_users = select(AppUser.username).where(AppUser.is_demo.is_(True))
    return conn.execute(select(Upload.id).where(Upload.uploaded_by.not_in(demo_users)).limit(1)).first() is None


def demo_accounts(conn: Connection) -> list[User]:
    rows = conn.execute(select(USERS).where(AppUser.is_demo.is_(True), AppUser.is_active.is_(True))
                        .order_by(AppUser.id)).all()
    return [_to_user(r) for r in rows]


def needs_admin_setup(conn: Connection) -> bool:
    """Real data and no active admin with a password: the first start must create one."""
    if only_demo_data(conn):
        return False
    n = conn.execute(select(func.count()).select_from(AppUser).where(
        AppUser.role == "admin", AppUser.is_active.is_(True), AppUser.password_hash.is_not(None),
        AppUser.is_demo.is_(False))).scalar_one()
    return n == 0


def create_user(conn: Connection, *, actor: str, username: str, display_name: str, role: str, password: str,
                institution_id: int | None = None) -> User:
    """Create an account. Reporters need an institution; other roles must not have one."""
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError("username_length", "username must be 1-64 characters")
    if role not in tx.ROLES:
        raise AccountError("unknown_role", f"unknown role {role!r}", role=role)
    if (role == "institution_reporter") != (institution_id is not None):
        raise AccountError("reporter_institution", "an institution reporter needs an institution, and only reporters have one")
    if institution_id is not None and conn.execute(select(Institution.id).where(Institution.id == institution_id)).first() is None:
        raise AccountError("no_institution", f"institution {institution_id} does not exist", id=institution_id)
    if conn.execute(select(AppUser.id).where(AppUser.username == username)).first() is not None:
        raise AccountError("username_taken", f"username {username!r} is taken", username=username)
    _check_password(password)
    new_id = conn.execute(insert(AppUser).values(
        username=username, display_name=display_name.strip() or username, role=role, institution_id=institution_id,
        password_hash=hash_password(password), is_active=True, is_demo=False).returning(AppUser.id)).scalar_one()
    _audit(conn, actor, "user_created", str(new_id), {"username": username, "role": role, "institution_id": institution_id})
    row = conn.execute(select(USERS).where(AppUser.id == new_id)).one()
    return _to_user(row)


def reset_password(conn: Connection, *, actor: str, username: str, password: str) -> None:
    _check_password(password)
    result = conn.execute(update(AppUser).where(AppUser.username == username).values(
        password_hash=hash_password(password), failed_attempts=0, locked_until=None))
    if result.rowcount == 0:
        raise AccountError("no_user", f"no user {username!r}", username=username)
    _audit(conn, actor, "password_reset", username)


def set_role(conn: Connection, *, actor: str, username: str, role: str, institution_id: int | None = None,
             is_active: bool = True) -> None:
    if role not in tx.ROLES:
        raise AccountError("unknown_role", f"unknown role {role!r}", role=role)
    if (role == "institution_reporter") != (institution_id is not None):
        raise AccountError("reporter_institution", "an institution reporter needs an institution, and only reporters have one")
    result = conn.execute(update(AppUser).where(AppUser.username == username).values(
        role=role, institution_id=institution_id, is_active=is_active))
    if result.rowcount == 0:
        raise AccountError("no_user", f"no user {username!r}", username=username)
    _audit(conn, actor, "role_changed", username, {"role": role, "institution_id": institution_id, "is_active": is_active})


def list_users(conn: Connection) -> list[dict]:
    """Accounts for the admin page, without hashes."""
    rows = conn.execute(select(AppUser.username, AppUser.display_name, AppUser.role, AppUser.institution_id,
                               AppUser.is_active, AppUser.is_demo, AppUser.locked_until, AppUser.last_login_at)
                        .order_by(AppUser.id)).all()
    return [dict(r._mapping) for r in rows]


def bootstrap_admin(conn: Connection, password: str | None) -> bool:
    """Create the first admin from ADMIN_PASSWORD when real data has no admin yet. Returns True if created."""
    if not password or not needs_admin_setup(conn):
        return False
    username = "admin"
    if conn.execute(select(AppUser.id).where(AppUser.username == username)).first() is not None:
        reset_password(conn, actor="bootstrap", username=username, password=password)
        set_role(conn, actor="bootstrap", username=username, role="admin")
        return True
    create_user(conn, actor="bootstrap", username=username, display_name="系统管理员", role="admin", password=password)
    return True


def user_from_identity(conn: Connection, identity: str) -> User | None:
    """The active account whose username is an identity provider's e-mail (OpenID Connect sign-in)."""
    if not identity:
        return None
    row = conn.execute(select(USERS).where(AppUser.username == identity, AppUser.is_active.is_(True))).one_or_none()
    if row is None:
        return None
    _audit(conn, row.username, "login_oidc", str(row.id))
    return _to_user(row)
