"""The notifier (issue 21 §3) against a local SMTP server and a local HTTP receiver: exactly one message per new
alert and subscriber, what each role may see, nothing on a rerun, a failed send tried again, the briefing once."""

from __future__ import annotations

import datetime as dt
import email
import json
import os
import socket
import subprocess
import sys
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import insert, select

from cli import notify
from data_access import notify_store
from data_access.models import AppUser, Institution, Notification, Park, RiskAlert
from data_access.notify_store import SubscriptionError

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def hook():
    """A local HTTP receiver standing in for a WeCom/DingTalk robot; `refuse` makes it answer errcode 93000."""
    received, state = [], {"refuse": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            refused = state["refuse"] > 0
            state["refuse"] -= refused
            if not refused:
                received.append(body)
            answer = json.dumps({"errcode": 93000 if refused else 0, "errmsg": "invalid" if refused else "ok"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield received, state, f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    server.shutdown()


def _setup(conn) -> dict:
    conn.execute(insert(Park).values(id=1, code="P1", name_zh="甲园区", name_en="Park A", centre_lat=37.8, centre_lon=113.5))
    conn.execute(insert(Park).values(id=2, code="P2", name_zh="乙园区", name_en="Park B", centre_lat=37.9, centre_lon=113.6))
    conn.execute(insert(Institution), [dict(id=1, code="BA", name="甲银行", short_name="甲行", inst_type="state_owned"),
                                       dict(id=2, code="BB", name="乙银行", short_name="乙行", inst_type="joint_stock")])
    conn.execute(insert(AppUser), [
        dict(id=1, username="analyst", display_name="分析员", role="pboc_analyst", institution_id=None),
        dict(id=2, username="bank_a", display_name="甲行填报员", role="institution_reporter", institution_id=1),
        dict(id=3, username="press", display_name="宣传", role="publicity", institution_id=None),
        dict(id=4, username="committee", display_name="管委会", role="park_committee", institution_id=None),
    ])
    return {}


def _alert(conn, *, park=1, institution=1, severity="high", rule="concentration_institution", state="identified",
           created=None) -> int:
    return conn.execute(insert(RiskAlert).values(
        park_id=park, rule_code=rule, severity=severity, subject_kind="institution", subject_id=institution,
        institution_id=institution, period=dt.date(2026, 10, 1), evidence={}, suggested_action="约谈机构",
        state=state, dedup_key=f"{rule}:{institution}:{severity}:{dt.datetime.now().timestamp()}",
        created_at=created or dt.datetime.now()).returning(RiskAlert.id)).scalar_one()


def test_subscriptions_are_checked_and_a_reporter_is_narrowed_to_its_institution(migrated_db):
    with migrated_db.engine.begin() as conn:
        _setup(conn)
        with pytest.raises(SubscriptionError) as bad:
            notify_store.subscribe(conn, user_id=1, topic="alerts", email="not-an-address", webhook=False)
        assert bad.value.field == "email"
        with pytest.raises(SubscriptionError) as none:
            notify_store.subscribe(conn, user_id=1, topic="alerts", email=" ", webhook=False)
        assert none.value.field == "channel"
        with pytest.raises(SubscriptionError):  # publicity sees no alerts, so may not subscribe to them
            notify_store.subscribe(conn, user_id=3, topic="alerts", email="p@example.cn", webhook=False)
        with pytest.raises(SubscriptionError):  # the park committee may not open the briefing page
            notify_store.subscribe(conn, user_id=4, topic="briefing", email="c@example.cn", webhook=False)
        sid = notify_store.subscribe(conn, user_id=2, topic="alerts", email="a@bank.cn", webhook=False, institution_ids=[2])
        mine = notify_store.subscriptions(conn, user_id=2)
        assert mine.loc[mine["id"] == sid, "institution_ids"].iloc[0] == [1]  # its own, whatever was asked
        assert not notify_store.cancel(conn, sid, user_id=1)  # not the analyst's to cancel
        assert notify_store.cancel(conn, sid, user_id=2)
        assert notify_store.subscriptions(conn, user_id=2).empty


def test_one_email_per_new_alert_and_subscriber_and_none_on_a_rerun(migrated_db, smtp):
    inbox, port = smtp
    engine = migrated_db.engine
    with engine.begin() as conn:
        _setup(conn)
        _alert(conn, created=dt.datetime.now() - dt.timedelta(days=3))  # before anyone subscribed: not news
        notify_store.subscribe(conn, user_id=1, topic="alerts", email="analyst@pboc.cn", webhook=False, severities=["high"])
        notify_store.subscribe(conn, user_id=2, topic="alerts", email="a@bank.cn", webhook=False)
    with engine.begin() as conn:
        high_a = _alert(conn, institution=1, severity="high")
        high_b = _alert(conn, institution=2, severity="high", park=2)
        medium_a = _alert(conn, institution=1, severity="medium", rule="trajectory_emissions")
        _alert(conn, institution=1, severity="high", state="closed")  # closed before the run: nothing to answer
    channels = notify.Channels(smtp_host="127.0.0.1", smtp_port=port, base_url="https://zcpark.example.cn/")
    report = notify.run(engine, channels)
    assert report.sent == {"email": 4, "webhook": 0} and report.failed == []
    analyst, bank = inbox.to("analyst@pboc.cn"), inbox.to("a@bank.cn")
    assert len(analyst) == 2 and len(bank) == 2
    # the analyst: high alerts of every park and institution; the reporter: every level, its own institution only
    assert {m["Subject"] for m in analyst} == {
        "【零碳园区金融监测】高风险预警｜甲行｜集中度：单一机构占比过高", "【零碳园区金融监测】高风险预警｜乙行｜集中度：单一机构占比过高"}
    bodies = {m.get_content() for m in bank}
    assert all("对象：甲行" in b and "请勿直接回复" in b for b in bodies)
    assert any(f"https://zcpark.example.cn/risk?park=P1&alert={medium_a}" in b for b in bodies)
    assert any(f"https://zcpark.example.cn/risk?park=P1&alert={high_a}" in b for b in bodies)
    assert f"alert={high_b}" in "".join(m.get_content() for m in analyst)

    again = notify.run(engine, channels)
    assert again.sent == {"email": 0, "webhook": 0}
    assert len(inbox.messages) == 4

    with engine.begin() as conn:
        newer = _alert(conn, institution=1, severity="high", rule="trajectory_emissions")
    third = notify.run(engine, channels)
    assert third.sent["email"] == 2  # one each: the analyst (high) and the reporter (its institution)
    assert len(inbox.messages) == 6
    with engine.connect() as conn:
        sent = notify_store.notifications(conn, user_id=2)
        assert len(sent) == 3 and sent["sent_at"].notna().all() and sent["error"].isna().all()
        assert f"alert:{newer}" in set(conn.execute(select(Notification.subject)).scalars())


def test_webhook_refused_once_is_tried_again_and_then_never_repeated(migrated_db, hook):
    received, state, url = hook
    engine = migrated_db.engine
    with engine.begin() as conn:
        _setup(conn)
        notify_store.subscribe(conn, user_id=4, topic="alerts", email=None, webhook=True, park_ids=[1])
    with engine.begin() as conn:
        alert_id = _alert(conn, park=1)
        _alert(conn, park=2)  # another park: not subscribed
    channels = notify.Channels(webhook_url=url)
    state["refuse"] = 1
    first = notify.run(engine, channels)
    assert first.sent["webhook"] == 0 and len(first.failed) == 1 and "93000" in first.failed[0]
    with engine.connect() as conn:
        row = conn.execute(select(Notification)).one()
        assert row.sent_at is None and row.attempts == 1 and "93000" in row.error
    second = notify.run(engine, channels)
    assert second.sent["webhook"] == 1 and second.failed == []
    assert len(received) == 1 and received[0]["msgtype"] == "text"
    assert f"预警编号 #{alert_id}" in received[0]["text"]["content"]  # no APP_BASE_URL: where to answer it, by number
    assert notify.run(engine, channels).sent["webhook"] == 0 and len(received) == 1


def test_the_command_sends_through_the_configured_server_and_says_when_a_channel_is_off(migrated_db, smtp):
    inbox, port = smtp
    with migrated_db.engine.begin() as conn:
        _setup(conn)
        notify_store.subscribe(conn, user_id=1, topic="alerts", email="analyst@pboc.cn", webhook=False)
    with migrated_db.engine.begin() as conn:
        _alert(conn)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTIFY_")}
    env["DATABASE_URL"] = migrated_db.url

    def run(**extra):
        return subprocess.run([sys.executable, "-m", "cli", "notify"], cwd=ROOT, env=env | extra, capture_output=True,
                              text=True, timeout=300)

    off = run()
    assert off.returncode == 0, off.stderr
    assert "email is off (NOTIFY_SMTP_HOST not set): 1 alert message(s) wait for it" in off.stdout
    assert inbox.messages == []
    on = run(NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=str(port), NOTIFY_SMTP_FROM="monitor@pboc.example.cn")
    assert on.returncode == 0, on.stderr
    assert "sent: 1 e-mail(s), 0 webhook message(s)" in on.stdout
    assert len(inbox.messages) == 1 and inbox.messages[0]["From"] == "monitor@pboc.example.cn"
    assert "sent: 0 e-mail(s)" in run(NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=str(port)).stdout


def test_the_monthly_briefing_is_sent_once_with_the_word_file(migrated_db_with_demo, smtp):
    inbox, port = smtp
    engine = migrated_db_with_demo.engine
    with engine.begin() as conn:
        user = conn.execute(select(AppUser.id).where(AppUser.role == "pboc_analyst")).scalars().first()
        park = conn.execute(select(Park.id, Park.code, Park.name_zh).order_by(Park.id)).first()
        notify_store.subscribe(conn, user_id=user, topic="briefing", email="leader@gov.cn", webhook=False, park_ids=[park.id])
    channels = notify.Channels(smtp_host="127.0.0.1", smtp_port=port)
    assert notify.run(engine, channels).sent["email"] == 1
    (message,) = inbox.messages
    assert message["Subject"] == f"【零碳园区金融监测】【演示数据】{park.name_zh}零碳金融简报（2026-10）"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".docx") and len(attachment.get_content()) > 10_000
    body = message.get_body(("plain",)).get_content()
    assert "Word版简报见附件" in body and body.startswith("一、") and "\n二、" in body
    assert notify.run(engine, channels).sent["email"] == 0 and len(inbox.messages) == 1
