"""Project pipeline figures, edit checks, whitelist scoring, the guideline's negative list and product matching,
each on hand-made inputs with the expected numbers worked out in the comments."""

import datetime as dt

import pandas as pd
import pytest

from dashboard import projects as pj, whitelist as wl

TODAY = dt.date(2026, 10, 31)


def project_rows() -> pd.DataFrame:
    base = dict(lead_bank_id=1, lead_bank="国有行甲", owner="甲公司", expected_reduction_t=1000.0, start_date=dt.date(2025, 1, 1),
                planned_completion=dt.date(2027, 1, 1), on_negative_list=False, next_milestone=None, next_date=None)
    rows = [  # id, stage, category, investment, need, loans, bonds, funds, leasing, overdue milestones
        (1, "financing", "power_heat", 10_000, 8_000, 4_000, 1_000, 0, 0, 0),       # secured 5,000, gap 3,000 = 37.5 % -> short
        (2, "construction", "power_heat", 20_000, 10_000, 7_000, 0, 0, 1_000, 1),   # secured 8,000, gap 2,000 = 20 % -> not short, late
        (3, "operation", "ccus", 5_000, 4_000, 1_000, 0, 0, 0, 0),                  # gap 3,000 but operating -> not short
        (4, "construction", "energy_saving", 3_000, 2_000, 2_500, 0, 0, 0, 0),      # over-secured: gap 0, not below zero
    ]
    return pd.DataFrame([{**base, "id": i, "code": f"P{i}", "name": f"项目{i}", "enterprise_id": 10 + i, "stage": s, "category": c,
                          "investment": float(inv), "financing_need": float(need), "loans": float(lo), "bonds": float(b),
                          "funds": float(f), "leasing": float(le), "overdue_milestones": od}
                         for i, s, c, inv, need, lo, b, f, le, od in rows])


def test_funding_gap_and_flags():
    df = pj.compute_funding(project_rows()).set_index("id")
    assert df["secured"].tolist() == [5_000, 8_000, 1_000, 2_500]
    assert df["gap"].tolist() == [3_000, 2_000, 3_000, 0]
    assert df["short"].tolist() == [True, False, False, False]
    assert df["late"].tolist() == [False, True, False, False]


def test_pipeline_by_stage_lists_every_stage():
    pipe = pj.compute_pipeline(pj.compute_funding(project_rows()), "stage").set_index("group")
    assert list(pipe.index) == ["planning", "approved", "financing", "construction", "operation"]
    assert pipe.loc["construction", ["n", "investment", "secured", "gap", "late"]].tolist() == [2, 23_000, 10_500, 2_000, 1]
    assert pipe.loc["planning", "n"] == 0
    assert pipe["gap"].sum() == 8_000


def test_filters_combine():
    df = pj.compute_funding(project_rows())
    assert pj.filter_projects(df, stages=["construction"], categories=["power_heat"])["id"].tolist() == [2]
    assert len(pj.filter_projects(df)) == 4


VALID = {"name": "园区储能电站", "category": "power_heat", "stage": "planning", "investment": 10_000.0, "financing_need": 6_000.0,
         "lead_bank_id": 1, "expected_reduction_t": 500.0, "start_date": dt.date(2027, 1, 1), "planned_completion": dt.date(2028, 6, 30)}


@pytest.mark.parametrize(("change", "message"), [
    ({"investment": -5.0}, "总投资（万元）不能为负数（填写了-5.0）"),
    ({"financing_need": -1.0}, "融资需求（万元）不能为负数（填写了-1.0）"),
    ({"planned_completion": dt.date(2026, 1, 1)}, "计划完工日期2026-01-01早于开工日期2027-01-01"),
    ({"lead_bank_id": 999}, "主办银行999不是已登记的金融机构"),
    ({"financing_need": 20_000.0}, "融资需求不能超过总投资"),
    ({"name": "  "}, "项目名称不能为空"),
])
def test_invalid_project_is_refused_with_a_clear_message(change, message):
    assert pj.validate_project(VALID, {1, 2}, "zh") == []
    assert message in pj.validate_project({**VALID, **change}, {1, 2}, "zh")


def test_milestone_checks():
    assert pj.validate_milestone("投产运营", dt.date(2027, 1, 1), None, TODAY, "zh") == []
    assert pj.validate_milestone("", None, dt.date(2027, 1, 1), TODAY, "en") == [
        "the milestone has no name", "the planned date is missing", "the actual date 2027-01-01 is in the future"]


def _criteria(migrated_db) -> pd.DataFrame:
    from data_access import whitelist_store

    with migrated_db.engine.connect() as conn:
        return whitelist_store.load_criteria(conn)


def test_whitelist_score_worked_example(migrated_db):
    """The shipped criteria (migration 0005) on one enterprise, worked by hand:
    credit 30 - 10 (one overdue loan) - 5 (tax grade B) = 15; operating 15 (output +12 %) + 10 (green and low-carbon) = 25;
    innovation 10 patents of 20 -> 5, + 5 high-tech = 10; green performance grade 2 -> 20. Total 70."""
    criteria = _criteria(migrated_db)
    row = {"enterprise_id": 1, "name": "甲", "uscc": "X", "problem_loans": 1, "env_penalties": 0, "tax_credit_grade": "B",
           "dishonest": False, "output_growth_pct": 12.0, "enterprise_class": "green_low_carbon", "patents": 10, "high_tech": True,
           "specialised": False}
    assert wl.score_enterprise({**row, "carbon_grade": 2}, criteria) == {
        "credit_compliance": 15.0, "operating_fit": 25.0, "innovation": 10.0, "green_performance": 20.0}
    # A dishonest debtor gets nothing for credit; a grade-5 high-carbon firm with falling output and no patents scores low.
    low = {**row, "dishonest": True, "output_growth_pct": -3.0, "enterprise_class": "high_carbon_industrial", "patents": 0,
           "high_tech": False}
    assert wl.score_enterprise({**low, "carbon_grade": 5}, criteria) == {
        "credit_compliance": 0.0, "operating_fit": 10.0, "innovation": 0.0, "green_performance": 0.0}
    inputs = pd.DataFrame([row, {**low, "enterprise_id": 2, "name": "乙"}])
    scored = wl.score_all(inputs, pd.Series({1: 2, 2: 5}), criteria, negative={2}, min_score=60)
    assert scored["score"].tolist() == [70.0, 10.0] and scored["eligible"].tolist() == [True, False]


def test_new_version_against_the_previous_one():
    scored = pd.DataFrame({"enterprise_id": [1, 2, 3, 4], "name": list("甲乙丙丁"), "uscc": list("ABCD"), "score": [80.0, 70.0, 50.0, 40.0],
                           "score_parts": [{}] * 4, "negative": [False] * 4, "eligible": [True, True, False, False]})
    previous = pd.DataFrame({"enterprise_id": [1, 3], "listed": [True, True]})
    prop = wl.propose_version(scored, previous).set_index("enterprise_id")
    assert prop["action"].to_dict() == {1: "rescored", 2: "added", 3: "removed"}  # 4 was never listed and is left out
    assert prop.loc[3, "reason"] == "" and not prop.loc[3, "listed"]


def test_negative_list_marks_the_enterprise_and_its_projects(migrated_db):
    from data_access import whitelist_store

    with migrated_db.engine.connect() as conn:
        items = whitelist_store.load_guideline(conn)
    ents = pd.DataFrame([
        {"enterprise_id": 1, "dishonest": True, "restricted_capacity": False, "env_penalties": 0, "carbon_grade": 2,
         "has_transition_plan": True, "enterprise_class": "green_low_carbon", "tax_credit_grade": "A"},
        {"enterprise_id": 2, "dishonest": False, "restricted_capacity": False, "env_penalties": 1, "carbon_grade": 5,
         "has_transition_plan": True, "enterprise_class": "high_carbon_industrial", "tax_credit_grade": "B"},  # near misses
        {"enterprise_id": 3, "dishonest": False, "restricted_capacity": False, "env_penalties": 2, "carbon_grade": 5,
         "has_transition_plan": False, "enterprise_class": "high_carbon_industrial", "tax_credit_grade": "D"},
    ])
    projects = pd.DataFrame({"id": [10, 11], "enterprise_id": [1, 2], "category": ["ccus", "power_heat"]})
    hits = wl.guideline_hits(items, ents, projects)
    assert wl.negative_ids(hits, "enterprise") == {1, 3}
    assert wl.negative_ids(hits, "project") == {10}
    assert set(hits[hits["id"] == 3]["code"]) == {"neg_penalties", "neg_grade5"}
    assert set(hits[(hits["entity"] == "project") & (hits["kind"] == "priority")]["id"]) == {10, 11}


def products() -> pd.DataFrame:
    common = dict(institution="银行", product_line="x", carbon_product=None, description="", rate_max=4.0)
    rows = [  # id, name, rate_min, term, min, max, collateral, classes, categories, tool, whitelist only
        (1, "光伏项目贷", 2.6, 180, 5_000, 200_000, ["equipment"], ["green_low_carbon", "data_center"], ["power_heat"], "carbon_reduction_tool", False),
        (2, "设备租赁", 3.8, 96, 200, 50_000, ["equipment"], ["green_low_carbon"], ["power_heat", "green_transport"], None, False),
        (3, "白名单信用贷", 3.5, 36, 50, 3_000, ["none"], ["green_low_carbon"], [], None, True),
        (4, "转型贷款", 2.9, 96, 2_000, 80_000, ["real_estate"], ["high_carbon_industrial"], ["industrial_upgrade"], None, False),
        (5, "大额基建贷", 2.4, 240, 20_000, 500_000, ["real_estate"], ["green_low_carbon"], ["power_heat"], None, False),
    ]
    return pd.DataFrame([{**common, "id": i, "name": n, "rate_min": r, "term_months_max": t, "min_amount": float(lo),
                          "max_amount": float(hi), "collateral": col, "eligible_classes": cls, "categories": cats, "policy_tool": tool,
                          "whitelist_only": w} for i, n, r, t, lo, hi, col, cls, cats, tool, w in rows])


def test_matching_ranks_products_with_reasons():
    need = {"amount": 8_000.0, "term_months": 120, "category": "power_heat", "enterprise_class": "green_low_carbon",
            "collateral": ["equipment"], "whitelisted": False, "negative": False}
    m = wl.match_products(need, products(), "zh")
    # 1: category 40 + collateral 25 + term 15 + tool 10 + (5 - 2.6) = 92.4; 2: 40 + 25 + 15 (96 < 120? no: 0) ... = 40 + 25 + 1.2
    # 3 is whitelist-only, 4 the wrong class, 5 below its minimum amount: all left out.
    assert m["id"].tolist() == [1, 2]
    assert m["score"].tolist() == [92.4, 66.2]
    assert m.loc[0, "reasons"] == ["企业类型适用，金额在5,000–200,000万元范围内", "支持电力与热力项目", "接受设备抵押",
                                   "期限最长180个月可覆盖", "可使用碳减排支持工具"]
    wc = wl.match_products({**need, "category": None, "amount": 500.0, "whitelisted": True, "collateral": []}, products(), "zh")
    assert wc["id"].tolist() == [3, 2]  # the working-capital product first for a listed enterprise
    assert wl.match_products({**need, "negative": True}, products(), "zh").empty


def test_a_name_with_html_is_shown_as_typed_not_as_a_link():
    """Issue 22.8: a project named <a href=...> became a clickable link in the Gantt chart."""
    import datetime as dt

    import pandas as pd

    from dashboard import projects as pj

    evil = '<a href="https://evil.example/p">点此</a>'
    projects = pd.DataFrame([dict(id=1, name=evil, start_date=dt.date(2026, 1, 1), planned_completion=dt.date(2027, 1, 1),
                                  stage="construction", short=True, late=False)])
    milestones = pd.DataFrame([dict(project_id=1, name=evil, planned_date=dt.date(2026, 6, 1), status="planned")])
    fig = pj.gantt_figure(projects, milestones, dt.date(2026, 11, 1), title="t", subtitle="s", source="src", lang="zh")
    labels = [y for trace in fig.data for y in trace.y] + [t for trace in fig.data if trace.text is not None for t in trace.text]
    assert labels and not any("<a " in str(v) for v in labels)
    assert any("&lt;a href" in str(v) for v in labels) and any(str(v).startswith("<b>") for v in labels)  # ours stays bold
