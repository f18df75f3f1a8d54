"""When the database cannot be reached (wrong address, server down, connection dropped mid-session): a short
message in the user's language with an incident number, never the driver's traceback with host, port and file
paths; the details go to the server log under the same number, with the password masked."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from dashboard import i18n

log = logging.getLogger("zero_carbon.outage")
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)  # connection-level failures, not programming errors


def masked(url: str) -> str:
    """The database address for a log line: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable database URL)"


def log_outage(error: BaseException, url: str) -> str:
    """Log what failed under a new incident number and return the number."""
    incident = uuid.uuid4().hex[:8]
    cause = getattr(error, "orig", None) or error
    first_line = (str(cause).strip().splitlines() or [""])[0][:300]
    log.error("incident %s: database %s unreachable: %s: %s", incident, masked(url), type(cause).__name__, first_line,
              exc_info=error)
    return incident


@contextmanager
def guard(url: str, lang: str) -> Iterator[None]:
    """Run a page; if the database is unreachable, show the outage message (with a retry button) and stop."""
    try:
        yield
    except UNREACHABLE as error:
        incident = log_outage(error, url)
        st.error(i18n.t("err.db_down", lang, incident=incident))
        if st.button(i18n.t("err.retry", lang), key=f"retry_{incident}"):
            st.rerun()
        st.stop()
