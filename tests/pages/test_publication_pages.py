"""Big screen, gallery, snapshots and briefing pages under AppTest (issue 10)."""

from sqlalchemy import select

from data_access import publication_store
from data_access.models import AppUser, Institution, Park, Snapshot
from tests.conftest import LAST_MONTH
from tests.pages.test_pages import sign_in


def test_big_screen_shows_tiles_position_and_one_rotating_chart(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.switch_page("pages/screen.py").run()
    assert not at.exception, [e.value for e in at.exception]
    html = "".join(md.value for md in at.markdown)
    assert html.count("data-testid='scr-tile'") == 6
    assert "2026-10月末" in html and "最后刷新" in html and "每20秒轮换" in html
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) == 2  # the 2030 position and the rotating chart
    assert at.button(key="scr_freeze")


def test_publicity_sees_the_screen_and_gallery_but_cannot_freeze(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "publicity")
    at.switch_page("pages/screen.py").run()
    assert not at.exception, [e.value for e in at.exception]
    keys = [b.key for b in at.button]
    assert "scr_freeze" not in keys
    at.switch_page("pages/gallery.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="gal_pick").value  # every chart chosen by default


def test_freezing_on_the_snapshots_page_and_reopening(monkeypatch, migrated_db_with_demo):
    url = migrated_db_with_demo.url
    at = sign_in(monkeypatch, url, "leader")
    at.switch_page("pages/snapshots.py").run()
    assert [i.value for i in at.info] == ["该园区还没有快照。"]
    at.text_input(key="snap_title").set_value("第三次联席会议")
    at.button(key="FormSubmitter:snap_new-冻结当前（2026-10）").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with migrated_db_with_demo.engine.connect() as conn:
        snap = conn.execute(select(Snapshot.id, Snapshot.title, Snapshot.created_by)).one()
    assert snap.title == "第三次联席会议" and snap.created_by == "demo_leader"
    banner = at.warning[0].value
    assert f"冻结快照 #{snap.id}「第三次联席会议」：demo_leader 冻结于" in banner and "2026-10月末" in banner
    assert len(at.get("plotly_chart")) == 7


def _reporter_institution(engine) -> tuple[int, str]:
    with engine.connect() as conn:
        inst_id = conn.execute(select(AppUser.institution_id).where(AppUser.role == "institution_reporter",
                                                                     AppUser.is_demo.is_(True))).scalar_one()
        return inst_id, conn.execute(select(Institution.short_name).where(Institution.id == inst_id)).scalar_one()


def test_an_institution_drafts_and_submits_its_briefing_and_the_pboc_sees_it(monkeypatch, migrated_db_with_demo):
    url, engine = migrated_db_with_demo.url, migrated_db_with_demo.engine
    inst_id, name = _reporter_institution(engine)
    at = sign_in(monkeypatch, url, "institution_reporter")
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == f"零碳金融简报：{name} 2026-10"
    assert any(md.value.startswith(f"- 10月末，{name}绿色贷款余额") for md in at.markdown)
    at.text_area(key="br_work").set_value("一是召开银企对接会。")
    at.button(key="FormSubmitter:br_form-保存草稿").click().run()
    assert [s.value for s in at.success] == ["草稿已保存。"]
    with engine.connect() as conn:
        park_id = conn.execute(select(Park.id).where(Park.code == "YQ-HTZ")).scalar_one()
        draft = publication_store.load_briefing(conn, park_id=park_id, institution_id=inst_id, period=LAST_MONTH)
    assert draft["status"] == "draft" and draft["body"]["sections"]["work"] == "一是召开银企对接会。"
    assert at.text_area(key="br_work").value == "一是召开银企对接会。"  # the draft comes back
    at.button(key="FormSubmitter:br_form-提交简报").click().run()
    messages = [s.value for s in at.success]
    assert messages[0].startswith("本期简报已于") and messages[0].endswith("由demo_reporter提交，不能再修改；可下载已提交的版本。")
    assert messages[1].startswith("已提交：demo_reporter")
    assert not at.text_area  # submitted: read-only

    pboc = sign_in(monkeypatch, url, "pboc_analyst")
    pboc.switch_page("pages/briefing.py").run()
    assert not pboc.exception, [e.value for e in pboc.exception]
    heading = [h.value for h in pboc.subheader if h.value.startswith("2026-10报送情况")]
    n = len(pboc.dataframe[-1].value)
    assert heading == [f"2026-10报送情况：已提交1/{n}家"]
    status = pboc.dataframe[-1].value.set_index("机构")
    assert status.loc[name, "状态"] == "✅ 已提交" and status.loc[name, "提交人"] == "demo_reporter"
    assert (status.drop(index=name)["状态"] == "⛔ 未提交").all()
