"""A meeting-room screen opened from a display link keeps showing through a server restart and stops within one
rotation of being revoked, in a real browser."""

import shutil

import pytest

from data_access import db, display_store
from tests.browser.conftest import WAIT_MS, _free_port, _serve

pytestmark = pytest.mark.browser


def test_a_display_link_survives_a_server_restart_and_stops_when_revoked(demo_sqlite, tmp_path, browser):
    copy = tmp_path / "demo.db"
    shutil.copy(demo_sqlite.url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    engine = db.make_engine(url)
    with db.writing(engine) as conn:
        token = display_store.create_token(conn, name="联席会议室大屏", park_id=1, actor="admin")
    port = _free_port()
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    title = page.locator("[data-testid=scr-title]", has_text="金融支持监测")
    server = _serve(url, port)
    base = next(server)
    page.goto(f"{base}/?screen=1&rotate=5&token={token}")
    title.wait_for(timeout=WAIT_MS)
    assert page.get_by_text("登录").count() == 0
    next(server, None)  # stop the server: the meeting PC keeps its tab open
    server = _serve(url, port)
    next(server)
    page.reload()
    title.wait_for(timeout=WAIT_MS)  # back without anyone signing in
    with db.writing(engine) as conn:
        display_store.revoke_token(conn, token_id=display_store.resolve(conn, token).token_id, actor="admin")
    page.get_by_text("该大屏显示链接无效或已被撤销").wait_for(timeout=WAIT_MS)  # within a rotation (5 s) or two
    next(server, None)
    context.close()
