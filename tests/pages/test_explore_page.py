"""自助分析 on screen (issue 21 §1): the example question put together with the widgets shows the database's
answer; a reporter cannot group by institution; publicity sees suppressed cells marked as such."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import explore as ex, i18n
from data_access import explore_store
from data_access.scope import Scope
from tests.pages.conftest import PERIOD
from tests.pages.test_pages import sign_in

T = lambda key, **kw: i18n.t(key, "zh", **kw)  # noqa: E731


def _open(monkeypatch, url, role):
    at = sign_in(monkeypatch, url, role)
    at.switch_page("pages/explore.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_analyst_asks_for_green_loans_to_data_centres_by_type_quarterly(monkeypatch, demo_sqlite):
    at = _open(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.multiselect(key="ex_dims").set_value(["inst_type"]).run()
    at.selectbox(key="ex_from").set_value(dt.date(2023, 1, 1)).run()
    at.multiselect(key="ex_f_enterprise_class").set_value(["data_center"]).run()
    at.multiselect(key="ex_f_term").set_value(["medium_long"]).run()
    at.radio(key="ex_chart").set_value("table").run()
    assert not at.exception, [e.value for e in at.exception]
    (shown,) = [d.value for d in at.dataframe if T("ex.col.period") in d.value.columns]
    with demo_sqlite.engine.connect() as conn:
        rows = explore_store.run(conn, subject="credit", dims=["inst_type"], filters={"enterprise_class": ["data_center"],
                                 "term": ["medium_long"]}, start=dt.date(2023, 1, 1), end=PERIOD, scope=Scope("pboc_analyst"),
                                 park_ids=[1])
    expected = ex.compute(rows, measures=["green_loan_balance"], dims=["inst_type"], grain="quarter")
    assert len(shown) == len(expected) and shown["期间"].iloc[0] == "2023Q1"
    assert set(shown["机构类型"]) == {i18n.label("inst_type", c, "zh") for c in expected["inst_type"]}
    assert shown["绿色贷款余额（亿元）"].sum() == pytest.approx(expected["green_loan_balance"].round(2).sum())
    at.radio(key="ex_chart").set_value("line").run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_a_reporter_has_no_institution_to_group_by(monkeypatch, demo_sqlite):
    at = _open(monkeypatch, demo_sqlite.url, "institution_reporter")
    assert T("ex.dim.institution") not in at.multiselect(key="ex_dims").options


def test_publicity_sees_suppressed_cells_marked(monkeypatch, demo_sqlite):
    at = _open(monkeypatch, demo_sqlite.url, "publicity")
    assert at.radio(key="ex_subject").options == [T("ex.subject.credit")]  # no policy tools: single institutions
    assert T("ex.dim.enterprise") not in at.multiselect(key="ex_dims").options
    at.multiselect(key="ex_dims").set_value(["sector"]).run()
    at.multiselect(key="ex_f_term").set_value(["short"]).run()
    at.radio(key="ex_chart").set_value("table").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value.startswith("宣传安全模式：") for c in at.caption)
    (shown,) = [d.value for d in at.dataframe if T("ex.col.period") in d.value.columns]
    assert (shown["绿色贷款余额（亿元）"] == T("ex.suppressed")).any()


def test_a_link_reopens_the_question_and_follows_every_change(monkeypatch, demo_sqlite):
    linked = ex.Question("credit", ("green_share_of_lending",), ("inst_type",), (("term", ("medium_long",)),), "year",
                         "2023-01", "2026-06", ("YQ-HTZ",), "table", False)
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    for key, value in linked.to_params().items():
        at.query_params[key] = value
    at.switch_page("pages/explore.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="ex_dims").value == ["inst_type"] and at.selectbox(key="ex_grain").value == "year"
    assert at.multiselect(key="ex_f_term").value == ["medium_long"] and at.radio(key="ex_chart").value == "table"
    (shown,) = [d.value for d in at.dataframe if T("ex.col.period") in d.value.columns]
    assert list(shown["期间"].unique()) == ["2023", "2024", "2025", "2026（至6月）"] and "绿色贷款占各项贷款比重（%）" in shown.columns
    at.selectbox(key="ex_grain").set_value("quarter").run()
    assert at.query_params["exg"] == ["quarter"] or at.query_params["exg"] == "quarter"
    assert ex.Question.from_params({k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}) == \
        ex.Question(**{**linked.__dict__, "grain": "quarter"})


def test_a_saved_question_is_shared_and_pinned_to_the_overview(monkeypatch, migrated_db_with_demo):
    from data_access import question_store
    from tests.pages.test_pages import demo_user

    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "pboc_analyst")
    at.switch_page("pages/explore.py").run(timeout=60)
    leader = demo_user(url, "leader")
    at.text_input(key="ex_save_name").input("绿色贷款季度走势")
    at.multiselect(key="ex_save_share").set_value([leader.id])
    at.button(key="FormSubmitter:ex_save-" + T("ex.save")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert T("ex.saved_done", name="绿色贷款季度走势") in [s.value for s in at.success]
    analyst = demo_user(url, "pboc_analyst")
    with migrated_db_with_demo.engine.connect() as conn:
        mine = question_store.visible(conn, user_id=analyst.id)
        theirs = question_store.visible(conn, user_id=leader.id)
    assert mine["name"].tolist() == ["绿色贷款季度走势"] and bool(mine["mine"].iloc[0])
    assert theirs["name"].tolist() == ["绿色贷款季度走势"] and not theirs["mine"].iloc[0]  # shared, not theirs to pin
    at.run()
    at.button(key="ex_saved_pin").click().run()
    at.switch_page("pages/overview.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    tile = [m for m in at.metric if m.label.startswith("绿色贷款季度走势")]
    assert len(tile) == 1 and tile[0].value.endswith(" 亿元")
    q = ex.Question.from_params(mine["params"].iloc[0])
    with migrated_db_with_demo.engine.connect() as conn:
        rows = explore_store.run(conn, subject="credit", dims=[], filters={}, start=ex.month_start(q.start),
                                 end=ex.month_start(q.end), scope=Scope("pboc_analyst"), park_ids=[1])
    period, value = ex.headline(rows, measure="green_loan_balance", grain=q.grain, lang="zh")
    assert tile[0].value == f"{value:,.2f} 亿元"
