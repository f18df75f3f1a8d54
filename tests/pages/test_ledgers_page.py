"""工作台账 on screen (issue 23): each role sees its ledgers and only the entries it may, the tiles and sentences are
those of the database, and an imported entry shows on the next run."""

from __future__ import annotations

from sqlalchemy import text

from dashboard import data, i18n
from data_access.ingest.kinds import KINDS
from data_access.ingest.load import run_import
from tests.conftest import TODAY
from tests.data_access.test_ingest import csv_bytes
from tests.pages.test_pages import sign_in

LABEL = lambda code: i18n.label("ledger", code, "zh")  # noqa: E731


def tab_labels(at) -> list[str]:
    return [t.label for t in at.tabs]


def frames_with(at, column: str):
    return [d.value for d in at.dataframe if column in d.value.columns]


def test_the_analyst_sees_six_ledgers_with_the_database_figures(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/ledgers.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert tab_labels(at) == [LABEL(c) for c in ("adviser", "fx", "exemption", "payment", "outreach", "consultation")]
    with demo_sqlite.engine.connect() as conn:  # written by hand: January to October 2026, the month the app opens on
        services, financed = conn.execute(text(
            "SELECT COUNT(*), SUM(CASE WHEN status = 'financed' THEN amount ELSE 0 END) FROM ledger_entry "
            "WHERE park_id = 1 AND ledger = 'adviser' AND entry_date BETWEEN '2026-01-01' AND '2026-10-31'")).one()
        usd = conn.execute(text("SELECT SUM(amount_usd) FROM ledger_entry WHERE park_id = 1 AND ledger = 'fx' "
                                "AND entry_date BETWEEN '2026-01-01' AND '2026-10-31'")).scalar_one()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[i18n.t("lg.m.services", "zh")] == f"{services:,} 次"
    assert tiles[i18n.t("lg.m.financing_followed", "zh")] == f"{float(financed) * 1e-4:,.2f} 亿元"
    assert tiles[i18n.t("lg.m.fx_usd", "zh")] == f"{float(usd) * 1e-4:,.2f} 亿美元"
    sentences = [m.value for m in at.markdown if m.value.startswith("**") and "2026年1—10月" in m.value]
    assert len(sentences) == 6
    assert f"金融顾问服务：2026年1—10月服务园区企业{services:,}次，促成融资{float(financed) * 1e-4:,.2f}亿元" in sentences[0]
    # the demo's late payment ledger: the last bank has not sent October
    assert any("未报送2026-10台账" in w.value for w in at.warning)


def test_a_reporter_sees_its_own_institution_in_the_four_institution_ledgers(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "institution_reporter")
    at.switch_page("pages/ledgers.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert tab_labels(at) == [LABEL(c) for c in ("adviser", "fx", "exemption", "payment")]
    keepers = {v for frame in frames_with(at, "机构或部门") for v in frame["机构或部门"]}
    with demo_sqlite.engine.connect() as conn:
        own = conn.execute(text("SELECT i.short_name FROM app_user u JOIN institution i ON i.id = u.institution_id "
                                "WHERE u.role = 'institution_reporter' AND u.is_demo")).scalar_one()
    assert keepers == {own}


def test_publicity_sees_the_held_columns_broadcasts_and_events_only(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "publicity")
    at.switch_page("pages/ledgers.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert tab_labels(at) == [LABEL("outreach")]
    entries = [f for f in frames_with(at, "类别") if "名称" in f.columns][-1]
    assert set(entries["类别"]) <= {"宣传专栏", "专题直播", "专场活动"} and len(entries) > 0
    assert set(entries["状态"]) == {"已举办"}


def test_a_leader_sees_the_sums_and_no_single_entry(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.switch_page("pages/ledgers.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.tabs) == 6
    assert not frames_with(at, "编号")  # no entry table
    assert i18n.t("lg.aggregates_only", "zh") in [c.value for c in at.caption]


def test_an_imported_entry_shows_on_the_next_run(monkeypatch, migrated_db_with_demo, tmp_path):
    monkeypatch.setenv("ARCHIVE_DIR", str(tmp_path / "archive"))
    at = sign_in(monkeypatch, migrated_db_with_demo.url, "pboc_analyst")
    at.switch_page("pages/ledgers.py").run(timeout=60)
    before = {m.label: m.value for m in at.metric}[i18n.t("lg.m.meetings", "zh")]
    kind = KINDS["ledger_consultation"]
    row = dict(kind.examples[0]) | {"ref": "HS-TEST-01", "entry_date": "2026-10-20", "title": "测试会商储能项目银团"}
    result = run_import(migrated_db_with_demo.engine, "ledger_consultation", csv_bytes([[row.get(c.key, "") for c in kind.columns]],
                        header=[c.header for c in kind.columns]), "hs.csv", actor="tester", today=TODAY)
    assert result.ok, [p.line() for p in result.problems]
    data.data_version.clear()  # pages re-read the data version at most every 5 s; do not wait for it here
    at.run(timeout=60)
    after = {m.label: m.value for m in at.metric}[i18n.t("lg.m.meetings", "zh")]
    assert int(after.split()[0]) == int(before.split()[0]) + 1
    decisions = [v for f in frames_with(at, "决定事项") for v in f["决定事项"]]
    assert "测试会商储能项目银团" in decisions



def test_the_consultations_show_each_department_attending(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "leader")
    at.switch_page("pages/ledgers.py").run(timeout=60)
    [attended] = frames_with(at, "参加会商（次）")
    with demo_sqlite.engine.connect() as conn:
        n = conn.execute(text("SELECT COUNT(*) FROM ledger_entry WHERE park_id = 1 AND ledger = 'consultation' "
                              "AND entry_date BETWEEN '2026-01-01' AND '2026-10-31'")).scalar_one()
    assert dict(zip(attended["部门"], attended["参加会商（次）"]))["人民银行阳泉市分行"] == n
