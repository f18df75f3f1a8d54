"""The 识别—研判—提示—反馈 loop: allowed steps, refused steps, nothing deleted, no duplicate open alerts."""

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from data_access import risk_store
from data_access.models import Institution, Park, RiskAlert, RiskAlertEvent


def _alert(key="rule:x:1", institution_id=1):
    return {"rule_code": "credit_npl", "severity": "high", "subject_kind": "institution", "subject_id": 1,
            "institution_id": institution_id, "period": dt.date(2026, 10, 1), "evidence": {"npl_loans": 2},
            "suggested_action": "核实", "dedup_key": key}


@pytest.fixture
def store(migrated_db):
    with migrated_db.engine.begin() as conn:
        conn.execute(insert(Park).values(id=1, code="P", name_zh="园区", name_en="Park", centre_lat=37.8, centre_lon=113.5))
        conn.execute(insert(Institution).values(id=1, code="B", name="银行", short_name="银行", inst_type="state_owned"))
        risk_store.record_alerts(conn, 1, [_alert()])
        alert_id = conn.execute(select(RiskAlert.id)).scalar_one()
    return migrated_db, alert_id


def test_the_shipped_rules_are_data(migrated_db):
    with migrated_db.engine.connect() as conn:
        rules = risk_store.load_rules(conn)
    assert len(rules) == 17
    assert set(rules["family"]) == {"greenwashing", "fake_zero", "concentration", "credit_quality", "fund_use", "trajectory", "data_quality",
                                    "climate"}
    assert rules.set_index("code").loc["concentration_institution", "params"] == {"max_share": 0.30}


def test_rerunning_does_not_duplicate_an_open_alert(store):
    database, _ = store
    with database.engine.begin() as conn:
        assert risk_store.record_alerts(conn, 1, [_alert(), _alert()]) == 0
        assert risk_store.record_alerts(conn, 1, [_alert(key="rule:x:2")]) == 1


def test_the_full_loop_records_every_step(store):
    database, alert_id = store
    with database.engine.begin() as conn:
        risk_store.transition(conn, alert_id, "assessed", actor="analyst", role="pboc_analyst", note="确认两笔不良")
        risk_store.transition(conn, alert_id, "alerted", actor="analyst", role="pboc_analyst")
        risk_store.transition(conn, alert_id, "feedback", actor="bank", role="institution_reporter", note="已制定处置方案",
                              institution_id=1)
        risk_store.transition(conn, alert_id, "closed", actor="analyst", role="pboc_analyst")
        history = risk_store.load_alert_history(conn, alert_id)
        closed_at = conn.execute(select(RiskAlert.closed_at)).scalar_one()
    assert history["to_state"].tolist() == ["identified", "assessed", "alerted", "feedback", "closed"]
    assert history["actor"].tolist() == ["rules", "analyst", "analyst", "bank", "analyst"]
    assert closed_at is not None
    # A closed alert no longer blocks a new one with the same key.
    with database.engine.begin() as conn:
        assert risk_store.record_alerts(conn, 1, [_alert()]) == 1


@pytest.mark.parametrize(("steps", "bad_step", "message"), [
    ([], ("closed", "pboc_analyst", None, None), "cannot become closed"),  # closing without feedback
    ([], ("assessed", "pboc_analyst", "", None), "needs a note"),
    ([], ("dismissed", "pboc_analyst", None, None), "needs a note"),
    ([], ("assessed", "leader", "看过", None), "may not move"),
    ([("assessed", "pboc_analyst", "研判", None), ("alerted", "pboc_analyst", None, None)],
     ("feedback", "institution_reporter", "回复", 2), "its own institution"),
    ([("assessed", "pboc_analyst", "研判", None), ("alerted", "pboc_analyst", None, None)],
     ("dismissed", "pboc_analyst", "无风险", None), "cannot become dismissed"),
])
def test_refused_steps_change_nothing(store, steps, bad_step, message):
    database, alert_id = store
    with database.engine.begin() as conn:
        for to, role, note, inst in steps:
            risk_store.transition(conn, alert_id, to, actor="a", role=role, note=note, institution_id=inst)
    with database.engine.connect() as conn:
        before = (conn.execute(select(RiskAlert.state)).scalar_one(), conn.execute(select(func.count()).select_from(RiskAlertEvent)).scalar_one())
    to, role, note, inst = bad_step
    with pytest.raises(risk_store.LoopError, match=message), database.engine.begin() as conn:
        risk_store.transition(conn, alert_id, to, actor="a", role=role, note=note, institution_id=inst)
    with database.engine.connect() as conn:
        after = (conn.execute(select(RiskAlert.state)).scalar_one(), conn.execute(select(func.count()).select_from(RiskAlertEvent)).scalar_one())
    assert after == before


def test_dismissal_with_a_reason_is_final_and_kept(store):
    database, alert_id = store
    with database.engine.begin() as conn:
        risk_store.transition(conn, alert_id, "dismissed", actor="analyst", role="pboc_analyst", note="已结清，误报")
        with pytest.raises(risk_store.LoopError):
            risk_store.transition(conn, alert_id, "assessed", actor="analyst", role="pboc_analyst", note="x")
        assert conn.execute(select(func.count()).select_from(RiskAlert)).scalar_one() == 1
