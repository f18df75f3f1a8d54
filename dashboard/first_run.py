"""The first start: an empty database is filled with the demo parks, with a progress bar, before any page shows.

The seed runs once per server process, in its own process (`dashboard.first_start`) that `server.py` starts as the
server boots, so the demo data is being written while Streamlit starts and the browser loads the app
(`streamlit run app.py` starts it on the first page run instead). Every page run asks `ensure_data`; the answer is
cached on the data version, so a database that holds parks costs no query beyond the version the page reads anyway.
A page that arrives during the seed shows its progress, with a sentence saying what is being written, and reruns
when it is done.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from sqlalchemy import inspect

from dashboard import data, i18n
from data_access import db

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.5

# What the seed reports (data_access.demo.seed_demo's progress messages, then the rules) -> the sentence shown.
STAGES = (("reference", "app.seed_stage.reference"), ("enterprises", "app.seed_stage.enterprises"),
          ("monthly energy", "app.seed_stage.monthly"), ("hourly meter", "app.seed_stage.hourly"),
          ("rollups", "app.seed_stage.rollups"), ("credit", "app.seed_stage.credit"),
          ("rules", "app.seed_stage.rules"), ("done", "app.seed_stage.rules"))


@dataclass
class Seed:
    """One server process's seed of one database: how far it is, and how it ended."""

    fraction: float = 0.0
    stage: str = "reference"
    written: threading.Event = field(default_factory=threading.Event)  # the demo data is committed
    done: threading.Event = field(default_factory=threading.Event)  # ... and the risk rules have run on it
    error: str | None = None


_seeds: dict[str, Seed] = {}  # database URL -> its seed started by this server process
_lock = threading.Lock()


def start(url: str) -> Seed | None:
    """Start filling the database at `url` with the demo parks if it is empty: once per server process.
    Returns the seed to watch, or None when the database holds parks."""
    with _lock:
        if url in _seeds and not _seeds[url].done.is_set():
            return _seeds[url]
        engine = db.make_engine(url)
        try:
            if inspect(engine).has_table("park") and not db.is_empty(engine):
                return None
            # The seed process loads its modules while this one migrates the schema, then waits for the word.
            # The URL goes in the environment, not the command line, where `ps` would show its password.
            proc = subprocess.Popen([sys.executable, "-m", "dashboard.first_start"], cwd=ROOT, text=True,
                                    env=dict(os.environ, DATABASE_URL=url), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            empty = False
            try:
                db.ensure_schema(engine)
                empty = db.is_empty(engine)
            finally:  # a failed migration stops the seed process too
                proc.stdin.write("go\n" if empty else "stop\n")
                proc.stdin.close()
        finally:
            engine.dispose()
        if not empty:
            proc.wait()
            return None
        seed = _seeds[url] = Seed()
    threading.Thread(target=_follow, args=(proc, seed), name="demo-seed", daemon=True).start()
    return seed


def _follow(proc: subprocess.Popen, seed: Seed) -> None:
    """Read the seed process's lines into `seed` until it ends."""
    other: deque[str] = deque(maxlen=5)  # the end of anything else it printed: a failure's reason
    for line in proc.stdout:
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind == "progress":
            fraction, _, message = rest.partition(" ")
            seed.fraction, seed.stage = float(fraction), message
        elif kind == "written":
            seed.written.set()
        elif kind != "done" and line.strip():
            other.append(line.strip())
    if proc.wait() != 0:
        seed.error = other[-1] if other else f"exit status {proc.returncode}"
    seed.fraction = 1.0
    seed.written.set()
    seed.done.set()


def stage_text(message: str, lang: str) -> str:
    """The sentence for one of the seed's progress messages."""
    step = message.split(": ", 1)[-1]
    key = next((k for prefix, k in STAGES if step.startswith(prefix)), "app.seed_stage.reference")
    return i18n.t(key, lang)


def ensure_data(url: str, *, rules: bool = True) -> None:
    """Migrate the database; while an empty one is filled with the demo parks, show progress (first start only).

    `rules=False` (the sign-in page) returns once the demo data is written, while the risk rules still run: the
    demo accounts can be listed, and the page the user opens next waits for the alerts."""
    seed = _seeds.get(url)
    if seed is None or seed.done.is_set():
        if _holds_parks(url, data.data_version(url)):
            return
        seed = start(url)
    if seed is not None:
        ready = seed.done if rules else seed.written
        if ready.is_set() and not seed.error:
            return
        lang = st.session_state.get("app_lang", "zh")
        st.info(i18n.t("app.seeding", lang))
        line = lambda: i18n.t("app.seeding_step", lang, step=stage_text(seed.stage, lang), pct=f"{seed.fraction:.0%}")  # noqa: E731
        bar = st.progress(seed.fraction, text=line())
        while not ready.wait(POLL_SECONDS):
            bar.progress(seed.fraction, text=line())
        if seed.error and db.is_empty(data.get_engine(url)):
            _seeds.pop(url, None)  # the next page run tries again
            st.error(i18n.t("app.seeding_failed", lang, error=seed.error))
            st.stop()
    data.data_version.clear()
    _holds_parks.clear()
    st.rerun()


@data.cached()
def _holds_parks(url: str, version: str) -> bool:
    return not db.is_empty(data.get_engine(url))
