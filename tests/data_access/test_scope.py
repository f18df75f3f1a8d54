"""Data separation happens in the query layer: a reporter's scope never returns another institution's rows,
and publicity-safe mode never returns an aggregate over fewer than the minimum group."""

import datetime as dt
import inspect

import pytest
from sqlalchemy import text

from dashboard.risk import count_open
from data_access import credit_queries, queries, risk_store
from data_access.scope import FULL_ACCESS, MIN_GROUP_SIZE, MIN_INSTITUTIONS, Scope

AS_OF = dt.datetime(2026, 10, 31, 23, 59)


def reporter(inst_id: int) -> Scope:
    return Scope("institution_reporter", inst_id)


def test_every_institution_level_query_requires_a_scope():
    for module, name in ((credit_queries, "load_credit_monthly"), (queries, "load_policy_tool_monthly"), (queries, "load_energy_monthly")):
        param = inspect.signature(getattr(module, name)).parameters["scope"]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is inspect.Parameter.empty, name


def test_reporter_sees_only_its_own_credit(demo_db):
    with demo_db.engine.connect() as conn:
        own = credit_queries.load_credit_monthly(conn, park_id=1, scope=reporter(3)).set_index("period")
        asked_other = credit_queries.load_credit_monthly(conn, park_id=1, scope=reporter(3), institution_id=4)
        expected = conn.execute(text(
            "SELECT SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.park_id = 1 AND f.institution_id = 3 AND s.period = :p"), {"p": dt.date(2026, 10, 1)}).scalar()
    assert own.loc[dt.date(2026, 10, 1), "total_balance"] == pytest.approx(float(expected))
    assert asked_other.empty


def test_reporter_sees_only_its_own_policy_tools_and_alerts(demo_db):
    with demo_db.engine.connect() as conn:
        inst_with_tools = conn.execute(text("SELECT institution_id FROM policy_tool_use WHERE park_id = 1 LIMIT 1")).scalar()
        own_tools = queries.load_policy_tool_monthly(conn, park_id=1, scope=reporter(inst_with_tools))
        all_tools = queries.load_policy_tool_monthly(conn, park_id=1, scope=FULL_ACCESS)
        expected_tools = conn.execute(text("SELECT SUM(loan_amount) FROM policy_tool_use WHERE park_id = 1 AND institution_id = :i"),
                                      {"i": inst_with_tools}).scalar()
        alert_inst = conn.execute(text("SELECT institution_id FROM risk_alert WHERE institution_id IS NOT NULL AND park_id = 1 "
                                       "AND closed_at IS NULL LIMIT 1")).scalar()
        own_alerts = risk_store.load_alerts(conn, park_id=1, scope=reporter(alert_inst))
        expected_alerts = conn.execute(text(
            "SELECT COUNT(*) FROM risk_alert WHERE park_id = 1 AND institution_id = :i AND period <= :p "
            "AND (closed_at IS NULL OR closed_at >= :n)"), {"i": alert_inst, "p": dt.date(2026, 10, 1), "n": dt.datetime(2026, 11, 1)}).scalar()
        no_alerts = risk_store.load_alerts(conn, park_id=1, scope=reporter(9999))
    assert own_tools["loan_amount"].sum() == pytest.approx(float(expected_tools))
    assert own_tools["loan_amount"].sum() < all_tools["loan_amount"].sum()
    assert count_open(own_alerts, AS_OF.date()) == expected_alerts > 0
    assert set(own_alerts["institution_id"]) == {alert_inst}
    assert no_alerts.empty


def test_a_reporter_scope_without_institution_is_impossible():
    with pytest.raises(ValueError, match="needs its institution"):
        Scope("institution_reporter")


def test_publicity_mode_leaves_out_small_groups(demo_db):
    safe = Scope("publicity", publicity_safe=True)
    with demo_db.engine.connect() as conn:
        # In the small second park institution 7 lends to at most four enterprises: every month is withheld.
        small = credit_queries.load_credit_monthly(conn, park_id=2, scope=FULL_ACCESS, institution_id=7)
        small_safe = credit_queries.load_credit_monthly(conn, park_id=2, scope=Scope("leader", publicity_safe=True), institution_id=7)
        credit = credit_queries.load_credit_monthly(conn, park_id=1, scope=safe)
        tools = queries.load_policy_tool_monthly(conn, park_id=1, scope=safe)
        energy = queries.load_energy_monthly(conn, park_id=2, scope=safe)
    assert (credit["n_borrowers"] >= MIN_GROUP_SIZE).all() and not credit.empty
    assert (tools["n_institutions"] >= MIN_INSTITUTIONS).all()
    assert (energy["n_enterprises"] >= MIN_GROUP_SIZE).all()
    assert not small.empty and small["n_borrowers"].max() < MIN_GROUP_SIZE
    assert small_safe.empty
