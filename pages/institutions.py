"""机构画像 Institutions: one institution's profile and assessment, and all institutions compared."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, finance, finance_views as fv, i18n, ui
from dashboard.shell import render_shell
from data_access import credit_queries

ctx = render_shell("institutions")
st.title(ctx.t("in.heading"))
ui.render_data_end(ctx)
institutions = data.park_institutions(ctx.url, ctx.version, ctx.park_id, ctx.scope)
ui.stop_if_empty(institutions, ctx, "in.none")
names = dict(zip(institutions["id"], institutions["short_name"]))
by_inst = data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, "institution")
tasks = data.tasks(ctx.url, ctx.version, ctx.park_id, ctx.scope)
quarter_end = finance.quarter_end_month(ctx.period)
quarter = fv.quarter_label(quarter_end, ctx.lang)
weights = data.assessment_weights(ctx.url, ctx.version)
# Scored over every institution of the park, then narrowed to what this user may see.
comparison, scores, assessed = data.assessment(ctx.url, ctx.version, ctx.park_id, ctx.period, ctx.scope)
end = ctx.data_end.get("credit")

profile, compare = st.tabs([ctx.t("in.tab.profile"), ctx.t("in.tab.compare")], key="in_tab", bind="query-params")
with profile:
    inst_id = st.selectbox(ctx.t("in.pick"), institutions["id"].tolist(), key=f"in_pick_{ctx.park_id}", bind="query-params",
                           format_func=lambda i: f"{names[i]} · {i18n.label('inst_type', institutions.set_index('id').loc[i, 'inst_type'], ctx.lang)}")
    row = comparison.set_index("institution_id").loc[inst_id] if inst_id in set(comparison["institution_id"]) else None
    m = st.columns(4)
    if row is not None and row["green_balance"] == 0 and row["green_nonbank_balance"] > 0:  # a leasing firm
        m[0].metric(ctx.t("in.m.nonbank_balance"), i18n.amount(row['green_nonbank_balance'], "yi", ctx.lang, 2))
        m[3].metric(ctx.t("in.m.score", quarter=quarter), ctx.t("in.not_assessed"))
    elif row is not None:
        m[0].metric(ctx.t("gf.m.balance"), i18n.amount(row['green_balance'], "yi", ctx.lang, 2),
                    **ui.metric_delta(row["yoy"], ctx.t("gf.yoy", value=fv.pct(row["yoy"], signed=True))))
        m[1].metric(ctx.t("in.m.share"), fv.pct(row["market_share"]))
        m[2].metric(ctx.t("in.m.growth"), f"{fv.pct(row['yoy'], signed=True)} / {fv.pct(row['total_growth'], signed=True)}")
        median = ctx.t("in.m.median", value=f"{assessed['median_total']:.1f}" if assessed["median_total"] is not None else "—")
        rank = (ctx.t("in.m.rank", rank=int(row["assessment_rank"]), n=assessed["n_assessed"])
                if pd.notna(row["assessment_rank"]) else None)
        m[3].metric(ctx.t("in.m.score", quarter=quarter),
                    ctx.t("in.not_assessed") if pd.isna(row["assessment_total"]) else f"{row['assessment_total']:.1f}",
                    f"{rank} · {median}" if rank else median, delta_color="off", delta_arrow="off",
                    help=ctx.t("in.m.score_help", n=assessed["n_assessed"]))
    sub = fv.subtitle(ctx.lang, names[inst_id], ctx.period, end)
    mine = by_inst[(by_inst["group"] == inst_id) & (by_inst["period"] <= ctx.period)]
    left, right = st.columns(2)
    ui.chart(left, fv.trend_figure(mine, mine, title=ctx.t("in.trend.title", name=names[inst_id],
                                                                value=f"{(row['green_balance'] if row is not None else 0) * fv.YI:,.2f}",
                                                                yoy=fv.pct(row["yoy"] if row is not None else None, signed=True)),
                                      subtitle=sub, source=ctx.t("gf.source"),
                                      names={"green": ctx.t("gf.trend.green"), "all": ctx.t("gf.trend.all"), "unit": ctx.t("gf.axis.yi"),
                                         "break": ctx.t("gf.break")}),
                      ctx=ctx, key="in_trend", metric="green_loan_balance")
    lines = finance.compute_group_summary(data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, "product_line",
                                                         None, int(inst_id)), ctx.period)
    if not lines.empty:
        ui.chart(right, fv.group_bar_figure(lines, kind="product_line", labels={g: i18n.label("product_line", g, ctx.lang) for g in lines["group"]},
                                               colors=charts.PRODUCT_LINE_COLORS, title=ctx.t("in.products.title", name=names[inst_id]),
                                               subtitle=sub, source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="in_products", metric="green_loan_balance")
    classes = finance.compute_group_summary(data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, "enterprise_class",
                                                           None, int(inst_id)), ctx.period)
    left, right = st.columns(2)
    if not classes.empty:
        ui.chart(left, fv.group_bar_figure(classes, kind="enterprise_class", labels={g: i18n.label("enterprise_class", g, ctx.lang) for g in classes["group"]},
                                              colors=None, title=ctx.t("in.classes.title", name=names[inst_id]), subtitle=sub,
                                              source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="in_classes", metric="green_loan_balance")
    with right:
        st.subheader(ctx.t("in.assessment", quarter=quarter))
        ui.table_with_downloads(fv.assessment_table(scores[scores["institution_id"] == inst_id], ctx.lang), hide_index=True, key="in_assessment")
        st.caption(ctx.t("in.assessment_note"))
        st.caption(ctx.t("in.nonbank_note"))
    projects = data.institution_projects(ctx.url, ctx.version, ctx.park_id, ctx.scope, int(inst_id))
    tools = data.policy_tools_by_institution(ctx.url, ctx.version, ctx.park_id, ctx.scope)
    tools = finance.compute_policy_tool_summary(tools[tools["institution_id"] == inst_id] if not tools.empty else tools, ctx.period)
    mine_tasks = tasks[(tasks["institution_id"] == inst_id) & (tasks["year"] == ctx.period.year)] if not tasks.empty else tasks
    alerts = data.alerts_about(ctx.url, ctx.version, ctx.park_id, ctx.scope, int(inst_id))
    left, right = st.columns(2)
    with left:
        ui.render_table_section(ctx.t("in.projects"), None if projects.empty else fv.projects_table(projects, ctx.lang),
                                empty_text=ctx.t("in.no_projects"), key="in_projects")
        ui.render_table_section(ctx.t("in.tasks", year=ctx.period.year), fv.tasks_table(mine_tasks, ctx.lang, ctx.period),
                                empty_text=ctx.t("tk.none"), key="in_tasks")
    with right:
        ui.render_table_section(ctx.t("in.tools"), None if tools.empty else fv.tools_table(tools, ctx.lang),
                                empty_text=ctx.t("in.no_tools"), key="in_tools")
        ui.render_table_section(ctx.t("in.alerts"), None if alerts.empty else fv.alerts_table(alerts, ctx.lang),
                                empty_text=ctx.t("in.no_alerts"), key="in_alerts")

with compare:
    st.subheader(ctx.t("in.compare.title", n=len(comparison), period=f"{ctx.period:%Y-%m}", quarter=quarter))
    table = fv.comparison_table(comparison, ctx.lang)
    ui.table_with_downloads(table, hide_index=True, key="in_compare")
    ui.excel_download({ctx.t("in.tab.compare"): table}, label=ctx.t("in.download"),
                      file_name=f"institutions_{ctx.park['code']}_{ctx.period:%Y%m}.xlsx", key="in_compare_xlsx")
    with st.expander(ctx.t("in.weights"), expanded=ctx.user.role == "admin"):
        shown = weights[["code"]].assign(item=[ctx.t(f"in.item.{c}") for c in weights["code"]],
                                         part=[ctx.t(f"in.part.{p}") for p in weights["part"]], weight=weights["weight"])
        edited = st.data_editor(shown, disabled=True if ctx.user.role != "admin" else ["code", "part", "item"], hide_index=True,
                                column_order=["item", "part", "weight"], key="in_weights_editor",
                                column_config={"item": ctx.t("in.col.item"), "part": ctx.t("in.col.part"),
                                               "weight": st.column_config.NumberColumn(ctx.t("in.col.weight"), min_value=0.0,
                                                                                       max_value=1.0, step=0.01, format="%.2f")})
        if ctx.user.role == "admin" and st.button(ctx.t("in.weights_save"), key="in_weights_save"):
            try:
                data.write(ctx.url, credit_queries.save_assessment_weights, actor=ctx.user.username,
                           weights=dict(zip(edited["code"], edited["weight"].astype(float))))
            except credit_queries.WeightError as exc:
                st.error(ctx.t("in.weights_error", reason=ctx.t(f"in.weights_error.{exc.code}", **exc.params)))
            else:
                st.success(ctx.t("in.weights_saved"))
                st.rerun()
