"""The web server: the Streamlit app (app.py) and the routes that keep a password sign-in through a reload
(dashboard.session_routes). Start it with `streamlit run server.py`; `streamlit run app.py` also works, but then a
reload asks for the password again.

An empty database starts filling with the demo parks as the server boots (dashboard.first_run), so a fresh clone's
first page is usable within seconds."""

import logging

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboard import first_run
from dashboard.session_routes import ROUTES
from data_access import settings

try:
    first_run.start(settings.database_url())
except SQLAlchemyError as exc:  # an unreachable database is reported by every page (dashboard.outage)
    logging.getLogger(__name__).warning("database not ready at start: %s", type(exc).__name__)

app = st.App("app.py", routes=ROUTES)
