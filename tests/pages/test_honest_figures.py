"""Figures that do not invent or misjudge (issue 17): a publicity user sees a suppressed policy-tool total as
suppressed, never as 0 and -100 %; a month before the base year's end is not judged against the 2030 path, and
the overview and the energy page agree."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard import i18n
from dashboard.overview import compute_target_position
from dashboard.indicators import INDICATORS
from tests.pages.test_pages import kpi_values, sign_in


def test_publicity_sees_a_suppressed_tool_total_as_suppressed_not_zero(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "publicity")
    value = kpi_values(at)["policy_tool_loans"]
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert value == "—", value
    assert "不足3家机构，不予公开" in shown
    assert "-100.0%" not in shown and "0.00 亿元" not in shown


def test_a_month_before_the_base_year_end_is_not_judged():
    ind = INDICATORS["total_emissions"]
    assert compute_target_position(ind, 1.7e6, dt.date(2025, 6, 1), 1.65e6, 2025, 1.0e6, 2030) == ("before_base", None)
    status, required = compute_target_position(ind, 1.7e6, dt.date(2026, 6, 1), 1.65e6, 2025, 1.0e6, 2030)
    assert status == "behind" and required is not None


def test_the_overview_and_the_energy_page_agree_on_an_early_month(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    period_box = next(s for s in at.selectbox if s.key and s.key.startswith("app_period"))
    period_box.set_value(dt.date(2025, 6, 1)).run()
    assert not at.exception
    texts = " ".join(m.value for m in at.markdown)
    assert i18n.t("status.before_base", "zh") in texts and i18n.t("status.behind", "zh") not in texts
    at.switch_page("pages/energy.py").run()
    assert not at.exception
    # a long title wraps: its line break is "<br>", JSON-escaped in the spec
    titles = [c.proto.spec.replace("\\u003cbr\\u003e", "").replace("<br>", "") for c in at.get("plotly_chart")]
    assert any("基期前，不评估目标路径" in spec for spec in titles) and not any("处于目标路径之内" in spec for spec in titles)


def test_the_green_loan_metric_arrow_follows_its_growth(monkeypatch, demo_sqlite):
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    assert not at.exception
    [balance] = [m for m in at.metric if m.label == i18n.t("gf.m.balance", "zh")]
    growth = float(re.search(r"[+-]?\d+\.\d", balance.proto.delta).group())
    expected = MetricProto.MetricDirection.UP if growth > 0 else MetricProto.MetricDirection.DOWN
    assert balance.proto.direction == expected


def test_a_drilled_tables_share_of_the_park_is_of_the_park(monkeypatch, demo_sqlite):
    from sqlalchemy import text

    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    at.selectbox(key="gf_type").set_value("local_legal").run()
    assert not at.exception
    [table] = [d.value for d in at.dataframe if "占园区绿色贷款（%）" in d.value.columns]
    with demo_sqlite.engine.connect() as conn:
        park = conn.execute(text(
            "SELECT SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "JOIN institution i ON i.id = f.institution_id WHERE s.is_current AND s.period = '2026-10-01' AND f.park_id = 1 "
            "AND f.is_green AND i.inst_type IN ('policy', 'state_owned', 'joint_stock', 'provincial_legal', 'local_legal')")).scalar()
    balances = table.iloc[:, 1]  # 亿元
    shares = table["占园区绿色贷款（%）"]
    assert abs(shares.sum() - balances.sum() * 1e4 / float(park) * 100) < 0.3  # of the park: the type's share, not 100 %
    assert shares.sum() < 60


def test_a_reporters_own_bank_is_a_share_of_the_whole_park_and_says_it_is_its_own(monkeypatch, demo_sqlite):
    """Review of issue 17: a reporter's green-finance view said its bank held 100 % of the park's green loans (the
    share of what the reporter may see) and headed its charts with the park's name."""
    from sqlalchemy import text

    at = sign_in(monkeypatch, demo_sqlite.url, "institution_reporter")
    at.switch_page("pages/green_finance.py").run()
    assert not at.exception
    by_type, by_carbon_product = [d.value for d in at.dataframe if "占园区绿色贷款（%）" in d.value.columns]
    with demo_sqlite.engine.connect() as conn:
        park, own = conn.execute(text(
            "SELECT SUM(s.balance), SUM(CASE WHEN u.username = 'demo_reporter' THEN s.balance ELSE 0 END) "
            "FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "JOIN institution i ON i.id = f.institution_id LEFT JOIN app_user u ON u.institution_id = i.id "
            "WHERE s.is_current AND s.period = '2026-10-01' AND f.park_id = 1 AND f.is_green "
            "AND i.inst_type IN ('policy', 'state_owned', 'joint_stock', 'provincial_legal', 'local_legal')")).one()
    [share] = by_type["占园区绿色贷款（%）"].tolist()
    assert share == pytest.approx(float(own) / float(park) * 100, abs=0.05) and share < 10
    assert by_carbon_product["占园区绿色贷款（%）"].max() <= share  # the carbon-linked part of its share, of the park too
    charts = " ".join(c.proto.spec for c in at.get("plotly_chart"))
    assert "本机构农商行甲绿色贷款余额占园区" in charts and "最多" not in charts  # not "its type is the largest, 100 %"
