"""The first start: an empty database is filled with the demo parks, with a progress bar, before any page shows.

Every page run asks `ensure_data`; the answer is cached on the data version, so a database that holds parks costs
no query beyond the version the page reads anyway, and the demo generator is imported only when it will run.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, i18n
from data_access import db, settings

FIRST_START_HOURLY_MONTHS = 1


@data.cached()
def _holds_parks(url: str, version: str) -> bool:
    return not db.is_empty(data.get_engine(url))


def ensure_data(url: str) -> None:
    """Migrate the database; fill an empty one with the demo parks, showing progress (first start only)."""
    if _holds_parks(url, data.data_version(url)):
        return
    from data_access import demo  # the generator is loaded only when a database is empty

    engine = data.get_engine(url)
    if not db.is_empty(engine):  # another session seeded it a moment ago
        data.data_version.clear()
        return
    lang = st.session_state.get("app_lang", "zh")
    st.info(i18n.t("app.seeding", lang))
    bar = st.progress(0.0)
    # Monthly history comes from the model at once; hourly readings only for the live window (the last months), so
    # a fresh clone's first start is usable within seconds (benchmarks/first_start.md), not minutes.
    demo.seed_demo(engine, hourly_months=int(settings.setting("DEMO_HOURLY_MONTHS", str(FIRST_START_HOURLY_MONTHS))),
                   progress=lambda f, _msg: bar.progress(f, text=i18n.t("app.seeding_step", lang, step=f"{f:.0%}")))
    run_rules_for_all_parks(engine)  # rules run after every data load
    data.data_version.clear()
    st.rerun()


def run_rules_for_all_parks(engine) -> None:
    """The guideline marks and the risk rules for every park (dashboard.checks.after_load)."""
    from dashboard.checks import after_load

    with db.writing(engine) as conn:
        after_load(conn)
