"""指标口径 Metric catalogue: every measure's formula, unit, period, data and official source; which thresholds and
targets are policy and which are ours (假设); the core indicator under both conversion methods; the factors."""

import streamlit as st

from dashboard import catalogue, data, energy_views, risk_views, ui
from dashboard.shell import render_shell
from dashboard.tables import factor_table, fallback_notes, target_table

ctx = render_shell("indicators")
st.title(ctx.t("ind.heading"))
ui.render_data_end(ctx)
st.markdown(ctx.t("ind.intro"))

st.subheader(ctx.t("ind.definitions"))
ui.table_with_downloads(catalogue.catalogue_table(ctx.lang), hide_index=True, key="indicators_catalogue")

st.subheader(ctx.t("ind.methods", period=f"{ctx.period:%Y-%m}"))
both = {m: data.park_monthly(ctx.url, ctx.version, ctx.park_id, m, ctx.scope)[0] for m in ("calorific", "coal_equivalent")}
ui.table_with_downloads(energy_views.method_comparison_table(both, ctx.period, ctx.method, ctx.lang), hide_index=True,
                        key="indicators_methods")
st.caption(ctx.t("ind.methods_note"))

st.subheader(ctx.t("cat.reference"))
ui.table_with_downloads(catalogue.thresholds_table(ctx.lang), hide_index=True, key="indicators_reference")
st.caption(ctx.t("cat.reference_note"))

st.subheader(ctx.t("cat.rules"))
ui.table_with_downloads(risk_views.rule_thresholds_table(data.risk_rules(ctx.url, ctx.version), ctx.lang), hide_index=True,
                        key="indicators_rules")

st.subheader(ctx.t("ind.targets", park=ctx.park_name))
targets = target_table(data.targets(ctx.url, ctx.version, ctx.park_id, ctx.period), ctx.lang)
if targets.empty:
    st.info(ctx.t("ind.no_targets"))
else:
    ui.table_with_downloads(targets, hide_index=True, key="indicators_targets")

factors = factor_table(data.factors(ctx.url, ctx.version), ctx.lang)
n_unconfirmed = int(factors.attrs["n_unconfirmed"])
st.subheader(ctx.t("ind.factors", n=len(factors), n_unconfirmed=n_unconfirmed))
_monthly, used = data.park_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
for note in fallback_notes(used, ctx.lang):
    st.caption(note)
ui.table_with_downloads(factors, hide_index=True, key="indicators_factors")
