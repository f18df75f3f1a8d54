"""The demo data set: fictitious, deterministic and shaped like a park on its way to zero carbon."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from data_access import demo, taxonomy as tx
from data_access.models import CreditSnapshot, Enterprise, Institution, Park
from data_access.uscc import is_valid_uscc
from tests.conftest import LAST_MONTH, TODAY


def _yearly_energy(conn, park_id: int) -> pd.DataFrame:
    rows = conn.execute(text(
        "SELECT period, carrier, SUM(value) AS v FROM energy_monthly WHERE park_id = :p GROUP BY period, carrier"),
        {"p": park_id}).all()
    df = pd.DataFrame(rows, columns=["period", "carrier", "v"])
    df["year"] = pd.to_datetime(df["period"]).dt.year
    df["month"] = pd.to_datetime(df["period"]).dt.month
    return df


def test_two_parks_with_every_kind_of_data(demo_db):
    with demo_db.engine.connect() as conn:
        parks = conn.execute(select(Park.code, Park.is_demo)).all()
        assert {p.code for p in parks} == {"YQ-HTZ", "DEMO-2"}
        assert all(p.is_demo for p in parks)
        counts = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t} WHERE park_id = 2")).scalar()
                  for t in ("enterprise", "credit_facility", "energy_monthly", "project", "target", "task", "risk_alert")}
        assert all(n > 0 for n in counts.values()), counts
        assert conn.execute(select(func.count()).select_from(Enterprise).where(Enterprise.park_id == 1)).scalar() == 150


def test_institutions_cover_all_types_with_fictitious_names(demo_db):
    with demo_db.engine.connect() as conn:
        insts = conn.execute(select(Institution.name, Institution.inst_type)).all()
    assert len(insts) == 18
    assert {i.inst_type for i in insts} == set(tx.INSTITUTION_TYPES)
    assert all(any(s in i.name for s in demo.SERIALS) for i in insts)


def test_enterprises_have_valid_codes_and_demo_names(demo_db):
    with demo_db.engine.connect() as conn:
        ents = conn.execute(select(Enterprise.uscc, Enterprise.name, Enterprise.sector)).all()
    assert all(is_valid_uscc(e.uscc) for e in ents)
    assert all("示例" in e.name for e in ents)
    assert len({e.name for e in ents}) == len(ents)
    assert {e.sector for e in ents} == set(tx.SECTORS)


def test_data_runs_to_the_last_full_month(demo_db):
    with demo_db.engine.connect() as conn:
        assert pd.Timestamp(conn.execute(select(func.max(CreditSnapshot.period))).scalar()).date() == LAST_MONTH
        last_day = conn.execute(text("SELECT MAX(day) FROM energy_daily")).scalar()
        assert str(last_day)[:10] == "2026-10-31"
        first_credit = conn.execute(select(func.min(CreditSnapshot.period))).scalar()
        assert str(first_credit)[:7] == "2021-01"


def test_green_power_share_rises_and_coal_falls(demo_db):
    with demo_db.engine.connect() as conn:
        df = _yearly_energy(conn, 1)
        trades = pd.DataFrame(conn.execute(text(
            "SELECT period, SUM(mwh) FROM green_power_transaction WHERE park_id = 1 GROUP BY period")).all(),
            columns=["period", "mwh"])
    trades["year"] = pd.to_datetime(trades["period"]).dt.year
    full = df[df["year"].between(2021, 2025)]
    elec = full[full["carrier"].str.startswith("electricity")].groupby("year")["v"].sum()
    own_direct = full[full["carrier"].isin(["electricity_own_renewable", "electricity_direct_green"])].groupby("year")["v"].sum()
    market = trades[trades["year"].between(2021, 2025)].groupby("year")["mwh"].sum().reindex(elec.index, fill_value=0) * 1000
    share = (own_direct + market) / elec
    assert share.is_monotonic_increasing
    assert 0.02 < share[2021] < 0.10 and 0.2 < share[2025] < 0.45
    coal = full[full["carrier"] == "coal"].groupby("year")["v"].sum()
    assert coal[2025] < coal[2022] * 0.95


def test_solar_is_seasonal(demo_db):
    with demo_db.engine.connect() as conn:
        df = _yearly_energy(conn, 1)
    pv = df[(df["carrier"] == "electricity_own_renewable") & (df["year"] == 2024)].set_index("month")["v"]
    assert pv[6] > 1.5 * pv[12]


def test_problem_loans_and_a_type_change_exist(demo_db):
    with demo_db.engine.connect() as conn:
        statuses = {r[0] for r in conn.execute(select(CreditSnapshot.status).distinct())}
        assert {"normal", "overdue", "npl"} <= statuses
        types = conn.execute(text(
            "SELECT DISTINCT s.inst_type FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "JOIN institution i ON i.id = f.institution_id WHERE i.code = 'PL-2'")).scalars().all()
        assert set(types) == {"local_legal", "provincial_legal"}


def test_hourly_readings_sum_to_the_monthly_rollup(demo_db):
    with demo_db.engine.connect() as conn:
        raw = conn.execute(text(
            "SELECT m.carrier, SUM(r.value) FROM meter_reading r JOIN meter m ON m.id = r.meter_id "
            "WHERE m.park_id = 1 AND r.ts >= :a AND r.ts < :b GROUP BY m.carrier"),
            {"a": dt.datetime(2026, 10, 1), "b": dt.datetime(2026, 11, 1)}).all()
        rolled = dict(conn.execute(text(
            "SELECT carrier, SUM(value) FROM energy_monthly WHERE park_id = 1 AND period = :p GROUP BY carrier"),
            {"p": dt.date(2026, 10, 1)}).all())
    assert len(raw) == 6
    for carrier, value in raw:
        assert rolled[carrier] == pytest.approx(value, rel=1e-9)


def test_monthly_history_does_not_depend_on_hourly_months(tmp_path):
    """The same month has the same designed totals whether or not it gets hourly readings."""
    ents = demo.build_enterprises(demo.PARKS[0])
    months = demo.month_range(demo.HISTORY_START, demo.last_full_month(TODAY))
    short = demo.monthly_energy(ents, months[:40])
    full = demo.monthly_energy(ents, months)
    for key in short:
        assert (short[key] == full[key][:40]).all()


def test_seeding_twice_is_refused(demo_db):
    with pytest.raises(RuntimeError, match="already holds parks"):
        demo.seed_demo(demo_db.engine, today=TODAY, hourly_months=0)


def test_scale_sizes_keep_the_demo_park_first_and_share_the_rest():
    from benchmarks.scale_data import SIZES, park_specs

    for size, (n_parks, n_ents, _) in SIZES.items():
        specs = park_specs(size)
        assert len(specs) == n_parks and sum(p.n_enterprises for p in specs) == n_ents
        assert specs[0] == demo.PARKS[0]  # pages open the same park at every size
        assert len({p.code for p in specs}) == n_parks and len({p.purpose for p in specs}) == n_parks
        # ids of park k's rows start at 1000 k: a park's meters (about 2.6 per enterprise) must stay below that
        assert max(p.n_enterprises for p in specs) * 4 < 1000


def test_scale_data_reads_only_the_grid_meters_hourly(migrated_db):
    from benchmarks.scale_data import HOURLY_CARRIERS

    small = (dataclasses.replace(demo.PARKS[0], n_enterprises=12), dataclasses.replace(
        demo.PARKS[0], code="SCALE-01", name_zh="规模测试园区01", name_en="Scale test park 01", n_enterprises=10, purpose=1000))
    demo.seed_demo(migrated_db.engine, today=TODAY, hourly_months=1, parks=small, hourly_carriers=HOURLY_CARRIERS)
    with migrated_db.engine.connect() as conn:
        read = conn.execute(text("SELECT DISTINCT m.carrier FROM meter_reading r JOIN meter m ON m.id = r.meter_id")).scalars().all()
        sources = dict(conn.execute(text(
            "SELECT carrier, MIN(source) FROM energy_monthly WHERE period = :p GROUP BY carrier"), {"p": LAST_MONTH}).all())
        n = conn.execute(text("SELECT COUNT(*) FROM meter_reading")).scalar_one()
        n_ents = conn.execute(text("SELECT COUNT(*) FROM enterprise")).scalar_one()
    assert read == ["electricity_grid"]
    assert n == n_ents * 31 * 24  # one grid meter per enterprise, every hour of October
    assert sources.pop("electricity_grid") == "meter" and set(sources.values()) == {"report"}


def test_demo_green_share_and_tool_use_look_like_a_real_park(demo_db):
    """Issue 16.9: green loans were 76.7 % of all park lending and policy-tool use exactly 80 % everywhere."""
    with demo_db.engine.connect() as conn:
        green, total = conn.execute(text(
            "SELECT SUM(CASE WHEN f.is_green = :t THEN s.balance ELSE 0 END), SUM(s.balance) FROM credit_snapshot s "
            "JOIN credit_facility f ON f.id = s.facility_id WHERE f.park_id = 1 AND s.is_current = :t AND s.period = :p "
            "AND s.inst_type <> 'other'"), {"t": True, "p": LAST_MONTH}).one()
        use = conn.execute(text(
            "SELECT institution_id, period, SUM(loan_amount) / SUM(eligible_amount) FROM policy_tool_use "
            "WHERE park_id = 1 AND is_current = :t GROUP BY institution_id, period"), {"t": True}).all()
    assert 0.25 <= float(green) / float(total) <= 0.35  # national ~16 %, Huzhou 33.9 %
    rates = pd.DataFrame(use, columns=["institution", "period", "rate"]).astype({"rate": float})
    by_inst = rates.groupby("institution")["rate"].mean()
    assert by_inst.max() - by_inst.min() > 0.15  # institutions differ
    assert rates.groupby("institution")["rate"].std().max() > 0.03  # and months differ
    assert rates["rate"].between(0.3, 1.0).all()


def test_no_demo_project_stands_past_a_node_it_has_not_passed(demo_db):
    """A project at 运营 must not show an overdue 开工建设 (issue 17): each open node belongs to a later stage."""
    order = {s: i for i, s in enumerate(tx.PROJECT_STAGES)}
    with demo_db.engine.connect() as conn:
        rows = conn.execute(text("SELECT p.code, p.stage, m.name FROM project p JOIN milestone m ON m.project_id = p.id "
                                 "WHERE m.status <> 'done'")).all()
    assert rows  # the demo has open nodes, some overdue
    wrong = [r for r in rows if order[demo.MILESTONE_STAGE[r.name]] < order[r.stage]
             or (order[demo.MILESTONE_STAGE[r.name]] == order[r.stage] and r.name != "主体完工")]
    assert wrong == []


def test_sources_the_demo_shows_are_named_documents_not_web_pages(demo_db):
    """Users read the library's and the targets' sources: an official notice by name and date, never a news aggregator's
    address (facts.md §4; issue 17)."""
    with demo_db.engine.connect() as conn:
        sources = conn.execute(text("SELECT source FROM library_item UNION ALL SELECT source FROM target")).scalars().all()
    assert [s for s in sources if s and ("http" in s or "www." in s)] == []
    assert "中国人民银行，2021-11-08 推出碳减排支持工具" in sources


def test_demo_loan_rates_follow_the_lpr_path_in_the_reference_data():
    """The one-year LPR is reference data with a source per row, not numbers in the generator (issue 18)."""
    from data_access import reference
    from data_access.demo.finance import lpr_1y

    rates = reference.market_rates()
    assert (rates["source"].str.len() > 0).all() and set(rates["status"]) == {"unconfirmed"}
    assert lpr_1y(dt.date(2020, 1, 1)) == 3.85  # before the first row: the first rate
    assert lpr_1y(dt.date(2024, 10, 20)) == 3.35 and lpr_1y(dt.date(2024, 10, 21)) == 3.10
    assert lpr_1y(dt.date(2026, 11, 30)) == 3.00
