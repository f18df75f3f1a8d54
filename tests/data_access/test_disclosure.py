"""Issue 22, items 5 and 6: what the query layer gives a publicity-safe scope and an institution reporter.

Item 5: publicity-safe mode never returns one institution, and no credit, policy-tool, direct-financing or task
aggregate resting on fewer than MIN_INSTITUTIONS institutions (or MIN_GROUP_SIZE enterprises); the groups left
out may not be recovered as a published total minus the published groups. Item 6: the resource library shows a
reporter public enterprise profiles and its own borrowers (credit codes of its own borrowers only) and the
projects its bank is on, never every project's financing gap.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import bindparam, text

from data_access import credit_queries as cq, project_store, queries, whitelist_store
from data_access.scope import FULL_ACCESS, MIN_GROUP_SIZE, MIN_INSTITUTIONS, Scope
from data_access.taxonomy import BANK_TYPES
from tests.conftest import LAST_MONTH

PUBLICITY = Scope("publicity", publicity_safe=True)
LEADER_SAFE = Scope("leader", publicity_safe=True)  # any role with the sidebar switch on
NONE = "~"
BANKS = ", ".join(f"'{t}'" for t in BANK_TYPES)
GROUP_COLUMNS = {"inst_type": "s.inst_type", "product_line": "f.product_line", "carbon_product": "f.carbon_product",
                 "enterprise_class": "e.enterprise_class", "policy_tool": "f.policy_tool", "total": "'total'"}


def _raw_counts(conn, park_id: int, by: str, period: dt.date, inst_type: str | None = None) -> pd.DataFrame:
    """Banks and borrowers with a loan balance per group at a month end, straight from the snapshot table."""
    col = GROUP_COLUMNS[by]
    where = f"AND s.inst_type = '{inst_type}'" if inst_type else ""
    rows = conn.execute(text(
        f"SELECT {col} AS grp, COUNT(DISTINCT f.institution_id) AS n_inst, COUNT(DISTINCT f.enterprise_id) AS n_ent, "
        f"SUM(CASE WHEN f.is_green THEN s.balance ELSE 0 END) AS green "
        f"FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id JOIN enterprise e ON e.id = f.enterprise_id "
        f"WHERE f.park_id = :park AND s.is_current AND s.period = :p AND s.balance > 0 AND s.inst_type IN ({BANKS}) {where} "
        f"{'' if by == 'total' else f'GROUP BY {col}'}"), {"park": park_id, "p": period}).all()
    df = pd.DataFrame(rows, columns=["group", "n_inst", "n_ent", "green"])
    df["group"] = df["group"].fillna(NONE)  # loans without a carbon product or policy tool are a group too
    df["green"] = df["green"].astype(float)
    return df.set_index("group")


# ------------------------------------------------------------------ item 5: publicity never sees one institution

def test_publicity_gets_no_institution_level_credit(demo_db):
    """As 宣传平台, 绿色金融 drilled to a type listed its banks by internal id ("2 | 41.9 亿元 | 95.2 %")."""
    with demo_db.engine.connect() as conn:
        by_inst = cq.load_credit_by(conn, park_id=1, scope=PUBLICITY, by="institution")
        by_inst_in_type = cq.load_credit_by(conn, park_id=1, scope=PUBLICITY, by="institution", inst_type="state_owned")
        one_bank = cq.load_credit_by(conn, park_id=1, scope=LEADER_SAFE, by="total", institution_id=3)
        one_bank_lines = cq.load_credit_by(conn, park_id=1, scope=LEADER_SAFE, by="product_line", institution_id=3)
        monthly_one = cq.load_credit_monthly(conn, park_id=1, scope=PUBLICITY, institution_id=3)
        moved = cq.load_reclassifications(conn, park_id=1, scope=PUBLICITY)
        projects = cq.load_institution_projects(conn, park_id=1, scope=PUBLICITY, institution_id=9)
        alerts = cq.load_alerts_about(conn, park_id=1, scope=PUBLICITY, institution_id=9)
        tools = cq.load_policy_tools_by_institution(conn, park_id=1, scope=PUBLICITY)
        in_park = cq.load_institutions_in_park(conn, park_id=1, scope=PUBLICITY)
        full = cq.load_credit_by(conn, park_id=1, scope=FULL_ACCESS, by="institution")
        full_moved = cq.load_reclassifications(conn, park_id=1, scope=FULL_ACCESS)
    assert not full.empty and not full_moved.empty  # there is something to hide
    for frame in (by_inst, by_inst_in_type, one_bank, one_bank_lines, monthly_one, moved, projects, alerts, tools, in_park):
        assert frame.empty
    assert by_inst.attrs["suppressed"]  # marked, so the page can say why


def test_publicity_type_totals_rest_on_three_banks(demo_db):
    """Type totals rested on 2 institutions: 政策性银行 has two banks in the demo park."""
    with demo_db.engine.connect() as conn:
        raw = _raw_counts(conn, 1, "inst_type", LAST_MONTH)
        policy_total = cq.load_credit_by(conn, park_id=1, scope=PUBLICITY, by="total", inst_type="policy")
        state_total = cq.load_credit_by(conn, park_id=1, scope=PUBLICITY, by="total", inst_type="state_owned")
        full_policy = cq.load_credit_by(conn, park_id=1, scope=FULL_ACCESS, by="total", inst_type="policy")
        by_type = cq.load_credit_by(conn, park_id=1, scope=PUBLICITY, by="inst_type")
    assert raw.loc["policy", "n_inst"] == 2 < MIN_INSTITUTIONS and raw.loc["state_owned", "n_inst"] >= MIN_INSTITUTIONS
    assert not full_policy.empty and policy_total.empty
    assert (LAST_MONTH, "total") in policy_total.attrs["suppressed"]
    assert LAST_MONTH in set(state_total["period"])
    now = by_type[by_type["period"] == LAST_MONTH].set_index("group")
    small = set(raw.index[(raw["n_inst"] < MIN_INSTITUTIONS) | (raw["n_ent"] < MIN_GROUP_SIZE)])
    assert small and not small & set(now.index)
    assert now["n_institutions"].to_dict() == raw.loc[now.index, "n_inst"].to_dict()


@pytest.mark.parametrize("park_id", [1, 2])
@pytest.mark.parametrize("by", ["inst_type", "product_line", "carbon_product", "enterprise_class", "policy_tool", "total"])
def test_every_published_credit_group_rests_on_enough_banks_and_borrowers(demo_db, park_id, by):
    """Every group a publicity-safe scope gets at the last month, at the park level and drilled to each type,
    counted again from the snapshot table; and the groups left out, together, are no smaller (complement)."""
    with demo_db.engine.connect() as conn:
        for inst_type in (None, *BANK_TYPES):
            raw = _raw_counts(conn, park_id, by, LAST_MONTH, inst_type)
            df = cq.load_credit_by(conn, park_id=park_id, scope=PUBLICITY, by=by, inst_type=inst_type)
            now = df[df["period"] == LAST_MONTH] if not df.empty else df
            shown = set(now["group"].fillna(NONE)) if not now.empty else set()
            for g in shown:
                assert raw.loc[g, "n_inst"] >= MIN_INSTITUTIONS and raw.loc[g, "n_ent"] >= MIN_GROUP_SIZE, (by, inst_type, g)
            hidden = raw[~raw.index.isin(shown)]
            if shown and not hidden.empty:  # the parent minus the shown groups is itself publishable
                ents = conn.execute(text(
                    f"SELECT COUNT(DISTINCT f.enterprise_id), COUNT(DISTINCT f.institution_id) FROM credit_snapshot s "
                    f"JOIN credit_facility f ON f.id = s.facility_id JOIN enterprise e ON e.id = f.enterprise_id "
                    f"WHERE f.park_id = :park AND s.is_current AND s.period = :p AND s.balance > 0 "
                    f"AND s.inst_type IN ({BANKS}) {f'AND s.inst_type = :t' if inst_type else ''} "
                    f"AND COALESCE({GROUP_COLUMNS[by]}, '{NONE}') IN :groups").bindparams(bindparam("groups", expanding=True)),
                    {"park": park_id, "p": LAST_MONTH, "t": inst_type, "groups": list(hidden.index)}).one()
                assert ents[1] >= MIN_INSTITUTIONS and ents[0] >= MIN_GROUP_SIZE, (by, inst_type, list(hidden.index))
                left_out = df.attrs["suppressed_green_balance"][LAST_MONTH]
                assert left_out == pytest.approx(float(hidden["green"].sum()))


def test_policy_and_provincial_banks_are_left_out_of_the_park_chart_and_shares_stay_of_the_whole(demo_db):
    from dashboard import finance

    with demo_db.engine.connect() as conn:
        safe = finance.compute_group_summary(cq.load_credit_by(conn, park_id=1, scope=PUBLICITY, by="inst_type"), LAST_MONTH)
        full = finance.compute_group_summary(cq.load_credit_by(conn, park_id=1, scope=FULL_ACCESS, by="inst_type"), LAST_MONTH)
    assert set(full["group"]) - set(safe["group"]) == {"policy", "provincial_legal"}
    shares = full.set_index("group")["share_of_green"]
    for g, share in safe.set_index("group")["share_of_green"].items():
        assert share == pytest.approx(shares[g])  # of the park, not of the published types


def test_green_leasing_of_two_firms_is_not_published(demo_db):
    with demo_db.engine.connect() as conn:
        lessors = conn.execute(text(
            "SELECT COUNT(DISTINCT f.institution_id) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            f"WHERE f.park_id = 1 AND s.period = :p AND s.is_current AND f.is_green AND s.balance > 0 "
            f"AND s.inst_type NOT IN ({BANKS})"), {"p": LAST_MONTH}).scalar()
        safe = cq.load_credit_monthly(conn, park_id=1, scope=PUBLICITY).set_index("period")
        full = cq.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS).set_index("period")
    assert lessors < MIN_INSTITUTIONS
    assert full.loc[LAST_MONTH, "green_nonbank_balance"] > 0
    assert pd.isna(safe.loc[LAST_MONTH, "green_nonbank_balance"])  # left out, not 0
    assert safe.loc[LAST_MONTH, "green_balance"] == pytest.approx(full.loc[LAST_MONTH, "green_balance"])


def test_publicity_policy_tools_direct_financing_and_tasks(demo_db):
    with demo_db.engine.connect() as conn:
        tools = queries.load_policy_tool_monthly(conn, park_id=1, scope=PUBLICITY)
        raw_tools = pd.DataFrame(conn.execute(text(
            "SELECT period, tool, COUNT(DISTINCT institution_id) AS n FROM policy_tool_use WHERE park_id = 1 AND is_current "
            "GROUP BY period, tool")).all(), columns=["period", "tool", "n"])
        direct = cq.load_direct_financing(conn, park_id=1, scope=PUBLICITY)
        full_direct = cq.load_direct_financing(conn, park_id=1, scope=FULL_ACCESS)
        tasks = cq.load_tasks(conn, park_id=1, scope=PUBLICITY)
        task_types = pd.DataFrame(conn.execute(text(
            "SELECT t.year, i.inst_type, COUNT(DISTINCT t.institution_id) AS n FROM task t "
            "JOIN institution i ON i.id = t.institution_id WHERE t.park_id = 1 GROUP BY t.year, i.inst_type")).all(),
            columns=["year", "inst_type", "n"])
    raw_tools["period"] = pd.to_datetime(raw_tools["period"]).dt.date
    counted = tools.merge(raw_tools, on=["period", "tool"])
    assert len(counted) == len(tools) > 0 and (counted["n"] >= MIN_INSTITUTIONS).all()
    assert tools.attrs["suppressed"]  # some tool-months rest on fewer banks
    assert not full_direct.empty and full_direct["n_institutions"].min() < MIN_INSTITUTIONS
    assert direct.empty and len(direct.attrs["suppressed"]) == len(full_direct)
    assert not tasks.empty
    assert tasks[["task_id", "institution_id", "institution", "evidence"]].isna().all().all()  # no institution
    wide = task_types[task_types["n"] >= MIN_INSTITUTIONS]
    assert set(zip(tasks["year"], tasks["inst_type"])) == set(zip(wide["year"], wide["inst_type"]))
    assert ("policy" not in set(tasks["inst_type"])) and (2026, "policy") in tasks.attrs["suppressed"]


def test_a_publication_bundle_for_publicity_holds_no_small_group(demo_db):
    from dashboard import publication

    with demo_db.engine.connect() as conn:
        b = publication.gather(conn, park_id=1, period=LAST_MONTH, scope=PUBLICITY)
    assert "policy" not in set(b.credit_by_type["group"]) and "provincial_legal" not in set(b.credit_by_type["group"])
    assert b.institution is None and b.alerts.empty
    assert b.tasks["institution"].isna().all() and "policy" not in set(b.tasks["inst_type"])
    figs = publication.build_charts(b, "zh", ("by_type", "tasks"))
    for code in ("by_type", "tasks"):
        spec = figs[code].to_json()
        assert "政策性银行" not in spec and "省内法人银行" not in spec, code
        assert "少于3家机构的分组不予公开" in spec, code  # the image says so itself


# ------------------------------------------------------------------ item 6: the library within a reporter's scope

def _borrowers(conn, inst: int) -> set[int]:
    return set(conn.execute(text("SELECT DISTINCT enterprise_id FROM credit_facility WHERE park_id = 1 "
                                 "AND institution_id = :i"), {"i": inst}).scalars())


def _projects_on(conn, inst: int) -> set[int]:
    return set(conn.execute(text(
        "SELECT id FROM project WHERE park_id = 1 AND (lead_bank_id = :i OR id IN "
        "(SELECT project_id FROM syndicate_member WHERE institution_id = :i) OR id IN "
        "(SELECT project_id FROM credit_facility WHERE institution_id = :i AND project_id IS NOT NULL))"), {"i": inst}).scalars())


def test_a_reporter_finds_only_its_borrowers_with_credit_codes(demo_db):
    """Searching "示例" returned 50 park enterprises with credit codes to any reporter."""
    with demo_db.engine.connect() as conn:
        mine = _borrowers(conn, 14)
        public = set(conn.execute(text("SELECT id FROM enterprise WHERE park_id = 1 AND is_public")).scalars())
        found = whitelist_store.search_library(conn, park_id=1, scope=Scope("institution_reporter", 14), query="示例")
        everyone = whitelist_store.search_library(conn, park_id=1, scope=FULL_ACCESS, query="示例")
        other = conn.execute(text("SELECT id, uscc FROM enterprise WHERE park_id = 1 AND id NOT IN "
                                  "(SELECT enterprise_id FROM credit_facility WHERE institution_id = 14) AND NOT is_public "
                                  "ORDER BY id LIMIT 1")).one()
        by_code = whitelist_store.search_library(conn, park_id=1, scope=Scope("institution_reporter", 14), query=other.uscc)
        own_code = conn.execute(text("SELECT uscc FROM enterprise WHERE id = :i"), {"i": min(mine)}).scalar()
        by_own_code = whitelist_store.search_library(conn, park_id=1, scope=Scope("institution_reporter", 14), query=own_code)
        codes = dict(conn.execute(text("SELECT id, uscc FROM enterprise WHERE park_id = 1")).all())
    ents = found[found["kind"] == "enterprise"]
    assert len(everyone[everyone["kind"] == "enterprise"]) > len(ents) > 0
    assert set(ents["id"]) <= mine | public
    for _, r in ents.iterrows():
        assert r["detail"] == (codes[r["id"]] if r["id"] in mine else None)
    assert by_code[by_code["kind"] == "enterprise"].empty  # nor matched on another bank's client's code
    assert by_own_code[by_own_code["kind"] == "enterprise"]["id"].tolist() == [min(mine)]
    assert set(found["kind"]) - {"enterprise"} == set(everyone["kind"]) - {"enterprise", "project"}


def test_public_enterprise_profiles_are_found_without_their_code(migrated_db_with_demo):
    engine = migrated_db_with_demo.engine
    with engine.begin() as conn:
        other = conn.execute(text("SELECT id, name FROM enterprise WHERE park_id = 1 AND id NOT IN "
                                  "(SELECT enterprise_id FROM credit_facility WHERE institution_id = 14) ORDER BY id LIMIT 1")).one()
        conn.execute(text("UPDATE enterprise SET is_public = :t WHERE id = :i"), {"t": True, "i": other.id})
    with engine.connect() as conn:
        found = whitelist_store.search_library(conn, park_id=1, scope=Scope("institution_reporter", 14), query=other.name)
        safe = whitelist_store.search_library(conn, park_id=1, scope=PUBLICITY, query="示例")
    row = found[(found["kind"] == "enterprise") & (found["id"] == other.id)]
    assert len(row) == 1 and row["detail"].isna().all()
    assert safe[safe["kind"] == "enterprise"]["id"].tolist() == [other.id] and safe["detail"][safe["kind"] == "enterprise"].isna().all()
    assert "project" not in set(safe["kind"])


@pytest.mark.parametrize("inst", [9, 14, 5])
def test_a_reporter_sees_the_financing_gap_only_of_projects_its_bank_is_on(demo_db, inst):
    """对接对象 listed every project with its financing gap to a reporter."""
    scope = Scope("institution_reporter", inst)
    with demo_db.engine.connect() as conn:
        expected = _projects_on(conn, inst)
        everyone = project_store.load_projects(conn, park_id=1, today=dt.date(2026, 10, 31))
        seen = project_store.load_projects_for(conn, park_id=1, scope=scope, today=dt.date(2026, 10, 31))
        found = whitelist_store.search_library(conn, park_id=1, scope=scope, query="YQ-HTZ-P")
        safe = project_store.load_projects_for(conn, park_id=1, scope=PUBLICITY, today=dt.date(2026, 10, 31))
        full = project_store.load_projects_for(conn, park_id=1, scope=FULL_ACCESS, today=dt.date(2026, 10, 31))
    assert set(seen["id"]) == expected and len(everyone) > len(expected)
    assert set(found.loc[found["kind"] == "project", "id"]) == expected
    assert safe.empty and len(full) == len(everyone)
    if expected:  # the same figures as the committee sees, for these projects
        cols = ["id", "financing_need", "loans", "bonds", "funds", "leasing"]
        pd.testing.assert_frame_equal(seen[cols].reset_index(drop=True),
                                      everyone[everyone["id"].isin(expected)][cols].reset_index(drop=True))


def test_the_library_queries_require_a_scope():
    import inspect

    for fn in (whitelist_store.search_library, project_store.load_projects_for):
        param = inspect.signature(fn).parameters["scope"]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is inspect.Parameter.empty


def test_the_publicity_role_is_always_publicity_safe():
    """Review of issue 17: Scope("publicity") alone read like the analyst's scope; the role is never more than its
    published aggregates, however its scope is made."""
    from data_access.scope import PUBLISHED, Scope

    assert Scope("publicity").publicity_safe and PUBLISHED.publicity_safe and not PUBLISHED.loan_level
