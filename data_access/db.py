"""The one place that creates engines, applies migrations and bumps the data version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, select, update
from sqlalchemy.engine import make_url

from data_access.models import Meta
from data_access.settings import ROOT, database_url

MIGRATIONS_DIR = ROOT / "data_access" / "migrations"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine. SQLite gets WAL, foreign keys and a busy timeout; its folder is created."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
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


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic configuration without an ini file; the engine (or DATABASE_URL) supplies the database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def schema_is_current(engine: Engine) -> bool:
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
    """Record that data changed. Call inside the writing transaction, so readers see both or neither."""
    now = dt.datetime.now()
    new = now.strftime("%Y%m%dT%H%M%S.%f")
    if conn.execute(update(Meta).where(Meta.key == "data_version").values(value=new, updated_at=now)).rowcount == 0:
        conn.execute(Meta.__table__.insert().values(key="data_version", value=new, updated_at=now))
    return new
