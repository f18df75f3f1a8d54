"""项目跟踪 Projects (§六, §十一, §十五): the pipeline by stage and category, funding gaps, lead banks and
syndicates, the milestone timeline, and the committee's edits with their history."""

import datetime as dt

import streamlit as st

from dashboard import data, i18n, projects as pj, ui
from dashboard.shell import render_shell
from data_access import project_store
from data_access import taxonomy as tx

ctx = render_shell("projects")
st.title(ctx.t("pj.heading", park=ctx.park_name))
ui.render_data_end(ctx)
as_of = ui.end_of_month(ctx.period).date()
projects, syndicates, milestones = data.projects(ctx.url, ctx.version, ctx.park_id, as_of)
ui.render_date_problems(data.project_date_problems(ctx.url, ctx.version, ctx.park_id), ctx)
can_edit = ctx.user.role in ("park_committee", "admin")
if projects.empty and not can_edit:
    st.info(ctx.t("pj.none"))
    st.stop()

f = st.columns(3)
stages = f[0].multiselect(ctx.t("pj.filter.stage"), tx.PROJECT_STAGES, key="pj_stage", bind="query-params", placeholder=ctx.t("pj.all"),
                          format_func=lambda s: i18n.label("project_stage", s, ctx.lang))
cats = f[1].multiselect(ctx.t("pj.filter.category"), tx.PROJECT_CATEGORIES, key="pj_cat", bind="query-params", placeholder=ctx.t("pj.all"),
                        format_func=lambda c: i18n.label("project_category", c, ctx.lang))
leads = f[2].multiselect(ctx.t("pj.filter.lead"), sorted(projects["lead_bank"].dropna().unique()), key="pj_lead", bind="query-params",
                       placeholder=ctx.t("pj.all"))
view = pj.filter_projects(projects, stages=stages, categories=cats, lead_banks=leads)

m = st.columns(4)
m[0].metric(ctx.t("pj.m.count"), i18n.amount(len(view), "count", ctx.lang, 0))
m[1].metric(ctx.t("pj.m.investment"), i18n.amount(view['investment'].sum(), "yi", ctx.lang, 2))
m[2].metric(ctx.t("pj.m.gap"), i18n.amount(view['gap'].sum(), "yi", ctx.lang, 2))
m[3].metric(ctx.t("pj.m.short"), i18n.amount(int((view['short'] | view['late']).sum()), "count", ctx.lang, 0))
if view.empty:
    st.info(ctx.t("pj.none"))
else:
    sub = f"{ctx.park_name} · {as_of:%Y-%m-%d}"
    left, right = st.columns(2)
    ui.chart(left, pj.pipeline_figure(pj.compute_pipeline(view, "stage"), "project_stage",
                                         title=ctx.t("pj.by_stage", gap=f"{view['gap'].sum() / 1e4:,.2f}"), subtitle=sub,
                                         source=ctx.t("pj.source"), lang=ctx.lang), ctx=ctx, key="pj_by_stage", metric="financing_gap")
    ui.chart(right, pj.pipeline_figure(pj.compute_pipeline(view, "category"), "project_category", title=ctx.t("pj.by_category"),
                                          subtitle=sub, source=ctx.t("pj.source"), lang=ctx.lang), ctx=ctx, key="pj_by_category", metric="financing_gap")
    ui.chart(st, pj.gantt_figure(view, milestones, as_of, title=ctx.t("pj.gantt", late=int(view["late"].sum())), subtitle=sub,
                                    source=ctx.t("pj.source"), lang=ctx.lang), ctx=ctx, key="pj_gantt", metric="financing_gap")
    table = pj.projects_table(view.sort_values(["short", "late", "gap"], ascending=False), syndicates, ctx.lang)
    st.subheader(ctx.t("pj.table"))
    ui.table_with_downloads(table, hide_index=True, key="pj_table")
    ui.excel_download({ctx.t("page.projects"): table}, label=ctx.t("pj.download"), file_name=f"projects-{ctx.period:%Y-%m}.xlsx",
                      key="pj_xlsx")

st.subheader(ctx.t("pj.detail"))
names = dict(zip(projects["id"], projects["code"] + " " + projects["name"]))
pid = st.selectbox(ctx.t("pj.pick"), list(names), format_func=names.get, key="pj_pick", bind="query-params") if names else None
if pid is not None:
    history = data.read(ctx.url, project_store.load_history, project_id=int(pid))
    st.markdown(f"**{ctx.t('pj.history')}**")
    if history.empty:
        st.caption(ctx.t("pj.history.none"))
    else:
        ui.table_with_downloads(pj.history_table(history, data.read(ctx.url, project_store.bank_ids), ctx.lang), hide_index=True,
                                key="pj_history")


def save(action, **kwargs) -> None:
    """Run one edit in its own transaction (a new data version), then show it."""
    data.write(ctx.url, action, actor=ctx.user.username, **kwargs)
    st.session_state["pj_flash"] = ctx.t("pj.saved")
    st.rerun()


if "pj_flash" in st.session_state:
    st.success(st.session_state.pop("pj_flash"))
if can_edit:
    st.subheader(ctx.t("pj.edit"))
    banks = data.read(ctx.url, project_store.bank_ids)
    tabs = st.tabs([ctx.t("pj.edit.stage"), ctx.t("pj.edit.lead"), ctx.t("pj.edit.ms"), ctx.t("pj.edit.add")])
    if pid is not None:
        row = projects.set_index("id").loc[pid]
        with tabs[0].form("pj_form_stage"):
            stage = st.selectbox(ctx.t("pj.filter.stage"), tx.PROJECT_STAGES, index=tx.PROJECT_STAGES.index(row["stage"]),
                                 format_func=lambda s: i18n.label("project_stage", s, ctx.lang), key="pj_new_stage")
            note = st.text_input(ctx.t("pj.edit.note"), key="pj_stage_note")
            if st.form_submit_button(ctx.t("pj.edit.save")):
                save(project_store.set_stage, project_id=int(pid), stage=stage, note=note)
        with tabs[1].form("pj_form_lead"):
            lead = st.selectbox(ctx.t("pj.filter.lead"), list(banks), format_func=banks.get, key="pj_new_lead",
                                index=list(banks).index(row["lead_bank_id"]) if row["lead_bank_id"] in banks else 0)
            if st.form_submit_button(ctx.t("pj.edit.save")):
                save(project_store.assign_lead_bank, project_id=int(pid), institution_id=int(lead))
        with tabs[2].form("pj_form_ms"):
            ms_name = st.text_input(ctx.t("pj.edit.ms_name"), key="pj_ms_name")
            planned = st.date_input(ctx.t("pj.edit.ms_planned"), value=None, key="pj_ms_planned")
            actual = st.date_input(ctx.t("pj.edit.ms_actual"), value=None, key="pj_ms_actual")
            if st.form_submit_button(ctx.t("pj.edit.save")):
                errors = pj.validate_milestone(ms_name, planned, actual, dt.date.today(), ctx.lang)
                if errors:
                    st.error(ctx.t("pj.refused", errors="；".join(errors)))
                else:
                    save(project_store.record_milestone, project_id=int(pid), name=ms_name.strip(), planned_date=planned,
                         actual_date=actual)
    with tabs[3].form("pj_form_add"):
        c = st.columns(2)
        values = {"name": c[0].text_input(ctx.t("pj.field.name"), key="pj_add_name"),
                  "category": c[1].selectbox(ctx.t("pj.filter.category"), tx.PROJECT_CATEGORIES, key="pj_add_category",
                                             format_func=lambda x: i18n.label("project_category", x, ctx.lang)),
                  "stage": c[0].selectbox(ctx.t("pj.filter.stage"), tx.PROJECT_STAGES, key="pj_add_stage",
                                          format_func=lambda s: i18n.label("project_stage", s, ctx.lang)),
                  "lead_bank_id": c[1].selectbox(ctx.t("pj.filter.lead"), list(banks), format_func=banks.get, key="pj_add_lead"),
                  "investment": c[0].number_input(ctx.t("pj.field.investment"), value=0.0, step=100.0, key="pj_add_investment"),
                  "financing_need": c[1].number_input(ctx.t("pj.field.financing_need"), value=0.0, step=100.0, key="pj_add_need"),
                  "expected_reduction_t": c[0].number_input(ctx.t("pj.field.expected_reduction_t"), value=0.0, step=100.0,
                                                            key="pj_add_reduction"),
                  "start_date": c[1].date_input(ctx.t("pj.field.start_date"), value=None, key="pj_add_start"),
                  "planned_completion": c[0].date_input(ctx.t("pj.field.planned_completion"), value=None, key="pj_add_end")}
        if st.form_submit_button(ctx.t("pj.edit.save")):
            errors = pj.validate_project(values, set(banks), ctx.lang)
            if errors:
                st.error(ctx.t("pj.refused", errors="；".join(errors)))
            else:
                save(project_store.add_project, park_id=ctx.park_id, values={**values, "name": values["name"].strip()})
