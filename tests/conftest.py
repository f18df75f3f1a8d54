"""Shared fixtures. Every database test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.

Each PostgreSQL fixture works in a schema of its own (search_path), so tests never see each other's rows
on the shared test database; the schema is dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import text

from data_access import db, demo

TODAY = dt.date(2026, 11, 28)  # fixed, so the demo data set is the same whenever the tests run
LAST_MONTH = dt.date(2026, 10, 1)
os.environ["OUTLOOK_REFRESH"] = "off"  # no background outlook process after a page test's upload (test_stored_outlooks)
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


class DatabaseUnderTest:
    """An engine plus the URL a separate process (CLI, streamlit) needs to reach the same data."""

    def __init__(self, backend: str, tmp_path):
        self.backend = backend
        self.schema = None
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp_path / 'test.db'}"
            self.engine = db.make_engine(self.url)
        else:
            base = os.environ["TEST_DATABASE_URL"]
            self.schema = f"t_{uuid.uuid4().hex[:12]}"
            admin = db.make_engine(base)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            admin.dispose()
            sep = "&" if "?" in base else "?"
            self.url = f"{base}{sep}options=-csearch_path%3D{self.schema}"
            self.engine = db.make_engine(self.url)

    def drop(self) -> None:
        self.engine.dispose()
        if self.schema:
            admin = db.make_engine(os.environ["TEST_DATABASE_URL"])
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db(request, tmp_path):
    """A database with no tables at all."""
    database = DatabaseUnderTest(request.param, tmp_path)
    yield database
    database.drop()


@pytest.fixture(params=BACKENDS)
def migrated_db(request, tmp_path):
    """A database at the head migration, with no rows."""
    database = DatabaseUnderTest(request.param, tmp_path)
    db.upgrade(database.engine)
    yield database
    database.drop()


def _seeded(backend: str, tmp_path_factory) -> DatabaseUnderTest:
    database = DatabaseUnderTest(backend, tmp_path_factory.mktemp(f"demo_{backend}"))
    db.upgrade(database.engine)
    demo.seed_demo(database.engine, today=TODAY, hourly_months=2)
    return database


@pytest.fixture(scope="session", params=BACKENDS)
def demo_db(request, tmp_path_factory):
    """The demo data set (two months of hourly readings), seeded once per backend and never modified."""
    database = _seeded(request.param, tmp_path_factory)
    yield database
    database.drop()


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory):
    """The demo data set on SQLite only, for page and browser tests that run the app in another process."""
    database = _seeded("sqlite", tmp_path_factory)
    yield database
    database.drop()


@pytest.fixture
def migrated_db_with_demo(tmp_path):
    """A private SQLite demo database that a test may change."""
    database = DatabaseUnderTest("sqlite", tmp_path)
    db.upgrade(database.engine)
    demo.seed_demo(database.engine, today=TODAY, hourly_months=0)
    yield database
    database.drop()
