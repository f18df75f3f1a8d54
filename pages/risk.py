"""风险预警 Risk warnings: counts, the queue, each alert's evidence and the 识别—研判—提示—反馈 loop."""

import streamlit as st

from dashboard import data, i18n, risk_views as rv, ui
from dashboard.risk import open_at_period_end, run_rules
from dashboard.shell import render_shell
from data_access import risk_store
from data_access.taxonomy import ALERT_SEVERITIES, ALERT_STATES, OPEN_ALERT_STATES

ctx = render_shell("risk")
st.title(ctx.t("rk.heading", park=ctx.park_name))
ui.render_data_end(ctx)
if ctx.user.role in ("pboc_analyst", "admin") and st.button(ctx.t("rk.run", period=f"{ctx.period:%Y-%m}"), key="rk_run"):
    added = data.write(ctx.url, run_rules, park_id=ctx.park_id, period=ctx.period, base_year=int(ctx.park["base_year"]),
                       target_year=int(ctx.park["target_year"]))
    st.session_state["rk_flash"] = ctx.t("rk.ran", n=added)
    st.rerun()
if "rk_flash" in st.session_state:
    st.success(st.session_state.pop("rk_flash"))

alerts = data.alerts(ctx.url, ctx.version, ctx.park_id, ctx.scope)
ui.stop_if_empty(alerts, ctx, "rk.none")
is_open = open_at_period_end(alerts, ctx.period)  # the overview's, the big screen's and the briefing's count
days = rv.compute_days_to_close(alerts)
m = st.columns(4)
m[0].metric(ctx.t("rk.m.open"), i18n.amount(int(is_open.sum()), "alerts", ctx.lang, 0))
m[1].metric(ctx.t("rk.m.high"), i18n.amount(int((is_open & (alerts['severity'] == 'high')).sum()), "alerts", ctx.lang, 0))
m[2].metric(ctx.t("rk.m.closed_year"), i18n.amount(int((alerts['closed_at'].dt.year == ctx.period.year).sum()), "alerts", ctx.lang, 0))
m[3].metric(ctx.t("rk.m.days"), i18n.amount(days.mean(), "days", ctx.lang, 0) if len(days) else "—")

sub = f"{ctx.park_name} · {ctx.period:%Y-%m}"  # the month the count is at (as the gallery's risk chart), not today
left, right = st.columns(2)
ui.chart(left, rv.by_rule_figure(alerts, is_open, title=rv.by_rule_title(alerts, is_open, ctx.lang),
                                    subtitle=sub, source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="rk_by_rule", metric="open_alerts")
ui.chart(right, rv.flow_figure(rv.compute_monthly_flow(alerts), title=ctx.t("rk.flow"), subtitle=sub,
                                  source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="rk_flow", metric="open_alerts")

with st.expander(ctx.t("cat.rules")):
    ui.table_with_downloads(rv.rule_thresholds_table(data.risk_rules(ctx.url, ctx.version), ctx.lang), hide_index=True,
                            key="rk_rule_thresholds")

f1, f2 = st.columns(2)
severity = f1.multiselect(ctx.t("rk.filter.severity"), ALERT_SEVERITIES, default=list(ALERT_SEVERITIES), key="rk_severity", bind="query-params",
                          format_func=lambda s: i18n.label("severity", s, ctx.lang))
states = f2.multiselect(ctx.t("rk.filter.state"), ALERT_STATES, default=list(OPEN_ALERT_STATES), key="rk_states", bind="query-params",
                        format_func=lambda s: i18n.t(f"alert_state.{s}", ctx.lang))
queue = alerts[alerts["severity"].isin(severity) & alerts["state"].isin(states)]
st.subheader(ctx.t("rk.queue", n=len(queue)))
ui.table_with_downloads(rv.queue_table(queue, ctx.lang), hide_index=True, key="rk_queue")
if queue.empty:
    st.stop()

by_id = queue.set_index("id")
linked = st.query_params.get("alert")  # a notification's link (?park=CODE&alert=ID): that alert, chosen once
if linked and linked.isdigit() and int(linked) in by_id.index and st.session_state.get("_rk_linked") != linked:
    st.session_state["_rk_linked"] = linked
    st.session_state["rk_pick"] = int(linked)
alert_id = st.selectbox(ctx.t("rk.pick"), queue["id"].tolist(), key="rk_pick", bind="query-params",
                        format_func=lambda i: f"#{i} {i18n.label('rule', by_id.loc[i, 'rule_code'], ctx.lang)} · {by_id.loc[i, 'subject_name']}")
alert = by_id.loc[alert_id]
left, right = st.columns(2)
with left:
    st.markdown(f"**{ctx.t('rk.evidence')}** · {alert['suggested_action']}")
    ui.table_with_downloads(rv.evidence_table(alert["evidence"] or {}, ctx.lang), hide_index=True, key="rk_evidence")
    fig = rv.evidence_figure(alert["rule_code"], alert["evidence"] or {}, title=f"{i18n.label('rule', alert['rule_code'], ctx.lang)}"
                             f" · {alert['subject_name']}", subtitle=f"{ctx.park_name} · {alert['period']:%Y-%m}",
                             source=ctx.t("gf.source"), lang=ctx.lang)
    if fig is not None:
        ui.chart(st, fig, ctx=ctx, key="rk_evidence_chart", metric="open_alerts")
with right:
    history = data.read(ctx.url, risk_store.load_alert_history, int(alert_id))
    st.markdown(f"**{ctx.t('rk.history')}**")
    ui.table_with_downloads(rv.history_table(history, ctx.lang), hide_index=True, key="rk_history")

steps = risk_store.next_steps(alert["state"], ctx.user.role)
if not steps:
    st.caption(ctx.t("rk.no_action"))
else:
    with st.form("rk_step"):
        to = st.radio(ctx.t("rk.next"), steps, key="rk_to", horizontal=True, format_func=lambda s: i18n.t(f"alert_state.{s}", ctx.lang))
        note = st.text_area(ctx.t("rk.note_input"), key="rk_note_text")
        if st.form_submit_button(ctx.t("rk.submit")):
            try:
                data.write(ctx.url, risk_store.transition, int(alert_id), to, actor=ctx.user.username, role=ctx.user.role,
                           note=note, institution_id=ctx.user.institution_id)
            except risk_store.LoopError as exc:
                st.error(ctx.t("rk.refused", reason=rv.loop_refusal(exc.code, exc.params, ctx.lang)))
            else:
                st.session_state["rk_flash"] = ctx.t("rk.moved", state=i18n.t(f"alert_state.{to}", ctx.lang))
                st.rerun()
