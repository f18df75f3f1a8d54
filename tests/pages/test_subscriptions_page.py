"""订阅与通知 on screen (issue 21 §3): a subscription saved, listed, refused with a reason, cancelled; a reporter's
narrowed to its institution; what was sent listed; a notification's link opens the alert it names."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import i18n
from data_access import notify_store
from data_access.models import Institution, RiskAlert
from tests.pages.test_pages import demo_user, sign_in

T = lambda key, **kw: i18n.t(key, "zh", **kw)  # noqa: E731


def _open(monkeypatch, url, role):
    for name in ("NOTIFY_SMTP_HOST", "NOTIFY_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    at = sign_in(monkeypatch, url, role)
    at.switch_page("pages/subscriptions.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at):
    frames = [d.value for d in at.dataframe if T("sb.col.topic") in d.value.columns]
    return frames[0] if frames else None


def test_an_analyst_subscribes_is_told_why_not_and_cancels(monkeypatch, migrated_db_with_demo):
    at = _open(monkeypatch, migrated_db_with_demo.url, "pboc_analyst")
    assert at.title[0].value == T("sb.heading")
    assert T("sb.email_off") in [i.value for i in at.info]  # off by default, and said so
    assert _table(at) is None and T("sb.none") in [c.value for c in at.caption]
    at.text_input(key="sb_email").input("analyst@").run()
    at.button(key="sb_save").click().run()
    assert [e.value for e in at.error] == [T("sb.error", reason=T("sb.err.email"))]
    assert _table(at) is None
    at.text_input(key="sb_email").input("analyst@pboc.example.cn").run()
    at.button(key="sb_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = _table(at)
    assert len(table) == 1
    row = table.iloc[0]
    assert row[T("sb.col.topic")] == T("sb.topic.alerts") and row[T("sb.col.levels")] == "高"
    assert row[T("sb.col.rules")] == T("sb.all") and row[T("sb.col.channels")] == "analyst@pboc.example.cn"
    assert any(T("sb.saved", id=int(row[T("sb.col.no")][1:])) == s.value for s in at.success)
    at.button(key="sb_cancel").click().run()
    assert _table(at) is None and T("sb.none") in [c.value for c in at.caption]


def test_a_reporter_is_narrowed_to_its_institution_and_sees_what_was_sent(monkeypatch, migrated_db_with_demo):
    url, engine = migrated_db_with_demo.url, migrated_db_with_demo.engine
    at = _open(monkeypatch, url, "institution_reporter")
    assert T("sb.reporter_scope") in [c.value for c in at.caption]
    assert not [m for m in at.multiselect if m.key == "sb_institutions"]  # no choice of institution to make
    at.multiselect(key="sb_levels").set_value(["high", "medium", "low"]).run()
    at.text_input(key="sb_email").input("reporter@bank.example.cn").run()
    at.button(key="sb_save").click().run()
    user = demo_user(url, "institution_reporter")
    with engine.connect() as conn:
        short = conn.execute(select(RiskAlert.id).limit(1)).scalar()
        own = conn.execute(select(Institution.short_name).where(Institution.id == user.institution_id)).scalar_one()
    assert _table(at).iloc[0][T("sb.col.institutions")] == own
    with engine.begin() as conn:  # what `cli notify` records for one sent message
        sub = notify_store.subscriptions(conn, user_id=user.id)["id"].iloc[0]
        nid = notify_store.claim(conn, subscription_id=int(sub), subject=f"alert:{short}", channel="email",
                                 recipient="reporter@bank.example.cn", title="【零碳园区金融监测】高风险预警：测试")
        notify_store.mark(conn, nid)
    at.run()
    sent = [d.value for d in at.dataframe if T("sb.col.status") in d.value.columns][0]
    assert sent.iloc[0][T("sb.col.title")] == "【零碳园区金融监测】高风险预警：测试"
    assert sent.iloc[0][T("sb.col.status")].startswith("已发送（")
    assert _table(at).iloc[0][T("sb.col.sent")] == 1


def test_a_notification_link_opens_the_alert_it_names(monkeypatch, migrated_db_with_demo):
    url, engine = migrated_db_with_demo.url, migrated_db_with_demo.engine
    with engine.connect() as conn:
        ids = conn.execute(select(RiskAlert.id).where(RiskAlert.park_id == 1, RiskAlert.state != "closed",
                                                      RiskAlert.state != "dismissed").order_by(RiskAlert.id)).scalars().all()
    assert len(ids) >= 2
    at = sign_in(monkeypatch, url, "pboc_analyst")
    at.query_params["park"] = "YQ-HTZ"
    at.switch_page("pages/risk.py").run(timeout=60)
    first = at.selectbox(key="rk_pick").value  # the newest alert heads the queue
    assert first != ids[0]
    at.query_params["alert"] = str(ids[0])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="rk_pick").value == ids[0]  # the one the link names
    at.selectbox(key="rk_pick").set_value(first).run()  # the user's own choice then stands
    assert at.selectbox(key="rk_pick").value == first
