"""Stored 2030 outlooks (issue 19): fitting every candidate model for five indicators took the forecast page 6-7 s on
its first view after a restart or an import. The command line computes them after each data load (`refresh`, called by
`python -m cli risk-run` and so by every import, feed run and seed; `python -m cli outlooks` on its own) and the pages
read them (`outlooks`). A stored outlook is found by the fingerprint of its inputs (`outlook.fingerprint`: history,
target, model version), so it is used exactly when nothing it depends on changed; anything else (another month,
another method, publicity mode, data newer than the last refresh) is computed on the page as before.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine

from dashboard.indicators import INDICATORS, compute_park_monthly, targets_in_force
from data_access import credit_queries, db, outlook_store, queries, settings
from data_access.scope import FULL_ACCESS, Scope


def park_monthly(conn: Connection, park_id: int, method: str, scope: Scope, factors: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """`compute_park_monthly` over the park's monthly rollups, and the loans and policy tools `scope` may see."""
    energy = queries.load_energy_monthly(conn, park_id=park_id, scope=scope)
    credit = credit_queries.load_credit_monthly(conn, park_id=park_id, scope=scope)
    tools = queries.load_policy_tool_monthly(conn, park_id=park_id, scope=scope)
    return compute_park_monthly(energy, credit, tools, factors, method=method)


def park_targets(conn: Connection, park: pd.Series, period: dt.date, factors: pd.DataFrame,
                 full_monthly: pd.DataFrame | None = None) -> pd.DataFrame:
    """The targets every view judges against at `period` (`indicators.targets_in_force`) for the park row `park`
    (of `queries.load_parks`): the stored ones and the core indicator's, derived from the band for the whole park."""
    method = str(park["electricity_method"])
    if full_monthly is None:
        full_monthly, _ = park_monthly(conn, int(park["id"]), method, FULL_ACCESS, factors)
    stored = queries.load_targets(conn, park_id=int(park["id"]))
    return targets_in_force(stored, full_monthly, period, target_year=int(park["target_year"]), method=method)


def outlooks(conn: Connection, monthly: pd.DataFrame, targets: pd.DataFrame, period: dt.date) -> dict:
    """Every headline indicator's outlook at `period` (`outlook.Outlook`, or None without 3 months of history): the
    stored one where its inputs are unchanged, else computed."""
    from dashboard.outlook import OUTLOOK_SERIES, fingerprint, from_payload, outlook_from_inputs, outlook_inputs  # the models load when used

    inputs = {code: outlook_inputs(INDICATORS[code], monthly, targets, period=period) for code in OUTLOOK_SERIES}
    keys = {code: fingerprint(INDICATORS[code], i) for code, i in inputs.items() if i is not None}
    stored = outlook_store.load(conn, keys.values())
    return {code: None if i is None else (from_payload(stored[keys[code]]) if keys[code] in stored
                                          else outlook_from_inputs(INDICATORS[code], i))
            for code, i in inputs.items()}


def refresh(engine: Engine, *, park_code: str | None = None,
            progress: Callable[[str], None] | None = None) -> list[tuple[str, int, int]]:
    """Compute and store the outlooks every page opens on, for each park (or `park_code`): its own method, the whole
    park's data, the latest complete month. Outlooks whose inputs are unchanged are kept, not fitted again. The models
    run outside any transaction; each park's result is written in one short transaction that does not change the data
    version (no page shows anything new, it only stops computing). Returns (park code, fitted, reused) per park."""
    from dashboard.outlook import OUTLOOK_SERIES, fingerprint, outlook_from_inputs, outlook_inputs, to_payload

    with engine.connect() as conn:
        version = db.data_version(conn)
        parks = queries.load_parks(conn)
        factors = queries.load_emission_factors(conn)
    if park_code is not None:
        parks = parks[parks["code"] == park_code]
    done = []
    for _, park in parks.iterrows():
        park_id, method = int(park["id"]), str(park["electricity_method"])
        with engine.connect() as conn:
            monthly, _ = park_monthly(conn, park_id, method, FULL_ACCESS, factors)
            period = queries.complete_month(queries.load_data_end(conn, park_id=park_id))
            targets = park_targets(conn, park, period, factors, monthly)
            inputs = {code: outlook_inputs(INDICATORS[code], monthly, targets, period=period) for code in OUTLOOK_SERIES}
            keys = {code: fingerprint(INDICATORS[code], i) for code, i in inputs.items() if i is not None}
            stored = outlook_store.load(conn, keys.values())
        rows, fitted = [], 0
        for code, key in keys.items():
            payload = stored.get(key)
            if payload is None:
                payload = to_payload(outlook_from_inputs(INDICATORS[code], inputs[code]))
                fitted += 1
            rows.append({"fingerprint": key, "park_id": park_id, "indicator": code, "period": period, "method": method,
                         "data_version": version, "payload": payload, "computed_at": dt.datetime.now()})
        with db.writing(engine, bump=False) as conn:
            outlook_store.replace_for_park(conn, park_id, rows)
        done.append((str(park["code"]), fitted, len(rows) - fitted))
        if progress:
            progress(f"{park['code']}: {fitted} outlooks fitted, {len(rows) - fitted} unchanged")
    return done


def refresh_in_background(url: str) -> subprocess.Popen | None:
    """After a load through the web app (an upload): `python -m cli outlooks` in its own process at low priority, never
    in the server, whose sessions share one interpreter. The URL goes in the environment, where `ps` does not show it.
    Setting OUTLOOK_REFRESH=off leaves it out (the page tests, whose databases go away with the test)."""
    if settings.setting("OUTLOOK_REFRESH", "background") == "off":
        return None
    command = [sys.executable, "-m", "cli", "outlooks"]
    if shutil.which("nice"):
        command = ["nice", "-n", "10", *command]
    return subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1], env=dict(os.environ, DATABASE_URL=url),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
