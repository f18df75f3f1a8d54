"""Entry point and router: page config, navigation built from the signed-in user's role, run the page.

Signed out, the only page is the sign-in page. The shared sidebar (language, park, month) and the
permission check are rendered by `dashboard.shell.render_shell()`, which every page calls first; see
that module for why it is not done here alone.
"""

import streamlit as st

from dashboard import auth_ui, data, i18n, outage
from dashboard.navigation import SIGN_IN, may_open, pages_for
from dashboard.shell import configure_page

configure_page()
lang = st.session_state.get("app_lang", "zh")
url = data.current_url()
with outage.guard(url, lang):  # an unreachable database shows a short message, never a traceback with its address
    user = auth_ui.current_user(url)
auth_ui.hand_over_session()  # after a password sign-in: the browser gets its HttpOnly session cookie
specs = pages_for(user.role) if user else [SIGN_IN]
# ?screen=1 opens the big screen (大屏) as the start page, with no navigation: the URL a meeting room bookmarks.
screen = user is not None and (user.role == "display" or st.query_params.get("screen") == "1" and may_open(user.role, "screen"))
nav: dict[str, list] = {}
for spec in specs:
    page = st.Page(spec.path, title=i18n.t(spec.title_key, lang), icon=spec.icon, url_path=spec.url_path,
                   default=spec.url_path == "screen" if screen else spec.default or spec is SIGN_IN)
    nav.setdefault(i18n.t(spec.group_key, lang), []).append(page)
# every page listed, none behind "more"
with outage.guard(url, lang):
    st.navigation(nav, position="sidebar" if user and not screen else "hidden", expanded=True).run()
