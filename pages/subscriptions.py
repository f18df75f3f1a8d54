"""订阅与通知 Subscriptions (issue 21 §3): subscribe to new risk alerts or the monthly briefing, see and cancel one's
subscriptions and what was sent. Sending is `python -m cli notify`, a scheduled job, never this page."""

import streamlit as st

from dashboard import data, i18n, notifications as nt, ui
from dashboard.shell import render_shell
from data_access import notify_store, settings
from data_access.notify_store import SubscriptionError
from data_access.taxonomy import ALERT_SEVERITIES, NOTIFY_ROLES, NOTIFY_TOPICS

ctx = render_shell("subscriptions")
st.title(ctx.t("sb.heading"))
st.caption(ctx.t("sb.intro"))
reporter = ctx.user.role == "institution_reporter"
if reporter:
    st.caption(ctx.t("sb.reporter_scope"))
on = settings.notify_channels_on()
if not on["email"]:
    st.info(ctx.t("sb.email_off"))

if "sb_flash" in st.session_state:
    st.success(st.session_state.pop("sb_flash"))

rules = data.risk_rules(ctx.url, ctx.version)
rule_names = {c: i18n.label("rule", c, ctx.lang) for c in rules["code"]}
parks = data.parks(ctx.url, ctx.version)
park_names = dict(zip(parks["id"], parks["name_zh" if ctx.lang == "zh" else "name_en"]))
institutions = data.institutions(ctx.url, ctx.version)
inst_names = dict(zip(institutions["id"], institutions["short_name"]))

st.subheader(ctx.t("sb.new"))
topics = [t for t in NOTIFY_TOPICS if ctx.user.role in NOTIFY_ROLES[t]]
topic = st.radio(ctx.t("sb.topic"), topics, horizontal=True, key="sb_topic", format_func=lambda t: ctx.t(f"sb.topic.{t}"))
left, right = st.columns(2)
chosen = {}
if topic == "alerts":
    chosen["rule_codes"] = left.multiselect(ctx.t("sb.rules"), list(rule_names), format_func=rule_names.get, key="sb_rules",
                                          placeholder=ctx.t("sb.all"))
    chosen["severities"] = right.multiselect(ctx.t("sb.levels"), ALERT_SEVERITIES, default=["high"], key="sb_levels", placeholder=ctx.t("sb.all"),
                                             format_func=lambda s: i18n.label("severity", s, ctx.lang))
    if not reporter:
        chosen["institution_ids"] = right.multiselect(ctx.t("sb.institutions"), list(inst_names), format_func=inst_names.get,
                                                      key="sb_institutions", placeholder=ctx.t("sb.all"))
chosen["park_ids"] = left.multiselect(ctx.t("sb.parks"), list(park_names), format_func=park_names.get, key="sb_parks",
                                      placeholder=ctx.t("sb.all"))
email = st.text_input(ctx.t("sb.email"), key="sb_email", placeholder="name@example.gov.cn")
webhook = st.checkbox(ctx.t("sb.webhook"), key="sb_webhook", disabled=not on["webhook"],
                      help=None if on["webhook"] else ctx.t("sb.webhook_off"))
if st.button(ctx.t("sb.save"), key="sb_save", type="primary"):
    try:
        new_id = data.write(ctx.url, notify_store.subscribe, user_id=ctx.user.id, topic=topic, email=email,
                            webhook=webhook, **chosen)
    except SubscriptionError as exc:
        reason = ctx.t(f"sb.err.{exc.field}") if exc.field in ("email", "channel") else ctx.t("sb.err.other")
        st.error(ctx.t("sb.error", reason=reason))
    else:
        st.session_state["sb_flash"] = ctx.t("sb.saved", id=new_id)
        st.rerun()

mine = data.read(ctx.url, notify_store.subscriptions, user_id=ctx.user.id)
st.subheader(ctx.t("sb.mine", n=len(mine)))
if mine.empty:
    st.caption(ctx.t("sb.none"))
else:
    ui.table_with_downloads(nt.subscriptions_table(mine, lang=ctx.lang, rules=rule_names, parks=park_names,
                                                   institutions=inst_names), hide_index=True, key="sb_table")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox(ctx.t("sb.cancel_pick"), mine["id"].tolist(), key="sb_cancel_pick",
                        format_func=lambda i: f"#{i} {ctx.t('sb.topic.' + mine.set_index('id').loc[i, 'topic'])}")
    if c2.button(ctx.t("sb.cancel"), key="sb_cancel"):
        if data.write(ctx.url, notify_store.cancel, int(pick), user_id=ctx.user.id):
            st.session_state["sb_flash"] = ctx.t("sb.cancelled", id=pick)
        st.rerun()

sent = data.read(ctx.url, notify_store.notifications, user_id=ctx.user.id)
if not sent.empty:
    st.subheader(ctx.t("sb.sent", n=len(sent)))
    ui.table_with_downloads(nt.sent_table(sent, lang=ctx.lang), hide_index=True, key="sb_sent")
