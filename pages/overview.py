"""总览 Overview: where the park stands against 2030, at one glance."""

import streamlit as st

from dashboard import charts, data, explore as ex, i18n, ui
from dashboard.overview import compute_overview_kpis, compute_progress_rows, status_of, time_elapsed
from dashboard.shell import render_shell
from data_access import question_store
from data_access.explore_store import QuestionError

ctx = render_shell("overview")
park = ctx.park
base_year, target_year = int(park["base_year"]), int(park["target_year"])

st.title(ctx.t("ov.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
if bool(park["location_approximate"]):
    st.caption(ctx.t("app.location_approx"))

monthly, _factors_used = data.park_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
targets = data.targets(ctx.url, ctx.version, ctx.park_id, ctx.period)
year_before = ctx.period.replace(year=ctx.period.year - 1)
alerts_now = data.open_alerts(ctx.url, ctx.version, ctx.park_id, ctx.period, ctx.scope)
alerts_before = data.open_alerts(ctx.url, ctx.version, ctx.park_id, year_before, ctx.scope)
kpis = compute_overview_kpis(monthly, targets, alerts_now, alerts_before, ctx.period, base_year=base_year,
                             institution_scoped=ctx.scope.own_institution is not None)
if ctx.scope.own_institution is not None:
    institutions = data.institutions(ctx.url, ctx.version).set_index("id")
    st.info(ctx.t("auth.scope_reporter", inst=institutions.loc[ctx.scope.own_institution, "name"]))

counts = status_of(kpis)
st.markdown(f"#### {ctx.t('ov.summary', met=counts.get('met', 0), on_track=counts.get('on_track', 0), behind=counts.get('behind', 0))}")
if "total_electricity_kwh" not in monthly.columns:
    st.info(ctx.t("ov.no_energy"))

for row in (kpis[:3], kpis[3:]):
    for col, kpi in zip(st.columns(3), row):
        with col:
            ui.render_kpi_card(kpi, ctx)

progress = compute_progress_rows(kpis, ctx.lang)
if progress.empty:
    st.info(ctx.t("ov.position_empty", base=base_year))
else:
    n_behind = int((progress["status"] == "behind").sum())
    fig = charts.build_target_position_figure(
        progress,
        time_elapsed=time_elapsed(ctx.period, base_year, target_year),
        title=ctx.t("ov.position_title", n_behind=n_behind),
        subtitle=ctx.t("ov.position_subtitle", park=ctx.park_name, period=f"{ctx.period:%Y-%m}", base=base_year),
        source=ctx.t("ov.source"),
        axis_title=ctx.t("ov.position_axis"),
        lang=ctx.lang,
    )
    ui.chart(st, fig, ctx=ctx, key="overview_position", metric="target_progress")

st.caption(ctx.t("ov.method_note", method=i18n.t(f"app.method.{ctx.method}", ctx.lang)))
st.caption(ctx.t("ov.assumption_mark"))

pinned = data.read(ctx.url, question_store.visible, user_id=ctx.user.id)
pinned = pinned[pinned["mine"] & pinned["pinned"]]
if not pinned.empty:  # the analyst's own questions from 自助分析, pinned here as tiles
    st.markdown(f"#### {ctx.t('ov.pinned')}")
    codes = dict(zip(*(data.parks(ctx.url, ctx.version)[c] for c in ("code", "id"))))
    for column, row in zip(st.columns(3) * len(pinned), pinned.itertuples()):
        q = ex.Question.from_params(row.params)
        with column.container(border=True):
            try:
                rows = data.explore_rows(ctx.url, ctx.version, subject=q.subject, dims=[], filters=dict(q.filters),
                                         start=ex.month_start(q.start) or ex.month_start("2021-01"), end=ex.month_start(q.end) or ctx.period,
                                         scope=ctx.scope, park_ids=[codes[c] for c in q.parks if c in codes] or [ctx.park_id])
                shown = ex.headline(rows, measure=q.measures[0], grain=q.grain, lang=ctx.lang)
            except QuestionError:
                shown = None
            value = "—" if shown is None else f"{shown[1]:,.2f} {ex.unit(q.measures[0], ctx.lang)}"
            st.metric(f"{row.name} · {ex.name(q.measures[0], ctx.lang)}", value,
                      help=ctx.t("ov.pinned_help", period=shown[0] if shown else "—"))
            ui.page_link(st, "pages/explore.py", label=ctx.t("ov.pinned_open"), query_params=row.params)
