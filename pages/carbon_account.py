"""企业碳账户 Enterprise carbon account: energy, emissions, intensity and grade, loans, footprint since green loans."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, energy, energy_views as views, i18n, ui
from dashboard.formulas import green_power_share
from dashboard.shell import render_shell

ctx = render_shell("carbon-account")
st.title(ctx.t("ca.heading"))
ui.render_data_end(ctx)

ents = data.enterprises(ctx.url, ctx.version, ctx.park_id, ctx.scope)
ui.stop_if_empty(ents, ctx, "ca.none")
by_id = ents.set_index("id")
ent_id = st.selectbox(ctx.t("ca.pick"), ents["id"].tolist(), key=f"account_enterprise_{ctx.park_id}", bind="query-params",
                      format_func=lambda i: f"{by_id.loc[i, 'name']}（{by_id.loc[i, 'uscc']}）")
ent = by_id.loc[ent_id]
st.subheader(ent["name"])
marks = [ctx.t("ca.zero_label")] if ent["zero_carbon_label"] else []
marks += [ctx.t("ca.negative")] if ent["on_negative_list"] else []
st.caption(" · ".join([ctx.t("ca.facts", uscc=ent["uscc"], sector=i18n.label("sector", ent["sector"], ctx.lang),
                                 klass=i18n.label("enterprise_class", ent["enterprise_class"], ctx.lang))] + marks))

per_ent = data.enterprise_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
mine = per_ent[(per_ent["enterprise_id"] == ent_id) & (per_ent["period"] <= ctx.period)] if not per_ent.empty else per_ent
ui.stop_if_empty(mine, ctx, "ca.no_energy")
outputs = data.enterprise_outputs(ctx.url, ctx.version, ctx.park_id, ctx.scope)
efficiency, year = data.carbon_efficiency(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
efficiency = efficiency.set_index("enterprise_id")
year = year or ctx.period.year
trailing = energy.compute_trailing(mine, ctx.period).set_index("enterprise_id")

cols = st.columns(5)
row = trailing.loc[ent_id] if ent_id in trailing.index else None
cols[0].metric(ctx.t("ca.metric.emissions"), "—" if row is None else f"{row['emissions_t']:,.0f} tCO2",
               None if row is None or row["emissions_prev_t"] != row["emissions_prev_t"] else f"{row['change_pct']:+.1f}%",
               delta_color="inverse")
cols[1].metric(ctx.t("ca.metric.energy"), "—" if row is None else f"{row['energy_tce']:,.0f} tce")
recent = mine.tail(12)
share = green_power_share(recent["green_power_kwh"].sum(), recent["total_electricity_kwh"].sum())
cols[2].metric(ctx.t("ca.metric.green"), "—" if pd.isna(share) else f"{share * 100:.1f} %")
if ent_id in efficiency.index and pd.notna(efficiency.loc[ent_id, "grade"]):
    eff = efficiency.loc[ent_id]
    cols[3].metric(ctx.t("ca.metric.intensity", year=year), ctx.t("ca.intensity_value", value=f"{eff['intensity']:.3f}"),
                   help=ctx.t("ca.metric.intensity_help", benchmark=f"{eff['benchmark']:.3f}"))
    cols[4].metric(ctx.t("ca.metric.grade_k", year=year, k=f"{eff['k']:.2f}"), ctx.t("ca.grade_value", grade=int(eff["grade"])),
                   help=ctx.t("ca.grade_help"))
    st.caption(views.benchmark_note(eff, ent["sector"], ctx.lang))
else:
    cols[3].metric(ctx.t("ca.metric.intensity", year=year), "—")
    cols[4].metric(ctx.t("ca.metric.grade", year=year), ctx.t("ca.no_grade"))

v = views.View(ctx.lang, ctx.park_name, ctx.period, ctx.data_end.get("energy"))
ui.chart(st, charts.build_enterprise_figure(
    mine, title=ctx.t("ca.chart.title", name=ent["name"]), subtitle=v.subtitle(f"{mine['period'].min():%Y-%m}—{ctx.period:%Y-%m}"),
    source=v.source, names={"emissions": ctx.t("ca.chart.emissions"), "energy": ctx.t("ca.chart.energy")}),
    ctx=ctx, key="account_chart", metric="total_emissions")

loans = data.enterprise_loans(ctx.url, ctx.version, int(ent_id), ctx.scope)
if loans.empty:
    st.info(ctx.t("ca.no_loans"))
else:
    st.subheader(ctx.t("ca.loans", n=len(loans), linked=int(loans["carbon_linked"].sum())))
    ui.table_with_downloads(views.loans_table(loans, ctx.lang), hide_index=True, key="account_loans")
my_outputs = outputs[outputs["enterprise_id"] == ent_id] if not outputs.empty else outputs
st.markdown(views.footprint_sentence(energy.compute_footprint_since_green_loans(mine, loans, my_outputs), ctx.lang))
