"""会议快照 Meeting snapshots (§十五): freeze what a meeting saw and reopen it unchanged after data revisions."""

import streamlit as st

from dashboard import data, exports, publication, ui
from dashboard.shell import render_shell
from data_access import publication_store

ctx = render_shell("snapshots")
st.title(ctx.t("snap.heading", park=ctx.park_name))
st.caption(ctx.t("snap.intro"))

with st.form("snap_new"):
    title = st.text_input(ctx.t("snap.new_title"), value=ctx.t("snap.default_title", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"),
                          max_chars=300, key="snap_title")
    if st.form_submit_button(ctx.t("snap.freeze", period=f"{ctx.period:%Y-%m}"), icon=":material/push_pin:"):
        bundle = data.publication_bundle(ctx.url, ctx.version, ctx.park_id, ctx.period, ctx.method, ctx.scope)
        figures = data.publication_charts(ctx.url, ctx.version, ctx.park_id, ctx.period, ctx.method, ctx.scope, ctx.lang)
        try:
            new_id = data.write(ctx.url, publication_store.save_snapshot, park_id=ctx.park_id, title=title, created_by=ctx.user.username,
                                payload=publication.snapshot_payload(bundle, ctx.lang, figures, data_version=ctx.version))
            st.session_state["snap_open"] = new_id
            st.success(ctx.t("scr.frozen", id=new_id))
        except ValueError:  # the one refusal: an empty title
            st.error(ctx.t("snap.need_title"))

snaps = data.read(ctx.url, publication_store.list_snapshots, park_id=ctx.park_id)
ui.stop_if_empty(snaps, ctx, "snap.none")
labels = {int(r.id): f"#{r.id} {r.title} · {r.created_at:%Y-%m-%d %H:%M} · {r.created_by}" for r in snaps.itertuples()}
if st.session_state.get("snap_open") not in labels:
    st.session_state.pop("snap_open", None)
pick = st.selectbox(ctx.t("snap.pick"), list(labels), format_func=labels.get, key="snap_open", bind="query-params")
snap = data.read(ctx.url, publication_store.load_snapshot, int(pick), park_id=ctx.park_id)
p = snap["payload"]
end = max((d for d in p["data_end"].values() if d), default="—")
st.warning(ctx.t("snap.banner", id=snap["id"], title=snap["title"], by=snap["created_by"], at=f"{snap['created_at']:%Y-%m-%d %H:%M}",
                 period=p["period"], end=end), icon=":material/ac_unit:")
tiles = p.get("tiles", [])
for row in (tiles[:3], tiles[3:]):
    for col, tile in zip(st.columns(3), row):
        with col.container(border=True):
            st.metric(tile["label"], f"{tile['value']} {tile['unit']}", tile["change"] or None, delta_color="off")
            st.caption(tile["status_text"])
for sentence in p.get("sentences", []):
    st.markdown(f"- {sentence}")
for code, fig in publication.snapshot_figures(p).items():
    stem = f"snapshot{snap['id']}_{exports.file_stem(p['park_code'], code, ui.month_from_text(p['period']))}"
    st.plotly_chart(fig, key=f"snap_{snap['id']}_{code}", config=exports.camera_config(stem, fig))
