"""Issue 22, items 5 and 6, on the pages (AppTest): what the publicity account sees on 绿色金融, the big screen and
the gallery, and what a reporter finds in the resource library."""

from __future__ import annotations

import json

from sqlalchemy import text

from data_access.db import make_engine
from tests.pages.test_pages import sign_in

NOTE = "宣传模式：单家机构及少于3家机构或5家企业的分组不予公开，未列出。"
SMALL_TYPES = ("政策性银行", "省内法人银行")  # two banks each in the demo park


def _frames(at):
    return [d.value for d in at.dataframe]


def test_publicity_green_finance_shows_no_policy_bank_and_no_bank_id(monkeypatch, demo_sqlite):
    """As 宣传平台, 绿色金融 → 机构类型=政策性银行 showed rows by internal id ("2 | 41.9 亿元 | 95.2 %")."""
    at = sign_in(monkeypatch, demo_sqlite.url, "publicity")
    at.switch_page("pages/green_finance.py").run()
    assert not at.exception, [e.value for e in at.exception]
    by_type = next(d for d in _frames(at) if "类别" in d.columns and "国有银行" in set(d["类别"]))
    assert not set(SMALL_TYPES) & set(by_type["类别"])
    assert NOTE in [c.value for c in at.caption]
    assert not any("非银行机构融资余额" in c.value for c in at.caption)  # green leasing of two firms

    at.selectbox(key="gf_type").set_value("policy").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "宣传模式：所选分组少于3家机构或5家企业，不予公开。" in [i.value for i in at.info]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert "gf_inst" not in [s.key for s in at.selectbox]  # no single institution is ever offered

    at.selectbox(key="gf_type").set_value("state_owned").run()  # five banks: the type is shown, its banks are not
    assert not at.exception, [e.value for e in at.exception]
    assert next(m.value for m in at.metric if m.label == "绿色贷款余额").endswith("亿元")
    assert "gf_inst" not in [s.key for s in at.selectbox]
    assert NOTE in [i.value for i in at.info]
    for frame in _frames(at):
        if "类别" in frame.columns:
            assert not any(str(g).isdigit() for g in frame["类别"]), frame  # never a bank by its id


def test_the_analyst_still_drills_into_a_policy_bank(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    by_type = next(d for d in _frames(at) if "类别" in d.columns and "国有银行" in set(d["类别"]))
    assert set(SMALL_TYPES) <= set(by_type["类别"])
    assert NOTE not in [c.value for c in at.caption]
    at.selectbox(key="gf_type").set_value("policy").run()
    assert at.selectbox(key="gf_inst") and at.metric


def test_publicity_screen_and_gallery_charts_hold_no_small_type(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "publicity")
    at.switch_page("pages/gallery.py").run()
    assert not at.exception, [e.value for e in at.exception]
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    by_type = [s for s in specs if "公开的机构类型中" in s and "绿色贷款余额最多" in s]  # "most" among the published only
    assert len(by_type) == 1
    assert "少于3家机构的分组不予公开" in by_type[0]  # the exported image says so itself
    for spec in specs:  # no chart of the gallery (types, tasks by type …) names a type of two banks
        labels = [y for trace in json.loads(spec).get("data", []) for y in (trace.get("y") or []) if isinstance(y, str)]
        assert not set(SMALL_TYPES) & set(labels)


def _reporter_borrowers(url: str) -> tuple[int, set[str], set[str]]:
    with make_engine(url).connect() as conn:
        inst = conn.execute(text("SELECT institution_id FROM app_user WHERE username = 'demo_reporter'")).scalar()
        names = set(conn.execute(text("SELECT name FROM enterprise WHERE id IN (SELECT enterprise_id FROM credit_facility "
                                      "WHERE institution_id = :i) OR is_public"), {"i": inst}).scalars())
        others = set(conn.execute(text("SELECT uscc FROM enterprise WHERE id NOT IN (SELECT enterprise_id FROM credit_facility "
                                       "WHERE institution_id = :i)"), {"i": inst}).scalars())
    return inst, names, others


def test_reporter_library_finds_its_borrowers_only_and_no_project_gap(monkeypatch, demo_sqlite):
    """Searching "示例" returned 50 park enterprises with credit codes, and 对接对象 listed every project's gap."""
    inst, mine, other_codes = _reporter_borrowers(demo_sqlite.url)
    at = sign_in(monkeypatch, demo_sqlite.url, "institution_reporter")
    at.switch_page("pages/library.py").run()
    at.text_input(key="lib_q").input("示例").run()
    assert not at.exception, [e.value for e in at.exception]
    found = next(d for d in _frames(at) if "内容" in d.columns)
    ents = found[found["类型"] == "企业"]
    assert 0 < len(ents) and set(ents["名称"]) <= mine
    assert not set(ents["内容"]) & other_codes
    options = at.selectbox(key="lib_subject").options
    assert options and not any(o.startswith("项目") for o in options)  # its bank is on no project
    assert all(o.split(" · ", 1)[1] in mine for o in options)


def test_reporter_library_offers_the_project_its_bank_joined(monkeypatch, migrated_db_with_demo):
    url = migrated_db_with_demo.url
    engine = make_engine(url)
    with engine.begin() as conn:
        inst = conn.execute(text("SELECT institution_id FROM app_user WHERE username = 'demo_reporter'")).scalar()
        joined, other = conn.execute(text("SELECT name FROM project WHERE park_id = 1 ORDER BY id LIMIT 2")).scalars().all()
        pid = conn.execute(text("SELECT id FROM project WHERE name = :n"), {"n": joined}).scalar()
        conn.execute(text("INSERT INTO syndicate_member (project_id, institution_id, share, amount) VALUES (:p, :i, 0.1, 1000)"),
                     {"p": pid, "i": inst})
    at = sign_in(monkeypatch, url, "institution_reporter")
    at.switch_page("pages/library.py").run()
    assert not at.exception, [e.value for e in at.exception]
    projects = [o for o in at.selectbox(key="lib_subject").options if o.startswith("项目")]
    assert len(projects) == 1 and joined in projects[0] and "缺口" in projects[0]
    assert not any(other in o for o in at.selectbox(key="lib_subject").options)
    at.text_input(key="lib_q").input("YQ-HTZ-P").run()
    found = next(d for d in _frames(at) if "内容" in d.columns)
    assert found.loc[found["类型"] == "项目", "名称"].tolist() == [joined]
