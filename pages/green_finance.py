"""绿色金融 Green finance: credit by institution type and product line, drill down to one loan."""

import streamlit as st

from dashboard import charts, data, finance, finance_views as fv, i18n, ui
from dashboard.shell import render_shell
from data_access.scope import MIN_GROUP_SIZE, MIN_INSTITUTIONS, PUBLISHED
from data_access.taxonomy import INSTITUTION_TYPES

ctx = render_shell("green-finance")
publicity = ctx.scope.publicity_safe  # no single institution, no small group (the queries enforce it)
suppressed_note = ctx.t("disc.suppressed", n_inst=MIN_INSTITUTIONS, n_ent=MIN_GROUP_SIZE)
st.title(ctx.t("gf.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
st.caption(ctx.t("gf.break_note"))
end = ctx.data_end.get("credit")
institutions = data.park_institutions(ctx.url, ctx.version, ctx.park_id, ctx.scope)
inst_names = dict(zip(institutions["id"], institutions["short_name"]))


def drill(level: str, value=None):
    """Breadcrumb and chart-click callbacks: set the drill state before the widgets are drawn."""
    if level == "type":
        st.session_state["gf_type"], st.session_state["gf_inst"] = value or "", 0
    else:
        st.session_state["gf_inst"] = value or 0


def clicked(chart_key: str, level: str):
    points = st.session_state[chart_key].selection.points
    if points:
        code = points[0]["customdata"]
        drill(level, code if level == "type" else int(code))


# "" and 0 stand for "all": a selectbox shows None as no choice at all.
st.session_state.setdefault("gf_type", "")
st.session_state.setdefault("gf_inst", 0)
crumbs = st.columns([2, 2, 2, 6])
crumbs[0].button(f"⌂ {ctx.t('gf.crumb.park')}", key="gf_crumb_park", on_click=drill, args=("type", None))
inst_type = crumbs[1].selectbox(ctx.t("gf.pick_type"), ["", *INSTITUTION_TYPES], key="gf_type", bind="query-params",
                                format_func=lambda c: i18n.label("inst_type", c, ctx.lang) if c else ctx.t("gf.all_types")) or None
if inst_type and not publicity:  # publicity-safe mode never offers a single institution
    of_type = institutions[institutions["inst_type"] == inst_type]["id"].tolist()
    if st.session_state["gf_inst"] not in of_type:
        st.session_state["gf_inst"] = 0
    crumbs[2].selectbox(ctx.t("gf.pick_institution"), [0, *of_type], key="gf_inst", bind="query-params",
                        format_func=lambda i: inst_names.get(i, str(i)) if i else ctx.t("gf.all_institutions"))
inst_id = (st.session_state["gf_inst"] or None) if inst_type and not publicity else None
own = ctx.scope.own_institution  # a reporter sees its own institution only: every title says so
scope_text = (inst_names.get(inst_id) if inst_id else i18n.label("inst_type", inst_type, ctx.lang) if inst_type else
              ctx.t("ov.own_institution", name=inst_names.get(own, "")) if own else ctx.park_name)

total = data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, "total", inst_type, inst_id)
summary = finance.compute_group_summary(total, ctx.period)
if summary.empty:
    if finance.suppressed_at(total, ctx.period):
        st.info(ctx.t("disc.level_suppressed", n_inst=MIN_INSTITUTIONS, n_ent=MIN_GROUP_SIZE))
    else:
        st.info(ctx.t("gf.no_credit"))
    st.stop()
row = summary.iloc[0]
m = st.columns(6)
m[0].metric(ctx.t("gf.m.balance"), i18n.amount(row['green_balance'], "yi", ctx.lang),
            **ui.metric_delta(row["yoy"], ctx.t("gf.yoy", value=fv.pct(row["yoy"], signed=True))))
m[1].metric(ctx.t("gf.m.share"), fv.pct(row["green_share_of_lending"]))
m[2].metric(ctx.t("gf.m.rate"), f"{row['green_rate']:.2f}%", ctx.t("gf.m.rate_delta", other=f"{row['other_rate']:.2f}"), delta_color="off",
            delta_arrow="off")  # a comparison, not a change: no arrow
m[3].metric(ctx.t("gf.m.npl"), fv.pct(row["green_npl_ratio"], 2))
m[4].metric(ctx.t("gf.m.overdue"), fv.pct(row["green_overdue_ratio"], 2))
m[5].metric(ctx.t("gf.m.ytd"), i18n.amount(row['ytd_green_disbursed'], "yi", ctx.lang))
if row["green_nonbank_balance"] > 0:  # green leasing: beside green loans, never inside them (NaN when not published)
    st.caption(ctx.t("gf.nonbank", value=f"{row['green_nonbank_balance'] * fv.YI:,.1f}"))

sub = fv.subtitle(ctx.lang, scope_text, ctx.period, end)
series = total[total["period"] <= ctx.period]
all_yoy = finance.compute_group_summary(finance.as_all_lending(total), ctx.period).iloc[0]["yoy"]
left, right = st.columns(2)
ui.chart(left, fv.trend_figure(series, series, title=fv.trend_title(row, all_yoy, ctx.lang),
                                  subtitle=sub, source=ctx.t("gf.source"),
                                  names={"green": ctx.t("gf.trend.green"), "all": ctx.t("gf.trend.all"), "unit": ctx.t("gf.axis.yi"),
                                         "break": ctx.t("gf.break")}),
                  ctx=ctx, key="gf_trend", metric="green_loan_balance")
# Every "占园区绿色贷款" is a share of the park's green loans, not of a drilled type's or of a reporter's own; a
# reporter's whole is the park's published total.
park_green = None
if inst_type or own:
    park_total = finance.compute_group_summary(data.credit_by(ctx.url, ctx.version, ctx.park_id, PUBLISHED if own else ctx.scope,
                                                              "total"), ctx.period)
    park_green = float(park_total.iloc[0]["green_balance"]) if not park_total.empty else None
if inst_id is None:
    by = "institution" if inst_type else "inst_type"
    by_group = data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, by, inst_type)
    groups = finance.compute_group_summary(by_group, ctx.period, whole=park_green)
    if groups.empty:  # publicity-safe mode: no breakdown by institution, or every group too small
        right.info(suppressed_note if finance.suppressed_at(by_group, ctx.period) else ctx.t("gf.no_credit"))
    else:
        labels = {g: (inst_names.get(g, str(g)) if by == "institution" else i18n.label("inst_type", g, ctx.lang)) for g in groups["group"]}
        top = groups.iloc[0]
        title = (ctx.t("gf.by_inst.title", type=scope_text) if inst_type else
                 ctx.t("gf.by_type.title_own", name=inst_names.get(own, ""), share=f"{top['share_of_green'] * 100:.1f}") if own else
                 ctx.t("gf.by_type.title_published" if finance.suppressed_at(by_group, ctx.period) else "gf.by_type.title",
                       top=labels[top["group"]], share=f"{top['share_of_green'] * 100:.1f}"))
        chart_key = f"gf_by_{by}"
        ui.chart(right, fv.group_bar_figure(groups, kind=by, labels=labels, colors=None if inst_type else charts.INSTITUTION_TYPE_COLORS,
                                               title=title, subtitle=sub, source=ctx.t("gf.source"), lang=ctx.lang),
                           ctx=ctx, key=chart_key, metric="green_loan_growth", on_select=lambda: clicked(chart_key, "institution" if inst_type else "type"),
                           selection_mode="points")
        ui.table_with_downloads(fv.summary_table(groups, kind=by, names=inst_names if by == "institution" else None, lang=ctx.lang),
                     hide_index=True, key="gf_groups_table")
        if finance.suppressed_at(by_group, ctx.period):
            st.caption(suppressed_note)
    st.caption(fv.reclassification_note(data.reclassifications(ctx.url, ctx.version, ctx.park_id, ctx.scope), ctx.lang, ctx.period))
by_line = data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, "product_line", inst_type, inst_id)
lines = finance.compute_group_summary(by_line, ctx.period, whole=park_green)
if not lines.empty:
    line_labels = {g: i18n.label("product_line", g, ctx.lang) for g in lines["group"]}
    first = lines.iloc[0]
    ui.chart(st, fv.group_bar_figure(lines, kind="product_line", labels=line_labels, colors=charts.PRODUCT_LINE_COLORS,
                                        title=ctx.t("gf.by_line.title", top=line_labels[first["group"]], share=f"{first['share_of_green'] * 100:.1f}"),
                                        subtitle=sub, source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="gf_by_line", metric="green_loan_balance")
if finance.suppressed_at(by_line, ctx.period):
    st.caption(suppressed_note)

if inst_id is None and inst_type is None:
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("gf.carbon_products"))
        by_carbon = data.credit_by(ctx.url, ctx.version, ctx.park_id, ctx.scope, "carbon_product")
        carbon = finance.compute_group_summary(by_carbon, ctx.period, whole=park_green)
        if not carbon.empty:
            carbon = carbon[carbon["group"].notna()]
            ui.table_with_downloads(fv.summary_table(carbon, kind="carbon_product", names=None, lang=ctx.lang), hide_index=True, key="gf_carbon")
        if finance.suppressed_at(by_carbon, ctx.period):
            st.caption(suppressed_note)
    with right:
        direct = data.direct_financing(ctx.url, ctx.version, ctx.park_id, ctx.scope)
        st.subheader(ctx.t("gf.direct"))
        if not direct.empty:
            st.caption(ctx.t("gf.direct.title", value=f"{direct['amount'].sum() * fv.YI:,.1f}", n=int(direct["n_deals"].sum())))
            ui.table_with_downloads(fv.direct_table(direct, ctx.lang), hide_index=True, key="gf_direct")
        if finance.suppressed_at(direct):
            st.caption(suppressed_note)
elif ctx.scope.loan_level:
    loans = data.facilities(ctx.url, ctx.version, ctx.park_id, ctx.scope, ctx.period, inst_id, inst_type)
    st.subheader(ctx.t("gf.loans", n=len(loans)))
    ui.table_with_downloads(fv.loans_table(loans, ctx.lang), hide_index=True, key="gf_loans")
    ui.dataframe_download(fv.loans_table(loans, ctx.lang), label="CSV", file_name=f"loans_{ctx.period:%Y%m}.csv", key="gf_loans_csv")
else:
    st.info(ctx.t("gf.loans_hidden"))
