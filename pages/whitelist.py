"""白名单与融资指引 Whitelist (§十四) and financing guideline (§四): the current list with its version, what
changed, each enterprise's score and its parts, the export pushed to the banks, a new version by the committee,
and the guideline with the enterprises and projects its negative list covers."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, i18n, ui, whitelist as wl
from dashboard.shell import render_shell
from data_access import whitelist_store

ctx = render_shell("whitelist")
st.title(ctx.t("wl.heading", park=ctx.park_name))
ui.render_data_end(ctx)
state = data.whitelist_state(ctx.url, ctx.version, ctx.park_id, ctx.period)
criteria, versions, current = state["criteria"], state["versions"], state["current"]
name_col = "name_zh" if ctx.lang == "zh" else "name_en"

if versions.empty:
    st.info(ctx.t("wl.none"))
else:
    v = versions.iloc[-1]
    st.subheader(ctx.t("wl.current", version=int(v["version"]), date=v["effective_date"], doc=v["document_no"] or "—",
                       n=int(v["listed"]), min=f"{v['min_score']:g}"))
    changes = current[current["action"] != "rescored"]
    st.caption(ctx.t("wl.changes", added=int((current["action"] == "added").sum()), removed=int((current["action"] == "removed").sum())))
    listed = current[current["listed"].astype(bool)]
    table = wl.entries_table(listed, criteria, ctx.lang)
    ui.table_with_downloads(table, hide_index=True, key="wl_current")
    if not changes.empty:
        st.markdown(f"**{ctx.t('wl.changes_table')}**")
        ui.table_with_downloads(wl.entries_table(changes, criteria, ctx.lang), hide_index=True, key="wl_changes")
    ui.excel_download({f"白名单第{int(v['version'])}版": table, ctx.t("wl.col.action"): wl.entries_table(changes, criteria, ctx.lang)},
                      label=ctx.t("wl.download"), file_name=f"whitelist-{ctx.park['code']}-v{int(v['version'])}.xlsx", key="wl_xlsx")

st.subheader(ctx.t("wl.criteria"))
ui.table_with_downloads(pd.DataFrame({ctx.t("rk.measure"): criteria[name_col], ctx.t("wl.col.score"): criteria["max_points"],
                           ctx.t("wl.explain"): criteria["description" if ctx.lang == "zh" else "description_en"]}), hide_index=True, key="wl_criteria")

negative = wl.negative_ids(state["hits"], "enterprise")

st.subheader(ctx.t("wl.guideline"))
hits = state["hits"]
st.caption(ctx.t("wl.guideline.hits", ents=len(negative), projects=len(wl.negative_ids(hits, "project"))))
ent_names = dict(zip(state["inputs"]["enterprise_id"], state["inputs"]["name"]))
ent_names.update({("project", i): n for i, n in zip(state["projects"]["id"], state["projects"]["name"])})
covers = wl.guideline_covers(hits, ent_names, ctx.lang)
g = state["guideline"]
ui.table_with_downloads(pd.DataFrame({ctx.t("lib.col.kind"): [i18n.label("guideline_kind", k, ctx.lang) for k in g["kind"]],
                           ctx.t("lib.col.detail"): g["text_zh" if ctx.lang == "zh" else "text_en"],
                           ctx.t("wl.guideline.who"): g["code"].map(covers).fillna("")}), hide_index=True, key="wl_guideline")

min_default = float(versions.iloc[-1]["min_score"]) if not versions.empty else wl.DEFAULT_MIN_SCORE
scored = wl.score_all(state["inputs"], state["inputs"].set_index("enterprise_id")["carbon_grade"], criteria, negative, min_default)
if ctx.user.role == "institution_reporter":  # a bank sees the list pushed to it, not the live scoring of other banks' loans
    st.stop()
st.subheader(ctx.t("wl.scores", period=f"{ctx.period:%Y-%m}"))
shown = wl.entries_table(scored.assign(action="rescored", reason=None), criteria, ctx.lang).drop(
    columns=[ctx.t("wl.col.action"), ctx.t("wl.col.reason")])
shown[ctx.t("wl.col.grade")] = scored["carbon_grade"].map(lambda g: "—" if pd.isna(g) else f"{int(g)}级")
shown[ctx.t("wl.col.negative")] = scored["negative"].map({True: "⚠ " + ctx.t("pj.flag.negative"), False: ""})
shown[ctx.t("wl.col.eligible")] = scored["eligible"].map({True: "✔", False: "✘"})
ui.table_with_downloads(shown.sort_values(ctx.t("wl.col.score"), ascending=False), hide_index=True, key="wl_scores")

if ctx.user.role in ("park_committee", "admin"):
    st.subheader(ctx.t("wl.new"))
    c = st.columns(3)
    effective = c[0].date_input(ctx.t("wl.new.effective"), value=dt.date.today(), key="wl_effective")
    doc = c[1].text_input(ctx.t("wl.new.doc"), key="wl_doc")
    min_score = c[2].number_input(ctx.t("wl.new.min"), min_value=0.0, max_value=100.0, value=min_default, step=1.0, key="wl_min")
    proposal = wl.propose_version(wl.score_all(state["inputs"], state["inputs"].set_index("enterprise_id")["carbon_grade"], criteria,
                                               negative, min_score), current)
    counts = proposal["action"].value_counts()
    st.caption(ctx.t("wl.new.preview", added=int(counts.get("added", 0)), removed=int(counts.get("removed", 0)),
                     kept=int(counts.get("rescored", 0))))
    removed = proposal[proposal["action"] == "removed"]
    edited = st.data_editor(
        pd.DataFrame({"enterprise_id": removed["enterprise_id"], ctx.t("wl.col.name"): removed["name"],
                      ctx.t("wl.col.score"): removed["score"], ctx.t("wl.col.reason"): removed["reason"]}),
        hide_index=True, disabled=["enterprise_id", ctx.t("wl.col.name"), ctx.t("wl.col.score")], key="wl_reasons")
    if st.button(ctx.t("wl.new.save"), key="wl_publish"):
        proposal.loc[proposal["action"] == "removed", "reason"] = edited[ctx.t("wl.col.reason")].fillna("").to_numpy()
        try:
            data.write(ctx.url, whitelist_store.save_version, park_id=ctx.park_id, entries=proposal, effective_date=effective,
                       document_no=doc or None, min_score=min_score, actor=ctx.user.username)
        except whitelist_store.WhitelistError:
            empty = proposal[(proposal["action"] == "removed") & (proposal["reason"].fillna("").str.strip() == "")]
            st.error(ctx.t("wl.new.refused", names="、".join(empty["name"])))
        else:
            st.session_state["wl_flash"] = ctx.t("wl.new.saved", version=int(versions["version"].max() if not versions.empty else 0) + 1)
            st.rerun()
if "wl_flash" in st.session_state:
    st.success(st.session_state.pop("wl_flash"))

