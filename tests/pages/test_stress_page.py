"""碳价压力测试 on screen (issue 20 §3): the tiles follow the path, the year and the analyst's own prices, and the
figures are those of the computation over the whole book."""

from __future__ import annotations

from dashboard import i18n, stress
from tests.pages.conftest import PERIOD
from tests.pages.test_pages import sign_in


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected(rows, price, share=stress.DEFAULT_COVERED_SHARE, threshold=stress.DEFAULT_THRESHOLD):
    """The tiles a run over the whole book gives: (pushed under by the price, weak without it, share, untested)."""
    book = rows[rows["period"] == PERIOD]
    borrowers = stress.compute_borrowers(book, price, share, threshold)
    exposure = stress.compute_exposure(book, borrowers)
    new, weak = borrowers["newly_stressed"], borrowers["stressed"] & ~borrowers["newly_stressed"]
    both = lambda n, amount: i18n.t("sx.m.count_amount", "zh", n=int(n), amount=i18n.amount(amount, "yi", "zh", 2))  # noqa: E731
    total = exposure["exposure"].sum()
    return (both(new.sum(), exposure["new_exposure"].sum()), both(weak.sum(), total - exposure["new_exposure"].sum()),
            f"{total / exposure['balance'].sum() * 100:.1f}%",
            both((~borrowers["assessed"]).sum(), exposure["unassessed"].sum()))


LABELS = [i18n.t(k, "zh") for k in ("sx.m.new", "sx.m.weak", "sx.m.share", "sx.m.unassessed")]


def shown(at) -> tuple[str, ...]:
    return tuple(tiles(at)[label] for label in LABELS)


def test_the_tiles_follow_the_path_the_year_and_own_prices(monkeypatch, demo_sqlite, rows):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/stress.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown(at) == expected(rows, stress.PRESETS["central"][2030])
    # every path's prices are on the page, in numbers
    [prices] = [d.value for d in at.dataframe if "碳价路径" in d.value.columns]
    assert prices.set_index("碳价路径").loc["高碳价路径（假设）", "2030"] == f"{stress.PRESETS['high'][2030]:,.0f}"

    at.selectbox(key="sx_path").set_value("high").run()
    assert shown(at) == expected(rows, stress.PRESETS["high"][2030])
    at.selectbox(key="sx_year_high").set_value(2027).run()
    assert tiles(at)[i18n.t("sx.m.price", "zh", year=2027)] == "180 元/吨"
    assert shown(at) == expected(rows, stress.PRESETS["high"][2027])

    at.selectbox(key="sx_path").set_value("custom").run()
    at.selectbox(key="sx_year_custom").set_value(2027).run()
    at.number_input(key="sx_price_custom_2027").set_value(3000.0).run()  # a price far above any preset
    assert not at.exception
    assert shown(at) == expected(rows, 3000.0)
    n_new = int(stress.compute_borrowers(rows[rows["period"] == PERIOD], 3000.0, 0.6, 1.5)["newly_stressed"].sum())
    assert n_new > 0 and tiles(at)[LABELS[0]].startswith(f"{n_new}家 · ")
    [borrowers] = [d.value for d in at.dataframe if "因碳价新增承压" in d.value.columns]
    assert (borrowers["因碳价新增承压"] == "是").sum() == n_new


def test_a_saved_central_scenario_is_listed_and_raises_the_risk_rule(monkeypatch, migrated_db_with_demo):
    from data_access import risk_store, stress_store
    from dashboard import risk

    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "pboc_analyst")
    at.switch_page("pages/stress.py").run()
    at.selectbox(key="sx_path").set_value("high").run()
    at.text_input(key="sx_save_name").input("高碳价2030")
    at.checkbox(key="sx_save_central").check()
    at.button(key="FormSubmitter:sx_save-保存情景").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert i18n.t("sx.save.saved", "zh", name="高碳价2030") in [s.value for s in at.success]
    options = at.selectbox(key="sx_path").options
    assert "已保存：高碳价2030（中心情景，假设）" in options
    assert any("园区中心情景：高碳价2030" in c.value for c in at.caption)

    at.text_input(key="sx_save_name").input("高碳价2030")  # the same name again is refused, nothing written
    at.button(key="FormSubmitter:sx_save-保存情景").click().run()
    assert i18n.t("sx.save.refused.name_taken", "zh", name="高碳价2030") in [e.value for e in at.error]
    with migrated_db_with_demo.engine.connect() as conn:
        assert len(stress_store.load_scenarios(conn, park_id=1)) == 1
        central = stress_store.load_central(conn, park_id=1)
    assert central["prices"] == stress.PRESETS["high"] and central["test_year"] == 2030

    # The risk loop: institutions whose exposure under the central scenario passes 10 % (an assumption) get an alert.
    with migrated_db_with_demo.engine.begin() as conn:
        risk.run_rules(conn, park_id=1, period=PERIOD)
    with migrated_db_with_demo.engine.connect() as conn:
        inputs = risk.gather(conn, park_id=1, period=PERIOD)
        alerts = risk_store.load_alerts(conn, park_id=1, scope=risk.FULL_ACCESS)
    over = inputs.stress[inputs.stress["share"] > 0.10]
    raised = alerts[alerts["rule_code"] == "carbon_stress_exposure"]
    assert len(over) > 0 and sorted(raised["institution_id"]) == sorted(over["institution_id"])

    # The big screen rotates the central scenario's path with the key charts: seven, not six.
    at.switch_page("pages/screen.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "/7张" in "".join(md.value for md in at.markdown)
