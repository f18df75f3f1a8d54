"""Pages under AppTest: every page for every role and park, sign-in, refusal, expiry, language, admin."""

import datetime as dt
import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES, pages_for
from dashboard.overview import OVERVIEW_CODES
from data_access import auth
from data_access.models import AppUser
from data_access.taxonomy import ROLES

APP = "../../app.py"


def start(monkeypatch, url: str, script: str = APP) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    return AppTest.from_file(script, default_timeout=120)


def sign_in(monkeypatch, url: str, role: str) -> AppTest:
    """Open the app and take the one-click demo account of `role`."""
    at = start(monkeypatch, url).run()
    assert at.title[0].value.endswith("登录")
    at.button(key=f"auth_demo_demo_{ {'pboc_analyst': 'analyst', 'park_committee': 'committee', 'institution_reporter': 'reporter'}.get(role, role)}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def demo_user(url: str, role: str) -> auth.User:
    from data_access.db import make_engine

    with make_engine(url).connect() as conn:
        row = conn.execute(select(AppUser.__table__).where(AppUser.role == role, AppUser.is_demo.is_(True))).first()
    return auth.User(row.id, row.username, row.display_name, row.role, row.institution_id, True)


def kpi_values(at: AppTest) -> dict[str, str]:
    out = {}
    for md in at.markdown:
        m = re.search(r"data-kpi='(\w+)'[^>]*>([^<]+)", md.value)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_its_pages(monkeypatch, demo_sqlite, role):
    at = sign_in(monkeypatch, demo_sqlite.url, role)
    granted = {p.path for p in pages_for(role)}
    for park_id in (1, 2):
        at.switch_page("pages/overview.py").run()  # the big screen, if it came last, has no sidebar
        at.selectbox(key="app_park").set_value(park_id).run()
        for page in granted:
            at.switch_page(page).run()
            assert not at.exception, (role, page, [e.value for e in at.exception])
            assert any("DEMO DATA" in md.value for md in at.markdown)
            assert not at.error, (role, page, [e.value for e in at.error])
    for page in {p.path for p in PAGES} - granted:
        # Refused either by the navigation (not registered) or, when Streamlit reaches the script another
        # way, by the gate in the shell; in both cases nothing of the page is shown.
        try:
            at.switch_page(page).run()
        except ValueError as exc:
            assert "Could not find a navigation page" in str(exc)
        else:
            assert [e.value for e in at.error] == [f"您的角色（{auth_label(role)}）无权打开此页面。"]
            assert not at.dataframe and not at.text_input


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_a_page_script_run_directly_still_refuses_an_ungranted_role(monkeypatch, demo_sqlite, role):
    at = start(monkeypatch, demo_sqlite.url, "../../pages/users.py")
    at.session_state["auth_user"] = demo_user(demo_sqlite.url, role)
    at.run()
    assert [e.value for e in at.error] == [f"您的角色（{auth_label(role)}）无权打开此页面。"]
    assert not at.dataframe


def auth_label(role):
    from dashboard.i18n import label

    return label("role", role)


def test_signed_out_every_page_shows_the_sign_in_form(monkeypatch, demo_sqlite):
    for page in PAGES:
        at = start(monkeypatch, demo_sqlite.url, f"../../{page.path}").run()
        assert at.title[0].value == "零碳园区金融支持监测看板 · 登录"
        assert not kpi_values(at) and not at.dataframe


def test_wrong_password_is_refused_with_a_message(monkeypatch, demo_sqlite):
    at = start(monkeypatch, demo_sqlite.url).run()
    at.text_input(key="auth_username").input("demo_leader")
    at.text_input(key="auth_password").input("not-the-password-1")
    at.button(key="FormSubmitter:auth_form-登录").click().run()
    assert "用户名或密码不正确" in at.error[0].value
    assert at.title[0].value.endswith("登录")
    unknown = start(monkeypatch, demo_sqlite.url).run()  # an unknown user gets exactly the same answer
    unknown.text_input(key="auth_username").input("nobody_at_all")
    unknown.text_input(key="auth_password").input("not-the-password-1")
    unknown.button(key="FormSubmitter:auth_form-登录").click().run()
    assert unknown.error[0].value == at.error[0].value


def test_an_idle_session_expires(monkeypatch, demo_sqlite):
    monkeypatch.setenv("IDLE_TIMEOUT_MINUTES", "30")
    at = start(monkeypatch, demo_sqlite.url, "../../pages/overview.py")
    at.session_state["auth_user"] = demo_user(demo_sqlite.url, "leader")
    at.session_state["auth_last_seen"] = dt.datetime.now() - dt.timedelta(minutes=31)
    at.run()
    assert at.title[0].value.endswith("登录")
    assert "会话因长时间未操作已过期" in at.warning[0].value


def test_overview_shows_every_kpi_with_a_value(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    values = kpi_values(at)
    assert set(values) == set(OVERVIEW_CODES)
    assert all(v != "—" for v in values.values()), values
    assert at.title[0].value == "阳泉高新区零碳园区 · 2026-10 总览"


def test_reporter_overview_shows_its_own_institution(monkeypatch, demo_sqlite):
    leader = kpi_values(sign_in(monkeypatch, demo_sqlite.url, "leader"))
    at = sign_in(monkeypatch, demo_sqlite.url, "institution_reporter")
    reporter = kpi_values(at)
    assert "信贷、政策工具与预警仅含本机构数据" in at.info[0].value
    assert float(reporter["green_loan_balance"]) < float(leader["green_loan_balance"])
    assert reporter["green_power_share"] == leader["green_power_share"]  # park energy is not institution data
    # The card names whose figure it is, so a cropped screenshot is never read as the park's (review of 2026-12-06).
    headers = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any(h.startswith("**本机构绿色贷款余额**") for h in headers) and not any(h.startswith("**本机构绿电") for h in headers)


def test_publicity_role_has_the_safe_mode_forced_on(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "publicity")
    toggle = at.toggle(key="app_publicity")
    assert toggle.disabled and toggle.value  # drawn on and locked, as it applies (it was drawn off)


def test_english_switch(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.radio(key="app_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Yangquan High-tech Zone zero-carbon park · overview for 2026-10"
    assert any("Green-power share" in md.value for md in at.markdown)


def test_the_core_band_and_target_follow_the_parks_method_on_every_view(monkeypatch, migrated_db_with_demo):
    """Issue 16.1: with 等价值 the energy chart drew ≤0.3 while the overview judged against a stored 0.2. The
    method is a park setting, and the overview, the energy page and the indicator page show one threshold."""
    from data_access import db
    from data_access.db import make_engine
    from data_access.queries import set_park_electricity_method

    url = migrated_db_with_demo.url

    def views():
        at = sign_in(monkeypatch, url, "pboc_analyst")
        core = float(kpi_values(at)["carbon_per_energy"])
        target = next(m.value for m in at.markdown if "2030年目标" in m.value and "tCO2/tce" in m.value)
        at.switch_page("pages/energy.py").run()
        assert not at.exception
        titles = " ".join(c.proto.spec for c in at.get("plotly_chart"))
        at.switch_page("pages/indicators.py").run()
        methods = next(d.value for d in at.dataframe if "电力折标方法" in d.value.columns)
        return core, target, titles, methods

    core_cal, target, titles, methods = views()
    assert "≤0.2" in target or "0.20" in target
    assert "阈值≤0.2" in titles and "≤0.3" not in titles
    in_force = methods[methods["园区设定"] != ""]
    assert len(methods) == 2 and in_force["电力折标方法"].iloc[0].startswith("当量值") and in_force["国家阈值（tCO2/tce）"].iloc[0] == "≤0.2"
    assert methods.set_index("电力折标方法").filter(like="等价值", axis=0)["国家阈值（tCO2/tce）"].iloc[0] == "≤0.3"
    with db.writing(make_engine(url)) as conn:  # as `cli park-method` does: a new data version
        set_park_electricity_method(conn, park_code="YQ-HTZ", method="coal_equivalent", actor="test")
    from dashboard import data

    data.data_version.clear()  # pages re-read the data version at most every 5 s; do not wait for it here
    core_eq, target, titles, methods = views()
    assert core_eq < core_cal / 1.3  # electricity weighs more in tce, so CO2 per tce falls
    assert "0.30" in target and "阈值≤0.3" in titles  # one threshold on both pages
    assert methods[methods["园区设定"] != ""]["电力折标方法"].iloc[0].startswith("等价值")


def test_admin_creates_an_account_and_no_hash_is_shown(monkeypatch, migrated_db_with_demo):
    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "admin")
    at.switch_page("pages/users.py").run()
    at.text_input(key="users_new_username").input("zhang.san")
    at.text_input(key="users_new_display").input("张三")
    at.selectbox(key="users_new_role").set_value("leader")
    at.text_input(key="users_new_password").input("Leader-pass-2026")
    at.button(key="FormSubmitter:users_create-保存").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "已创建账户 zhang.san" in at.success[0].value
    table = at.dataframe[0].value
    assert "zhang.san" in table.iloc[:, 0].tolist()
    assert "$argon2" not in table.to_string()
    # An invalid request is refused with the reason and writes nothing.
    at.text_input(key="users_new_username").input("li.si")
    at.selectbox(key="users_new_role").set_value("institution_reporter")
    at.text_input(key="users_new_password").input("Reporter-pass-2026")
    at.button(key="FormSubmitter:users_create-保存").click().run()
    assert at.error[0].value == "无法完成：机构填报员须选择所属机构，其他角色不能选择机构"
    from data_access.db import make_engine

    with make_engine(url).connect() as conn:
        names = set(conn.execute(select(AppUser.username)).scalars())
    assert "zhang.san" in names and "li.si" not in names


def test_an_empty_database_is_seeded_on_first_start(monkeypatch, tmp_path):
    monkeypatch.setenv("DEMO_HOURLY_MONTHS", "1")
    at = start(monkeypatch, f"sqlite:///{tmp_path / 'fresh.db'}").run()
    if not at.title:  # the seeding run ends with st.rerun(); AppTest needs one more run to follow it
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("登录")
    assert at.button(key="auth_demo_demo_leader")


def test_a_park_without_energy_data_shows_why(monkeypatch, migrated_db_with_demo):
    from sqlalchemy import insert

    from data_access.demo import record_demo_watermark
    from data_access.models import Park

    with migrated_db_with_demo.engine.begin() as conn:
        conn.execute(insert(Park).values(id=3, code="NEW", name_zh="新建示例园区", name_en="New demo park",
                                         centre_lat=37.9, centre_lon=113.6, is_demo=True))
        record_demo_watermark(conn)  # a demo park as the seed would write it (a park added otherwise ends demo mode)
    at = sign_in(monkeypatch, migrated_db_with_demo.url, "pboc_analyst")
    at.selectbox(key="app_park").set_value(3).run()
    at.switch_page("pages/energy.py").run()
    assert not at.exception
    assert any("该园区尚无能碳数据" in i.value for i in at.info), [i.value for i in at.info]
    at.switch_page("pages/carbon_account.py").run()
    assert not at.exception and "没有可查看的企业" in at.info[0].value
    at.switch_page("pages/overview.py").run()
    assert not at.exception


def test_energy_page_has_map_rankings_and_live_panel(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/energy.py").run()
    assert not at.exception
    assert at.get("deck_gl_json_chart"), "the park map is missing"
    assert len(at.dataframe) == 3  # why emissions moved, top emitters and biggest improvers
    charts = at.get("plotly_chart")
    assert len(charts) == 8  # four trends, why emissions moved, two breakdowns, the live panel
    assert any("数据截至" in c.value and "2026-10-31" in c.value for c in at.caption), [c.value for c in at.caption]


def test_carbon_account_shows_grade_loans_and_footprint(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/carbon_account.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert any("碳效等级" in label for label in labels)
    grade = next(m.value for m in at.metric if "碳效等级" in m.label)
    assert re.fullmatch(r"[1-5]级", grade), grade
    assert re.search(r"K=\d+\.\d\d", next(m.label for m in at.metric if "碳效等级" in m.label))
    assert at.dataframe, "the loans table is missing"
    assert any(s in m.value for m in at.markdown for s in ("碳足迹", "没有绿色贷款", "暂无法比较")), [m.value[:40] for m in at.markdown]


def test_reporter_sees_only_its_borrowers_in_the_carbon_account(monkeypatch, demo_sqlite):
    from data_access.db import make_engine
    from sqlalchemy import text

    at = sign_in(monkeypatch, demo_sqlite.url, "institution_reporter")
    at.switch_page("pages/carbon_account.py").run()
    options = at.selectbox(key="account_enterprise_1").options
    user = demo_user(demo_sqlite.url, "institution_reporter")
    with make_engine(demo_sqlite.url).connect() as conn:
        n_borrowers = conn.execute(text("SELECT COUNT(DISTINCT enterprise_id) FROM credit_facility "
                                        "WHERE park_id = 1 AND institution_id = :i"), {"i": user.institution_id}).scalar()
    assert len(options) == n_borrowers < 150
    institutions = set(at.dataframe[0].value.iloc[:, 1]) if at.dataframe else set()
    assert institutions <= {"农商行甲"}


def test_green_finance_drills_from_park_to_one_loan(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    park_balance = next(m.value for m in at.metric if m.label == "绿色贷款余额")
    at.selectbox(key="gf_type").set_value("state_owned").run()
    type_balance = next(m.value for m in at.metric if m.label == "绿色贷款余额")
    assert float(type_balance.split()[0]) < float(park_balance.split()[0])
    at.selectbox(key="gf_inst").set_value(3).run()
    assert not at.exception
    assert at.subheader[-1].value.startswith("贷款明细")
    loans = at.dataframe[-1].value
    assert set(loans["机构"]) == {"国有行甲"} and len(loans) > 0
    at.button(key="gf_crumb_park").click().run()  # the breadcrumb goes back to the park
    assert next(m.value for m in at.metric if m.label == "绿色贷款余额") == park_balance


def test_growth_by_type_is_like_for_like_across_a_reclassification(monkeypatch, demo_sqlite):
    """Issue 16.3: at 2024-06, one bank having moved from 农商行 to 省内法人 in 2023-07, grouping each month by the type
    then in force showed +585 % and -3.7 % (like-for-like: +138 % and +24.3 %). Restated, the table shows the like-for-like growth and names the bank."""
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    at.selectbox(key="app_period_1").set_value(dt.date(2024, 6, 1)).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "同比（%）" in d.value.columns and "省内法人银行" in set(d.value["类别"])).set_index("类别")
    from data_access.db import make_engine
    from sqlalchemy import text

    sql = ("SELECT SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
           "JOIN institution i ON i.id = f.institution_id WHERE f.park_id = 1 AND f.is_green AND s.is_current "
           "AND s.period = :p AND i.inst_type = :t")
    with make_engine(demo_sqlite.url).connect() as conn:  # the current type is the type in force at 2024-06 here
        for code, zh in (("provincial_legal", "省内法人银行"), ("local_legal", "农商行等地方法人银行")):
            now, before = (conn.execute(text(sql), {"p": p, "t": code}).scalar() for p in ("2024-06-01", "2023-06-01"))
            assert table.loc[zh, "同比（%）"] == pytest.approx(round((now / before - 1) * 100, 1))
    assert table.loc["省内法人银行", "同比（%）"] < 200  # not the +585 % of the unrestated base
    assert any("期间调整类型的机构" in c.value and "2023-07起由农商行等地方法人银行调整为省内法人银行" in c.value for c in at.caption)


def test_leader_sees_no_loans_in_the_drill_down(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.switch_page("pages/green_finance.py").run()
    at.selectbox(key="gf_type").set_value("state_owned").run()
    at.selectbox(key="gf_inst").set_value(3).run()
    assert "贷款明细仅对" in at.info[-1].value


def test_institution_comparison_ranks_everyone(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/institutions.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    compare = next(f for f in frames if "排名" in f.columns)
    ranks = [int(r) for r in compare["排名"] if r != "—"]
    assert len(compare) == 18 and ranks == sorted(ranks) and len(ranks) == 16  # the 2 leasing firms are not assessed
    assert (compare[compare["排名"] == "—"]["考核得分"] == "不参评（非银行机构）").all()
    explained = next(f for f in frames if "考核项" in f.columns)
    assert len(explained) == 7
    selected = at.selectbox(key="in_pick_1").value
    from data_access.db import make_engine
    from sqlalchemy import text

    with make_engine(demo_sqlite.url).connect() as conn:
        name = conn.execute(text("SELECT short_name FROM institution WHERE id = :i"), {"i": selected}).scalar()
    own_total = float(compare.set_index("机构").loc[name, "考核得分"])
    assert explained["计入总分"].sum() == pytest.approx(own_total, abs=0.06)  # the parts add up to the score shown


def test_a_reporter_sees_its_score_among_all_banks_not_against_itself(monkeypatch, demo_sqlite):
    """Issue 16.2: the reporter saw market share 100 %, rank 1 of 1 and its own-population score."""
    analyst = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    analyst.switch_page("pages/institutions.py").run()
    compare = next(d.value for d in analyst.dataframe if "排名" in d.value.columns).set_index("机构")
    reporter = demo_user(demo_sqlite.url, "institution_reporter")
    from data_access.db import make_engine
    from sqlalchemy import text

    with make_engine(demo_sqlite.url).connect() as conn:
        name = conn.execute(text("SELECT short_name FROM institution WHERE id = :i"), {"i": reporter.institution_id}).scalar()
    at = sign_in(monkeypatch, demo_sqlite.url, "institution_reporter")
    at.switch_page("pages/institutions.py").run()
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    share = metrics["占园区绿色贷款"].value
    assert share != "100.0%" and share == f"{compare.loc[name, '占园区绿色贷款（%）']:.1f}%"
    score = next(m for label, m in metrics.items() if label.endswith("考核得分"))
    assert score.value == compare.loc[name, "考核得分"]  # the analyst's figure, to the decimal
    assert "园区中位数" in score.delta and "名" not in score.delta  # no rank unless the PBOC allows it
    own_rows = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    assert list(own_rows["机构"]) == [name] and list(own_rows["排名"]) == ["—"]


def test_forecast_page_and_a_scenario_change(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.switch_page("pages/forecast.py").run()
    assert not at.exception, [e.value for e in at.exception]
    sentences = [m.value for m in at.markdown if "按目前趋势" in m.value]
    assert len(sentences) == 5 and "达标概率约" in sentences[0]
    table = next(d.value for d in at.dataframe if "情景（2030）" in d.value.columns)
    assert table["差异"].str.match(r"^[+-]0\.0+ ").all(), table["差异"].tolist()  # untouched sliders: the trend
    at.slider(key="fc_mw").set_value(100).run()
    table = next(d.value for d in at.dataframe if "情景（2030）" in d.value.columns).set_index("指标")
    assert table.loc["碳排放总量", "差异"].startswith("-")  # more own renewables, fewer emissions
    assert table.loc["绿电消费占比", "差异"].startswith("+")


def test_risk_page_runs_rules_and_takes_a_loop_step(monkeypatch, migrated_db_with_demo):
    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "pboc_analyst")
    at.switch_page("pages/risk.py").run()
    assert not at.exception
    at.button(key="rk_run").click().run()
    assert "规则已运行，新增" in at.success[0].value
    queue = next(d.value for d in at.dataframe if "建议措施" in d.value.columns)
    identified = queue[queue["状态"] == "识别"]["预警编号"].iloc[0]
    at.selectbox(key="rk_pick").set_value(int(identified)).run()
    at.radio(key="rk_to").set_value("assessed")
    at.text_area(key="rk_note_text").input("已核实：企业排放强度确有上升")
    at.button(key="FormSubmitter:rk_step-提交").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "预警已转入“研判”" in at.success[0].value
    from data_access.db import make_engine
    from data_access import risk_store

    with make_engine(url).connect() as conn:
        history = risk_store.load_alert_history(conn, int(identified))
    assert history["to_state"].tolist() == ["identified", "assessed"]
    assert history["note"].iloc[-1] == "已核实：企业排放强度确有上升"
    # The screen shows the step at once: the queue's state and the alert's history.
    queue = next(d.value for d in at.dataframe if "建议措施" in d.value.columns)
    assert queue.set_index("预警编号").loc[identified, "状态"] == "研判"


def test_an_admin_changes_the_assessment_weights_and_the_page_shows_them(monkeypatch, migrated_db_with_demo):
    at = sign_in(monkeypatch, migrated_db_with_demo.url, "admin")
    at.switch_page("pages/institutions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    before = _weights_on_screen(at)
    assert abs(sum(before.values()) - 1) < 1e-9 and set(before) >= {"绿色贷款占比", "绿色贷款市场份额"}
    rows = list(before)
    at.session_state["in_weights_editor"] = {"edited_rows": {rows.index("绿色贷款占比"): {"weight": before["绿色贷款占比"] + 0.05},
                                                              rows.index("绿色贷款市场份额"): {"weight": before["绿色贷款市场份额"] - 0.05}},
                                             "added_rows": [], "deleted_rows": []}
    at.button(key="in_weights_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = _weights_on_screen(at)
    assert round(after["绿色贷款占比"], 2) == round(before["绿色贷款占比"] + 0.05, 2)
    assert round(after["绿色贷款市场份额"], 2) == round(before["绿色贷款市场份额"] - 0.05, 2)


def _weights_on_screen(at: AppTest) -> dict[str, float]:
    """The weights the institutions page's editor shows, by item name (the editor's data; headers are column_config)."""
    df = next(d.value for d in at.dataframe if "weight" in d.value.columns)
    return dict(zip(df["item"], df["weight"].astype(float)))


def test_leader_sees_the_risk_page_but_takes_no_step(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.switch_page("pages/risk.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "rk_run"]
    assert any("没有可执行的操作" in c.value for c in at.caption)


def _committee_on(monkeypatch, url: str, page: str) -> AppTest:
    at = sign_in(monkeypatch, url, "park_committee")
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_committee_changes_a_stage_in_the_page_and_sees_it_in_the_history(monkeypatch, migrated_db_with_demo):
    from data_access import project_store
    from data_access.db import make_engine
    from data_access.models import Project

    url = migrated_db_with_demo.url
    with make_engine(url).connect() as conn:  # a project under construction, which now goes into operation
        pid, code = conn.execute(select(Project.id, Project.code).where(Project.park_id == 1, Project.stage == "construction")
                                 .order_by(Project.id)).first()
    at = _committee_on(monkeypatch, url, "pages/projects.py")
    table = next(d.value for d in at.dataframe if "融资需求" in d.value.columns)
    assert "资金不足" in "".join(table["提示"])  # projects short of money stand out
    assert table.set_index("编号").loc[code, "阶段"] == "建设"
    at.selectbox(key="pj_pick").set_value(pid).run()
    at.selectbox(key="pj_new_stage").set_value("operation")
    at.text_input(key="pj_stage_note").input("已投产")
    at.button(key="FormSubmitter:pj_form_stage-保存").click().run()
    assert not at.exception and "已保存" in at.success[0].value
    with make_engine(url).connect() as conn:
        history = project_store.load_history(conn, project_id=pid)
    assert history.iloc[0][["actor", "action"]].tolist() == ["demo_committee", "stage_changed"]
    assert history.iloc[0]["detail"]["to"] == "operation" and history.iloc[0]["detail"]["note"] == "已投产"
    # What the screen shows after the edit: the table's stage, and the history in words.
    table = next(d.value for d in at.dataframe if "融资需求" in d.value.columns)
    assert table.set_index("编号").loc[code, "阶段"] == "运营"
    shown = next(d.value for d in at.dataframe if "变更" in d.value.columns)
    assert shown.iloc[0][["处理人", "变更"]].tolist() == ["demo_committee", "阶段变更"]
    assert shown.iloc[0]["内容"] == "建设 → 运营；说明：已投产"


def test_committee_assigns_a_lead_bank_and_a_milestone_and_the_table_shows_both(monkeypatch, migrated_db_with_demo):
    from data_access.db import make_engine
    from data_access.models import Institution, Project

    url = migrated_db_with_demo.url
    at = _committee_on(monkeypatch, url, "pages/projects.py")
    at.selectbox(key="pj_pick").set_value(2).run()
    with make_engine(url).connect() as conn:
        code, lead = conn.execute(select(Project.code, Project.lead_bank_id).where(Project.id == 2)).one()
        other_id, other = conn.execute(select(Institution.id, Institution.short_name).where(Institution.id != lead)
                                       .order_by(Institution.id)).first()
    at.selectbox(key="pj_new_lead").set_value(other_id)
    at.button(key="FormSubmitter:pj_form_lead-保存").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    row = next(d.value for d in at.dataframe if "融资需求" in d.value.columns).set_index("编号").loc[code]
    assert row["主办银行"] == other
    planned = dt.date.today() + dt.timedelta(days=3)  # sooner than any demo milestone: it becomes the next one
    at.text_input(key="pj_ms_name").input("并网验收")
    at.date_input(key="pj_ms_planned").set_value(planned)
    at.button(key="FormSubmitter:pj_form_ms-保存").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    row = next(d.value for d in at.dataframe if "融资需求" in d.value.columns).set_index("编号").loc[code]
    assert row["下一节点"] == f"并网验收 {planned:%Y-%m-%d}"
    history = next(d.value for d in at.dataframe if "变更" in d.value.columns)
    assert history["变更"].tolist()[:2] == ["新增节点", "主办银行变更"]
    assert history["内容"].iloc[1].endswith(f"→ {other}")


def test_an_invalid_new_project_is_refused_and_nothing_changes(monkeypatch, migrated_db_with_demo):
    from sqlalchemy import func

    from data_access.db import make_engine
    from data_access.models import AuditLog, Project

    url = migrated_db_with_demo.url
    count = lambda conn, t: conn.execute(select(func.count()).select_from(t)).scalar_one()  # noqa: E731
    at = _committee_on(monkeypatch, url, "pages/projects.py")  # the sign-in itself is audited: count after it
    with make_engine(url).connect() as conn:
        before = (count(conn, Project), count(conn, AuditLog))
    shown_before = len(next(d.value for d in at.dataframe if "融资需求" in d.value.columns))
    at.text_input(key="pj_add_name").input("园区储能电站")
    at.number_input(key="pj_add_investment").set_value(-500.0)
    at.date_input(key="pj_add_start").set_value(dt.date(2027, 6, 1))
    at.date_input(key="pj_add_end").set_value(dt.date(2027, 1, 1))
    at.button(key="FormSubmitter:pj_form_add-保存").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "总投资（万元）不能为负数（填写了-500.0）" in message and "计划完工日期2027-01-01早于开工日期2027-06-01" in message
    with make_engine(url).connect() as conn:
        assert (count(conn, Project), count(conn, AuditLog)) == before
    at.number_input(key="pj_add_investment").set_value(5_000.0)
    at.number_input(key="pj_add_need").set_value(3_000.0)
    at.date_input(key="pj_add_end").set_value(dt.date(2028, 1, 1))
    at.button(key="FormSubmitter:pj_form_add-保存").click().run()
    assert not at.error and "已保存" in at.success[0].value
    with make_engine(url).connect() as conn:
        assert (count(conn, Project), count(conn, AuditLog)) == (before[0] + 1, before[1] + 1)
    # The screen shows it at once: one more row in the table, the new project among them, the count metric up by one.
    table = next(d.value for d in at.dataframe if "融资需求" in d.value.columns)
    assert len(table) == shown_before + 1 and "园区储能电站" in table["项目"].tolist()
    assert next(m.value for m in at.metric if m.label == "项目数") == f"{shown_before + 1} 个"


def test_committee_publishes_a_whitelist_version_only_with_reasons(monkeypatch, migrated_db_with_demo):
    from data_access import whitelist_store
    from data_access.db import make_engine

    url = migrated_db_with_demo.url
    at = _committee_on(monkeypatch, url, "pages/whitelist.py")
    assert at.subheader[0].value.startswith("现行白名单：第2版")
    at.button(key="wl_publish").click().run()
    assert "移出企业须填写理由" in at.error[0].value  # the demo's new scores drop some listed enterprises
    with make_engine(url).connect() as conn:
        assert whitelist_store.load_versions(conn, park_id=1)["version"].max() == 2
    # A threshold of 0 leaves only the enterprises on the guideline's negative list to remove; give each a reason.
    # (The three planted cases, and one enterprise at carbon grade 5 against its sector benchmark with no
    # transition plan.)
    at.number_input(key="wl_min").set_value(0.0).run()
    reasons = next(d.value for d in at.dataframe if "移出理由" in d.value.columns and "enterprise_id" in d.value.columns)
    assert len(reasons) == 4
    at.session_state["wl_reasons"] = {"edited_rows": {i: {"移出理由": "列入融资指引负面清单"} for i in range(len(reasons))},
                                      "added_rows": [], "deleted_rows": []}
    at.button(key="wl_publish").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "第3版已发布" in at.success[0].value
    assert at.subheader[0].value.startswith("现行白名单：第3版")  # the page shows the new version at once
    with make_engine(url).connect() as conn:
        versions = whitelist_store.load_versions(conn, park_id=1)
    assert versions["version"].tolist() == [1, 2, 3] and versions["min_score"].iloc[-1] == 0.0
    with make_engine(url).connect() as conn:
        entries = whitelist_store.load_entries(conn, version_id=int(versions["id"].iloc[-1]))
    assert set(entries.loc[entries["action"] == "removed", "reason"]) == {"列入融资指引负面清单"}


def test_library_search_and_matching(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/library.py").run()
    at.text_input(key="lib_q").input("碳配额").run()
    found = next(d.value for d in at.dataframe if "内容" in d.value.columns)
    assert "碳配额质押贷款" in found["名称"].tolist()
    matches = next(d.value for d in at.dataframe if "匹配理由" in d.value.columns)
    assert matches["排名"].tolist()[:2] == [1, 2] and all(matches["匹配理由"].str.len() > 0)


def test_the_metric_catalogue_and_the_definition_beside_every_kpi(monkeypatch, demo_sqlite):
    """Issue 16: a 指标口径 page; every KPI and chart carries a 口径 popover with its entry; assumptions are marked."""
    from dashboard import catalogue

    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    assert not at.exception
    texts = [m.value for m in at.markdown]
    for code in OVERVIEW_CODES:  # each KPI card holds its entry
        name = catalogue.entries()[code].name[0]
        assert any(t.startswith(f"**{name}**") and "公式" in t for t in texts), code
    assert any("单位能耗碳排放" in t and "正式文件" in t for t in texts)
    at.switch_page("pages/indicators.py").run()
    assert not at.exception and at.title[0].value == "指标口径"
    frames = [d.value for d in at.dataframe]
    listed = next(f for f in frames if "阈值与目标（性质）" in f.columns)
    assert len(listed) == len(catalogue.entries()) and "企业碳效等级" in set(listed["指标"])
    reference = next(f for f in frames if "性质" in f.columns and "参数" in f.columns)
    assert {"正式文件", "假设"} <= set(reference["性质"])
    rules = next(f for f in frames if "规则" in f.columns)
    assert (rules["性质"] == "假设").all() and len(rules) >= 12
    assert not any(re.search(r"[a-z]_[a-z]", str(v)) for v in rules["阈值"])  # parameter names, not raw ids


def test_an_anonymous_visitor_is_never_offered_to_create_the_first_admin(monkeypatch, migrated_db):
    """Issue 22.1: with real data and no admin, the sign-in page offered an anonymous visitor an admin account."""
    import subprocess
    import sys
    from pathlib import Path

    from sqlalchemy import insert

    from data_access.models import Park

    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    with migrated_db.engine.begin() as conn:
        conn.execute(insert(Park).values(code="REAL-1", name_zh="真实园区", name_en="Real park", centre_lat=37.8,
                                         centre_lon=113.5, is_demo=False))
    at = start(monkeypatch, migrated_db.url).run()
    assert not at.exception
    assert "create-admin" in at.error[0].value
    assert not at.text_input and not at.button  # no form at all: nothing to create, nothing to sign in with
    with migrated_db.engine.connect() as conn:
        assert conn.execute(select(AppUser.id)).first() is None
    root = Path(__file__).resolve().parents[2]
    made = subprocess.run([sys.executable, "-m", "cli", "--database-url", migrated_db.url, "create-admin",
                           "--password-stdin"], input="Cli-admin-pass-1\n", cwd=root, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    at = start(monkeypatch, migrated_db.url).run()
    at.text_input(key="auth_username").input("admin")
    at.text_input(key="auth_password").input("Cli-admin-pass-1")
    at.button[0].click().run()
    assert not at.exception and at.session_state["auth_user"].role == "admin"


def test_a_deactivated_or_changed_account_loses_its_pages_at_the_next_run(monkeypatch, migrated_db_with_demo):
    """Issue 22.3: sessions kept the pages of an account deactivated or given another role while signed in."""
    from dashboard import auth_ui
    from data_access import auth as accounts
    from data_access.db import make_engine

    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    assert not at.exception and at.title[0].value.endswith("）")
    with make_engine(url).begin() as conn:
        accounts.set_role(conn, actor="admin", username="demo_analyst", role="publicity")
    auth_ui._account.clear()  # accounts are re-read at most every 5 s; do not wait here
    at.switch_page("pages/institutions.py").run()
    assert "无权打开此页面" in at.error[0].value  # publicity may not open 机构画像 any more
    with make_engine(url).begin() as conn:
        accounts.set_role(conn, actor="admin", username="demo_analyst", role="publicity", is_active=False)
    auth_ui._account.clear()
    at.switch_page("pages/overview.py").run()
    assert at.title[0].value.endswith("登录") and "账户已被停用" in at.warning[0].value


def _screen_check(idle_minutes: float) -> None:
    """Run inside AppTest: the big screen's fragment check for a session last touched `idle_minutes` ago."""
    import datetime as dt
    import os

    import streamlit as st

    from dashboard import auth_ui
    from data_access import auth as accounts
    from data_access.db import make_engine

    with make_engine(os.environ["DATABASE_URL"]).connect() as conn:
        st.session_state[auth_ui.SESSION_USER] = accounts.load_account(conn, int(os.environ["SCREEN_USER_ID"]))
    st.session_state[auth_ui.SESSION_SEEN] = dt.datetime.now() - dt.timedelta(minutes=idle_minutes)
    st.markdown(f"valid={auth_ui.screen_session_valid(os.environ['DATABASE_URL'])}")


@pytest.mark.parametrize(("idle", "valid"), [(10, True), (300, False)])
def test_the_self_refreshing_screen_does_not_outlive_the_idle_timeout(monkeypatch, demo_sqlite, idle, valid):
    """Issue 22.3: the big screen's fragment kept refreshing data past the idle timeout (240 minutes)."""
    monkeypatch.setenv("DATABASE_URL", demo_sqlite.url)
    monkeypatch.setenv("SCREEN_USER_ID", str(demo_user(demo_sqlite.url, "leader").id))
    at = AppTest.from_function(_screen_check, args=(idle,), default_timeout=60).run()
    assert not at.exception and at.markdown[0].value == f"valid={valid}"


def test_a_demo_session_ends_when_real_data_arrives(monkeypatch, migrated_db_with_demo):
    """Issue 22.2: a demo session opened before real data arrived kept working, and saw the real bank."""
    from sqlalchemy import insert

    from dashboard import auth_ui
    from data_access.db import make_engine
    from data_access.models import Institution

    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "pboc_analyst")
    with make_engine(url).begin() as conn:
        conn.execute(insert(Institution).values(code="RB-1", name="真实银行甲", short_name="真实银行甲", inst_type="state_owned"))
    auth_ui._demo_only.clear()  # re-read at most every 5 s; do not wait here
    at.switch_page("pages/institutions.py").run()
    assert at.title[0].value.endswith("登录") and "演示账户已停用" in at.warning[0].value
    assert not [b for b in at.button if str(b.key or "").startswith("auth_demo_")]  # no demo buttons any more
