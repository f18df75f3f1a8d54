"""大屏 Big screen (§十五 联席会议): full width, dark, large type; the headline KPIs and the 2030 position always
on screen, the key charts rotating, data refreshing by itself. Open with ?screen=1 (optionally &park=CODE,
&rotate=SECONDS, &period=YYYY-MM, &lang=en)."""

import datetime as dt
import time

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dashboard import auth_ui, data, ledgers, publication, screen, stress_views
from dashboard.shell import default_period, render_shell
from data_access import publication_store, settings

ctx = render_shell("screen", sidebar=False)
st.markdown(screen.CSS, unsafe_allow_html=True)
try:
    ROTATE = min(max(int(st.query_params.get("rotate") or settings.setting("SCREEN_ROTATE_SECONDS", "20")), 5), 600)
except ValueError:
    ROTATE = 20
FIXED_PERIOD = "period" in st.query_params
CAN_FREEZE = ctx.user.role in ("leader", "pboc_analyst", "park_committee", "admin")


@st.fragment(run_every=ROTATE)
def board() -> None:
    """Re-run every ROTATE seconds: re-read the data version (cached 5 s), advance the rotation by the clock.
    Each run re-checks the session first: a deactivated account or an idle timeout ends the screen."""
    if not auth_ui.screen_session_valid(ctx.url):
        st.rerun(scope="app")  # the app reruns to the sign-in page
    version = data.data_version(ctx.url)
    ends = data.data_end(ctx.url, version, ctx.park_id)
    period = ctx.period if FIXED_PERIOD else default_period(ends)
    bundle = data.publication_bundle(ctx.url, version, ctx.park_id, period, ctx.method, ctx.scope)
    figures = data.publication_charts(ctx.url, version, ctx.park_id, period, ctx.method, ctx.scope, ctx.lang)
    central = None if ctx.scope.publicity_safe else data.central_stress_path(ctx.url, version, ctx.park_id, ctx.method, period)
    if central:  # the analyst's saved central carbon-price scenario joins the rotation
        figures = {**figures, "stress": stress_views.screen_figure(*central, lang=ctx.lang, park=ctx.park_name, period=period,
                                                                  end=ends.get("credit"))}
    rotating = [c for c in figures if c != "position"]
    shown = rotating[screen.rotation_index(time.time(), ROTATE, len(rotating))] if rotating else None
    now = dt.datetime.now()
    end = max((d for d in ends.values() if d), default=None)
    meta = [ctx.t("scr.period", period=f"{period:%Y-%m}", end=end.isoformat() if end else "—"),
            ctx.t("scr.refreshed", time=f"{now:%H:%M:%S}")]
    if shown:
        meta.append(ctx.t("scr.rotation", i=rotating.index(shown) + 1, n=len(rotating), s=ROTATE))
    st.markdown(screen.header_html(ctx.t("scr.title", park=ctx.park_name), meta,
                                   ctx.t("scr.demo") if bool(ctx.park["is_demo"]) else None), unsafe_allow_html=True)
    st.markdown(screen.tiles_html(publication.kpi_tiles(bundle, ctx.lang), ctx.lang), unsafe_allow_html=True)
    lines = ledgers.sentences(data.ledger_sums(ctx.url, version, ctx.park_id, ctx.scope, ledgers.month_end(period)),
                              data.ledger_overdue(ctx.url, version, ctx.park_id, ctx.scope, ledgers.as_of(period, now.date())),
                              period=period, lang=ctx.lang)
    if lines:  # the work ledgers, one sentence per step of the rotation
        st.markdown(screen.ticker_html(ctx.t("scr.ledgers"), lines[screen.rotation_index(time.time(), ROTATE, len(lines))]),
                    unsafe_allow_html=True)
    left, right = st.container(key="scr_charts").columns([5, 7])  # as tall as the display leaves (screen.CSS)
    cfg = {"displayModeBar": False, "responsive": True}
    if "position" in figures:
        left.plotly_chart(publication.screen_figure(figures["position"], height=None), key="scr_position", config=cfg, height="stretch")
    if shown:
        right.plotly_chart(publication.screen_figure(figures[shown], height=None), key="scr_rotating", config=cfg, height="stretch")
    else:
        right.info(ctx.t("scr.no_charts"))
    controls = st.container(key="scr_controls", horizontal=True)  # hidden in a corner until the mouse is over it
    freeze, leave = controls.container(), controls.container()
    try:
        if ctx.user.role != "display":  # a display link has nowhere else to go
            leave.page_link("pages/overview.py", label=ctx.t("scr.exit"), icon=":material/logout:")
    except StreamlitPageNotFoundError:  # the script run on its own (AppTest), without the app's navigation
        pass
    if CAN_FREEZE and freeze.button(ctx.t("scr.freeze"), key="scr_freeze", icon=":material/push_pin:"):
        new_id = data.write(
            ctx.url, publication_store.save_snapshot, park_id=ctx.park_id, created_by=ctx.user.username,
            title=ctx.t("scr.snapshot_title", park=ctx.park_name, period=f"{period:%Y-%m}", time=f"{now:%Y-%m-%d %H:%M}"),
            payload=publication.snapshot_payload(bundle, ctx.lang, figures, data_version=version, shown=shown))
        st.toast(ctx.t("scr.frozen", id=new_id))


board()
