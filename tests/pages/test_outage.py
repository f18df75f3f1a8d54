"""An unreachable database (issue 22, item 18): signed out or in the middle of a session, the user sees a short
message in the UI language with an incident number, never the driver's traceback with host, port or paths; the
log has the details under the same number, with the password masked."""

from __future__ import annotations

import logging
import re

from tests.pages.test_pages import sign_in, start

DOWN = "postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:5999/test?connect_timeout=3"  # nothing listens on 5999


def everything_shown(at) -> str:
    parts = [e.value for e in at.error] + [m.value for m in at.markdown] + [e.value for e in at.exception]
    parts += [str(getattr(e, "value", "")) for e in at.main] + [str(getattr(e, "value", "")) for e in at.sidebar]
    return "\n".join(str(p) for p in parts)


def test_a_wrong_database_address_shows_a_short_message_not_a_traceback(monkeypatch, caplog):
    caplog.set_level(logging.ERROR, logger="zero_carbon.outage")
    at = start(monkeypatch, DOWN).run()
    assert not at.exception
    [message] = [e.value for e in at.error]
    incident = re.search(r"事件编号 (\w{8})", message).group(1)
    assert message.startswith("暂时无法连接数据库")
    shown = everything_shown(at)
    for secret in ("5999", "127.0.0.1", "s3cret", "Traceback", "psycopg", "sqlalchemy", "/work/", ".py"):
        assert secret not in shown, secret
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"incident {incident}" in logged and "5999" in logged and "***" in logged and "s3cret" not in logged


def test_a_connection_lost_mid_session_shows_the_message_in_the_users_language(monkeypatch, demo_sqlite):
    at = sign_in(monkeypatch, demo_sqlite.url, "pboc_analyst")
    at.switch_page("pages/green_finance.py").run()
    assert not at.exception and not at.error
    at.session_state["app_lang"] = "en"
    monkeypatch.setenv("DATABASE_URL", DOWN)  # the server goes away while the analyst is signed in
    at.run()
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("The database cannot be reached just now")
    assert "5999" not in everything_shown(at)
    monkeypatch.setenv("DATABASE_URL", demo_sqlite.url)  # it comes back: the next run shows the page again
    at.run()
    assert not at.exception and not at.error
