"""Explore's arithmetic (issue 21 §1): balances at the period's last month, flows summed, ratios of sums."""

import datetime as dt

import pandas as pd
import pytest

from dashboard import explore as ex

M = lambda y, m: dt.date(y, m, 1)  # noqa: E731


def test_a_quarter_reads_balances_at_its_last_month_and_sums_flows():
    rows = pd.DataFrame({
        "period": [M(2025, 1), M(2025, 2), M(2025, 3), M(2025, 1), M(2025, 3), M(2025, 4)],
        "inst_type": ["state_owned", "state_owned", "state_owned", "joint_stock", "joint_stock", "state_owned"],
        "green_balance": [100.0, 110.0, 120.0, 50.0, 70.0, 130.0],
        "total_balance": [1000.0, 1000.0, 1200.0, 500.0, 700.0, 1300.0],
        "loan_amount": [10.0, 20.0, 30.0, 5.0, 5.0, 40.0],
        "eligible_amount": [100.0, 100.0, 100.0, 50.0, 50.0, 80.0],
    })
    out = ex.compute(rows, measures=["green_loan_balance", "green_share_of_lending", "policy_tool_loans", "policy_tool_use_rate"],
                     dims=["inst_type"], grain="quarter").set_index(["period", "inst_type"])
    q1 = out.loc["2025Q1"]
    assert q1.loc["state_owned", "green_loan_balance"] == pytest.approx(120 / 1e4)  # March, not the sum of three months
    assert q1.loc["joint_stock", "green_loan_balance"] == pytest.approx(70 / 1e4)
    assert q1.loc["state_owned", "green_share_of_lending"] == pytest.approx(10.0)
    assert q1.loc["state_owned", "policy_tool_loans"] == pytest.approx(60 / 1e4)  # a flow: all three months
    assert q1.loc["state_owned", "policy_tool_use_rate"] == pytest.approx(60 / 300 * 100)  # ratio of sums, not mean of ratios
    assert out.loc[("2025Q2", "state_owned"), "green_loan_balance"] == pytest.approx(130 / 1e4)  # April: Q2 so far
    assert ex.months_in_last(rows, "quarter") == 1


def test_a_group_missing_at_the_quarters_end_is_not_read_from_an_earlier_month():
    rows = pd.DataFrame({"period": [M(2025, 1), M(2025, 3)], "sector": ["a", "b"], "green_balance": [5.0, 7.0],
                         "total_balance": [10.0, 10.0]})
    out = ex.compute(rows, measures=["green_loan_balance"], dims=["sector"], grain="quarter")
    assert out["sector"].tolist() == ["b"]  # "a" had no balance at the end of March


def test_the_table_names_units_and_marks_suppressed_cells():
    shown = pd.DataFrame({"period": ["2025Q1"], "sector": ["装备制造"], "green_loan_balance": [1.23456]})
    cells = pd.DataFrame({"period": ["2025Q1"], "sector": ["钨钼"]})
    table = ex.table(ex.with_suppressed(shown, cells, dims=["sector"], lang="zh"), measures=["green_loan_balance"],
                     dims=["sector"], lang="zh", note=True)
    assert list(table.columns) == ["期间", "行业", "绿色贷款余额（亿元）"]
    assert table.iloc[0, 2] == 1.23 and table.iloc[1, 2] == "已隐去"  # where its number would be, never "None"


def test_a_borrowers_balance_is_read_where_the_loans_end_not_where_the_meters_do():
    monthly = pd.DataFrame({"enterprise_id": [7, 7, 7], "period": [M(2026, 9), M(2026, 10), M(2026, 11)],
                            "total_emissions_t": [100.0, 110.0, 120.0], "energy_tce": [40.0, 44.0, 48.0]})
    firms = pd.DataFrame({"id": [7, 8], "park_id": [1, 1], "sector": ["equipment", "equipment"],
                          "enterprise_class": ["green_low_carbon"] * 2})
    credit = pd.DataFrame({"enterprise": [7, 7, 8], "period": [M(2026, 9), M(2026, 10), M(2026, 10)],
                           "green_balance": [500.0, 600.0, 50.0], "total_balance": [900.0, 900.0, 80.0]})
    rows = ex.enterprise_rows(monthly, firms, credit, start=M(2026, 7), end=M(2026, 11), filters={"institution": [3]},
                              dims=["enterprise"])
    out = ex.compute(rows, measures=["green_loan_balance", "total_emissions"], dims=["enterprise"], grain="quarter")
    q4 = out[out["period"] == "2026Q4"].set_index("enterprise")
    assert q4.loc[7, "green_loan_balance"] == pytest.approx(600 / 1e4)  # October: November has no loan report yet
    assert q4.loc[7, "total_emissions"] == pytest.approx(230 / 1e4)  # October and November, summed
    assert q4.loc[8, "total_emissions"] == 0 and q4.loc[8, "green_loan_balance"] == pytest.approx(50 / 1e4)


def test_the_change_scatter_prints_numbers_not_dates_or_float_noise():
    changed = pd.DataFrame({"enterprise": ["甲", "乙", "丙"], "green_loan_balance@first": [1.0, 2.0, 0.0],
                            "green_loan_balance@last": [1.2, 1.4, 0.0], "green_loan_balance": [0.2, -0.6, 0.0],
                            "total_emissions": [0.1, -8.9e-17, 0.3]})
    fig = ex.change_figure(changed, measures=["green_loan_balance", "total_emissions"], dims=["enterprise"], lang="zh",
                           title="t", subtitle="s", source="src")
    assert fig.layout.xaxis.tickformatstops == () and fig.layout.xaxis.tickformat == ",.2~f"
    assert fig.layout.yaxis.tickformat == ",.2~f"
    assert [t.name for t in fig.data] == ["两项均上升", "其他"] and list(fig.data[0].text) == ["甲"]
    assert list(fig.data[1].text) == ["乙"]  # 丙 had no green loans at either end: not a point
