"""Entry point and router: page config, navigation from the pages the user may open, run the page.

The shared sidebar (language, park, month) is rendered by `dashboard.shell.render_shell()`, which every
page calls first; see that module for why it is not rendered here.
"""

import streamlit as st

from dashboard import i18n
from dashboard.navigation import pages_for
from dashboard.shell import configure_page

configure_page()
lang = st.session_state.get("app_lang", "zh")
nav: dict[str, list] = {}
for spec in pages_for(None):
    page = st.Page(spec.path, title=i18n.t(spec.title_key, lang), icon=spec.icon, url_path=spec.url_path,
                   default=spec.default)
    nav.setdefault(i18n.t(spec.group_key, lang), []).append(page)
st.navigation(nav).run()
