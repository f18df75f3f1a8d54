"""Migrations build the whole schema from empty, on SQLite and PostgreSQL, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from data_access import db
from data_access.models import Base
from data_access.partitions import is_partition


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
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,  # partitions are not models (env.py)
                                                     "include_name": lambda name, type_, _: not (type_ == "table" and is_partition(name))})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_ensure_schema_builds_an_empty_database_then_does_nothing(empty_db):
    """From empty it builds every table; run again it changes nothing (the data written in between stays)."""
    db.ensure_schema(empty_db.engine)
    assert set(Base.metadata.tables) <= set(inspect(empty_db.engine).get_table_names())
    with db.writing(empty_db.engine):  # a write: a data version that a second ensure_schema must leave alone
        pass
    with empty_db.engine.connect() as conn:
        before = db.data_version(conn)
    assert before != "0"
    db.ensure_schema(empty_db.engine)
    with empty_db.engine.connect() as conn:
        assert db.data_version(conn) == before and conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    assert db.schema_is_current(empty_db.engine)


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migration_0011_dismisses_duplicate_open_alerts_and_records_why(empty_db):
    engine = empty_db.engine
    db.upgrade(engine, "0010")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO park (id, code, name_zh, name_en, level, centre_lat, centre_lon, location_approximate, "
                          "base_year, target_year, grid_region, is_demo, electricity_method) VALUES "
                          "(1, 'P', '园区', 'Park', 'national', 37.8, 113.5, true, 2025, 2030, 'north_china', false, 'calorific')"))
        for alert_id, state in ((5, "alerted"), (1036, "identified"), (1040, "closed")):
            conn.execute(text("INSERT INTO risk_alert (id, park_id, rule_code, severity, subject_kind, subject_id, period, evidence, "
                              "state, dedup_key, created_at) VALUES (:id, 1, 'credit_npl', 'high', 'institution', 3, '2026-10-01', "
                              "'{}', :s, 'credit_npl:institution:3', '2026-11-01 09:00:00')"), {"id": alert_id, "s": state})
    db.upgrade(engine)
    with engine.connect() as conn:
        states = dict(conn.execute(text("SELECT id, state FROM risk_alert ORDER BY id")).all())
        events = conn.execute(text("SELECT alert_id, from_state, to_state, actor FROM risk_alert_event")).all()
    assert states == {5: "alerted", 1036: "dismissed", 1040: "closed"}
    assert [tuple(e) for e in events] == [(1036, "identified", "dismissed", "migration")]
