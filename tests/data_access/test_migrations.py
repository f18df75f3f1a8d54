"""Migrations build the whole schema from empty, on SQLite and PostgreSQL, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from data_access import db
from data_access.models import Base


def test_upgrade_from_empty_creates_every_model_table(empty_db):
    assert inspect(empty_db.engine).get_table_names() == []
    db.upgrade(empty_db.engine)
    tables = set(inspect(empty_db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    assert db.schema_is_current(empty_db.engine)


def test_models_and_migrations_do_not_drift(migrated_db):
    # The same check as `alembic check`: autogenerate finds nothing to do.
    with migrated_db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_ensure_schema_is_idempotent(migrated_db):
    db.ensure_schema(migrated_db.engine)
    db.ensure_schema(migrated_db.engine)
    assert db.schema_is_current(migrated_db.engine)


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
