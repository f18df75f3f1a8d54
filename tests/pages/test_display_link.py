"""A display link opens the big screen of its park and nothing else, keeps it through a new session (a reload or a
server restart: AppTest starts a fresh session each time) and stops once revoked."""

from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access import db, display_store
from data_access.models import Park
from tests.pages.test_pages import APP

ROOT = Path(__file__).resolve().parents[2]


def _open(monkeypatch, url: str, token: str, script: str = APP, park: str | None = None) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(script, default_timeout=120)
    at.query_params["screen"] = "1"
    at.query_params["token"] = token
    if park:
        at.query_params["park"] = park
    return at.run()


def _html(at: AppTest) -> str:
    return "".join(m.value for m in at.markdown)


def test_a_display_link_shows_its_parks_screen_only_survives_a_new_session_and_stops_when_revoked(monkeypatch, migrated_db_with_demo):
    url = migrated_db_with_demo.url
    with db.writing(migrated_db_with_demo.engine) as conn:
        token = display_store.create_token(conn, name="联席会议室大屏", park_id=2, actor="admin")
    with migrated_db_with_demo.engine.connect() as conn:
        parks = dict(conn.execute(select(Park.id, Park.name_zh)).all())
    at = _open(monkeypatch, url, token, park="YQ-HTZ")  # another park asked for in the URL: the link's own is shown
    assert not at.exception, [e.value for e in at.exception]
    assert f"{parks[2]} · 金融支持监测" in _html(at) and f"{parks[1]} · " not in _html(at)
    assert not at.title and not [b for b in at.button if b.key == "scr_freeze"]  # no sign-in; read-only: no freezing

    again = _open(monkeypatch, url, token)  # a reload, or the server restarted: a new session, the same link
    assert not again.exception and f"{parks[2]} · 金融支持监测" in _html(again)

    other = _open(monkeypatch, url, token, script=str(ROOT / "pages" / "overview.py"))  # no other page, however reached
    assert [e.value for e in other.error] == ["您的角色（大屏显示链接）无权打开此页面。"] and not other.metric

    with db.writing(migrated_db_with_demo.engine) as conn:
        display_store.revoke_token(conn, token_id=display_store.resolve(conn, token).token_id, actor="admin")
    gone = _open(monkeypatch, url, token)
    assert gone.title[0].value.endswith("登录")
    assert any("显示链接无效或已被撤销" in w.value for w in gone.warning)
