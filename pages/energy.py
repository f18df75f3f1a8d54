"""能碳监测 Energy and carbon: green power, emissions against the path, the core indicator, who emits, live."""

import datetime as dt

import streamlit as st

from dashboard import charts, data, energy, energy_views as views, i18n, lmdi, ui
from dashboard.shell import render_shell
from dashboard.tables import fallback_notes
from data_access import settings
from data_access.scope import MIN_GROUP_SIZE

ctx = render_shell("energy")
park = ctx.park
st.title(ctx.t("en.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)

monthly, used = data.park_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
if "total_emissions_t12" not in monthly.columns:
    st.info(ctx.t("en.no_energy"))
    st.stop()
v = views.View(ctx.lang, ctx.park_name, ctx.period, ctx.data_end.get("energy"))
targets = data.targets(ctx.url, ctx.version, ctx.park_id, ctx.period)
method_label = i18n.t(f"app.method.{ctx.method}", ctx.lang)
for note in fallback_notes(used, ctx.lang):
    st.caption(note)

left, right = st.columns(2)
ui.chart(left, views.green_share_figure(monthly, v), ctx=ctx, key="energy_green", metric="green_power_share")
ui.chart(right, views.trajectory_figure(monthly, targets, v, base_year=int(park["base_year"]),
                                           target_year=int(park["target_year"])), ctx=ctx, key="energy_trajectory", metric="total_emissions")
left, right = st.columns(2)
ui.chart(left, views.core_indicator_figure(monthly, v, method_label), ctx=ctx, key="energy_core", metric="carbon_per_energy")
ui.chart(right, views.clean_share_figure(monthly, v), ctx=ctx, key="energy_clean", metric="clean_energy_share")

st.subheader(ctx.t("lmdi.heading"))
st.caption(ctx.t("lmdi.intro", method=method_label))
drivers = data.emission_drivers(ctx.url, ctx.version, ctx.park_id, ctx.method)  # the whole park, whoever asks
years = lmdi.years_by(lmdi.decomposable_years(drivers), ctx.period)
pair = lmdi.latest_pair(years, ctx.period)
if pair is None:
    st.info(ctx.t("lmdi.none"))
else:
    c_from, c_to, c_scope = st.columns(3)
    y0 = c_from.selectbox(ctx.t("lmdi.from"), years, index=years.index(pair[0]), key="en_lmdi_from", bind="query-params")
    y1 = c_to.selectbox(ctx.t("lmdi.to"), years, index=years.index(pair[1]), key="en_lmdi_to", bind="query-params")
    sectors = lmdi.publishable_sectors(drivers, y0, y1, MIN_GROUP_SIZE if ctx.scope.publicity_safe else 1)
    sector = c_scope.selectbox(ctx.t("lmdi.scope"), [None, *sectors], key="en_lmdi_scope", bind="query-params",
                               format_func=lambda s: ctx.t("lmdi.park") if s is None else i18n.label("sector", s, ctx.lang))
    if y0 == y1:
        st.info(ctx.t("lmdi.same_year"))
    else:
        dec = lmdi.compute_decomposition(drivers, y0, y1, sector=sector)
        scope_label = ctx.t("lmdi.park") if sector is None else i18n.label("sector", sector, ctx.lang)
        left, right = st.columns([3, 2])
        ui.chart(left, views.drivers_figure(dec, v, scope_label=scope_label, method_label=method_label), ctx=ctx,
                 key="energy_drivers", metric="emission_drivers")
        with right:
            if sector is None:
                st.markdown(views.drivers_sentence(dec, ctx.lang))
            table = views.drivers_table(dec, ctx.lang)  # numbers printed as the chart prints them, each column in view
            decimals = views.drivers_decimals(ctx.lang)
            ui.table_with_downloads(table, hide_index=True, key="energy_drivers_table", column_config={
                table.columns[1]: st.column_config.NumberColumn(format=f"%.{decimals}f", width="medium"),
                table.columns[2]: st.column_config.NumberColumn(format="%.1f", width="small")})
            if views.grid_factor_fixed(dec):
                st.caption(ctx.t("lmdi.grid_fixed"))

ents = data.enterprises(ctx.url, ctx.version, ctx.park_id, ctx.scope)
if ents.empty:
    st.info(ctx.t("en.detail_hidden"))
else:
    per_ent = data.enterprise_monthly(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
    trailing = energy.compute_trailing(per_ent, ctx.period)
    left, right = st.columns(2)
    ui.chart(left, views.breakdown_figure(energy.compute_breakdown(trailing, ents, "sector"), v, "sector"),
                      ctx=ctx, key="energy_by_sector", metric="total_emissions")
    ui.chart(right, views.breakdown_figure(energy.compute_breakdown(trailing, ents, "enterprise_class"), v, "class"),
                       ctx=ctx, key="energy_by_class", metric="total_emissions")
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("en.top", n=10))
        ui.table_with_downloads(views.ranking_table(energy.compute_top_emitters(trailing, ents), ctx.lang, with_change=False),
                     hide_index=True, key="energy_top")
    with right:
        st.subheader(ctx.t("en.improvers"))
        improvers = energy.compute_biggest_improvers(trailing, ents)
        if improvers.empty:
            st.info(ctx.t("en.no_improvers"))
        else:
            ui.table_with_downloads(views.ranking_table(improvers, ctx.lang, with_change=True), hide_index=True, key="energy_improvers")
    st.subheader(ctx.t("en.map.title"))
    efficiency, _year = data.carbon_efficiency(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.scope)
    deck = charts.build_park_deck(park["boundary_geojson"], views.map_points(trailing, efficiency, ents, ctx.lang),
                                  centre=(float(park["centre_lat"]), float(park["centre_lon"])),
                                  tooltip=ctx.t("en.map.tooltip", name="{name}", sector="{sector_label}",
                                                emissions="{emissions_text}", grade="{grade_text}"),
                                  tile_url=settings.setting("MAP_TILE_URL"))
    st.pydeck_chart(deck, key="energy_map")
    st.caption(ctx.t("en.map.legend"))

LIVE_SECONDS = 60


@st.fragment(run_every=LIVE_SECONDS)
def live_panel():
    """Re-reads the latest hourly data on its own; the rest of the page does not rerun."""
    version = data.data_version(ctx.url)
    day, hourly = data.park_live(ctx.url, version, ctx.park_id)
    if day is None or hourly.empty:
        st.info(ctx.t("en.live.none"))
        return
    if day != dt.date.today():
        st.caption(ctx.t("en.live.not_today", day=day.isoformat()))
    ui.chart(st, views.live_figure(hourly, v, day, dt.datetime.now(), LIVE_SECONDS), ctx=ctx, key="energy_live", metric="green_power_share")


live_panel()
