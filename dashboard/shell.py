"""The shell every page renders first: database readiness (the first start's seeding is `first_run`), sidebar (language, park, month;
the park's electricity conversion method is shown, it is a park setting), the demo mark, and the page context.

Why pages call it instead of app.py alone: with a `pages/` folder beside app.py, Streamlit runs a page
script directly (legacy multipage mode) until `st.navigation` has run once in the process, and AppTest
does so on every rerun. A page that renders its own shell is correct however it is reached, and the
sign-in gate added here will cover every page.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import auth_ui, data, i18n, ui
from dashboard.first_run import ensure_data
from dashboard.navigation import PAGES, may_open
from dashboard.ui import PageContext, render_demo_mark
from data_access import auth, queries
from data_access.scope import MIN_GROUP_SIZE, Scope

PAGE_TITLE = "零碳园区金融支持监测看板"


def configure_page() -> None:
    st.set_page_config(page_title=PAGE_TITLE, page_icon="assets/icon.svg", layout="wide")


# A KPI value or label is never cut to "59.59 万吨…" or "碳效等级（2025年，…" on a narrow screen (a projector's
# 1366×768): it wraps instead. A page's
# title fits one line there ("园区 · 绿色金融（2026-10月末）"), and a longer one breaks into even lines, never "末）" alone.
PAGE_CSS = """<style>
[data-testid="stMain"] h1 {font-size: clamp(1.6rem, 2.4vw, 2.75rem); text-wrap: balance;}
[data-testid="stMetricValue"] {font-size: clamp(1.2rem, 1.7vw, 2.25rem);}
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p {white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere; line-height: 1.15;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] > div, [data-testid="stMetricLabel"] p {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; height: auto !important;}
</style>"""


def _month_options(ends: dict) -> tuple[list[dt.date], int]:
    """Months to offer (newest first) and the index of the default: the latest month all data has reached."""
    known = [d for d in ends.values() if d]
    last = max(known) if known else dt.date.today()
    months = [p.to_timestamp().date() for p in pd.period_range("2021-01", last.strftime("%Y-%m"), freq="M")][::-1]
    complete = queries.complete_month(ends)
    return months, (months.index(complete) if complete in months else 0)


def _restore(key: str) -> bool:
    """Give a sidebar widget back the value it had on the previous page.

    Streamlit clears or re-creates the state of widgets made in page scripts when the page changes, so
    each choice is also kept under a plain session key ("stash"), updated by the widget's on_change
    callback (which runs before the script, so a user's new choice is never overwritten) and written
    back here before the widget is created. Returns True when a value was restored (the widget must
    then not be given a default as well).
    """
    stash = f"_keep_{key}"
    if stash in st.session_state:
        st.session_state[key] = st.session_state[stash]
    return key in st.session_state


def _stash(key: str):
    """on_change callback that records the widget's new value."""
    return lambda: st.session_state.__setitem__(f"_keep_{key}", st.session_state[key])


def default_period(ends: dict) -> dt.date:
    """The latest month all data has reached (the month a page opens on)."""
    months, default = _month_options(ends)
    return months[default]


def _remember(key: str, value):
    st.session_state[f"_keep_{key}"] = value
    return value


def render_sign_in_page() -> None:
    """The sign-in page: the form when signed out, the first permitted page when signed in."""
    configure_page()
    url = data.current_url()
    ensure_data(url, rules=False)  # the demo accounts are listed while the first start's risk rules still run
    if auth_ui.current_user(url) is not None:
        st.switch_page(next(p.path for p in PAGES if p.default))
    auth_ui.render_sign_in(url)


def _gate(url: str, page: str) -> auth.User:
    """Stop the run unless a user is signed in and the role may open `page`."""
    user = auth_ui.current_user(url)
    if user is None:
        auth_ui.render_sign_in(url)
        st.stop()
    if not may_open(user.role, page):
        lang = st.session_state.get("app_lang", "zh")
        st.error(i18n.t("auth.refused", lang, role=i18n.label("role", user.role, lang)))
        st.stop()
    return user


def _render_user_box(user: auth.User, lang: str) -> bool:
    """Who is signed in, the sign-out button and the publicity-safe switch. Returns publicity_safe."""
    st.caption(i18n.t("auth.signed_in_as", lang, name=user.display_name, role=i18n.label("role", user.role, lang)))
    if st.button(i18n.t("auth.sign_out", lang), key="app_sign_out"):
        auth_ui.sign_out(notice="signed_out")
        st.rerun()
    forced = user.role == "publicity"
    _restore("app_publicity")
    if forced:  # the switch shows what applies: on, and locked
        st.session_state["app_publicity"] = True
    publicity = st.toggle(i18n.t("auth.publicity_mode", lang), key="app_publicity", disabled=forced,
                          on_change=_stash("app_publicity"),
                          help=i18n.t("auth.publicity_help", lang, n=MIN_GROUP_SIZE))
    _remember("app_publicity", publicity)
    return forced or bool(publicity)


def _keep_in_link(**params: str) -> None:
    """The sidebar's choices in the address (?park=…&period=…&lang=…), so a copied link reopens them; each is applied
    once from a link (`_from_link`, the period and language above), then follows the user's own choices."""
    for key, value in params.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
        st.session_state[f"_link_{key}"] = (int(st.session_state.get("app_park", 0)), value) if key == "period" else value


def _from_link(parks: pd.DataFrame) -> None:
    """A link's park (?park=CODE, as the notifications send) chosen once; the user's later choice then stands."""
    wanted = st.query_params.get("park")
    if not wanted or st.session_state.get("_link_park") == wanted:
        return
    st.session_state["_link_park"] = wanted
    match = parks[parks["code"] == wanted]
    if not match.empty:
        st.session_state["app_park"] = st.session_state["_keep_app_park"] = int(match["id"].iloc[0])


def render_shell(page: str, *, sidebar: bool = True) -> PageContext:
    """Gate the page, render the shared sidebar and marks; return the context the page works in.

    `page` is the page's url_path in dashboard.navigation; a role that may not open it is refused here,
    whatever URL or route reached the script. `sidebar=False` (the big screen) draws nothing: the choices
    come from the URL (?park=CODE&period=YYYY-MM&lang=en) or the user's last choices in the session.
    """
    configure_page()
    url = data.current_url()
    ensure_data(url)
    user = _gate(url, page)
    version = data.data_version(url)
    parks = data.parks(url, version)
    if not sidebar:
        return _context_without_sidebar(url, version, parks, user)
    with st.sidebar:
        _restore("app_lang")
        wanted_lang = st.query_params.get("lang")
        if wanted_lang in ("zh", "en") and st.session_state.get("_link_lang") != wanted_lang:  # a link's language, once
            st.session_state["_link_lang"] = wanted_lang
            st.session_state["app_lang"] = st.session_state["_keep_app_lang"] = wanted_lang
        lang = _remember("app_lang", st.radio(
            "语言 / Language", ["zh", "en"], horizontal=True, key="app_lang", on_change=_stash("app_lang"),
            format_func=lambda c: {"zh": "中文", "en": "English"}[c]))
        st.markdown(f"### {i18n.t('app.title', lang)}")
        if parks.empty:
            st.warning(i18n.t("app.no_parks", lang))
            st.stop()
        by_id = parks.set_index("id")
        _restore("app_park")
        _from_link(parks)
        park_id = _remember("app_park", st.selectbox(
            i18n.t("app.park", lang), parks["id"].tolist(), key="app_park", on_change=_stash("app_park"),
            format_func=lambda i: by_id.loc[i, "name_zh" if lang == "zh" else "name_en"]))
        park = by_id.loc[park_id].copy()
        park["id"] = park_id
        ends = data.data_end(url, version, park_id)
        months, default = _month_options(ends)
        period_key = f"app_period_{park_id}"
        if _restore(period_key) and st.session_state[period_key] not in months:
            del st.session_state[period_key]  # a month no longer offered (data removed): fall back to the default
        wanted = st.query_params.get("period")
        if wanted and st.session_state.get("_link_period") != (park_id, wanted):  # a link's month, applied once
            st.session_state["_link_period"] = (park_id, wanted)
            for m in months:
                if f"{m:%Y-%m}" == wanted:
                    st.session_state[period_key] = st.session_state[f"_keep_{period_key}"] = m
        restored = period_key in st.session_state
        period = _remember(period_key, st.selectbox(
            i18n.t("app.period", lang), months, key=period_key, on_change=_stash(period_key),
            format_func=lambda d: f"{d:%Y-%m}",
            **({} if restored else {"index": default})))
        method = str(park["electricity_method"])  # a park setting (`cli park-method`), not a viewer's choice
        st.caption(i18n.t("app.method_setting", lang, method=i18n.t(f"app.method.{method}", lang)))
        st.divider()
        publicity = _render_user_box(user, lang)
        _keep_in_link(park=str(park["code"]), period=f"{period:%Y-%m}", lang=lang)
        ui.copy_link(lang)
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    if bool(park["is_demo"]):
        render_demo_mark(lang)
    scope = Scope(user.role, user.institution_id, publicity)
    return PageContext(lang=lang, url=url, version=version, park=park, period=period, method=method, data_end=ends,
                       user=user, scope=scope)


def _context_without_sidebar(url: str, version: str, parks: pd.DataFrame, user: auth.User) -> PageContext:
    """The page context from the URL and the session's last choices, with no widgets (the big screen).

    The month defaults to the latest month all data has reached, re-read on every run, so a screen left
    on for weeks moves on to the new month by itself.
    """
    q = st.query_params
    lang = q.get("lang") or st.session_state.get("_keep_app_lang", "zh")
    if parks.empty:
        st.warning(i18n.t("app.no_parks", lang))
        st.stop()
    by_code = dict(zip(parks["code"], parks["id"]))
    park_id = by_code.get(q.get("park"), st.session_state.get("_keep_app_park", int(parks["id"].iloc[0])))
    if user.role == "display":  # a display link shows its own park, whatever else the URL says
        shown = auth_ui.current_display()
        park_id = shown.park_id if shown is not None else park_id
    park = parks.set_index("id").loc[park_id].copy()
    park["id"] = park_id
    ends = data.data_end(url, version, park_id)
    months, default = _month_options(ends)
    wanted = q.get("period")
    period = next((m for m in months if f"{m:%Y-%m}" == wanted), months[default])
    method = str(park["electricity_method"])
    publicity = user.role == "publicity" or bool(st.session_state.get("_keep_app_publicity", False))
    return PageContext(lang=lang if lang in ("zh", "en") else "zh", url=url, version=version, park=park, period=period,
                       method=method, data_end=ends, user=user, scope=Scope(user.role, user.institution_id, publicity))
