"""融资排放 Financed emissions: each institution's share of its borrowers' emissions (PCAF), its intensity against
the park's pace, the data quality of every borrower, and the environmental disclosure table (JR/T 0227-2021)."""

import streamlit as st

from dashboard import charts, data, financed, financed_views as fev, i18n, ui
from dashboard.finance_views import subtitle
from dashboard.shell import render_shell

ctx = render_shell("financed-emissions")
st.title(ctx.t("fe.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
st.caption(ctx.t("fe.intro"))

rows = data.financed_emissions(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.period)  # every institution's book
if rows.empty or ctx.period not in set(rows["period"]):
    st.info(ctx.t("fe.none"))
    st.stop()
own = ctx.scope.own_institution  # a reporter sees its own institution, ranked among all
institutions = data.institutions(ctx.url, ctx.version)
names = institutions.set_index("id")["short_name"]
by_inst = financed.compute_summary(rows, "institution_id")
park = financed.compute_summary(rows, None)
changes = financed.compute_yearly_change(by_inst)
monthly, _ = data.park_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
targets = data.targets(ctx.url, ctx.version, ctx.park_id, ctx.period)
base_year, rate, assumed = fev.park_pace(monthly, targets, ctx.park)
who = names.get(own, "") if own is not None else ctx.t("fe.park")
end = ctx.data_end.get("credit")

st.subheader(ctx.t("fe.kpis", who=who, period=f"{ctx.period:%Y-%m}"))
tiles = st.columns(4)
for tile, (label, value) in zip(tiles, fev.kpis(fev.scope_rows(by_inst if own is not None else park, ctx.period,
                                                                own if own is not None else "park"), ctx.lang)):
    tile.metric(label, value)
ui.definition_link(st, "financed_emissions", ctx)
if rate is not None:
    st.caption(ctx.t("fe.pace", rate=fev.change_words(rate, ctx.lang), year=base_year,
                     mark=ctx.t("ov.target_assumption") if assumed else ""))

st.subheader(ctx.t("fe.by_institution" if own is None else "fe.own_institution"))
ui.table_with_downloads(fev.institution_table(by_inst, changes, institutions, ctx.period, ctx.lang, rate=rate, only=own),
                        hide_index=True, key="fe_institutions")
st.caption(ctx.t("fe.green_note"))
if own is None:
    st.subheader(ctx.t("fe.by_type"))
    ui.table_with_downloads(fev.type_table(financed.compute_summary(rows, "inst_type"), ctx.period, ctx.lang),
                            hide_index=True, key="fe_types")
who_series = by_inst[by_inst["group"] == own] if own is not None else park
lines = {who: who_series.set_index("period")["intensity_t_per_yi"]}
colors = {who: "#333333"}
if own is None:
    for code, s in financed.compute_summary(rows, "inst_type").groupby("group"):
        label = i18n.label("inst_type", code, ctx.lang)
        lines[label], colors[label] = s.set_index("period")["intensity_t_per_yi"], charts.INSTITUTION_TYPE_COLORS.get(code)
else:
    lines[ctx.t("fe.park")] = park.set_index("period")["intensity_t_per_yi"]
change = financed.compute_yearly_change(who_series).set_index("period")["intensity_change"].get(ctx.period)
ui.chart(st, fev.trend_figure(lines, who=who, change=change,
                              rate=rate, base_year=base_year, lang=ctx.lang, colors=colors, period=ctx.period,
                              mark=ctx.t("ov.target_assumption") if assumed else "", one_institution=own is not None,
                              subtitle=subtitle(ctx.lang, ctx.park_name, ctx.period, end), source=ctx.t("fe.source")),
         ctx=ctx, key="fe_trend", metric="financed_intensity")

st.subheader(ctx.t("fe.quality"))
st.caption(ctx.t("fe.quality_note"))
ents = data.enterprises(ctx.url, ctx.version, ctx.park_id, ctx.scope)
ui.table_with_downloads(fev.quality_table(rows[rows["enterprise_id"].isin(ents["id"])], ents, ctx.period, ctx.lang, only=own),
                        hide_index=True, key="fe_quality")

reductions = data.green_loan_reductions(ctx.url, ctx.version, ctx.park_id, ctx.period)
stem = institutions.set_index("id")["code"].get(own, "all")  # the file names the institution by its code
ui.excel_download(fev.disclosure_sheets(by_inst, institutions, reductions, ctx.period, ctx.lang, only=own),
                  label=ctx.t("fe.download", who=who), key="fe_disclosure",
                  file_name=f"{ctx.park['code']}_financed_emissions_{stem}_{ctx.period:%Y-%m}.xlsx")
