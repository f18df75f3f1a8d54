"""The words of a notification (issue 21 §3): a new risk alert or a month's briefing, as a title and a plain-text body
for e-mail and the group webhook. Pure: the scheduler (`python -m cli notify`) gathers the rows and sends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import urlencode

from dashboard import i18n
from data_access.notify_store import MAX_ATTEMPTS


def link(base_url: str | None, page: str, **params) -> str | None:
    """The dashboard address of `page` with `params` (?park=…&alert=…), or None when no APP_BASE_URL is set."""
    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/{page}" + (f"?{urlencode(params)}" if params else "")


def alert_message(alert: Mapping, *, lang: str, link: str | None, today: dt.date | None = None) -> tuple[str, str]:
    """(title, body) for a new alert, a row of notify_store.due_alerts."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    rule = i18n.label("rule", alert["rule_code"], lang)
    severity = i18n.label("severity", alert["severity"], lang)
    subject = alert.get("subject_name") or "—"
    title = t("nt.alert_title", demo=t("nt.demo") if alert.get("is_demo") else "", severity=severity, rule=rule, subject=subject)
    period, raised = alert.get("period"), alert.get("created_at")
    institution = alert.get("institution")
    lines = [
        t("nt.alert_park", park=alert["park_name"]),
        t("nt.alert_rule", rule=rule, severity=severity),
        t("nt.alert_subject", subject=subject),
        *([t("nt.alert_institution", institution=institution)] if institution and institution != subject else []),
        t("nt.alert_period", period=f"{period:%Y-%m}" if isinstance(period, dt.date) else "—"),
        *([t("nt.alert_raised", at=f"{raised:%Y-%m-%d %H:%M}")] if isinstance(raised, dt.datetime) else []),
        t("nt.alert_action", action=alert.get("suggested_action") or "—"),
        t("nt.alert_link", link=link) if link else t("nt.alert_no_link", id=int(alert["id"])),
        "",
        t("nt.footer", date=f"{today or dt.date.today():%Y-%m-%d}"),
    ]
    return title, "\n".join(lines)


NUMERALS = "一二三四五六七八九十"


def briefing_message(content: Mapping, *, park_name: str, period: dt.date, lang: str, link: str | None,
                     attached: bool, demo: bool = False, today: dt.date | None = None) -> tuple[str, str]:
    """(title, body) for a month's briefing: its sentences numbered, where to read it, whether the Word file is
    attached."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    title = t("nt.briefing_title", demo=t("nt.demo") if demo else "", park=park_name, period=f"{period:%Y-%m}")
    sentences = [*content.get("sentences", []), *content.get("ledgers", [])]
    numbered = [f"{_numeral(i)}、{line}" if lang == "zh" else f"{i}. {line}" for i, line in enumerate(sentences, 1)]
    lines = [*numbered, ""]
    if attached:
        lines.append(t("nt.briefing_attached"))
    lines.append(t("nt.briefing_link", link=link) if link else t("nt.briefing_no_link"))
    lines += ["", t("nt.footer", date=f"{today or dt.date.today():%Y-%m-%d}")]
    return title, "\n".join(lines)


def _numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (a briefing has fewer than a hundred lines)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else NUMERALS[tens - 1]) + "十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def webhook_payload(title: str, body: str) -> dict:
    """The text message both WeCom (企业微信) and DingTalk (钉钉) group robots accept."""
    return {"msgtype": "text", "text": {"content": f"{title}\n{body}"}}


def _names(codes, names: Mapping, lang: str) -> str:
    """The names of a subscription's filter values, or 全部/all when it names none."""
    return ("、" if lang == "zh" else ", ").join(str(names.get(c, c)) for c in codes) if codes else i18n.t("sb.all", lang)


def subscriptions_table(subs, *, lang: str, rules: Mapping, parks: Mapping, institutions: Mapping):
    """The user's subscriptions as the page lists them: what, narrowed how, sent where, since when, how many sent."""
    import pandas as pd

    t = lambda key: i18n.t(key, lang)  # noqa: E731
    severity = {c: i18n.label("severity", c, lang) for c in ("high", "medium", "low")}
    rows = []
    for s in subs.to_dict("records"):
        channels = [x for x in (s["email"], t("sb.webhook_short") if s["webhook"] else None) if x]
        alerts = s["topic"] == "alerts"
        rows.append({
            t("sb.col.no"): f"#{s['id']}",
            t("sb.col.topic"): t(f"sb.topic.{s['topic']}"),
            t("sb.col.rules"): _names(s["rule_codes"], rules, lang) if alerts else "—",
            t("sb.col.levels"): _names(s["severities"], severity, lang) if alerts else "—",
            t("sb.col.parks"): _names(s["park_ids"], parks, lang),
            t("sb.col.institutions"): _names(s["institution_ids"], institutions, lang) if alerts else "—",
            t("sb.col.channels"): ("、" if lang == "zh" else ", ").join(channels),
            t("sb.col.since"): f"{pd.Timestamp(s['created_at']):%Y-%m-%d %H:%M}",
            t("sb.col.sent"): int(s["sent"]),
        })
    return pd.DataFrame(rows)


def sent_table(sent, *, lang: str):
    """The latest messages of the user's subscriptions: when, what, where, and whether it went."""
    import pandas as pd

    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731

    def status(row) -> str:
        if pd.notna(row["sent_at"]):
            return t("sb.status.sent", at=f"{pd.Timestamp(row['sent_at']):%Y-%m-%d %H:%M}")
        if row["error"]:
            return t("sb.status.gave_up" if row["attempts"] >= MAX_ATTEMPTS else "sb.status.failed", n=int(row["attempts"]))
        return t("sb.status.sending")

    return pd.DataFrame([{
        t("sb.col.created"): f"{pd.Timestamp(r['created_at']):%Y-%m-%d %H:%M}",
        t("sb.col.title"): r["title"],
        t("sb.col.channel"): r["recipient"] if r["channel"] == "email" else t("sb.webhook_short"),
        t("sb.col.status"): status(r),
    } for r in sent.to_dict("records")])
