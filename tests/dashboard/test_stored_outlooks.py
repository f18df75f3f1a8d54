"""Stored 2030 outlooks (issue 19.2): computed after a load by the command line, read by the pages, used exactly
when their inputs are unchanged."""

import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import select, update

from dashboard import outlook, stored_outlooks
from dashboard.indicators import INDICATORS
from data_access import db, queries
from data_access.models import StoredOutlook, Target
from data_access.scope import FULL_ACCESS
from tests.browser.conftest import ROOT


def _inputs(conn, park_code="YQ-HTZ"):
    parks = queries.load_parks(conn)
    park = parks[parks["code"] == park_code].iloc[0]
    factors = queries.load_emission_factors(conn)
    monthly, _ = stored_outlooks.park_monthly(conn, int(park["id"]), str(park["electricity_method"]), FULL_ACCESS, factors)
    period = queries.complete_month(queries.load_data_end(conn, park_id=int(park["id"])))
    return park, monthly, stored_outlooks.park_targets(conn, park, period, factors, monthly), period


def test_an_outlook_survives_the_store_unchanged(migrated_db_with_demo):
    with migrated_db_with_demo.engine.connect() as conn:
        _park, monthly, targets, period = _inputs(conn)
    for code in outlook.OUTLOOK_SERIES:
        o = outlook.compute_outlook(INDICATORS[code], monthly, targets, period=period)
        back = outlook.from_payload(outlook.to_payload(o))
        pd.testing.assert_series_equal(back.history, o.history, check_names=False)
        pd.testing.assert_frame_equal(back.fan, o.fan, check_names=False)
        assert back.fit == o.fit
        assert (back.probability, back.required_per_year, back.historical_per_year, back.value_2030, back.target) == \
            (o.probability, o.required_per_year, o.historical_per_year, o.value_2030, o.target)


def test_refresh_stores_every_outlook_and_the_page_reads_them_without_fitting(migrated_db_with_demo, monkeypatch):
    engine = migrated_db_with_demo.engine
    done = stored_outlooks.refresh(engine)
    assert {code: fitted for code, fitted, _ in done} == {"YQ-HTZ": 5, "DEMO-2": 5}
    with engine.connect() as conn:
        version = db.data_version(conn)
        rows = conn.execute(select(StoredOutlook.indicator, StoredOutlook.data_version)).all()
        _park, monthly, targets, period = _inputs(conn)
        live = {c: outlook.compute_outlook(INDICATORS[c], monthly, targets, period=period) for c in outlook.OUTLOOK_SERIES}
    assert len(rows) == 10 and {v for _, v in rows} == {version}  # stored with the version they came from
    assert stored_outlooks.refresh(engine) == [("YQ-HTZ", 0, 5), ("DEMO-2", 0, 5)]  # unchanged inputs: nothing refitted

    def no_fitting(*a, **k):
        raise AssertionError("the page fitted a model although the outlook was stored")

    monkeypatch.setattr(outlook, "outlook_from_inputs", no_fitting)
    with engine.connect() as conn:
        read = stored_outlooks.outlooks(conn, monthly, targets, period)
    for code, o in live.items():
        assert read[code].probability == o.probability and read[code].value_2030 == o.value_2030
        assert read[code].fan["upper"].iloc[-1] == pytest.approx(o.fan["upper"].iloc[-1])


def test_a_changed_target_refits_that_indicator_only_and_the_page_sees_the_new_one(migrated_db_with_demo):
    engine = migrated_db_with_demo.engine
    stored_outlooks.refresh(engine)
    with db.writing(engine) as conn:
        park_id = int(queries.load_parks(conn).set_index("code").loc["YQ-HTZ", "id"])
        conn.execute(update(Target).where(Target.park_id == park_id, Target.indicator == "green_power_share")
                     .values(value=0.99))
    with engine.connect() as conn:  # before the refresh: the page computes the new one itself, never the stale one
        _park, monthly, targets, period = _inputs(conn)
        before = stored_outlooks.outlooks(conn, monthly, targets, period)["green_power_share"]
    assert before.target == pytest.approx(0.99)
    assert stored_outlooks.refresh(engine, park_code="YQ-HTZ") == [("YQ-HTZ", 1, 4)]
    with engine.connect() as conn:
        assert stored_outlooks.outlooks(conn, monthly, targets, period)["green_power_share"].probability == before.probability


def test_every_load_through_the_command_line_refreshes_the_outlooks(migrated_db_with_demo):
    out = subprocess.run([sys.executable, "-m", "cli", "--database-url", migrated_db_with_demo.url, "risk-run", "--park", "DEMO-2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "DEMO-2: 5 outlooks fitted, 0 unchanged" in out.stdout
    again = subprocess.run([sys.executable, "-m", "cli", "--database-url", migrated_db_with_demo.url, "outlooks"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["YQ-HTZ: 5 outlooks fitted, 0 unchanged", "DEMO-2: 0 outlooks fitted, 5 unchanged"]


def test_an_upload_through_the_web_app_refreshes_them_in_its_own_process(migrated_db_with_demo, monkeypatch):
    monkeypatch.setenv("OUTLOOK_REFRESH", "background")
    proc = stored_outlooks.refresh_in_background(migrated_db_with_demo.url)
    assert proc.wait(timeout=300) == 0
    with migrated_db_with_demo.engine.connect() as conn:
        assert len(conn.execute(select(StoredOutlook.indicator)).scalars().all()) == 10
