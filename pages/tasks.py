"""任务清单 Annual task list (§一): completion by institution and type; overdue tasks stand out."""

import streamlit as st

from dashboard import data, finance, finance_views as fv, i18n, ui
from dashboard.shell import render_shell
from data_access.scope import MIN_GROUP_SIZE, MIN_INSTITUTIONS

ctx = render_shell("tasks")
heading = st.empty()  # the title names the year chosen below it
tasks = data.tasks(ctx.url, ctx.version, ctx.park_id, ctx.scope)
years = sorted(tasks["year"].unique().tolist(), reverse=True) if not tasks.empty else [ctx.period.year]
year = st.selectbox(ctx.t("tk.year"), years, key="tk_year", bind="query-params", index=years.index(ctx.period.year) if ctx.period.year in years else 0)
heading.title(ctx.t("tk.heading", park=ctx.park_name, year=year))
ui.render_data_end(ctx)
tasks = tasks[tasks["year"] == year] if not tasks.empty else tasks
ui.stop_if_empty(tasks, ctx, "tk.none")
as_of = ui.end_of_month(ctx.period).date()
overall = finance.compute_task_completion(tasks.assign(all="all"), as_of, by="all").iloc[0]
m = st.columns(4)
m[0].metric(ctx.t("tk.m.tasks"), int(overall["n_tasks"]))
m[1].metric(ctx.t("tk.m.due"), int(overall["n_due"]))
m[2].metric(ctx.t("tk.m.done"), fv.pct(overall["completion"], 0))
m[3].metric(ctx.t("tk.m.overdue"), int(overall["n_overdue"]))

sub = fv.subtitle(ctx.lang, ctx.park_name, ctx.period, as_of)
by_type = finance.compute_task_completion(tasks, as_of, by="inst_type")
type_labels = {c: i18n.label("inst_type", c, ctx.lang) for c in by_type["inst_type"]}
worst = by_type.iloc[0]
left, right = st.columns(2)
ui.chart(left, fv.completion_figure(by_type, by="inst_type", labels=type_labels,
                                       title=ctx.t("tk.by_type.title", worst=type_labels[worst["inst_type"]], value=fv.pct(worst["completion"], 0)),
                                       subtitle=sub, source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="tk_by_type", metric="task_completion")
if ctx.scope.publicity_safe:  # tasks come without their institution, and only for types of at least three
    right.info(ctx.t("disc.suppressed", n_inst=MIN_INSTITUTIONS, n_ent=MIN_GROUP_SIZE))
    st.stop()
by_inst = finance.compute_task_completion(tasks, as_of, by="institution")
ui.chart(right, fv.completion_figure(by_inst, by="institution", labels={}, title=ctx.t("tk.by_inst.title", date=as_of.isoformat()),
                                        subtitle=sub, source=ctx.t("gf.source"), lang=ctx.lang), ctx=ctx, key="tk_by_inst", metric="task_completion")
late = tasks[(tasks["due_date"] < as_of) & (tasks["status"] != "done")]
st.subheader(ctx.t("tk.overdue", n=len(late)))
ui.table_with_downloads(fv.tasks_table(late, ctx.lang, as_of), hide_index=True, key="tk_overdue")
st.subheader(ctx.t("tk.all"))
all_tasks = fv.tasks_table(tasks, ctx.lang, as_of)
ui.table_with_downloads(all_tasks, hide_index=True, key="tk_all")
ui.excel_download({ctx.t("tk.all"): all_tasks}, label="Excel", file_name=f"tasks_{year}.xlsx", key="tk_xlsx")
