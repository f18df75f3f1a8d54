"""Green-finance measures on the hand-made credit book of tests/data/finance_fixture.py."""

import datetime as dt

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
    green support      no new lending    no new lending   -> 0, 0
    A = 0.2*(0+100+100+100) + 0.06*50 + 0.08*100 + 0.06*0 = 60 + 3 + 8 = 71
    B = 0.2*(100+0+0+0) + 0.06*100 + 0.08*100 = 20 + 6 + 8 = 34
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
    assert totals.loc[1, "total"] == pytest.approx(71.0)
    assert totals.loc[2, "total"] == pytest.approx(34.0)
    assert totals.loc[1, "rank"] == 1
    # Every score is explained by its parts.
    parts = scores[scores["institution_id"] == 1].set_index("item")
    assert parts["points"].sum() == pytest.approx(71.0)
    assert parts.loc["risk", "score"] == 100 and parts.loc["policy_execution", "score"] == 50


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
