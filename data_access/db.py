"""The one place that creates engines, applies migrations and bumps the data version."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from data_access.models import Meta, Park
from data_access.settings import ROOT, database_url
from data_access.sqlfuncs import upsert

MIGRATIONS_DIR = ROOT / "data_access" / "migrations"
SQLITE_BUSY_SECONDS = 60  # how long a SQLite writer waits for another writer's lock before "database is locked"
WRITE_RETRY_SECONDS = 600  # how long an import or a feed chunk keeps retrying a locked database
log = logging.getLogger(__name__)
T = TypeVar("T")

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where the schema is checked or migrated, not with this module: a process that only writes to a
# migrated database (the first start's seed process) starts a third of a second sooner.


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine. SQLite gets WAL, foreign keys and a busy timeout; its folder is created."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_SECONDS})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


@contextmanager
def writing(engine: Engine, *, bump: bool = True) -> Iterator[Connection]:
    """The one way the product writes: a transaction, committed at the end or rolled back on an error.

    On commit it bumps the data version (`bump_data_version`), the value every page cache is keyed on, so an edit
    shows on the next page run of every session. Only bookkeeping no page shows from a cache (sign-in counters,
    a feed file's progress check) passes bump=False.

    On SQLite it starts with BEGIN IMMEDIATE: the write lock is taken first, waiting up to the busy timeout,
    instead of a transaction that read first failing at once with "database is locked" when another writer got in
    between (WAL mode cannot wait there). PostgreSQL needs nothing: writers of different rows run side by side."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
            if bump:
                bump_data_version(conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def is_locked(error: BaseException) -> bool:
    """SQLite's "database is locked" / "database table is locked" (another writer held on past the busy timeout)."""
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


def retry_locked(work: Callable[[], T], *, seconds: float | None = None, what: str = "write") -> T:
    """Run `work` (a whole write transaction), again after a pause when SQLite says the database is locked, for up
    to `seconds` (WRITE_RETRY_SECONDS). Other errors, and the last lock error, are raised."""
    deadline = time.monotonic() + (WRITE_RETRY_SECONDS if seconds is None else seconds)
    pause = 0.5
    while True:
        try:
            return work()
        except OperationalError as error:
            if not is_locked(error) or time.monotonic() + pause > deadline:
                raise
            log.warning("%s: database locked by another writer, retrying in %.1f s", what, pause)
            time.sleep(pause)
            pause = min(pause * 2, 10.0)


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic configuration without an ini file; the engine (or DATABASE_URL) supplies the database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def schema_is_current(engine: Engine) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def ensure_schema(engine: Engine) -> None:
    """Apply pending migrations (cheap when already at head)."""
    if not schema_is_current(engine):
        upgrade(engine)


def data_version(conn: Connection) -> str:
    """A value that changes whenever data is written; caches key on it."""
    value = conn.execute(select(Meta.value).where(Meta.key == "data_version")).scalar_one_or_none()
    return value or "0"


def bump_data_version(conn: Connection) -> str:
    """Record that data changed, inside the writing transaction so readers see both or neither (`writing` calls it)."""
    now = dt.datetime.now()
    new = now.strftime("%Y%m%dT%H%M%S.%f")
    # one statement, so two first writers at once do not both insert the row (two imports on a new database did)
    upsert(conn, Meta, [dict(key="data_version", value=new, updated_at=now)], ["key"],
           lambda table, excluded: {"value": excluded.value, "updated_at": excluded.updated_at})
    return new


def is_empty(engine: Engine) -> bool:
    """True while the database holds no park: the first start fills it with the demo data set."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Park)).scalar_one() == 0
