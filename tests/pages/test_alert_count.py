"""One open-alert count everywhere (issue 17): the overview KPI, the risk page, the big screen's KPI and chart,
the gallery chart and the briefing's §四 list all say the same number, by one definition (open at the end of the
period, by the month the alert is about); and the database keeps one open alert per rule and subject."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from dashboard import briefing, publication
from dashboard.risk import count_open
from data_access import risk_store
from data_access.models import RiskAlert
from data_access.scope import FULL_ACCESS
from tests.pages.test_pages import kpi_values, sign_in

PERIOD = dt.date(2026, 10, 1)


def test_every_view_shows_the_same_open_alert_count(monkeypatch, demo_sqlite):
    with demo_sqlite.engine.connect() as conn:
        expected = conn.execute(text(  # the definition, in SQL
            "SELECT COUNT(*) FROM risk_alert WHERE park_id = 1 AND period <= :p AND (closed_at IS NULL OR closed_at >= :n)"),
            {"p": PERIOD, "n": dt.datetime(2026, 11, 1)}).scalar()
        assert count_open(risk_store.load_alerts(conn, park_id=1, scope=FULL_ACCESS), PERIOD) == expected > 0
        bundle = publication.gather(conn, park_id=1, period=PERIOD, scope=FULL_ACCESS)
    assert bundle.alerts_now == expected
    assert publication.headline(bundle)["open_alerts"] == expected  # the big screen's KPI and the briefing's sentence
    risk_chart = publication.build_charts(bundle, "zh", codes=("risk",))["risk"]  # big screen and gallery
    assert f"{expected}条未办结" in risk_chart.layout.title.text
    assert len(briefing.compose(bundle, "zh")["open_alerts"]) == expected  # briefing §四

    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    assert re.sub(r"\D", "", kpi_values(at)["open_alerts"]) == str(expected)
    at.switch_page("pages/risk.py").run()
    [metric] = [m.value for m in at.metric if m.label == "期末未办结预警"]
    assert metric == f"{expected} 条"


def test_the_database_keeps_one_open_alert_per_rule_and_subject(migrated_db_with_demo):
    engine = migrated_db_with_demo.engine
    with engine.connect() as conn:
        row = conn.execute(text("SELECT park_id, rule_code, severity, subject_kind, subject_id, dedup_key FROM risk_alert "
                                "WHERE state = 'identified' LIMIT 1")).mappings().one()
    twin = dict(row, period=PERIOD, evidence={}, state="identified")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(RiskAlert).values(**twin))
    with engine.begin() as conn:  # a closed one with the same key is history, and allowed
        conn.execute(insert(RiskAlert).values(**dict(twin, state="closed", closed_at=dt.datetime(2026, 10, 20))))
