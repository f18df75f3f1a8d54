"""指标与数据说明: the one definition of each indicator, the factor table and the park's targets."""

import streamlit as st

from dashboard import data, energy_views, ui
from dashboard.tables import factor_table, fallback_notes, indicator_table, target_table
from dashboard.shell import render_shell

ctx = render_shell("indicators")
st.title(ctx.t("ind.heading"))
ui.render_data_end(ctx)
st.markdown(ctx.t("ind.intro"))

st.subheader(ctx.t("ind.definitions"))
definitions = indicator_table(ctx.lang)
ui.table_with_downloads(definitions, hide_index=True, key="indicators_definitions")
ui.dataframe_download(definitions, label=ctx.t("ind.download"), file_name="indicator_definitions.csv", key="indicators_download")

factors = factor_table(data.factors(ctx.url, ctx.version), ctx.lang)
n_unconfirmed = int(factors.attrs["n_unconfirmed"])
st.subheader(ctx.t("ind.factors", n=len(factors), n_unconfirmed=n_unconfirmed))
_monthly, used = data.park_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
for note in fallback_notes(used, ctx.lang):
    st.caption(note)
ui.table_with_downloads(factors, hide_index=True, key="indicators_factors")

st.subheader(ctx.t("ind.methods", period=f"{ctx.period:%Y-%m}"))
both = {m: data.park_monthly(ctx.url, ctx.version, ctx.park_id, m, ctx.scope)[0] for m in ("calorific", "coal_equivalent")}
ui.table_with_downloads(energy_views.method_comparison_table(both, ctx.period, ctx.method, ctx.lang), hide_index=True,
                        key="indicators_methods")
st.caption(ctx.t("ind.methods_note"))

st.subheader(ctx.t("ind.targets", park=ctx.park_name))
targets = target_table(data.targets(ctx.url, ctx.version, ctx.park_id, ctx.period), ctx.lang)
if targets.empty:
    st.info(ctx.t("ind.no_targets"))
else:
    ui.table_with_downloads(targets, hide_index=True, key="indicators_targets")
