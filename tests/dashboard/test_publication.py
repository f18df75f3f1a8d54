"""Publication outputs against the database: headline figures, sentences, PNG export, the Word briefing,
frozen snapshots and briefing submission (issue 10)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from PIL import Image
from sqlalchemy import func, select, update

from dashboard import briefing, exports, publication, screen
from data_access import publication_store
from data_access.models import CreditFacility, CreditSnapshot, Institution, Park, Task
from data_access.scope import Scope
from data_access.taxonomy import BANK_TYPES
from tests.conftest import LAST_MONTH

KALEIDO_OK = __import__("pathlib").Path("/usr/bin/chromium").exists()
needs_chromium = pytest.mark.skipif(not KALEIDO_OK, reason="PNG export needs Chromium (apt-get install chromium)")


def _park_id(conn, code="YQ-HTZ") -> int:
    return conn.execute(select(Park.id).where(Park.code == code)).scalar_one()


def _green_balance(conn, park_id: int, period: dt.date, institution_id: int | None = None) -> float:
    """Green loans at a month end straight from the snapshot table, 万元: banks' facilities only (a leasing
    firm's green leasing is not a loan)."""
    f, s = CreditFacility, CreditSnapshot
    q = (select(func.sum(s.balance)).join(f, f.id == s.facility_id)
         .where(f.park_id == park_id, f.is_green.is_(True), s.is_current.is_(True), s.period == period,
                s.inst_type.in_(BANK_TYPES)))
    if institution_id:
        q = q.where(f.institution_id == institution_id)
    return float(conn.execute(q).scalar_one() or 0)


def _total_balance(conn, park_id: int, period: dt.date) -> float:
    f, s = CreditFacility, CreditSnapshot
    return float(conn.execute(select(func.sum(s.balance)).join(f, f.id == s.facility_id)
                              .where(f.park_id == park_id, s.is_current.is_(True), s.period == period,
                                     s.inst_type.in_(BANK_TYPES))).scalar_one())


@pytest.fixture(scope="module")
def park_bundle(demo_db):
    with demo_db.engine.connect() as conn:
        pid = _park_id(conn)
        return publication.gather(conn, park_id=pid, period=LAST_MONTH, scope=Scope("pboc_analyst"))


def test_headline_figures_equal_the_database(demo_db, park_bundle):
    h = publication.headline(park_bundle)
    year_ago = LAST_MONTH.replace(year=LAST_MONTH.year - 1)
    prev = dt.date(2026, 9, 1)
    with demo_db.engine.connect() as conn:
        pid = park_bundle.park["id"]
        now, ya, pm = (_green_balance(conn, pid, d) for d in (LAST_MONTH, year_ago, prev))
        total_now, total_ya = _total_balance(conn, pid, LAST_MONTH), _total_balance(conn, pid, year_ago)
    assert h["green_balance_yi"] == pytest.approx(now / 1e4)
    assert h["green_mom_yi"] == pytest.approx((now - pm) / 1e4)
    assert h["green_yoy_pct"] == pytest.approx((now / ya - 1) * 100)
    assert h["total_yoy_pct"] == pytest.approx((total_now / total_ya - 1) * 100)
    assert h["yoy_gap_pp"] == pytest.approx(h["green_yoy_pct"] - h["total_yoy_pct"])
    assert h["green_share_pct"] == pytest.approx(now / total_now * 100)
    with demo_db.engine.connect() as conn:  # the task figures, counted in SQL
        year_tasks = select(func.count()).select_from(Task).where(Task.park_id == pid, Task.year == LAST_MONTH.year)
        due = conn.execute(year_tasks.where(Task.due_date <= dt.date(2026, 10, 31))).scalar_one()
        done = conn.execute(year_tasks.where(Task.status == "done")).scalar_one()
        overdue = conn.execute(year_tasks.where(Task.due_date <= dt.date(2026, 10, 31), Task.status != "done")).scalar_one()
    assert (h["tasks_due"], h["tasks_done"], h["tasks_overdue"]) == (due, done, overdue) and due > 0


def test_sentences_are_written_from_the_figures(park_bundle):
    h = publication.headline(park_bundle)
    first = publication.sentences(h, LAST_MONTH, "zh", "园区")[0]
    gap = round(h["green_yoy_pct"], 1) - round(h["total_yoy_pct"], 1)  # the printed rates' difference, as a reader checks
    word = "高于" if gap >= 0 else "低于"
    verb = "增长" if h["green_yoy_pct"] >= 0 else "下降"
    assert first == (f"10月末，园区绿色贷款余额{h['green_balance_yi']:,.2f}亿元，同比{verb}{abs(h['green_yoy_pct']):.1f}%，"
                     f"{word}各项贷款增速{abs(gap):.1f}个百分点。")
    en = publication.sentences(h, LAST_MONTH, "en", "the park")[0]
    assert en.startswith("At the end of October 2026, green loans of the park stood at")


def test_a_missing_figure_drops_its_sentence_instead_of_printing_blanks():
    h = dict.fromkeys(["green_balance_yi", "green_mom_yi", "green_yoy_pct", "total_yoy_pct", "yoy_gap_pp",
                       "green_share_pct", "green_npl_pct", "green_power_share_pct", "green_power_change_pp",
                       "emissions_t12_t", "emissions_change_pct", "task_completion_pct"])
    h.update(open_alerts=2, open_alerts_year_ago=1, tasks_due=0, tasks_done=0, tasks_overdue=0)
    assert publication.sentences(h, LAST_MONTH, "zh", "园区") == ["月末未办结风险预警2条（上年同期1条）。"]


def test_the_key_charts_say_what_they_show_and_when_the_data_ends(park_bundle):
    figs = publication.build_charts(park_bundle, "zh")
    assert list(figs) == list(publication.CHART_CODES)
    for code, fig in figs.items():
        assert fig.layout.title.text, code
        assert any(a.yshift == -62 and a.text.startswith("数据来源") for a in fig.layout.annotations), code
    pub = publication.publication_figure(figs["green_loans"], data_end=dt.date(2026, 10, 31), lang="zh", unit="亿元")
    assert "2026-10-31" in pub.layout.title.subtitle.text
    assert pub.layout.width == exports.EXPORT_WIDTH
    assert any("单位：亿元" in a.text for a in pub.layout.annotations)
    assert figs["green_loans"].layout.width is None  # the page's own figure is left alone


def _blank(png: bytes) -> tuple[tuple[int, int], int]:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20)
    return img.size, len(colours)


@needs_chromium
@pytest.mark.parametrize("scale", exports.SCALES)
def test_exported_png_has_the_expected_size_and_is_not_blank(park_bundle, scale):
    fig = publication.publication_figure(publication.build_charts(park_bundle, "zh", ("by_type",))["by_type"],
                                         data_end=dt.date(2026, 10, 31), lang="zh")
    size, colours = _blank(exports.to_png(fig, scale=scale))
    assert size == (exports.EXPORT_WIDTH * scale, int(fig.layout.height) * scale)
    assert colours > 50  # text (CJK glyphs anti-aliased), bars, axes: a blank or failed render has 1-2


@needs_chromium
def test_gallery_zip_holds_one_png_per_chart_and_the_captions(park_bundle):
    figs = publication.build_charts(park_bundle, "zh", ("green_loans", "tasks"))
    named = {exports.file_stem("YQ-HTZ", c, LAST_MONTH): publication.publication_figure(f, data_end=None, lang="zh")
             for c, f in figs.items()}
    with zipfile.ZipFile(io.BytesIO(exports.zip_pngs(named, scale=2))) as z:
        assert sorted(z.namelist()) == ["YQ-HTZ_green_loans_2026-10.png", "YQ-HTZ_tasks_2026-10.png", "captions.txt"]
        size, colours = _blank(z.read("YQ-HTZ_tasks_2026-10.png"))
        assert size[0] == 2 * exports.EXPORT_WIDTH and colours > 50
        captions = [line.split("\t") for line in z.read("captions.txt").decode().splitlines()]
        assert captions[0] == ["文件", "标题", "副标题（内容、期间、数据截至）", "来源"]
        assert len(captions) == 3 and all(len(row) == 4 and all(cell.strip() for cell in row) for row in captions[1:])
        assert "绿色贷款余额" in captions[1][1] and "数据来源" in captions[1][3] and "阳泉" in captions[1][2]


def test_png_scale_outside_2_and_3_is_refused(park_bundle):
    with pytest.raises(ValueError, match="scale must be one of"):
        exports.to_png(publication.build_charts(park_bundle, "zh", ("tasks",))["tasks"], scale=1)


def _docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]], int]:
    doc = Document(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [p.text for p in doc.paragraphs], tables, len(doc.inline_shapes)


@needs_chromium
def test_briefing_document_opens_and_its_numbers_equal_the_database(demo_db, park_bundle):
    content = briefing.compose(park_bundle, "zh", sections={"work": "一是开展绿色金融专项行动。\n二是推广碳效贷。"},
                               issued_on=dt.date(2026, 11, 5))
    paras, tables, images = _docx_text(briefing.document(content))
    with demo_db.engine.connect() as conn:
        green = _green_balance(conn, park_bundle.park["id"], LAST_MONTH) / 1e4
        green_prev = _green_balance(conn, park_bundle.park["id"], dt.date(2026, 9, 1)) / 1e4
    assert paras[0] == "零碳金融简报" and paras[1] == "2026年第10期"
    assert paras[2].startswith("中国人民银行阳泉市分行") and "2026-11-05" in paras[2]
    assert f"园区绿色贷款余额{green:,.2f}亿元" in "".join(paras)
    figures = {row[0]: row for row in tables[0]}
    row = figures["绿色贷款余额（亿元）"]
    assert row[1] == f"{green:,.2f}" and row[2] == f"{green_prev:,.2f}" and row[3] == f"{round(green, 2) - round(green_prev, 2):+,.2f}"  # between the printed figures
    for heading in ("一、总体情况", "二、主要指标", "三、图表", "五、任务清单推进情况", "六、工作开展情况", "九、下一步工作计划"):
        assert heading in paras, heading
    assert "二是推广碳效贷。" in paras and "（待填写）" in paras  # written sections, then the unfilled ones
    assert images == len(briefing.DOC_CHARTS)
    assert any(p.startswith("报：市人民政府办公室") for p in paras)
    # Demo data says so in the Word file too: under the title and in every page's header.
    assert "演示数据 · DEMO DATA：虚构的园区、机构与企业，数字不代表真实情况" in paras[4]
    header = Document(io.BytesIO(briefing.document(content))).sections[0].header.paragraphs[0].text
    assert header.startswith("⚠ 演示数据")


def test_an_institution_briefing_covers_that_institution_only(demo_db):
    with demo_db.engine.connect() as conn:
        pid = _park_id(conn)
        inst_id, name = conn.execute(select(Institution.id, Institution.short_name).where(Institution.code == "SO-1")).one()
        b = publication.gather(conn, park_id=pid, period=LAST_MONTH, scope=Scope("institution_reporter", inst_id))
        green = _green_balance(conn, pid, LAST_MONTH, inst_id) / 1e4
    content = briefing.compose(b, "zh")
    assert content["issuer"] != "中国人民银行阳泉市分行" and content["institution_code"] == "SO-1"
    assert content["headline"]["green_balance_yi"] == pytest.approx(green)
    assert content["sentences"][0].startswith(f"10月末，{name}绿色贷款余额{green:,.2f}亿元")
    assert briefing.file_name(content) == "零碳金融简报_SO-1_2026-10.docx"


def test_a_snapshot_stays_unchanged_after_a_data_revision(demo_db):
    with demo_db.engine.connect() as conn:
        tx = conn.begin()
        try:
            pid = _park_id(conn)
            b = publication.gather(conn, park_id=pid, period=LAST_MONTH, scope=Scope("pboc_analyst"))
            figs = publication.build_charts(b, "zh")
            sid = publication_store.save_snapshot(conn, park_id=pid, title="联席会议 2026-11", created_by="demo_leader",
                                                  payload=publication.snapshot_payload(b, "zh", figs, data_version="v1"))
            before = publication_store.load_snapshot(conn, sid, park_id=pid)
            # A revision: every green loan of the month doubles.
            green_ids = select(CreditFacility.id).where(CreditFacility.park_id == pid, CreditFacility.is_green.is_(True))
            conn.execute(update(CreditSnapshot).where(CreditSnapshot.period == LAST_MONTH, CreditSnapshot.facility_id.in_(green_ids))
                         .values(balance=CreditSnapshot.balance * Decimal(2)))
            revised = publication.headline(publication.gather(conn, park_id=pid, period=LAST_MONTH, scope=Scope("pboc_analyst")))
            after = publication_store.load_snapshot(conn, sid, park_id=pid)
        finally:
            tx.rollback()
    h = before["payload"]["headline"]
    assert revised["green_balance_yi"] == pytest.approx(2 * h["green_balance_yi"])  # the live figure moved
    assert after["payload"] == before["payload"]  # the frozen one did not
    frozen = publication.snapshot_figures(after["payload"])
    assert list(frozen) == list(figs)
    assert frozen["green_loans"].layout.title.text == figs["green_loans"].layout.title.text
    assert json.loads(frozen["green_loans"].to_json())["data"] == json.loads(figs["green_loans"].to_json())["data"]
    assert after["payload"]["sentences"][0].startswith(f"10月末，园区绿色贷款余额{h['green_balance_yi']:,.2f}亿元")


def test_snapshot_needs_a_title(demo_db):
    with demo_db.engine.connect() as conn, pytest.raises(ValueError, match="needs a title"):
        publication_store.save_snapshot(conn, park_id=1, title="  ", payload={}, created_by="x")


def test_briefing_draft_submit_lock_and_who_has_not_submitted(demo_db):
    with demo_db.engine.connect() as conn:
        tx = conn.begin()
        try:
            pid = _park_id(conn)
            ids = dict(conn.execute(select(Institution.code, Institution.id).where(Institution.code.in_(["SO-1", "SO-2", "PB-1"]))).all())
            common = dict(park_id=pid, period=LAST_MONTH, issue_no=10, title="t", body={"sections": {"work": "a"}})
            publication_store.save_briefing(conn, institution_id=ids["SO-1"], user="r1", submit=False, **common)
            publication_store.save_briefing(conn, institution_id=ids["SO-1"], user="r1", submit=True, **common)
            publication_store.save_briefing(conn, institution_id=ids["SO-2"], user="r2", submit=False, **common)
            with pytest.raises(publication_store.BriefingLocked, match="submitted by r1"):
                publication_store.save_briefing(conn, institution_id=ids["SO-1"], user="r1", submit=False, **common)
            status = publication_store.submission_status(conn, park_id=pid, period=LAST_MONTH, institution_ids=list(ids.values()))
            other_month = publication_store.submission_status(conn, park_id=pid, period=dt.date(2026, 9, 1),
                                                              institution_ids=list(ids.values()))
        finally:
            tx.rollback()
    assert status[["code", "status", "submitted_by"]].values.tolist() == [
        ["PB-1", "missing", None], ["SO-2", "draft", None], ["SO-1", "submitted", "r1"]]
    assert set(other_month["status"]) == {"missing"}


def test_screen_rotation_follows_the_clock_and_tiles_escape_text():
    assert [screen.rotation_index(t, 20, 6) for t in (0, 19.9, 20, 119, 120)] == [0, 0, 1, 5, 0]
    assert screen.rotation_index(5, 20, 0) == 0
    html = screen.tiles_html([{"code": "x", "label": "<b>", "value": "1.0", "unit": "%", "status": "behind",
                               "status_text": "▲ 落后于进度", "change": "+1.0%"}])
    assert "&lt;b&gt;" in html and "▲ 落后于进度 · 同比+1.0%" in html  # growth named as growth, beside the status


def test_the_core_target_follows_the_park_method_in_every_bundle(demo_db):
    """Issue 16.1, on both databases: the briefing, gallery and big screen judge the core indicator against the
    band of the park's energy use under its own method (55.0万 tce by 当量值 -> ≤0.2; 107万 by 等价值 -> ≤0.3)."""
    from data_access.queries import set_park_electricity_method

    with demo_db.engine.connect() as conn:
        trans = conn.begin()
        try:
            pid = _park_id(conn)
            core = lambda b: b.targets.set_index("indicator").loc["carbon_per_energy"]  # noqa: E731
            calorific = core(publication.gather(conn, park_id=pid, period=LAST_MONTH, scope=Scope("pboc_analyst")))
            assert calorific["value"] == 0.2 and bool(calorific["is_assumption"]) and calorific["year"] == 2030
            set_park_electricity_method(conn, park_code="YQ-HTZ", method="coal_equivalent", actor="test")
            bundle = publication.gather(conn, park_id=pid, period=LAST_MONTH, scope=Scope("pboc_analyst"))
            assert bundle.method == "coal_equivalent" and core(bundle)["value"] == 0.3
            assert 1_000_000 <= bundle.monthly.loc[LAST_MONTH, "energy_tce_t12"] < 1_200_000
        finally:
            trans.rollback()


def test_the_english_briefing_states_emissions_in_kt(park_bundle):
    """万吨 for Chinese readers, kt for English ones: the same number times ten, never "ten-thousand tCO2"."""
    zh, en = briefing.compose(park_bundle, "zh"), briefing.compose(park_bundle, "en")
    row = lambda c: next(r for r in c["table"] if r["key"] == "emissions_t12_t")  # noqa: E731
    assert en["table"][[r["key"] for r in en["table"]].index("emissions_t12_t")]["label"] == "Emissions, 12 months (kt CO2)"
    assert row(en)["now"] == pytest.approx(row(zh)["now"] * 10, abs=0.05)  # each rounded as printed
    sentence = next(s for s in en["sentences"] if "kt CO2" in s)
    assert f"{row(zh)['now'] * 10:,.1f} kt CO2" in sentence and "ten-thousand" not in " ".join(en["sentences"])


def test_the_publicity_briefing_publishes_no_false_totals(demo_db):
    """Publicity hides alerts and small institution types: the briefing says so instead of printing 0 alerts or a
    task total over the published types only, and a "lowest" title speaks of the published types."""
    with demo_db.engine.connect() as conn:
        b = publication.gather(conn, park_id=_park_id(conn), period=LAST_MONTH, scope=Scope("publicity", None, True))
    content = briefing.compose(b, "zh")
    h = content["headline"]
    assert h["open_alerts"] is None and h["open_alerts_year_ago"] is None
    assert not any("风险预警" in s for s in content["sentences"])
    text = "\n".join(p.text for p in Document(io.BytesIO(briefing.document(content))).paragraphs)
    assert "风险预警涉及具体机构和企业，公开版本不予公开。" in text and "本期末无未办结风险预警" not in text
    if b.tasks.attrs.get("suppressed"):
        assert h["tasks_due"] is None and "任务完成情况合计不予公开" in text
        tasks = publication.build_charts(b, "zh", ("tasks",))["tasks"]
        assert tasks.layout.title.text.startswith("公开的机构类型中")
    tiles = {t["code"]: t for t in publication.kpi_tiles(b, "zh")}
    assert tiles["open_alerts"]["value"] == "—" and "不予公开" in tiles["open_alerts"]["status_text"]


def test_an_exported_chart_of_demo_data_says_so_in_its_corner(park_bundle):
    fig = publication.build_charts(park_bundle, "zh", ("green_loans",))["green_loans"]
    marked = publication.publication_figure(fig, data_end=None, lang="zh", demo=True)
    assert [a.text for a in marked.layout.annotations if a.name == "demo"] == ["⚠ 演示数据 · DEMO DATA"]
    assert not [a for a in publication.publication_figure(fig, data_end=None, lang="zh").layout.annotations if a.name == "demo"]
    content = briefing.compose(park_bundle, "zh")
    assert content["demo"] is True  # the demo park: its Word charts carry the mark too (briefing.chart_images)


def test_the_sentences_give_the_changes_the_briefing_table_prints():
    """Review of issue 17: the Word briefing's text said +2.86亿元 and +8.3个百分点 where its table, subtracting the
    printed figures, said +2.87 and +8.4."""
    h = dict.fromkeys(["green_yoy_pct", "total_yoy_pct", "yoy_gap_pp", "emissions_t12_t", "emissions_change_pct",
                       "task_completion_pct", "open_alerts"])
    h.update(emissions_t12_t=1_626_000.0, emissions_change_pct=-1.94)
    h.update(green_balance_yi=143.866, green_mom_yi=2.864, green_share_pct=30.6, green_npl_pct=0.44,
             green_power_share_pct=35.76, green_power_change_pp=35.76 - 27.44, tasks_due=0)
    text = " ".join(publication.sentences(h, LAST_MONTH, "zh", "园区"))
    assert "较上月末增加2.87亿元" in text  # printed 143.87 and 141.00, not the unrounded 2.864
    assert "较上年同期提高8.4个百分点" in text  # 35.8 - 27.4, not the unrounded 8.32; a rise said as one
    assert "同比下降1.9%" in text and "变动" not in text  # a fall said as one, never "同比变动-1.9%"
