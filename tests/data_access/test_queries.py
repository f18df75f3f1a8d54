"""Query functions agree with plain SQL over the stored rows."""

import datetime as dt

import pytest
from sqlalchemy import text

from dashboard.risk import count_open
from data_access import credit_queries, queries, risk_store
from data_access.scope import FULL_ACCESS
from tests.conftest import LAST_MONTH


def test_energy_monthly_matches_plain_sql(demo_db):
    with demo_db.engine.connect() as conn:
        df = queries.load_energy_monthly(conn, park_id=1, scope=FULL_ACCESS, start=dt.date(2025, 1, 1), end=LAST_MONTH)
        grid = {str(k)[:10]: v for k, v in conn.execute(text(
            "SELECT period, SUM(value) FROM energy_monthly WHERE park_id = 1 AND carrier = 'electricity_grid' "
            "AND period >= :a GROUP BY period"), {"a": dt.date(2025, 1, 1)}).all()}
    assert len(df) == 22
    assert df["period"].iloc[-1] == LAST_MONTH
    for row in df.itertuples():
        assert row.electricity_grid_kwh == pytest.approx(grid[row.period.isoformat()])
    assert df["metered"].iloc[-1] and not df["metered"].iloc[0]


def test_each_claimed_mwh_is_counted_once_across_kinds(demo_db):
    """Issue 16.6: the demo plants a certificate batch reported twice, a trade's bundled certificates reported again
    as certificates, and own PV whose certificates were sold. Every serial counts once, whatever kind claimed it."""
    with demo_db.engine.connect() as conn:
        dup = conn.execute(text(
            "SELECT reference, COUNT(*) FROM green_power_transaction WHERE kind = 'certificate' AND park_id = 1 "
            "GROUP BY reference HAVING COUNT(*) > 1")).all()
        assert len(dup) == 1
        # The demo's serial ranges are either identical or disjoint, so the distinct ranges are the distinct MWh.
        distinct_serials = conn.execute(text(
            "SELECT SUM(serial_end - serial_start + 1) FROM (SELECT DISTINCT serial_start, serial_end "
            "FROM green_power_transaction WHERE park_id = 1 AND serial_start IS NOT NULL AND kind <> 'own_sold') x")).scalar()
        without_serials = conn.execute(text(
            "SELECT SUM(m) FROM (SELECT reference, MAX(mwh) AS m FROM green_power_transaction "
            "WHERE park_id = 1 AND serial_start IS NULL GROUP BY kind, reference) x")).scalar()
        sold = conn.execute(text("SELECT SUM(mwh) FROM green_power_transaction WHERE park_id = 1 AND kind = 'own_sold'")).scalar()
        df = queries.load_green_transactions_monthly(conn, park_id=1)
        _, doubles = queries.load_green_claims(conn, park_id=1)
    assert df["certificate_mwh"].sum() + df["green_trade_mwh"].sum() == pytest.approx(float(distinct_serials) + float(without_serials))
    assert sold > 0 and df["own_sold_mwh"].sum() == pytest.approx(float(sold))
    assert sorted(doubles["first_kind"]) == ["certificate", "trade"]  # the batch sent twice; the bundled certificates
    assert doubles["reference"].str.endswith("-BUNDLED").sum() == 1


def test_counting_claims_by_serial_number():
    """Overlaps are cut by serial number, so a partly repeated range counts only its new serials."""
    import datetime as dt

    import pandas as pd

    m1, m2 = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    rows = pd.DataFrame([
        dict(id=1, enterprise_id=1, period=m1, kind="trade", mwh=100.0, reference="T1", serial_start=1, serial_end=100),
        dict(id=2, enterprise_id=1, period=m2, kind="certificate", mwh=50.0, reference="C1", serial_start=81, serial_end=130),
        dict(id=3, enterprise_id=2, period=m2, kind="certificate", mwh=10.0, reference="C2", serial_start=200, serial_end=209),
        dict(id=4, enterprise_id=2, period=m2, kind="trade", mwh=40.0, reference="T9", serial_start=None, serial_end=None),
        dict(id=5, enterprise_id=2, period=m2, kind="trade", mwh=40.0, reference="T9", serial_start=None, serial_end=None),
        dict(id=6, enterprise_id=3, period=m1, kind="own_sold", mwh=5.0, reference="S1", serial_start=300, serial_end=304),
    ])
    counted, doubles = queries.count_green_claims(rows)
    got = dict(zip(counted["id"], counted["counted_mwh"]))
    assert got == {1: 100.0, 2: 30.0, 3: 10.0, 4: 40.0, 5: 0.0, 6: 5.0}
    assert doubles[["reference", "mwh_claimed_before", "first_reference"]].values.tolist() == [["C1", 20.0, "T1"], ["T9", 40.0, "T9"]]


def test_credit_monthly_matches_plain_sql(demo_db):
    with demo_db.engine.connect() as conn:
        df = credit_queries.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS)
        expected = conn.execute(text(
            "SELECT SUM(s.balance), SUM(CASE WHEN s.status = 'npl' THEN s.balance ELSE 0 END) "
            "FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.park_id = 1 AND f.is_green = :t AND s.period = :p AND s.is_current = :t AND s.inst_type <> 'other'"),
            {"t": True, "p": LAST_MONTH}).one()
        leasing = conn.execute(text(
            "SELECT SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.park_id = 1 AND f.is_green = :t AND s.period = :p AND s.is_current = :t AND s.inst_type = 'other'"),
            {"t": True, "p": LAST_MONTH}).scalar()
    last = df.set_index("period").loc[LAST_MONTH]
    # Green loans are banks' (the leasing firms' green leasing is its own line, issue 16.7).
    assert last["green_balance"] == pytest.approx(float(expected[0]))
    assert leasing > 0 and last["green_nonbank_balance"] == pytest.approx(float(leasing))
    assert last["green_npl_balance"] == pytest.approx(float(expected[1]))
    assert last["green_balance"] < last["total_balance"]


def test_an_institution_sees_only_its_own_lending(demo_db):
    with demo_db.engine.connect() as conn:
        whole = credit_queries.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS).set_index("period")
        one = credit_queries.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS, institution_id=3).set_index("period")
        expected = conn.execute(text(
            "SELECT SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.park_id = 1 AND f.institution_id = 3 AND s.period = :p"), {"p": LAST_MONTH}).scalar()
    assert one.loc[LAST_MONTH, "total_balance"] == pytest.approx(float(expected))
    assert one.loc[LAST_MONTH, "total_balance"] < whole.loc[LAST_MONTH, "total_balance"]


def test_data_end_and_open_alerts(demo_db):
    with demo_db.engine.connect() as conn:
        ends = queries.load_data_end(conn, park_id=1)
        alerts = risk_store.load_alerts(conn, park_id=1, scope=FULL_ACCESS)
        expected = conn.execute(text(  # open at the end of October 2026, by the month each alert is about
            "SELECT COUNT(*) FROM risk_alert WHERE park_id = 1 AND period <= :p AND (closed_at IS NULL OR closed_at >= :n)"),
            {"p": dt.date(2026, 10, 1), "n": dt.datetime(2026, 11, 1)}).scalar()
    assert ends == {"energy": dt.date(2026, 10, 31), "credit": dt.date(2026, 10, 31)}
    assert count_open(alerts, dt.date(2026, 10, 1)) == expected > 0


def test_a_park_without_data_gives_empty_frames(migrated_db):
    with migrated_db.engine.connect() as conn:
        assert queries.load_energy_monthly(conn, park_id=42, scope=FULL_ACCESS).empty
        assert credit_queries.load_credit_monthly(conn, park_id=42, scope=FULL_ACCESS).empty
        assert queries.load_policy_tool_monthly(conn, park_id=42, scope=FULL_ACCESS).empty
        assert queries.load_data_end(conn, park_id=42) == {"energy": None, "credit": None}


def test_enterprise_energy_adds_up_to_the_park(demo_db):
    with demo_db.engine.connect() as conn:
        per_ent = queries.load_enterprise_energy_monthly(conn, park_id=1, scope=FULL_ACCESS)
        park = queries.load_energy_monthly(conn, park_id=1, scope=FULL_ACCESS).set_index("period")
    sums = per_ent.groupby("period")[["electricity_grid_kwh", "coal_t", "green_trade_mwh", "certificate_mwh"]].sum()
    for col in sums.columns:
        assert sums[col].to_numpy() == pytest.approx(park.loc[sums.index, col].to_numpy())


def test_hourly_park_rollup_equals_the_raw_readings_of_a_day(demo_db):
    day = dt.date(2026, 10, 15)
    with demo_db.engine.connect() as conn:
        assert queries.load_last_hourly_day(conn, park_id=1) == dt.date(2026, 10, 31)
        hourly = queries.load_park_hourly(conn, park_id=1, day=day)
        raw = conn.execute(text(
            "SELECT SUM(r.value) FROM meter_reading r JOIN meter m ON m.id = r.meter_id WHERE m.park_id = 1 "
            "AND m.carrier = 'electricity_own_renewable' AND r.ts >= :a AND r.ts < :b"),
            {"a": dt.datetime(2026, 10, 15), "b": dt.datetime(2026, 10, 16)}).scalar()
    assert len(hourly) == 24
    assert hourly["electricity_own_renewable_kwh"].sum() == pytest.approx(raw)
    assert hourly["electricity_own_renewable_kwh"].iloc[2] == 0  # no sun at 2 a.m.


def test_enterprise_queries_follow_the_scope(demo_db):
    from data_access.scope import Scope

    with demo_db.engine.connect() as conn:
        borrowers = set(conn.execute(text(
            "SELECT DISTINCT enterprise_id FROM credit_facility WHERE park_id = 1 AND institution_id = 14")).scalars())
        seen = set(queries.load_enterprises(conn, park_id=1, scope=Scope("institution_reporter", 14))["id"])
        energy_seen = set(queries.load_enterprise_energy_monthly(
            conn, park_id=1, scope=Scope("institution_reporter", 14))["enterprise_id"])
        loans = queries.load_enterprise_loans(conn, enterprise_id=min(borrowers), scope=Scope("institution_reporter", 14))
        other = conn.execute(text(
            "SELECT enterprise_id FROM credit_facility WHERE park_id = 1 AND enterprise_id NOT IN "
            "(SELECT enterprise_id FROM credit_facility WHERE institution_id = 14) LIMIT 1")).scalar()
        not_mine = queries.load_enterprise_loans(conn, enterprise_id=other, scope=Scope("institution_reporter", 14))
        public = queries.load_enterprises(conn, park_id=1, scope=Scope("publicity", publicity_safe=True))
    assert seen == borrowers and energy_seen <= borrowers
    assert not loans.empty and set(loans["institution"]) == {"农商行甲"}
    assert not_mine.empty and public.empty
