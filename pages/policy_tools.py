"""政策工具 Policy tools: carbon emission reduction tool, sci-tech relending, subsidy, risk compensation, guarantee."""

import streamlit as st

from dashboard import data, finance, finance_views as fv, i18n, ui
from dashboard.shell import render_shell

ctx = render_shell("policy-tools")
st.title(ctx.t("pt.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
tools = data.policy_tools_by_institution(ctx.url, ctx.version, ctx.park_id, ctx.scope)
summary = finance.compute_policy_tool_summary(tools, ctx.period)
ui.stop_if_empty(summary, ctx, "pt.none")
m = st.columns(4)
m[0].metric(ctx.t("pt.m.loans"), i18n.amount(summary['loans'].sum(), "yi", ctx.lang, 2))
m[1].metric(ctx.t("pt.m.funding"), i18n.amount(summary['funding'].sum(), "yi", ctx.lang, 2))
m[2].metric(ctx.t("pt.m.carbon"), i18n.amount(summary['carbon_t'].sum(), "co2e", ctx.lang, 2))
m[3].metric(ctx.t("pt.m.fiscal"), i18n.amount(summary['fiscal_cost'].sum(), "wan", ctx.lang))

window = tools[(tools["period"] <= ctx.period)]
ui.chart(st, fv.tool_monthly_figure(window, title=ctx.t("pt.monthly.title", value=f"{summary['loans'].sum() * fv.YI:,.2f}"),
                                       subtitle=fv.subtitle(ctx.lang, ctx.park_name, ctx.period, ctx.data_end.get("credit")),
                                       source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="pt_monthly", metric="policy_tool_loans")
st.subheader(ctx.t("pt.by_tool"))
ui.table_with_downloads(fv.tools_table(summary, ctx.lang), hide_index=True, key="pt_by_tool")

st.subheader(ctx.t("pt.by_inst"))
institutions = data.park_institutions(ctx.url, ctx.version, ctx.park_id, ctx.scope)
names = dict(zip(institutions["id"], institutions["short_name"]))
by_inst = fv.tools_by_institution_table(tools, ctx.period, names, ctx.lang)
ui.table_with_downloads(by_inst, hide_index=True, key="pt_by_inst")
ui.excel_download({ctx.t("pt.by_inst"): by_inst, ctx.t("pt.by_tool"): fv.tools_table(summary, ctx.lang)},
                  label="Excel", file_name=f"policy_tools_{ctx.period:%Y%m}.xlsx", key="pt_xlsx")

st.subheader(ctx.t("pt.rates"))
ui.table_with_downloads(fv.rates_table(data.policy_tool_rates(), ctx.lang), hide_index=True, key="pt_rates")
