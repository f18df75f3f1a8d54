"""`python -m cli notify`: send what is new to the people who subscribed (issue 21 §3). Safe to run every few minutes
from cron or a systemd timer, never inside Streamlit: each message is claimed in the database before it is sent
(data_access.notify_store), so a rerun, or two schedulers at once, send nothing twice.

Channels are settings, off until configured (environment or .streamlit/secrets.toml):
    NOTIFY_SMTP_HOST, NOTIFY_SMTP_PORT (25), NOTIFY_SMTP_FROM, NOTIFY_SMTP_USER, NOTIFY_SMTP_PASSWORD,
    NOTIFY_SMTP_STARTTLS (1 to upgrade the connection)        e-mail
    NOTIFY_WEBHOOK_URL                                         a WeCom (企业微信) or DingTalk (钉钉) group robot
    APP_BASE_URL                                               the dashboard's address, for links in the messages
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import Engine, select

from dashboard import briefing, notifications
from data_access import notify_store, settings
from data_access.models import Park
from data_access.queries import complete_month, load_data_end
from data_access.scope import Scope

LANG = "zh"  # messages go to the city's and the branch's staff in Chinese
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Channels:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "zcpark@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    webhook_url: str | None = None
    base_url: str | None = None

    @classmethod
    def from_settings(cls) -> Channels:
        s = settings.setting
        return cls(smtp_host=s("NOTIFY_SMTP_HOST"), smtp_port=int(s("NOTIFY_SMTP_PORT", "25")),
                   smtp_from=s("NOTIFY_SMTP_FROM", "zcpark@localhost"), smtp_user=s("NOTIFY_SMTP_USER"),
                   smtp_password=s("NOTIFY_SMTP_PASSWORD"), smtp_starttls=s("NOTIFY_SMTP_STARTTLS", "0") == "1",
                   webhook_url=s("NOTIFY_WEBHOOK_URL"), base_url=s("APP_BASE_URL"))

    def on(self, channel: str) -> bool:
        return bool(self.smtp_host if channel == "email" else self.webhook_url)


@dataclass
class Report:
    sent: dict[str, int] = field(default_factory=lambda: {"email": 0, "webhook": 0})
    failed: list[str] = field(default_factory=list)
    waiting_for_channel: dict[str, int] = field(default_factory=lambda: {"email": 0, "webhook": 0})


def send_email(ch: Channels, to: str, title: str, body: str, attachment: tuple[str, bytes] | None = None) -> None:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = title, ch.smtp_from, to
    msg.set_content(body)
    if attachment is not None:
        name, data = attachment
        maintype, subtype = DOCX.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    with smtplib.SMTP(ch.smtp_host, ch.smtp_port, timeout=30) as smtp:
        if ch.smtp_starttls:
            smtp.starttls()
        if ch.smtp_user:
            smtp.login(ch.smtp_user, ch.smtp_password or "")
        smtp.send_message(msg)


def post_webhook(ch: Channels, title: str, body: str) -> None:
    request = urllib.request.Request(ch.webhook_url, data=json.dumps(notifications.webhook_payload(title, body)).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = response.read()
    try:  # both robots answer 200 with {"errcode": 0} on success, and a non-zero errcode when they refuse
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code:
        raise RuntimeError(f"webhook refused the message: {answer[:200]!r}")


def _deliver(engine: Engine, ch: Channels, report: Report, *, subscription: dict, subject: str, channel: str,
             title: str, body: str, attachment=None) -> None:
    """Claim, send, mark: the claim is committed first, so a crash after sending never sends again."""
    recipient = subscription["email"] if channel == "email" else "webhook"
    with engine.begin() as conn:
        claimed = notify_store.claim(conn, subscription_id=subscription["id"], subject=subject, channel=channel,
                                     recipient=recipient, title=title)
    if claimed is None:
        return
    try:
        if channel == "email":
            send_email(ch, recipient, title, body, attachment)
        else:
            post_webhook(ch, title, body)
        error = None
    except Exception as exc:  # noqa: BLE001 - any failure of the far end is recorded and retried, never fatal
        error = f"{type(exc).__name__}: {exc}"
    with engine.begin() as conn:
        notify_store.mark(conn, claimed, error=error)
    if error is None:
        report.sent[channel] += 1
    else:
        report.failed.append(f"{subject} → {recipient}: {error}")


def _channels_of(subscription: dict) -> list[str]:
    return [c for c, wanted in (("email", subscription["email"]), ("webhook", subscription["webhook"])) if wanted]


def run(engine: Engine, ch: Channels) -> Report:
    report = Report()
    with engine.connect() as conn:
        alert_subs = notify_store.active_subscriptions(conn, "alerts")
    for sub in alert_subs:
        for channel in _channels_of(sub):
            with engine.connect() as conn:
                due = notify_store.due_alerts(conn, sub, channel)
            if not ch.on(channel):
                report.waiting_for_channel[channel] += len(due)
                continue
            for alert in due.to_dict("records"):
                title, body = notifications.alert_message(alert, lang=LANG, link=notifications.link(
                    ch.base_url, "risk", park=alert["park_code"], alert=int(alert["id"])))
                _deliver(engine, ch, report, subscription=sub, subject=notify_store.alert_subject(alert["id"]),
                         channel=channel, title=title, body=body)
    _briefings(engine, ch, report)
    return report


def _briefings(engine: Engine, ch: Channels, report: Report) -> None:
    """Each briefing subscription gets each park's latest complete month once, as the user may see it."""
    with engine.connect() as conn:
        subs = notify_store.active_subscriptions(conn, "briefing")
        parks = {r.id: r for r in conn.execute(select(Park.id, Park.code, Park.name_zh, Park.is_demo))} if subs else {}
        months = {pid: complete_month(load_data_end(conn, park_id=pid)) for pid in parks}
    composed: dict[tuple, tuple] = {}
    for sub in subs:
        scope = Scope(sub["role"], sub["user_institution"]) if sub["role"] == "institution_reporter" else Scope(sub["role"])
        for pid in (sub["park_ids"] or sorted(parks)):
            if pid not in parks:
                continue
            park, period = parks[pid], months[pid]
            subject = notify_store.briefing_subject(park.code, period)
            wanted = [c for c in _channels_of(sub) if ch.on(c)]
            if not wanted:
                continue
            key = (pid, period, scope)
            if key not in composed:
                with engine.connect() as conn:
                    content, _ = briefing.gather_compose(conn, park_id=pid, period=period, scope=scope, lang=LANG)
                composed[key] = (content, briefing.document(content) if content is not None else None)
            content, document = composed[key]
            if content is None:  # no credit data for the month yet: nothing to send, nothing recorded
                continue
            for channel in wanted:
                email = channel == "email"  # the Word file goes by e-mail; a group robot takes text only
                title, body = notifications.briefing_message(
                    content, park_name=park.name_zh, period=period, lang=LANG, attached=email, demo=bool(park.is_demo),
                    link=notifications.link(ch.base_url, "briefing", park=park.code, period=f"{period:%Y-%m}"))
                _deliver(engine, ch, report, subscription=sub, subject=subject, channel=channel, title=title, body=body,
                         attachment=(briefing.file_name(content), document) if email else None)
