"""The web server: the Streamlit app (app.py) and the routes that keep a password sign-in through a reload
(dashboard.session_routes). Start it with `streamlit run server.py`; `streamlit run app.py` also works, but then a
reload asks for the password again."""

import streamlit as st

from dashboard.session_routes import ROUTES

app = st.App("app.py", routes=ROUTES)
