"""The first start (issue 17): the demo seed runs in its own process, started as the server boots; pages show what it
is doing in a sentence, the sign-in page comes once the data is written, and other pages wait for the risk rules."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboard import first_run, i18n
from data_access import db, demo
from data_access.models import Park, RiskAlertEvent
from tests.conftest import TODAY
from tests.pages.test_pages import APP

ROOT = Path(__file__).resolve().parents[2]

SMALL = (demo.PARKS[1],)  # the small demo park: the same steps, a fraction of the rows


def test_every_step_of_the_seed_is_told_in_a_sentence_in_both_languages(migrated_db):
    messages = []
    demo.seed_demo(migrated_db.engine, today=TODAY, hourly_months=1, parks=SMALL, progress=lambda f, m: messages.append(m))
    messages.append("DEMO-2: rules")  # what the seed process says while the rules run
    for message in messages:
        step = message.split(": ", 1)[-1]
        assert any(step.startswith(prefix) for prefix, _ in first_run.STAGES), f"no sentence for {message!r}"
        zh, en = first_run.stage_text(message, "zh"), first_run.stage_text(message, "en")
        assert zh.endswith("…") and not any(c.isascii() and c.isalpha() for c in zh), zh
        assert en.endswith("…") and en.removesuffix("…").isascii(), en
    assert first_run.stage_text("YQ-HTZ: hourly meter readings 2026-11", "zh") == "正在写入最近一个月的逐时电表读数…"


def test_the_seed_process_fills_an_empty_database_and_runs_the_rules(empty_db, monkeypatch):
    monkeypatch.setenv("DEMO_HOURLY_MONTHS", "1")
    seed = first_run.start(empty_db.url)  # a database without tables: migrated, then seeded
    assert seed is not None
    assert seed.done.wait(300), "the seed process did not end"
    assert seed.error is None and seed.written.is_set() and seed.fraction == 1.0
    with empty_db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Park)).scalar() == 2
        raised = select(func.count()).select_from(RiskAlertEvent).where(RiskAlertEvent.actor == "rules")
        assert conn.execute(raised).scalar() > 0  # the demo's own alert history is written by people, not "rules"
    assert first_run.start(empty_db.url) is None  # a database with parks starts nothing


def test_the_seed_process_writes_nothing_unless_told_to_go(migrated_db):
    out = subprocess.run([sys.executable, "-m", "dashboard.first_start"], input="stop\n", cwd=ROOT, text=True,
                         capture_output=True, env={**os.environ, "DATABASE_URL": migrated_db.url}, timeout=120)
    assert out.returncode == 0 and out.stdout == ""
    assert db.is_empty(migrated_db.engine)


def test_a_failed_seed_is_reported_on_the_page_and_tried_again(monkeypatch, migrated_db):
    failed = first_run.Seed(error="OperationalError: disk I/O error")
    failed.written.set()
    failed.done.set()
    monkeypatch.setitem(first_run._seeds, migrated_db.url, failed)
    monkeypatch.setattr(first_run, "start", lambda url: first_run._seeds.get(url))
    monkeypatch.setenv("DATABASE_URL", migrated_db.url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error[0].value.startswith("演示数据生成失败，数据库未写入任何内容。请刷新页面重试")
    assert "disk I/O error" in at.error[0].value
    assert migrated_db.url not in first_run._seeds  # the next page run starts a new seed


def test_the_sign_in_page_does_not_wait_for_another_writer(monkeypatch, demo_sqlite):
    """The first start's risk rules (or an import) hold SQLite's write lock; the sign-in page only reads, so it shows
    at once instead of after the lock is released (it took the lock to check for an admin before)."""
    holder = sqlite3.connect(demo_sqlite.url.removeprefix("sqlite:///"), timeout=1)
    holder.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setenv("DATABASE_URL", demo_sqlite.url)
        monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 1)  # a page that did wait would fail instead of hanging
        started = dt.datetime.now()
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value.endswith("登录") and at.button(key="auth_demo_demo_leader")
        assert (dt.datetime.now() - started).total_seconds() < 60
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_progress_line_says_how_far_and_what(lang):
    line = i18n.t("app.seeding_step", lang, step=first_run.stage_text("YQ-HTZ: rollups", lang), pct="75%")
    assert line.startswith("75%") and ("汇总" in line if lang == "zh" else "Rolling up" in line)
