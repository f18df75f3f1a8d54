"""宣传图集 Chart gallery (§八 宣传平台): the key charts as publication images, chosen and exported as one ZIP."""

import streamlit as st

from dashboard import data, exports, publication, ui
from dashboard.shell import render_shell

ctx = render_shell("gallery")
st.title(ctx.t("gal.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
st.caption(ctx.t("gal.intro"))
figures = data.publication_charts(ctx.url, ctx.version, ctx.park_id, ctx.period, ctx.method, ctx.scope, ctx.lang)
if not figures:
    st.info(ctx.t("gal.empty"))
    st.stop()
a, b = st.columns([4, 1])
codes = a.multiselect(ctx.t("gal.pick"), list(figures), default=list(figures), key="gal_pick", bind="query-params",
                      format_func=lambda c: publication.chart_title(c, ctx.lang))
scale = b.radio(ctx.t("gal.scale"), list(exports.SCALES), horizontal=True, key="gal_scale", bind="query-params", format_func=lambda s: f"{s}x")
ends = [d for d in ctx.data_end.values() if d]
park_code = str(ctx.park["code"])


def make_zip() -> bytes:  # made only when the button is pressed
    chosen = {exports.file_stem(park_code, c, ctx.period):
              publication.publication_figure(figures[c], data_end=max(ends) if ends else None, lang=ctx.lang,
                                             demo=bool(ctx.park["is_demo"])) for c in codes}
    return exports.zip_pngs(chosen, scale=scale, lang=ctx.lang)


if not codes:
    st.info(ctx.t("gal.none"))
else:
    st.download_button(ctx.t("gal.zip", n=len(codes)), data=make_zip, file_name=f"gallery_{park_code}_{ctx.period:%Y-%m}.zip",
                       mime="application/zip", key="gal_zip", on_click="ignore", type="primary")
for code in codes:
    ui.chart(st, figures[code], ctx=ctx, key=f"gal_{code}", metric=publication.CHART_METRIC[code])
