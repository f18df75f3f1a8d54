"""Carbon-price stress test (issue 20 §3): a hand-made book of three borrowers and two banks gives the flagged
exposure of a hand calculation; a borrower without accounts is not tested but counted apart."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, stress, stress_views


def hand_book():
    """X: 20,000 t, EBIT 1,000, interest 400 (cover 2.5); Y: 5,000 t, EBIT 500, interest 400 (1.25, weak already);
    Z: no accounts. Bank 1 lends X 300 and Y 100; bank 2 lends X 200 and Z 400 (万元)."""
    basis = pd.DataFrame([{"enterprise_id": 1, "emissions_t": 20000.0, "ebit": 1000.0, "interest_expense": 400.0},
                          {"enterprise_id": 2, "emissions_t": 5000.0, "ebit": 500.0, "interest_expense": 400.0},
                          {"enterprise_id": 3, "emissions_t": 8000.0, "ebit": None, "interest_expense": None}])
    book = pd.DataFrame([{"institution_id": 1, "enterprise_id": 1, "balance": 300.0},
                         {"institution_id": 1, "enterprise_id": 2, "balance": 100.0},
                         {"institution_id": 2, "enterprise_id": 1, "balance": 200.0},
                         {"institution_id": 2, "enterprise_id": 3, "balance": 400.0}])
    return book, basis


def test_the_flagged_exposure_matches_a_hand_calculation():
    book, basis = hand_book()
    # 200 元/t on 50 % of 20,000 t = 200 万元 a year: X's cover (1,000 - 200) / 400 = 2.0, still above 1.5
    calm = stress.compute_borrowers(basis, 200, 0.5, 1.5).set_index("enterprise_id")
    assert calm.loc[1, "extra_cost"] == pytest.approx(200) and calm.loc[1, "icr_after"] == pytest.approx(2.0)
    assert not calm.loc[1, "stressed"] and calm.loc[2, "stressed"] and not calm.loc[2, "newly_stressed"]
    assert not calm.loc[3, "assessed"] and not calm.loc[3, "stressed"]
    # 400 元/t on 60 %: 480 万元; X's cover (1,000 - 480) / 400 = 1.3 < 1.5, pushed below by the price
    hot = stress.compute_borrowers(basis, 400, 0.6, 1.5)
    x = hot.set_index("enterprise_id").loc[1]
    assert x["icr_after"] == pytest.approx(1.3) and x["stressed"] and x["newly_stressed"]
    exposure = stress.compute_exposure(book, hot).set_index("institution_id")
    # bank 1: X 300 + Y 100 of its 400 = 100 %; bank 2: X 200 of its 600 = 33.3 %, and Z's 400 untested
    assert exposure.loc[1, ["exposure", "new_exposure", "share"]].tolist() == pytest.approx([400, 300, 1.0])
    assert exposure.loc[2, ["exposure", "new_exposure", "unassessed"]].tolist() == pytest.approx([200, 200, 400])
    assert exposure.loc[2, "share"] == pytest.approx(200 / 600)


def test_the_path_counts_the_park_exposure_each_year():
    book, basis = hand_book()
    path = stress.compute_path(book, basis, stress.Scenario("x", {2026: 200, 2030: 400}, 0.6, 1.5)).set_index("year")
    # 2026: 240 万元 leaves X at 1.9, only Y (100) stressed; 2030: X too (300 + 200)
    assert path.loc[2026, ["n_stressed", "exposure"]].tolist() == [1, 100]
    assert path.loc[2030, ["n_stressed", "exposure"]].tolist() == [2, 600]
    assert path.loc[2030, "share"] == pytest.approx(600 / 1000)
    # of which the price itself: none in 2026 (Y was weak already), X in 2030 (500 of the 1,000)
    assert path.loc[2026, ["n_new", "new_exposure"]].tolist() == [0, 0]
    assert path.loc[2030, ["n_new", "new_exposure", "new_share"]].tolist() == [1, 500, pytest.approx(0.5)]


def test_every_input_is_labelled_an_assumption_in_the_workbook():
    scenario = stress.Scenario("central", stress.PRESETS["central"], 0.6, 1.5)
    params = stress_views.parameters_table(scenario, stress_views.scenario_name("central", "zh"), 2030, "zh")
    assert (params["性质"].iloc[:-1] == "假设").all() and params["取值"].iloc[0] == "中碳价路径（假设）"


def test_the_chart_leads_with_what_the_price_adds_and_its_legend_shows_the_bars_tint():
    """Review of issue 20: '8家承压' read as the price's doing, and the legend's dark swatches matched no bar of the
    paths where the price adds nothing."""
    book, basis = hand_book()
    calm = stress.compute_path(book, basis, stress.Scenario("low", {2026: 200, 2030: 200}, 0.5, 1.5))  # only Y, weak already
    hot = stress.compute_path(book, basis, stress.Scenario("high", {2026: 200, 2030: 400}, 0.6, 1.5))  # X pushed under in 2030
    fig = stress_views.path_figure({"低": calm, "高": hot}, chosen="低", lang="zh", subtitle="s", source="src")
    assert charts.unwrap(fig.layout.title.text).startswith("低下，至2030年碳价未使承压企业增加；无碳价时已承压1家")
    shown = {(t.name, t.marker.color) for t in fig.data if t.showlegend is not False}
    assert shown == {("低", charts.tint(charts.SERIES_COLORS[0], 0.35)), ("高", charts.tint(charts.SERIES_COLORS[1], 0.35))}
    top = [t for t in fig.data if t.name == "高" and t.text is not None][0]
    assert list(top.text) == ["10.0", "60.0"]  # the total on top: Y's 100 of 1,000, then X's 500 too
