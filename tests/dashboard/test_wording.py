"""Arrows and words that follow the sign (issue 17): a fall never gets an up arrow or the word 增长, and no
number prints as -0.0."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import finance_views as fv, ui
from dashboard.indicators import INDICATORS


@pytest.mark.parametrize(("change", "better", "arrow", "color"), [
    (-0.486, "higher", "down", "red"), (0.12, "higher", "up", "green"), (0.05, "lower", "up", "red"),
    (-0.05, "lower", "down", "green"), (0.0, "higher", "off", "gray"), (None, "higher", "off", "gray"), (float("nan"), "higher", "off", "gray"),
])
def test_a_metric_arrow_follows_the_sign_and_its_colour_whether_that_is_good(change, better, arrow, color):
    kw = ui.metric_delta(change, "同比 -48.6%", better=better)
    assert (kw["delta_arrow"], kw["delta_color"]) == (arrow, color) and kw["delta"] == "同比 -48.6%"


def test_titles_say_down_for_a_fall():
    assert fv.change_words(-0.167, "zh") == "下降16.7%" and fv.change_words(0.032, "zh") == "增长3.2%"
    assert fv.change_words(-0.0001, "zh") == "持平" and fv.change_words(-0.167, "en") == "down 16.7%"
    title = fv.trend_title(pd.Series({"green_balance": 1_408_000.0, "yoy": -0.167}), 0.05, "zh")
    assert title == "绿色贷款余额140.8亿元，同比下降16.7%，各项贷款增长5.0%" and "增长-" not in title


def test_no_negative_zero():
    assert fv.pct(-0.00001, signed=True) == "+0.0%" and fv.pct(-0.00001) == "0.0%"
    assert INDICATORS["total_emissions"].format(-1.0, "zh", with_unit=False) == "0.0"


def test_a_refused_loop_step_is_worded_in_the_users_language():
    from dashboard.i18n import STRINGS
    from dashboard.risk_views import loop_refusal

    from dashboard import i18n

    closed, assessed = i18n.t("alert_state.closed", "zh"), i18n.t("alert_state.assessed", "zh")
    assert loop_refusal("wrong_state", {"state": "closed", "to": "assessed"}, "zh") == f"处于“{closed}”的预警不能转为“{assessed}”"
    text = loop_refusal("role", {"role": "publicity", "to": "closed"}, "zh")
    assert text.startswith("宣传平台不能将预警转为") and not any(c.isascii() and c.isalpha() for c in text)
    codes = {k.split(".")[-1] for k in STRINGS if k.startswith("rk.refused.")}
    assert codes == {"unknown_step", "no_alert", "wrong_state", "role", "not_own", "needs_note"}


def test_english_readers_get_english_units_and_scales():
    from dashboard import i18n
    from dashboard.indicators import INDICATORS

    em = INDICATORS["total_emissions"]
    assert em.format(1_673_000, "zh") == "167.3 万吨CO2"
    assert em.format(1_673_000, "en") == "1,673.0 kt CO2"  # not "167.3 10k tCO2"
    assert INDICATORS["green_loan_balance"].format(123_456, "en") == "12.3 CNY 100m"
    assert i18n.amount(123_456, "yi", "zh", 2) == "12.35 亿元" and i18n.amount(5, "count", "en", 0) == "5"
    assert i18n.amount(None, "yi", "en") == "—"
    cjk = __import__("re").compile(r"[\u4e00-\u9fff]")
    assert not [k for k, u in i18n.UNITS.items() if cjk.search(u["en"][1])]
