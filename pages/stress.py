"""碳价压力测试 Carbon-price stress test: what a carbon price would do to the borrowers' interest cover and the
institutions' exposure to the borrowers it pushes below the threshold. Every input is an assumption."""

import streamlit as st

from dashboard import data, stress, stress_views as sv, ui
from dashboard.finance_views import pct, subtitle
from dashboard.shell import render_shell
from data_access import stress_store

ctx = render_shell("carbon-stress")
st.title(ctx.t("sx.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
st.caption(ctx.t("sx.intro"))

rows = data.financed_emissions(ctx.url, ctx.version, ctx.park_id, ctx.method, ctx.period)  # every institution's book
if rows.empty or ctx.period not in set(rows["period"]):
    st.info(ctx.t("sx.none"))
    st.stop()
book = rows[rows["period"] == ctx.period]

saved = data.read(ctx.url, stress_store.load_scenarios, park_id=ctx.park_id).set_index("id", drop=False)
codes = [*stress.PRESETS, "custom", *[f"saved:{i}" for i in saved.index]]
label = lambda c: sv.saved_label(saved.loc[int(c[6:])], ctx.lang) if c.startswith("saved:") else sv.scenario_name(c, ctx.lang)  # noqa: E731
c_path, c_share, c_threshold, c_year = st.columns(4)
choice = c_path.selectbox(ctx.t("sx.param.path"), codes, index=codes.index("central"), key="sx_path", bind="query-params", format_func=label)
base = saved.loc[int(choice[6:])] if choice.startswith("saved:") else None  # a saved scenario fills the inputs
code = str(base["preset"]) if base is not None else choice
# Each path keeps its own inputs (keys by path), so picking a saved scenario shows its own share, threshold and year.
share = c_share.slider(ctx.t("sx.param.share"), 0, 100, int(round((base["covered_share"] if base is not None else
                       stress.DEFAULT_COVERED_SHARE) * 100)), step=5, key=f"sx_share_{choice}", format="%d%%", bind="query-params",
                       help=ctx.t("sx.param.share_help")) / 100
threshold = c_threshold.number_input(ctx.t("sx.param.threshold"), 0.5, 5.0, float(base["threshold"]) if base is not None
                                     else stress.DEFAULT_THRESHOLD, step=0.1, key=f"sx_threshold_{choice}", bind="query-params")
year = c_year.selectbox(ctx.t("sx.param.year"), stress.YEARS, key=f"sx_year_{choice}", bind="query-params",
                        index=stress.YEARS.index(int(base["test_year"])) if base is not None else len(stress.YEARS) - 1)
prices = dict(base["prices"]) if base is not None else dict(stress.PRESETS.get(code, stress.PRESETS["central"]))
if code == "custom":
    for col, y in zip(st.columns(len(stress.YEARS)), stress.YEARS):
        prices[y] = col.number_input(ctx.t("sx.param.price", year=y), 0.0, 5000.0, float(prices[y]), step=10.0,
                                     key=f"sx_price_{choice}_{y}", bind="query-params")
st.caption(ctx.t(f"sx.basis.{code}") + " " + ctx.t("sx.assumption_note"))
if saved["is_central"].any():
    st.caption(ctx.t("sx.central_note", name=saved.loc[saved["is_central"], "name"].iloc[0]))
scenario = stress.Scenario(code, prices, share, threshold)

borrowers = stress.compute_borrowers(book, prices[year], share, threshold)
exposure = stress.compute_exposure(book, borrowers)
tiles = st.columns(5)  # what the price itself adds first, then what was weak without it, then what could not be tested
tiles[0].metric(ctx.t("sx.m.price", year=year), f"{prices[year]:,.0f} {ctx.t('sx.unit.price')}")
for tile, (heading, value) in zip(tiles[1:], sv.kpis(borrowers, exposure, ctx.lang)):
    tile.metric(heading, value)

names = {sv.scenario_name(c, ctx.lang): stress.Scenario(c, p, share, threshold) for c, p in stress.PRESETS.items()}
names[label(choice)] = scenario
paths = {name: stress.compute_path(book, book, s) for name, s in names.items()}
prices_table = sv.prices_table({name: s.prices for name, s in names.items()}, ctx.lang)
ui.chart(st, sv.path_figure(paths, chosen=label(choice), lang=ctx.lang,
                            subtitle=subtitle(ctx.lang, f"{ctx.park_name} · " + ctx.t("sx.subtitle", share=pct(share, 0),
                                                                                       threshold=f"{threshold:.1f}"),
                                              ctx.period, ctx.data_end.get("credit")),
                            source=ctx.t("sx.source")),
         ctx=ctx, key="sx_path_chart", metric="carbon_stress")
st.markdown(f"**{ctx.t('sx.prices')}**")
st.dataframe(prices_table, hide_index=True)

institutions = data.institutions(ctx.url, ctx.version)
st.subheader(ctx.t("sx.by_institution", year=year, name=label(choice), price=f"{prices[year]:,.0f}"))
exposure_table = sv.exposure_table(exposure, institutions, ctx.lang)
ui.table_with_downloads(exposure_table, hide_index=True, key="sx_institutions")
st.subheader(ctx.t("sx.borrowers", year=year, name=label(choice), price=f"{prices[year]:,.0f}"))
ents = data.enterprises(ctx.url, ctx.version, ctx.park_id, ctx.scope)
borrower_table = sv.borrower_table(borrowers, ents, ctx.lang)
if borrower_table.empty:
    st.info(ctx.t("sx.no_stressed"))
else:
    ui.table_with_downloads(borrower_table, hide_index=True, key="sx_borrowers")
ui.excel_download({ctx.t("sx.sheet.params"): sv.parameters_table(scenario, label(choice), year, ctx.lang),
                   ctx.t("sx.sheet.prices"): prices_table,
                   ctx.t("sx.sheet.institutions"): exposure_table, ctx.t("sx.sheet.borrowers"): borrower_table},
                  label=ctx.t("sx.download"), key="sx_download",
                  file_name=f"{ctx.park['code']}_carbon_stress_{code}_{year}_{ctx.period:%Y-%m}.xlsx")

if ctx.user.role in ("pboc_analyst", "admin"):  # the analyst keeps a scenario; the central one feeds the screen and the rules
    with st.form("sx_save"):
        st.markdown(f"**{ctx.t('sx.save.heading')}**")
        name = st.text_input(ctx.t("sx.save.name"), key="sx_save_name", max_chars=100)
        central = st.checkbox(ctx.t("sx.save.central"), key="sx_save_central")
        pressed = st.form_submit_button(ctx.t("sx.save.button"), type="primary")
    if pressed:
        try:
            data.write(ctx.url, stress_store.save_scenario, park_id=ctx.park_id, name=name, preset=code, prices=prices,
                       covered_share=share, threshold=threshold, test_year=year, central=central, actor=ctx.user.username)
        except stress_store.ScenarioRefused as refused:
            st.error(ctx.t(f"sx.save.refused.{refused.code}", name=name.strip()))
        else:
            st.session_state["sx_flash"] = ctx.t("sx.save.saved", name=name.strip())
            st.rerun()
if "sx_flash" in st.session_state:
    st.success(st.session_state.pop("sx_flash"))
