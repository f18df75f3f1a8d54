"""One bad row never takes a page down (issue 22, item 13): project and milestone dates outside 2000 to ten years
ahead (stored before imports checked them, or by hand) are left out of the charts, the page names the rows, and
the risk run still completes."""

from __future__ import annotations

from sqlalchemy import text

from dashboard.checks import after_load
from data_access import db
from tests.pages.test_pages import sign_in


def test_projects_page_shows_the_rest_and_names_the_bad_rows(monkeypatch, migrated_db_with_demo):
    engine = migrated_db_with_demo.engine
    with engine.begin() as conn:
        code, name = conn.execute(text("SELECT p.code, p.name FROM project p JOIN milestone m ON m.project_id = p.id "
                                       "WHERE m.id = 1")).one()
        conn.execute(text("UPDATE milestone SET planned_date = '9999-12-31' WHERE id = 1"))
        conn.execute(text("UPDATE milestone SET actual_date = '0001-01-01', status = 'done' WHERE id = 2"))
        conn.execute(text("UPDATE project SET start_date = '9999-12-31' WHERE id = 3"))
        db.bump_data_version(conn)
    with engine.begin() as conn:
        after_load(conn)  # the risk run reads milestones too; it must complete

    at = sign_in(monkeypatch, migrated_db_with_demo.url, "park_committee")
    for page in ("pages/projects.py", "pages/library.py", "pages/overview.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value[:300] for e in at.exception])
    at.switch_page("pages/projects.py").run()
    [warning] = [w.value for w in at.warning if "日期超出" in w.value]
    assert warning.startswith("3处日期超出2000年至十年后的范围")
    assert f"{code} {name}" in warning and "计划日期 9999-12-31" in warning and "实际完成日期 0001-01-01" in warning
    assert "开工日期 9999-12-31" in warning
    assert at.get("plotly_chart"), "the charts of the other projects are still drawn"


def test_the_feeds_quarantine_is_on_the_upload_page_for_the_analyst(monkeypatch, migrated_db_with_demo, tmp_path):
    from data_access import feed

    path = tmp_path / "platform.csv"
    path.write_text("meter_code,ts,value\nNO-SUCH-METER,2026-11-01T00:00:00,1\n", encoding="utf-8")
    assert feed.load_feed(migrated_db_with_demo.engine, path).rejected == 1
    at = sign_in(monkeypatch, migrated_db_with_demo.url, "pboc_analyst")
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "原始内容" in d.value.columns]
    assert len(tables) == 1
    row = tables[0].iloc[0]
    assert "platform.csv" in row.tolist()
    assert row["行"] == 2 and row["问题"] == "计量表未登记" and row["原始内容"].startswith("NO-SUCH-METER")
