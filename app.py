"""Entry point: page config, database readiness, the shared sidebar (park, month, language) and navigation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, i18n, ui
from dashboard.navigation import pages_for
from data_access import demo

st.set_page_config(page_title="零碳园区金融支持监测看板", page_icon="assets/icon.svg", layout="wide")

url = data.current_url()
engine = data.get_engine(url)

if demo.is_empty(engine):
    # First start on an empty database: fill it with the demo park, showing progress.
    lang = st.session_state.get("app_lang", "zh")
    st.info(i18n.t("app.seeding", lang))
    bar = st.progress(0.0)
    demo.seed_demo(engine, progress=lambda f, msg: bar.progress(f, text=i18n.t("app.seeding_step", lang, step=msg)))
    data.data_version.clear()
    st.rerun()

version = data.data_version(url)
parks = data.parks(url, version)

with st.sidebar:
    lang = st.radio(i18n.t("app.language", st.session_state.get("app_lang", "zh")), ["zh", "en"], horizontal=True,
                    format_func=lambda c: {"zh": "中文", "en": "English"}[c], key="app_lang")
    st.markdown(f"### {i18n.t('app.title', lang)}")
    if parks.empty:
        st.warning(i18n.t("app.no_parks", lang))
        st.stop()
    park_id = st.selectbox(i18n.t("app.park", lang), parks["id"].tolist(), key="app_park",
                           format_func=lambda i: parks.set_index("id").loc[i, "name_zh" if lang == "zh" else "name_en"])
    park = parks.set_index("id").loc[park_id].copy()
    park["id"] = park_id
    ends = data.data_end(url, version, park_id)
    known = [d for d in ends.values() if d]
    last = max(known) if known else dt.date.today()
    months = [p.to_timestamp().date() for p in pd.period_range("2021-01", last.strftime("%Y-%m"), freq="M")][::-1]
    complete = min(known) if known else last  # the latest month every kind of data has reached
    default = months.index(complete.replace(day=1)) if complete.replace(day=1) in months else 0
    period = st.selectbox(i18n.t("app.period", lang), months, index=default, key=f"app_period_{park_id}",
                          format_func=lambda d: f"{d:%Y-%m}")
    method = st.radio(i18n.t("app.method", lang), ["calorific", "coal_equivalent"], key="app_method",
                      format_func=lambda m: i18n.t(f"app.method.{m}", lang))

st.session_state["app_context"] = ui.PageContext(lang=lang, url=url, version=version, park=park, period=period,
                                                 method=method, data_end=ends)

if bool(park["is_demo"]):
    ui.render_demo_mark(lang)

nav: dict[str, list] = {}
for spec in pages_for(None):
    page = st.Page(spec.path, title=i18n.t(spec.title_key, lang), icon=spec.icon, url_path=spec.url_path, default=spec.default)
    nav.setdefault(i18n.t(spec.group_key, lang), []).append(page)
st.navigation(nav).run()
