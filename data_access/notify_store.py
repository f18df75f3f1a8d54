"""Subscriptions and the notifications owed to them (issue 21 §3). No sending here: `python -m cli notify` asks what
is due, claims each message (a unique row per subscription, subject and channel, written before sending) and marks
it sent or failed. A claimed message is never sent again; a failed one is retried on later runs, MAX_ATTEMPTS in all.

Who may be told what follows the pages: alerts go to the roles that may open the risk page, a reporter only about its
own institution; the briefing to the roles that may open the briefing page, a reporter's with its own institution.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from sqlalchemy import Connection, String, and_, cast, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from data_access.models import AppUser, Notification, Park, RiskAlert, Subscription
from data_access.risk_store import lender_name, subject_name
from data_access.taxonomy import ALERT_SEVERITIES, NOTIFY_ROLES, NOTIFY_TOPICS, OPEN_ALERT_STATES

MAX_ATTEMPTS = 5
ALERT_PREFIX = "alert:"


def alert_subject(alert_id: int) -> str:
    return f"{ALERT_PREFIX}{int(alert_id)}"


def briefing_subject(park_code: str, period: dt.date) -> str:
    return f"briefing:{park_code}:{period:%Y-%m}"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SubscriptionError(ValueError):
    """A subscription that cannot be kept; the message says which field and why (the page shows it)."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def subscribe(conn: Connection, *, user_id: int, topic: str, email: str | None, webhook: bool, rule_codes=(), severities=(),
              park_ids=(), institution_ids=()) -> int:
    """Keep a subscription for the user; returns its id. A reporter's alerts are always narrowed to its institution."""
    user = conn.execute(select(AppUser.role, AppUser.institution_id, AppUser.is_active).where(AppUser.id == user_id)).first()
    if user is None or not user.is_active:
        raise SubscriptionError("user", "no such active user")
    if topic not in NOTIFY_TOPICS:
        raise SubscriptionError("topic", f"one of {', '.join(NOTIFY_TOPICS)}")
    if user.role not in NOTIFY_ROLES[topic]:
        raise SubscriptionError("topic", f"the role {user.role} may not receive {topic}")
    email = (email or "").strip() or None
    if email is not None and not _EMAIL.match(email):
        raise SubscriptionError("email", f"not an e-mail address: {email!r}")
    if email is None and not webhook:
        raise SubscriptionError("channel", "an e-mail address or the group webhook is needed")
    if any(s not in ALERT_SEVERITIES for s in severities):
        raise SubscriptionError("severities", f"each one of {', '.join(ALERT_SEVERITIES)}")
    institutions = sorted({int(i) for i in institution_ids})
    if user.role == "institution_reporter":
        institutions = [int(user.institution_id)]
    return conn.execute(insert(Subscription).values(
        user_id=user_id, topic=topic, email=email, webhook=bool(webhook), rule_codes=sorted(set(rule_codes)),
        severities=sorted(set(severities)), park_ids=sorted({int(p) for p in park_ids}), institution_ids=institutions,
        created_at=dt.datetime.now()).returning(Subscription.id)).scalar_one()


def cancel(conn: Connection, subscription_id: int, *, user_id: int) -> bool:
    """Stop a subscription of the user's own; False when it is not theirs or already stopped. Its history stays."""
    done = conn.execute(update(Subscription).where(Subscription.id == subscription_id, Subscription.user_id == user_id,
                                                   Subscription.active).values(active=False))
    return done.rowcount == 1


def subscriptions(conn: Connection, *, user_id: int) -> pd.DataFrame:
    """The user's active subscriptions, newest first: id, topic, rule_codes, severities, park_ids, institution_ids,
    email, webhook, created_at, sent (messages sent so far)."""
    s = Subscription
    sent = select(func.count()).select_from(Notification).where(
        Notification.subscription_id == s.id, Notification.sent_at.is_not(None)).correlate(s).scalar_subquery()
    result = conn.execute(select(s.id, s.topic, s.rule_codes, s.severities, s.park_ids, s.institution_ids, s.email,
                                 s.webhook, s.created_at, sent.label("sent"))
                          .where(s.user_id == user_id, s.active).order_by(s.created_at.desc(), s.id.desc()))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def notifications(conn: Connection, *, user_id: int, limit: int = 50) -> pd.DataFrame:
    """The latest messages owed to the user's subscriptions (sent, failed or waiting): id, topic, subject, channel,
    recipient, title, created_at, sent_at, attempts, error."""
    n, s = Notification, Subscription
    result = conn.execute(select(n.id, s.topic, n.subject, n.channel, n.recipient, n.title, n.created_at, n.sent_at,
                                 n.attempts, n.error)
                          .join(s, s.id == n.subscription_id).where(s.user_id == user_id)
                          .order_by(n.created_at.desc(), n.id.desc()).limit(limit))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def active_subscriptions(conn: Connection, topic: str) -> list[dict]:
    """Every active subscription of `topic` whose user is active, with the user's role, institution and name."""
    s, u = Subscription, AppUser
    rows = conn.execute(select(s.id, s.user_id, s.rule_codes, s.severities, s.park_ids, s.institution_ids, s.email,
                               s.webhook, s.created_at, u.username, u.display_name, u.role,
                               u.institution_id.label("user_institution"))
                        .join(u, u.id == s.user_id)
                        .where(s.topic == topic, s.active, u.is_active, u.role.in_(NOTIFY_ROLES[topic]))
                        .order_by(s.id)).mappings().all()
    return [dict(r) for r in rows]


def _settled(subscription_id, subject, channel):
    """A message already sent, or claimed and not left failed with attempts to spare."""
    n = Notification
    return exists().where(n.subscription_id == subscription_id, n.subject == subject, n.channel == channel,
                          (n.sent_at.is_not(None)) | (n.error.is_(None)) | (n.attempts >= MAX_ATTEMPTS))


def due_alerts(conn: Connection, subscription: dict, channel: str) -> pd.DataFrame:
    """Open alerts raised since the subscription began that match it, may be seen by its user and are not yet settled
    on `channel`: id, park_id, park_code, park_name, is_demo, rule_code, severity, subject_kind, subject_id, subject_name,
    institution_id, institution, period, suggested_action, created_at; oldest first."""
    a = RiskAlert
    conds = [a.created_at >= subscription["created_at"], a.state.in_(OPEN_ALERT_STATES)]
    for column, wanted in ((a.rule_code, subscription["rule_codes"]), (a.severity, subscription["severities"]),
                           (a.park_id, subscription["park_ids"]), (a.institution_id, subscription["institution_ids"])):
        if wanted:
            conds.append(column.in_(list(wanted)))
    if subscription["role"] == "institution_reporter":  # the same narrowing as risk_store.load_alerts
        conds.append(a.institution_id == subscription["user_institution"])
    conds.append(~_settled(subscription["id"], literal(ALERT_PREFIX) + cast(a.id, String), channel))
    park = aliased(Park)  # not Park itself: subject_name() reads Park in a subquery of its own
    result = conn.execute(select(a.id, a.park_id, park.code.label("park_code"), park.name_zh.label("park_name"), park.is_demo,
                                 a.rule_code, a.severity, a.subject_kind, a.subject_id, subject_name(), a.institution_id,
                                 lender_name(), a.period, a.suggested_action, a.created_at)
                          .join(park, park.id == a.park_id).where(and_(*conds)).order_by(a.created_at, a.id))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def claim(conn: Connection, *, subscription_id: int, subject: str, channel: str, recipient: str, title: str) -> int | None:
    """Record a message before it is sent; its id, or None when it is already sent or being sent (a second scheduler,
    a rerun). A message that failed before is claimed again while it has attempts left. Commit before sending."""
    n = Notification
    row = conn.execute(select(n.id, n.sent_at, n.error, n.attempts).where(
        n.subscription_id == subscription_id, n.subject == subject, n.channel == channel)).first()
    if row is not None:
        if row.sent_at is not None or row.error is None or row.attempts >= MAX_ATTEMPTS:
            return None
        taken = conn.execute(update(n).where(n.id == row.id, n.error.is_not(None), n.sent_at.is_(None))
                             .values(error=None, recipient=recipient, title=title))
        return row.id if taken.rowcount == 1 else None
    try:
        with conn.begin_nested():
            return conn.execute(insert(n).values(subscription_id=subscription_id, subject=subject, channel=channel,
                                                 recipient=recipient, title=title[:300], created_at=dt.datetime.now(),
                                                 attempts=0).returning(n.id)).scalar_one()
    except IntegrityError:  # another scheduler claimed it a moment ago
        return None


def mark(conn: Connection, notification_id: int, *, error: str | None = None) -> None:
    """The outcome of a send: sent now, or failed with `error` (tried again on a later run while attempts remain)."""
    n = Notification
    values = {"attempts": n.attempts + 1, "error": error[:2000] if error else None}
    if error is None:
        values["sent_at"] = dt.datetime.now()
    conn.execute(update(n).where(n.id == notification_id).values(**values))
