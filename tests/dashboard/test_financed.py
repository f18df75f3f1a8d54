"""Financed emissions (issue 20 §1): a hand-made book of three borrowers and two banks, read from the database
(SQLite and PostgreSQL), comes out as a hand calculation; a borrower without accounts gets the sector proxy and
score 5; lenders together are never attributed more than the borrower emits; ranks are among all institutions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import insert

from dashboard import financed, financed_views
from data_access import credit_queries, queries
from data_access.models import (CreditFacility, CreditSnapshot, Enterprise, EnterpriseFinancials, EnterpriseOutput, Institution,
                                Park)
from data_access.reference import sector_intensities
from data_access.scope import FULL_ACCESS
from data_access.uscc import make_uscc

PERIOD = dt.date(2026, 10, 1)


def build_book(conn) -> None:
    """Borrower X: equity 400 + debt 600, revenue 3,000, output 2,000; bank A lends it 100 (green), bank B 200.
    Borrower Y: 300 + 200, revenue 1,000, output 500; bank A lends it 50. Borrower Z sent no accounts, output 400;
    bank B lends it 80. All three make pumps and valves."""
    conn.execute(insert(Park).values(id=1, code="P", name_zh="园区", name_en="Park", centre_lat=37.8, centre_lon=113.5))
    conn.execute(insert(Institution), [dict(id=1, code="A", name="甲银行", short_name="甲行", inst_type="state_owned"),
                                       dict(id=2, code="B", name="乙银行", short_name="乙行", inst_type="joint_stock")])
    conn.execute(insert(Enterprise), [dict(id=i, park_id=1, uscc=make_uscc("140300", i), name=f"企业{n}", sector="pumps_valves",
                                           enterprise_class="green_low_carbon") for i, n in ((1, "X"), (2, "Y"), (3, "Z"))])
    loans = [(1, 1, 1, True, 100), (2, 2, 1, False, 200), (3, 1, 2, False, 50), (4, 2, 3, False, 80)]
    conn.execute(insert(CreditFacility), [dict(id=f, park_id=1, institution_id=i, enterprise_id=e, contract_no=f"C{f}",
                                               product_line="energy_saving" if g else "general", is_green=g,
                                               start_date=dt.date(2024, 1, 1), maturity_date=dt.date(2029, 1, 1), amount=b, rate=3.5)
                                          for f, i, e, g, b in loans])
    conn.execute(insert(CreditSnapshot), [dict(facility_id=f, park_id=1, period=PERIOD, balance=b, disbursed=0, rate=3.5,
                                               status="normal", inst_type="state_owned" if i == 1 else "joint_stock")
                                          for f, i, e, g, b in loans])
    conn.execute(insert(EnterpriseFinancials), [
        dict(enterprise_id=1, year=2025, total_equity=400, total_debt=600, revenue=3000, ebit=300, interest_expense=30),
        dict(enterprise_id=2, year=2025, total_equity=300, total_debt=200, revenue=1000, ebit=80, interest_expense=8),
        dict(enterprise_id=1, year=2026, total_equity=9999, total_debt=9999, revenue=1, ebit=1, interest_expense=1)])  # not yet known in 2026
    conn.execute(insert(EnterpriseOutput), [dict(enterprise_id=e, year=2025, output_value=o, value_added=o / 4)
                                            for e, o in ((1, 2000), (2, 500), (3, 400))])


def monthly_emissions() -> pd.DataFrame:
    """X emits 1,000 t a month, Y 500, Z 250: 12,000, 6,000 and 3,000 t over the 12 months to October 2026."""
    months = pd.date_range("2025-11-01", "2026-10-01", freq="MS").date
    return pd.DataFrame([{"enterprise_id": e, "period": m, "total_emissions_t": t} for e, t in ((1, 1000), (2, 500), (3, 250))
                         for m in months])


@pytest.fixture
def book(migrated_db):
    with migrated_db.engine.begin() as conn:
        build_book(conn)
    with migrated_db.engine.connect() as conn:
        periods = financed.report_periods(PERIOD, 2025)
        loans = credit_queries.load_loan_book(conn, park_id=1, periods=periods)
        accounts = queries.load_enterprise_financials(conn, park_id=1)
        outputs = queries.load_enterprise_outputs(conn, park_id=1, scope=FULL_ACCESS)
        ents = queries.load_enterprises(conn, park_id=1, scope=FULL_ACCESS)
    basis = financed.compute_basis(monthly_emissions(), accounts, outputs, ents, sector_intensities(), periods)
    return financed.compute_financed(loans, basis)


def test_a_hand_made_book_matches_the_hand_calculation(book):
    rows = book[book["period"] == PERIOD].set_index(["institution_id", "enterprise_id"])
    # X: 100 / (400 + 600) x 12,000 = 1,200 and 200 / 1,000 x 12,000 = 2,400 (the 2026 accounts are not known yet);
    # Y: 50 / 500 x 6,000 = 600; Z: no accounts, so the sector's median (equity + debt) per output, median(1,000 / 2,000,
    # 500 / 500) = 0.75, x its output 400 = 300; 80 / 300 x 3,000 = 800.
    assert rows.loc[(1, 1), "financed_t"] == pytest.approx(1200)
    assert rows.loc[(2, 1), "financed_t"] == pytest.approx(2400)
    assert rows.loc[(1, 2), "financed_t"] == pytest.approx(600)
    assert rows.loc[(2, 3), "financed_t"] == pytest.approx(800)
    assert rows.loc[(2, 3), "score"] == 5 and rows.loc[(2, 3), "reason"] == "no_accounts"
    assert rows.loc[(1, 1), "score"] == 2 and rows.loc[(1, 1), "accounts_year"] == 2025

    by_bank = financed.compute_summary(book, "institution_id").set_index(["period", "group"]).loc[PERIOD]
    a, b = by_bank.loc[1], by_bank.loc[2]
    assert (a["financed_t"], a["green_financed_t"], a["other_financed_t"]) == pytest.approx((1800, 1200, 600))
    assert a["intensity_t_per_yi"] == pytest.approx(1800 / (150 / 1e4))  # 120,000 tCO2 per 亿元
    assert a["waci"] == pytest.approx((100 * 12000 / 3000 + 50 * 6000 / 1000) / 150)  # 4.667 tCO2 per 万元 of revenue
    assert a["quality"] == pytest.approx(2.0)
    assert b["financed_t"] == pytest.approx(3200)
    assert b["quality"] == pytest.approx((2400 * 2 + 800 * 5) / 3200)  # 2.75
    assert b["share_score_5"] == pytest.approx(800 / 3200)
    park = financed.compute_summary(book, None).set_index("period").loc[PERIOD]
    assert park["financed_t"] == pytest.approx(5000) and park["n_borrowers"] == 3


def test_lenders_together_never_take_more_than_the_borrower_emits():
    book = pd.DataFrame([{"period": PERIOD, "institution_id": i, "inst_type": "state_owned", "enterprise_id": 1, "is_green": False,
                          "balance": 600.0} for i in (1, 2)])
    basis = pd.DataFrame([{"enterprise_id": 1, "period": PERIOD, "emissions_t": 1000.0, "denominator": 1000.0, "revenue": 10.0,
                           "accounts_year": 2025, "score": 2, "reason": "platform"}])
    rows = financed.compute_financed(book, basis)
    assert rows["financed_t"].sum() == pytest.approx(1000)  # 1,200 lent against 1,000 of equity + debt


def test_a_reporter_sees_its_row_ranked_among_all(book):
    by_bank = financed.compute_summary(book, "institution_id")
    institutions = pd.DataFrame([{"id": 1, "code": "A", "name": "甲银行", "short_name": "甲行", "inst_type": "state_owned"},
                                 {"id": 2, "code": "B", "name": "乙银行", "short_name": "乙行", "inst_type": "joint_stock"}])
    changes = financed.compute_yearly_change(by_bank)
    table = financed_views.institution_table(by_bank, changes, institutions, PERIOD, "zh", rate=-0.08, only=2)
    assert list(table["机构"]) == ["乙行"]
    # A: 120,000 tCO2 per 亿元; B: 3,200 / 0.028 = 114,286: B is the lower of the two
    assert list(table["强度排名（低者在前）"]) == ["1/2"]
    sheets = financed_views.disclosure_sheets(by_bank, institutions, pd.DataFrame(columns=["institution_id", "reduction_t"]),
                                              PERIOD, "zh", only=2)
    disclosure = sheets["融资排放披露表"]
    assert list(disclosure["机构"]) == ["乙银行"] and disclosure["融资排放（tCO2）"].iloc[0] == 3200
    assert disclosure["评分5的排放占比（%）"].iloc[0] == 25.0
    # every score has its column, so tables of different banks and months line up
    assert [c for c in disclosure.columns if c.startswith("评分")] == [f"评分{s}的排放占比（%）" for s in range(1, 6)]
    # a bank that reported no policy-tool reduction shows a blank, not a reduction of 0 t
    reduction = next(c for c in disclosure.columns if c.startswith("政策工具项下申报的碳减排量"))
    assert disclosure[reduction].isna().all()
    reported = financed_views.disclosure_sheets(by_bank, institutions, pd.DataFrame({"institution_id": [2], "reduction_t": [0.0]}),
                                                PERIOD, "zh", only=2)["融资排放披露表"]
    assert reported[reduction].iloc[0] == 0  # a reported 0 stays 0


def test_the_trend_spaces_its_points_by_time_and_names_each_one():
    """Review of issue 20: the year ends and the latest month were equal steps apart, so eleven months looked like a
    year. The axis is now time, with a tick at each point named as the month it is."""
    idx = [dt.date(2024, 12, 1), dt.date(2025, 12, 1), dt.date(2026, 10, 1)]
    lines = {"全园区": pd.Series([1500.0, 1400.0, 1300.0], index=idx)}
    fig = financed_views.trend_figure(lines, who="全园区", change=-0.1, rate=-0.2, base_year=2025, lang="zh", subtitle="s",
                                      source="src", period=dt.date(2026, 10, 1))
    assert fig.layout.xaxis.type == "date"
    assert list(fig.layout.xaxis.ticktext) == ["2024-12", "2025-12", "2026-10"]
    park = next(t for t in fig.data if t.name == "全园区")
    gaps = pd.Series(pd.to_datetime(list(park.x))).diff().dt.days.dropna().tolist()
    assert gaps == [365, 304]  # a year, then ten months
