"""Green-finance measures on the hand-made credit book of tests/data/finance_fixture.py."""

import datetime as dt

import pandas as pd
import pytest

from dashboard import finance
from data_access import credit_queries as cq
from data_access.scope import FULL_ACCESS, Scope
from tests.data import finance_fixture

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def book(migrated_db):
    with migrated_db.engine.begin() as conn:
        finance_fixture.build(conn)
    return migrated_db


def by(book, dim, **kw):
    with book.engine.connect() as conn:
        return cq.load_credit_by(conn, park_id=1, scope=kw.pop("scope", FULL_ACCESS), by=dim, **kw)


def test_park_totals_with_a_repaid_loan_and_an_npl(book):
    s = finance.compute_group_summary(by(book, "total"), MARCH).iloc[0]
    # March 2026: green = A1 1,000 + B2 800 (B1 repaid); a year earlier A1 1,000 + B1 2,000.
    assert s["green_balance"] == 1800 and s["green_balance_prev"] == 3000
    assert s["yoy"] == pytest.approx(1800 / 3000 - 1)
    assert s["total_balance"] == 2300 and s["green_share_of_lending"] == pytest.approx(1800 / 2300)
    assert s["green_npl_ratio"] == pytest.approx(800 / 1800)
    assert s["green_rate"] == pytest.approx((1000 * 3.0 + 800 * 3.2) / 1800)
    assert s["other_rate"] == pytest.approx(4.0)
    assert s["ytd_green_disbursed"] == 0  # B2 was disbursed in 2025-06, not this year


def test_a_type_change_moves_the_institution_between_types(book):
    frame = by(book, "inst_type")
    now = finance.compute_group_summary(frame, MARCH).set_index("group")
    before = finance.compute_group_summary(frame, dt.date(2025, 12, 1)).set_index("group")
    assert "local_legal" not in now.index and now.loc["provincial_legal", "green_balance"] == 1000
    assert before.loc["local_legal", "green_balance"] == 1000 and "provincial_legal" not in before.index
    assert now["share_of_green"].sum() == pytest.approx(1.0)


def test_growth_by_type_restates_last_year_under_this_years_types(book):
    """Issue 16.3: grouping each month by the type then in force made the type bank A joined grow from nothing
    and the type it left fall to nothing. Like-for-like, last year's 1,000 of A counts under its type now."""
    now = finance.compute_group_summary(by(book, "inst_type"), MARCH).set_index("group")
    assert now.loc["provincial_legal", "green_balance_prev"] == 1000 and now.loc["provincial_legal", "yoy"] == 0
    assert now.loc["state_owned", "yoy"] == pytest.approx(800 / 2000 - 1)
    # The same within one type (the drill-down's headline), and for all lending.
    inside = by(book, "total", inst_type="provincial_legal")
    assert finance.compute_group_summary(inside, MARCH).iloc[0]["yoy"] == 0
    assert finance.compute_group_summary(finance.as_all_lending(inside), MARCH).iloc[0]["yoy"] == 0
    # An institution's own growth within its new type is its own, not cut at the change.
    mine = finance.compute_group_summary(by(book, "institution", inst_type="provincial_legal"), MARCH).set_index("group")
    assert mine.loc[1, "green_balance_prev"] == 1000 and mine.loc[1, "yoy"] == 0
    series = finance.compute_series(by(book, "inst_type"), "provincial_legal").set_index("period")
    assert series.loc[MARCH, "yoy"] == 0
    with book.engine.connect() as conn:
        moved = cq.load_reclassifications(conn, park_id=1, scope=FULL_ACCESS)
    assert moved[["short_name", "from_type", "to_type", "period"]].values.tolist() == [
        ["A", "local_legal", "provincial_legal", dt.date(2026, 1, 1)]]


def test_new_lending_this_year_and_product_lines(book):
    june = finance.compute_group_summary(by(book, "product_line"), dt.date(2025, 6, 1)).set_index("group")
    assert june.loc["traditional_energy_decarb", "ytd_green_disbursed"] == 800
    assert "general" in june.index and june.loc["general", "green_balance"] == 0


def test_a_reporter_sees_only_its_own_book(book):
    s = finance.compute_group_summary(by(book, "total", scope=Scope("institution_reporter", 1)), MARCH).iloc[0]
    assert s["green_balance"] == 1000 and s["total_balance"] == 1500
    assert by(book, "total", scope=Scope("institution_reporter", 1), institution_id=2).empty


def test_loan_level_drill(book):
    with book.engine.connect() as conn:
        loans = cq.load_facilities(conn, park_id=1, scope=FULL_ACCESS, period=MARCH, institution_id=2)
        hidden = cq.load_facilities(conn, park_id=1, scope=Scope("leader", publicity_safe=True), period=MARCH)
    assert loans["contract_no"].tolist() == ["B2", "B1"]  # by balance
    assert loans.set_index("contract_no").loc["B1", "status"] == "repaid"
    assert hidden.empty


def test_quarter_end():
    assert finance.quarter_end_month(dt.date(2026, 3, 1)) == dt.date(2026, 3, 1)
    assert finance.quarter_end_month(dt.date(2026, 5, 1)) == dt.date(2026, 3, 1)
    assert finance.quarter_end_month(dt.date(2026, 2, 1)) == dt.date(2025, 12, 1)


def test_assessment_worked_example(book):
    """2026Q1 with the template weights, worked by hand:

    measure            bank A            bank B
    green share        1000/1500=0.667   800/800=1.0      -> scores 0, 100 (best 100, worst 0)
    market share       1000/1800=0.556   800/1800=0.444   -> 100, 0
    growth (YoY)       1000/1000-1=0     800/2000-1=-0.6  -> 100, 0
    risk (NPL ratio)   0                 1.0              -> 100, 0 (lower is better)
    policy execution   1 of 2 due done   1 of 1 done      -> 50, 100
    internal rules     3 of 3 months     3 of 3 months    -> 100, 100
    green support      no new lending    no new lending   -> not applicable (weight 0.06 spread over the rest)
    A = (0.2*(0+100+100+100) + 0.06*50 + 0.08*100) / 0.94 = 71 / 0.94 = 75.53
    B = (0.2*(100+0+0+0) + 0.06*100 + 0.08*100) / 0.94 = 34 / 0.94 = 36.17
    (Before items with nothing to measure were n/a they scored 0, and A got 71, B 34.)
    """
    with book.engine.connect() as conn:
        tasks = cq.load_tasks(conn, park_id=1, scope=FULL_ACCESS)
        weights = cq.load_assessment_weights(conn)
    inputs = finance.compute_assessment_inputs(by(book, "institution"), tasks, MARCH).set_index("institution_id")
    assert inputs.loc[1, "green_share"] == pytest.approx(1000 / 1500)
    assert inputs.loc[2, "growth"] == pytest.approx(-0.6)
    assert inputs.loc[1, "policy_execution"] == 0.5
    scores = finance.compute_assessment(inputs.reset_index(), weights)
    totals = finance.assessment_totals(scores).set_index("institution_id")
    assert totals.loc[1, "total"] == pytest.approx(71.0 / 0.94)
    assert totals.loc[2, "total"] == pytest.approx(34.0 / 0.94)
    assert totals.loc[1, "rank"] == 1
    # Every score is explained by its parts; the item with nothing to measure is marked, not scored 0.
    parts = scores[scores["institution_id"] == 1].set_index("item")
    assert parts["points"].sum() == pytest.approx(71.0 / 0.94)
    assert parts.loc["risk", "score"] == 100 and parts.loc["policy_execution", "score"] == 50
    assert not parts.loc["green_support", "applicable"] and parts.loc["green_support", "points"] == 0


def test_weights_are_validated_and_audited(book):
    good = {"green_share": 0.25, "market_share": 0.25, "growth": 0.15, "risk": 0.15,
            "policy_execution": 0.06, "internal_rules": 0.08, "green_support": 0.06}
    with book.engine.begin() as conn:
        cq.save_assessment_weights(conn, actor="admin", weights=good)
        saved = cq.load_assessment_weights(conn).set_index("code")["weight"].to_dict()
    assert saved == pytest.approx(good)
    for bad, message in [({**good, "risk": 0.5}, "sum to 1"), ({"risk": 1.0}, "cover exactly"),
                         ({**good, "risk": -0.1, "growth": 0.4}, "between 0 and 1")]:
        with pytest.raises(cq.WeightError, match=message), book.engine.begin() as conn:
            cq.save_assessment_weights(conn, actor="admin", weights=bad)


def test_task_completion(book):
    with book.engine.connect() as conn:
        tasks = cq.load_tasks(conn, park_id=1, scope=FULL_ACCESS)
    by_inst = finance.compute_task_completion(tasks, MARCH.replace(day=31)).set_index("institution")
    assert by_inst.loc["A", "completion"] == 0.5 and by_inst.loc["A", "n_overdue"] == 1
    assert by_inst.loc["B", "completion"] == 1.0 and by_inst.loc["B", "n_due"] == 1


def test_a_reporter_is_scored_against_everyone_and_sees_only_its_own_row(book):
    """Issue 16.2: scoring one institution alone gave it 100 % market share and rank 1 of 1."""
    with book.engine.connect() as conn:
        tasks = cq.load_tasks(conn, park_id=1, scope=FULL_ACCESS)
        weights = cq.load_assessment_weights(conn)
        insts = cq.load_institutions_in_park(conn, park_id=1, scope=FULL_ACCESS)
    scores, totals, comparison = finance.assess(by(book, "institution"), tasks, insts, weights, MARCH)
    mine, my_scores, context = finance.scope_assessment(comparison, scores, 2, rank_visible=False)
    assert list(mine["institution_id"]) == [2] and set(my_scores["institution_id"]) == {2}
    assert mine["market_share"].iloc[0] == pytest.approx(800 / 1800)  # of the whole park, not 100 %
    assert mine["assessment_total"].iloc[0] == pytest.approx(34.0 / 0.94)  # the score the analyst sees
    assert pd.isna(mine["assessment_rank"].iloc[0])  # rank hidden unless the PBOC allows it
    assert context == {"median_total": pytest.approx((71.0 + 34.0) / 0.94 / 2), "n_assessed": 2, "rank_visible": False}
    shown, _, context = finance.scope_assessment(comparison, scores, 2, rank_visible=True)
    assert shown["assessment_rank"].iloc[0] == 2 and context["rank_visible"]
    everyone, _, _ = finance.scope_assessment(comparison, scores, None, rank_visible=False)
    assert list(everyone["assessment_rank"]) == [1, 2]


def test_non_banks_are_not_assessed_and_their_leasing_is_not_a_green_loan():
    """Issue 16.7: the PBOC scheme scores banks; green leasing is reported beside green loans."""
    import datetime as dt

    insts = pd.DataFrame({"id": [1, 2, 3], "short_name": ["A", "B", "L"], "inst_type": ["state_owned", "joint_stock", "other"]})
    m = dt.date(2026, 3, 1)
    rows = []
    for period in (m.replace(year=2025), m):
        for g, green, nonbank in ((1, 100.0, 0.0), (2, 50.0, 0.0), (3, 0.0, 70.0)):
            rows.append(dict(period=period, group=g, green_balance=green, total_balance=green * 2 if green else 0.0,
                             green_disbursed=0.0, total_disbursed=0.0, green_overdue_balance=0.0, green_npl_balance=0.0,
                             overdue_balance=0.0, npl_balance=0.0, green_rate_x_balance=green * 3, other_rate_x_balance=0.0,
                             green_nonbank_balance=nonbank, n_borrowers=5))
    frame = pd.DataFrame(rows)
    tasks = pd.DataFrame(columns=["task_id", "institution_id", "institution", "inst_type", "year", "due_date", "status"])
    weights = pd.DataFrame({"code": list(finance.ASSESSMENT_ITEMS), "part": ["quantitative"] * 4 + ["qualitative"] * 3,
                            "weight": [0.2, 0.2, 0.2, 0.2, 0.06, 0.08, 0.06]})
    scores, totals, comparison = finance.assess(frame, tasks, insts, weights, m)
    assert set(totals["institution_id"]) == {1, 2}
    leasing = comparison.set_index("institution_id").loc[3]
    assert pd.isna(leasing["assessment_total"]) and leasing["green_balance"] == 0 and leasing["green_nonbank_balance"] == 70
    # No tasks at all: policy execution is not applicable for anyone, and no bank loses its 6 points for it.
    assert not scores[scores["item"] == "policy_execution"]["applicable"].any()
    assert totals.set_index("institution_id").loc[1, "total"] <= 100.0 + 1e-9


def test_long_credit_series_mark_the_2025_definition_change():
    """Issue 16.9: PBOC changed the green-loan definition in 2025; every long credit chart says so on the chart."""
    from dashboard import finance_views as fv

    months = [dt.date(2024, m, 1) for m in range(1, 13)] + [dt.date(2025, m, 1) for m in range(1, 7)]
    frame = pd.DataFrame({"period": months, "green_balance": 100.0, "total_balance": 300.0})
    names = {"green": "绿色贷款", "all": "各项贷款", "unit": "亿元", "break": "2025年起绿色贷款统计口径调整"}
    fig = fv.trend_figure(frame, frame, title="t", subtitle="s", source="src", names=names)
    assert [pd.Timestamp(s.x0) for s in fig.layout.shapes] == [pd.Timestamp("2025-01-01")]
    assert any(a.text == names["break"] for a in fig.layout.annotations)
    short = frame[frame["period"] >= dt.date(2025, 1, 1)]  # a series that starts after the change has nothing to mark
    fig = fv.trend_figure(short, short, title="t", subtitle="s", source="src", names=names)
    assert not fig.layout.shapes


def test_the_reclassification_note_names_only_moves_inside_the_compared_year():
    from dashboard import finance_views as fv

    moved = pd.DataFrame({"institution_id": [5], "short_name": ["省法人行乙"], "from_type": ["local_legal"],
                          "to_type": ["provincial_legal"], "period": [dt.date(2023, 7, 1)]})
    inside = fv.reclassification_note(moved, "zh", dt.date(2024, 6, 1))
    assert "省法人行乙（2023-07起由农商行等地方法人银行调整为省内法人银行）" in inside
    later = fv.reclassification_note(moved, "zh", dt.date(2026, 10, 1))
    assert "省法人行乙" not in later and "可比口径" in later
