"""零碳金融简报 (§九): generate the month's briefing, fill in the written sections, submit; the PBOC sees who
has and has not submitted. The same content makes the Word document (also `python -m cli briefing`)."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import briefing, data, i18n, ledgers, lmdi, ui
from dashboard.shell import render_shell
from data_access import publication_store
from data_access.scope import Scope

ctx = render_shell("briefing")
institutions = data.park_institutions(ctx.url, ctx.version, ctx.park_id, Scope("pboc_analyst"))
names = dict(zip(institutions["id"], institutions["short_name"]))
if ctx.scope.own_institution is not None:
    inst_id = ctx.scope.own_institution
elif ctx.scope.publicity_safe:  # publicity-safe mode: the park-wide briefing only, never one institution's
    inst_id = None
else:
    inst_id = st.selectbox(ctx.t("br.pick_inst"), [0, *institutions["id"].tolist()], key="br_inst", bind="query-params",
                           format_func=lambda i: names.get(i, str(i)) if i else ctx.t("br.park_wide")) or None
scope = Scope("institution_reporter", inst_id) if inst_id else ctx.scope
may_write = (ctx.user.role == "institution_reporter" and inst_id == ctx.scope.own_institution) or \
            (ctx.user.role in ("pboc_analyst", "admin") and inst_id is None)
who = names.get(inst_id, ctx.park_name) if inst_id else ctx.park_name
st.title(ctx.t("br.heading", who=who, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
st.caption(ctx.t("br.intro"))

stored = data.read(ctx.url, publication_store.load_briefing, park_id=ctx.park_id, institution_id=inst_id, period=ctx.period)
if stored and stored["status"] == "submitted":
    content = stored["body"]  # as it was sent
    st.success(ctx.t("br.locked", by=stored["submitted_by"], at=f"{stored['submitted_at']:%Y-%m-%d %H:%M}"))
else:
    bundle = data.publication_bundle(ctx.url, ctx.version, ctx.park_id, ctx.period, ctx.method, scope)
    drivers = lmdi.latest_decomposition(data.emission_drivers(ctx.url, ctx.version, ctx.park_id, ctx.method), ctx.period)
    ledger_sums = data.ledger_sums(ctx.url, ctx.version, ctx.park_id, scope, ledgers.month_end(ctx.period))
    ledger_overdue = data.ledger_overdue(ctx.url, ctx.version, ctx.park_id, scope,
                                         ledgers.as_of(ctx.period, dt.date.today()))
    content = briefing.compose(bundle, ctx.lang, sections=(stored or {}).get("body", {}).get("sections"), drivers=drivers,
                               ledger_sentences=ledgers.sentences(ledger_sums, ledger_overdue, period=ctx.period, lang=ctx.lang))

st.subheader(ctx.t("br.preview"))
for sentence in content["sentences"]:
    st.markdown(f"- {sentence}")
if content.get("ledgers"):
    st.markdown(f"**{ctx.t('br.ledgers')}**")
    for sentence in content["ledgers"]:
        st.markdown(f"- {sentence}")
st.subheader(ctx.t("br.figures"))
table = pd.DataFrame([{ctx.t("br.col.item"): r["label"], ctx.t("br.col.now"): r["now"], ctx.t("br.col.prev"): r["prev"],
                       ctx.t("br.col.vs_prev"): r["vs_prev"], ctx.t("br.col.year_ago"): r["year_ago"],
                       ctx.t("br.col.vs_year"): r["vs_year"]} for r in content["table"]]).round(2)
ui.table_with_downloads(table, hide_index=True, key="br_figures")
st.download_button(ctx.t("br.download"), data=lambda: briefing.document(content), file_name=briefing.file_name(content),
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="br_docx",
                   on_click="ignore", type="primary")

if may_write and not (stored and stored["status"] == "submitted"):
    with st.form("br_form"):
        sections = {k: st.text_area(i18n.t(f"br.free.{k}", ctx.lang), value=content["sections"].get(k, ""), key=f"br_{k}",
                                    height=120) for k in briefing.FREE_SECTIONS}
        save, submit = st.columns(2)
        pressed_save = save.form_submit_button(ctx.t("br.save"))
        pressed_submit = submit.form_submit_button(ctx.t("br.submit"), type="primary")
    if pressed_save or pressed_submit:
        content = dict(content, sections=sections, issued_on=dt.date.today().isoformat())
        try:
            data.write(ctx.url, publication_store.save_briefing, park_id=ctx.park_id, institution_id=inst_id, period=ctx.period,
                       issue_no=int(content["issue_no"]), title=briefing.title_of(content), body=content,
                       user=ctx.user.username, submit=pressed_submit)
        except publication_store.BriefingLocked as exc:
            st.error(ctx.t("br.locked", by=exc.by, at=f"{exc.at:%Y-%m-%d %H:%M}"))
        else:
            st.session_state["br_flash"] = ctx.t("br.submitted", by=ctx.user.username, at=f"{dt.datetime.now():%Y-%m-%d %H:%M}") \
                if pressed_submit else ctx.t("br.saved")
            st.rerun()
if "br_flash" in st.session_state:
    st.success(st.session_state.pop("br_flash"))

if ctx.user.role in ("pboc_analyst", "admin", "leader") and not ctx.scope.publicity_safe:
    status = data.read(ctx.url, publication_store.submission_status, park_id=ctx.park_id, period=ctx.period,
                       institution_ids=institutions["id"].tolist())
    st.subheader(ctx.t("br.status", period=f"{ctx.period:%Y-%m}", done=int((status["status"] == "submitted").sum()), n=len(status)))
    shown = pd.DataFrame({
        ctx.t("br.col.code"): status["code"], ctx.t("br.col.institution"): status["short_name"],
        ctx.t("br.col.status"): [ctx.t(f"br.status.{s}") for s in status["status"]],
        ctx.t("br.col.by"): status["submitted_by"].fillna(""),
        ctx.t("br.col.at"): [f"{t:%Y-%m-%d %H:%M}" if pd.notna(t) else "" for t in status["submitted_at"]],
    })
    ui.table_with_downloads(shown, hide_index=True, key="br_status")
