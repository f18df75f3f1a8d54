"""2030目标预测 Outlook to 2030: forecast fans, the path needed, the chance of meeting each target, scenarios."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from dashboard.indicators import INDICATORS
from dashboard.outlook import (
    PV_YIELD_KWH_PER_KW,
    Scenario,
    apply_scenario,
    implied_growth,
    outlook_sentence,
    required_path,
    scenario_effect,
)
from dashboard.shell import render_shell

ctx = render_shell("forecast")
st.title(ctx.t("fc.heading", park=ctx.park_name))
ui.render_data_end(ctx)
st.caption(ctx.t("fc.intro"))
with st.spinner(ctx.t("fc.working")):
    outlooks = data.outlooks(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope, ctx.period)

for code, o in outlooks.items():
    ind = INDICATORS[code]
    name = ctx.t(f"kpi.{code}")
    st.subheader(name)
    if o is None:
        st.info(ctx.t("fc.none"))
        continue
    model = ctx.t(f"fc.model.{o.fit.method}")
    fig = charts.build_fan_figure(
        o.history, o.fan, required_path(o, ind), o.target, scale=ind.scale_for(ctx.lang), unit=ind.unit(ctx.lang), decimals=ind.decimals,
        title=ctx.t("fc.title", name=name, value=ind.format(o.value_2030, ctx.lang), lo=ind.format(o.fan["lower"].iloc[-1], ctx.lang),
                    hi=ind.format(o.fan["upper"].iloc[-1], ctx.lang)),
        subtitle=ctx.t("fc.subtitle", park=ctx.park_name, end=str(o.history.index[-1]), model=model), source=ctx.t("ov.source"),
        names={**{k: ctx.t(f"fc.legend.{k}") for k in ("forecast", "fan", "required", "target")},
               # a month-end stock (green loans) is not a 12-month sum
               "history": ctx.t("fc.legend.history" if ind.window == "t12" else "fc.legend.history_end"),
               "year_end": ctx.t("fc.year_end"), "break": ctx.t("gf.break") if code == "green_loan_balance" else None})
    ui.chart(st, fig, ctx=ctx, key=f"fc_{code}", metric=code)
    st.markdown(f"**{outlook_sentence(o, ind, ctx.lang, name)}**")
    with st.expander(ctx.t("fc.model_details")):
        st.write(ctx.t("fc.model_text", model=model, scale=f"{o.fit.scale:.2f}"))
        ui.table_with_downloads(pd.DataFrame({"model": [ctx.t(f"fc.model.{m}") for m in o.fit.cv_error],
                                   "MAE/scale": [round(v, 3) for v in o.fit.cv_error.values()]}), hide_index=True, key=f"fc_cv_{code}")
        st.caption(ctx.t("fc.accuracy_note"))

st.header(ctx.t("fc.scenarios"))
cols = st.columns(3)
mw = cols[0].slider(ctx.t("fc.s.mw"), 0, 200, 0, step=10, key="fc_mw", bind="query-params")
purchase = cols[1].slider(ctx.t("fc.s.purchase"), 0.0, 50.0, 0.0, step=2.5, key="fc_purchase", bind="query-params")
balance = outlooks.get("green_loan_balance")
trend_growth = round(implied_growth(balance) * 100) if balance is not None else 15  # untouched = the trend
growth = cols[2].slider(ctx.t("fc.s.credit"), 0, 40, int(min(max(trend_growth, 0), 40)), key="fc_growth", bind="query-params")
scenario = Scenario(added_mw_per_year=mw, purchases_mwh_per_year=purchase * 1e4,
                    credit_growth=None if growth == trend_growth else growth / 100)
energy = data.energy_monthly(ctx.url, ctx.version, ctx.park_id, ctx.scope)
energy = energy[energy["period"] <= ctx.period] if not energy.empty else energy
effect = scenario_effect(energy, data.factors(ctx.url, ctx.version), scenario, from_year=ctx.period.year + 1,
                         method=ctx.method) if not energy.empty else pd.DataFrame()
rows = []
for code, o in outlooks.items():
    if o is None:
        continue
    ind = INDICATORS[code]
    value = apply_scenario(o, effect, scenario)
    diff = value - o.value_2030
    rows.append({ctx.t("fc.s.col.indicator"): ctx.t(f"kpi.{code}"), ctx.t("fc.s.col.base"): ind.format(o.value_2030, ctx.lang),
                 ctx.t("fc.s.col.scenario"): ind.format(value, ctx.lang),
                 ctx.t("fc.s.col.diff"): f"{diff * ind.scale_for(ctx.lang):+,.{ind.decimals}f} {ind.unit(ctx.lang)}",
                 ctx.t("fc.s.col.target"): ind.format(o.target, ctx.lang) if o.target is not None else "—"})
ui.table_with_downloads(pd.DataFrame(rows), hide_index=True, key="fc_scenario_table")
st.caption(ctx.t("fc.s.note", pv=f"{PV_YIELD_KWH_PER_KW:,.0f}"))
