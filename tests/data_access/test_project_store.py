"""Projects and the whitelist against the database (both backends): what a project has secured, edits with
their audit trail, and a whitelist version that is written whole or not at all."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from data_access import project_store, whitelist_store
from data_access.scope import FULL_ACCESS
from data_access.models import (
    AuditLog,
    CreditFacility,
    DirectFinancing,
    Enterprise,
    Institution,
    Milestone,
    Park,
    Project,
    WhitelistEntry,
    WhitelistVersion,
)


@pytest.fixture
def book(migrated_db):
    """One park, two banks, two enterprises, two projects. P1 (need 8,000 万元): loans 3,000 + 1,500 from two
    banks, a green bond of 1,000, a leasing contract of 500 -> secured 6,000, gap 2,000; a milestone overdue since
    2026-06-30 and one planned for 2027. P2: nothing secured yet."""
    with migrated_db.engine.begin() as conn:
        conn.execute(insert(Park).values(id=1, code="T", name_zh="测试园区", name_en="Test", centre_lat=37.8, centre_lon=113.5))
        conn.execute(insert(Enterprise), [
            dict(id=1, park_id=1, uscc="91350200776049653A", name="甲", sector="equipment", enterprise_class="green_low_carbon"),
            dict(id=2, park_id=1, uscc="91350500798359476R", name="乙", sector="equipment", enterprise_class="high_carbon_industrial")])
        conn.execute(insert(Institution), [dict(id=1, code="A", name="银行A", short_name="A行", inst_type="state_owned"),
                                           dict(id=2, code="B", name="银行B", short_name="B行", inst_type="joint_stock")])
        conn.execute(insert(Project), [
            dict(id=1, park_id=1, code="T-P01", name="光伏", enterprise_id=1, category="power_heat", stage="construction",
                 investment=10_000, financing_need=8_000, lead_bank_id=1, start_date=dt.date(2025, 1, 1),
                 planned_completion=dt.date(2027, 6, 30)),
            dict(id=2, park_id=1, code="T-P02", name="储能", enterprise_id=2, category="power_heat", stage="planning",
                 investment=4_000, financing_need=3_000, lead_bank_id=None, start_date=None, planned_completion=None)])
        conn.execute(insert(CreditFacility), [
            dict(id=i, park_id=1, institution_id=inst, enterprise_id=1, project_id=1, contract_no=f"C{i}", product_line="new_power_system",
                 is_green=True, start_date=dt.date(2025, 3, 1), maturity_date=dt.date(2035, 3, 1), amount=amt, rate=3.0,
                 collateral_type="equipment") for i, inst, amt in ((1, 1, 3_000), (2, 2, 1_500))])
        conn.execute(insert(DirectFinancing), [
            dict(park_id=1, enterprise_id=1, project_id=1, institution_id=1, instrument="green_bond", name="债", issue_date=dt.date(2025, 6, 1), amount=1_000),
            dict(park_id=1, enterprise_id=1, project_id=1, institution_id=2, instrument="financial_leasing", name="租", issue_date=dt.date(2025, 7, 1), amount=500)])
        conn.execute(insert(Milestone), [
            dict(project_id=1, name="开工建设", planned_date=dt.date(2025, 3, 1), actual_date=dt.date(2025, 3, 10), status="done"),
            dict(project_id=1, name="主体完工", planned_date=dt.date(2026, 6, 30), actual_date=None, status="overdue"),
            dict(project_id=1, name="投产运营", planned_date=dt.date(2027, 6, 30), actual_date=None, status="planned")])
        if conn.dialect.name == "postgresql":  # rows were given ids: move the sequences past them, as the demo seed does
            from data_access.demo import reset_sequences

            reset_sequences(conn)
    return migrated_db


def test_what_each_project_has_secured(book):
    with book.engine.connect() as conn:
        df = project_store.load_projects(conn, park_id=1, today=dt.date(2026, 10, 31)).set_index("code")
    p1 = df.loc["T-P01"]
    assert (p1["loans"], p1["bonds"], p1["funds"], p1["leasing"]) == (4_500, 1_000, 0, 500)
    assert (p1["lead_bank"], p1["next_milestone"], p1["next_date"], p1["overdue_milestones"]) == ("A行", "主体完工", dt.date(2026, 6, 30), 1)
    assert df.loc["T-P02", ["loans", "bonds", "leasing"]].tolist() == [0, 0, 0] and pd.isna(df.loc["T-P02", "lead_bank"])
    from dashboard.projects import compute_funding

    funded = compute_funding(df.reset_index()).set_index("code")
    assert funded.loc["T-P01", "gap"] == 2_000 and funded.loc["T-P02", "gap"] == 3_000


def test_edits_are_logged_as_the_project_history(book):
    with book.engine.begin() as conn:
        project_store.set_stage(conn, project_id=2, stage="approved", actor="committee1", note="立项批复已下达")
    with book.engine.begin() as conn:
        project_store.assign_lead_bank(conn, project_id=2, institution_id=2, actor="committee1")
    with book.engine.begin() as conn:
        project_store.record_milestone(conn, project_id=1, name="主体完工", planned_date=dt.date(2026, 6, 30),
                                       actual_date=dt.date(2026, 9, 15), actor="committee1")
    with book.engine.begin() as conn:
        pid = project_store.add_project(conn, park_id=1, actor="committee1", values=dict(
            name="换电站", category="green_transport", stage="planning", investment=2_000.0, financing_need=1_200.0, lead_bank_id=1,
            expected_reduction_t=800.0, start_date=dt.date(2027, 1, 1), planned_completion=dt.date(2027, 12, 31)))
    with book.engine.connect() as conn:
        p2 = conn.execute(select(Project.stage, Project.lead_bank_id).where(Project.id == 2)).one()
        done = conn.execute(select(Milestone.status, Milestone.actual_date).where(Milestone.project_id == 1, Milestone.name == "主体完工")).one()
        history = project_store.load_history(conn, project_id=2)
        new = conn.execute(select(Project.code).where(Project.id == pid)).scalar_one()
        n_audit = conn.execute(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "project")).scalar_one()
    assert tuple(p2) == ("approved", 2) and tuple(done) == ("done", dt.date(2026, 9, 15))
    assert history["action"].tolist() == ["lead_bank_assigned", "stage_changed"]
    assert history["actor"].tolist() == ["committee1", "committee1"]
    assert history["detail"].iloc[1] == {"from": "planning", "to": "approved", "note": "立项批复已下达"}
    assert new == "T-P03" and n_audit == 4


def test_a_database_check_refuses_what_slipped_past_the_page(book):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), book.engine.begin() as conn:
        project_store.add_project(conn, park_id=1, actor="x", values=dict(name="坏", category="power_heat", stage="planning",
                                                                          investment=-1.0, financing_need=0.0))
    with book.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Project)).scalar_one() == 2
        assert conn.execute(select(func.count()).select_from(AuditLog)).scalar_one() == 0  # the log entry went with it


def test_whitelist_version_is_written_whole_or_not_at_all(book):
    entries = pd.DataFrame([
        dict(enterprise_id=1, listed=True, action="added", score=72.5, score_parts={"credit_compliance": 25.0}, reason=None),
        dict(enterprise_id=2, listed=False, action="removed", score=41.0, score_parts={"credit_compliance": 5.0}, reason="  ")])
    with pytest.raises(whitelist_store.WhitelistError, match="removal needs a reason: enterprises 2"), book.engine.begin() as conn:
        whitelist_store.save_version(conn, park_id=1, entries=entries, effective_date=dt.date(2026, 12, 1), document_no="文1",
                                     min_score=60, actor="c")
    with book.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(WhitelistVersion)).scalar_one() == 0
    entries.loc[1, "reason"] = "发生环境违法处罚"
    with book.engine.begin() as conn:
        vid = whitelist_store.save_version(conn, park_id=1, entries=entries, effective_date=dt.date(2026, 12, 1), document_no="文1",
                                           min_score=60, actor="c")
    with book.engine.connect() as conn:
        versions = whitelist_store.load_versions(conn, park_id=1)
        saved = whitelist_store.load_entries(conn, version_id=vid)
        assert conn.execute(select(func.count()).select_from(WhitelistEntry)).scalar_one() == 2
    assert versions[["version", "listed", "min_score"]].values.tolist() == [[1, 1, 60.0]]
    assert saved.set_index("enterprise_id").loc[2, "reason"] == "发生环境违法处罚"


def test_library_search_finds_across_kinds(demo_db):
    with demo_db.engine.connect() as conn:
        found = whitelist_store.search_library(conn, park_id=1, scope=FULL_ACCESS, query="光伏")
        both = whitelist_store.search_library(conn, park_id=1, scope=FULL_ACCESS, query="碳减排 再贷款")
        none = whitelist_store.search_library(conn, park_id=1, scope=FULL_ACCESS, query="%碳减排")
    assert {"product", "project", "case"} <= set(found["kind"])
    assert both["title"].tolist() == ["碳减排支持工具"]  # every word must appear
    assert none.empty  # "%" is searched for literally, not as a wildcard
