"""Page times at scale: `python -m benchmarks.run --size S|M|L --db sqlite|postgresql [--rebuild]`.

For every role and every page granted to it, the page script runs under Streamlit's AppTest, in this process,
against the data set of `benchmarks.scale_data` (built first when missing):
- cold: a view with the data caches (st.cache_data and the forecasts) emptied, as after a new import or a
  restart (median of three);
- warm: a new view of the page with the caches filled (median of three), as the next user sees it;
- SQL: the time of every statement the page issued (SQLAlchemy cursor events) and their number;
- floor: an empty Streamlit page viewed the same way (median of 7); every view is a new AppTest of the script,
  signed in, run once, so the floor holds the same AppTest overhead as every page. Here most of that overhead
  is AppTest scanning the ~150 installed packages for components on every new instance (a server does it
  once, at start), so the floor is 0.2-0.4 s, not the 0.06 s the issue saw, and 8x of it would be lax: the
  page's own time (warm minus floor) is therefore also held to the issue's intended half second.
Goals (issue 11), judged in the same run: warm within 8x the floor and the page's own warm time (warm minus
floor) within 0.5 s; cold at M at most 1.3x cold at S (when
both are measured on the same database); no page statement reads the raw `meter_reading` table, and on
PostgreSQL no page statement's plan scans the raw meter table (EXPLAIN of each; sequential scans of any
other table above 100,000 rows are listed too, and at L count as a miss: issue 19).
Writes benchmarks/scale_<size>_<db>.json and rewrites benchmarks/scale.md from every JSON present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import time
from pathlib import Path

import streamlit.logger
from sqlalchemy import Engine, event, select, text

from benchmarks import scale_data

streamlit.logger.set_log_level("error")  # AppTest in bare mode warns on every run

OUT = Path(__file__).resolve().parent
ROOT = OUT.parent
EMPTY_PAGE = OUT / "empty_page.py"
WARM_GOAL, OWN_GOAL, FLAT_GOAL, BIG_TABLE = 8.0, 0.5, 1.3, 100_000


class SqlMeter:
    """Times every statement executed through any SQLAlchemy engine in this process."""

    def __init__(self) -> None:
        self.reset()
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("_bench_t0", []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.seconds += time.perf_counter() - conn.info["_bench_t0"].pop()
        if not executemany:
            self.statements.append((statement, parameters))


def _user(url: str, role: str):
    from data_access import auth, db
    from data_access.models import AppUser

    engine = db.make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(AppUser.__table__).where(AppUser.role == role, AppUser.is_demo.is_(True))).first()
    engine.dispose()
    return auth.User(row.id, row.username, row.display_name, row.role, row.institution_id, True)


def _fresh_run(script: Path, user) -> tuple[float, object]:
    """One page view as the issue counts it: a new AppTest of the script, signed in, run once."""
    from streamlit.testing.v1 import AppTest

    t0 = time.perf_counter()
    at = AppTest.from_file(str(script), default_timeout=900)
    if user is not None:
        at.session_state["auth_user"] = user
    at.run()
    return time.perf_counter() - t0, at


def _run(script: Path, user, meter: SqlMeter) -> tuple[float, float, float, list, list[str]]:
    """(cold s, warm s, SQL s of the cold run, cold statements, exceptions) of one page for one user; each
    the median of three views."""
    import streamlit as st

    from dashboard import forecasting

    colds = []
    for _ in range(3):  # one cold sample is at the mercy of the disk cache and the other core
        st.cache_data.clear()
        forecasting._fit_and_values.cache_clear()  # forecasts are also kept by their history's content
        meter.reset()
        seconds, at = _fresh_run(script, user)
        colds.append((seconds, meter.seconds, list(meter.statements), [str(e.value)[:200] for e in at.exception]))
    cold, sql, statements, errors = sorted(colds, key=lambda c: c[0])[1]  # the median run
    warm = statistics.median(_fresh_run(script, user)[0] for _ in range(3))
    return cold, warm, sql, statements, errors


def _floor(meter: SqlMeter) -> tuple[float, float]:
    """The empty page measured the same way: first view, then the median of seven more."""
    cold = _fresh_run(EMPTY_PAGE, None)[0]
    return cold, statistics.median(_fresh_run(EMPTY_PAGE, None)[0] for _ in range(7))


SCENARIOS = ((50, 10.0, 20), (100, 25.0, 5), (200, 50.0, 40))  # MW a year, 万MWh a year, green-loan growth %


def _scenario_reruns(user) -> list[float]:
    """Issue 19 §2: a scenario is recomputed on demand. The seconds of the forecast page's rerun after each slider
    move (the page open, caches warm), as an analyst tries scenarios one after another."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "forecast.py"), default_timeout=900)
    at.session_state["auth_user"] = user
    at.run()
    times = []
    for mw, purchase, growth in SCENARIOS:
        at.slider(key="fc_mw").set_value(mw)
        at.slider(key="fc_purchase").set_value(purchase)
        at.slider(key="fc_growth").set_value(growth)
        t0 = time.perf_counter()
        at.run()
        times.append(round(time.perf_counter() - t0, 3))
        assert not at.exception, at.exception[0].value
    return times


def _explain(url: str, statements: dict[str, tuple]) -> dict[str, list[str]]:
    """PostgreSQL: the sequential scans of big tables in the plan of each distinct statement."""
    from data_access import db

    engine = db.make_engine(url)
    found: dict[str, list[str]] = {}
    with engine.connect() as conn:
        sizes = dict(conn.execute(text("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind IN ('r', 'p') "
                                       "AND relnamespace = current_schema()::regnamespace")).all())
        big = {t for t, n in sizes.items() if n > BIG_TABLE}
        for sql, params in statements.values():
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params or ()).all())
            scans = sorted({m for m in re.findall(r"Seq Scan on (\w+)", plan) if m in big})
            if scans:
                found[sql[:160]] = scans
    engine.dispose()
    return found


def run(size: str, backend: str, *, rebuild: bool = False) -> dict:
    from dashboard.navigation import pages_for
    from data_access.taxonomy import ROLES

    url, built = scale_data.build(size, backend, rebuild=rebuild)
    from dashboard import stored_outlooks
    from data_access import db

    stored_outlooks.refresh(db.make_engine(url))  # a data set built before outlooks were stored gets them (else a no-op)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEMO_HOURLY_MONTHS", "0")
    meter = SqlMeter()
    floor_cold, floor_warm = _floor(meter)
    rows, distinct = [], {}
    for role in ROLES:
        user = _user(url, role)
        for spec in pages_for(role):
            cold, warm, sql, statements, errors = _run(ROOT / spec.path, user, meter)
            raw = [s for s, _ in statements if "meter_reading" in s.lower()]
            for s, p in statements:
                distinct.setdefault(s, (s, p))
            rows.append({"page": spec.url_path, "role": role, "cold_s": round(cold, 3), "warm_s": round(warm, 3),
                         "sql_s": round(sql, 3), "queries": len(statements), "warm_ratio": round(warm / floor_warm, 1),
                         "raw_meter_queries": len(raw), "errors": errors})
            print(f"{size} {backend} {role:22s} {spec.url_path:16s} cold {cold:6.2f} s  warm {warm:6.2f} s  "
                  f"sql {sql:6.2f} s  {len(statements):4d} q  {'ERR ' + errors[0] if errors else ''}", flush=True)
    scenario_s = _scenario_reruns(_user(url, "pboc_analyst"))
    print(f"{size} {backend} scenario reruns {scenario_s} s", flush=True)
    seq_scans = _explain(url, distinct) if backend == "postgresql" else None
    engine = db.make_engine(url)
    with engine.connect() as conn:
        n_readings = conn.execute(text("SELECT count(*) FROM meter_reading")).scalar_one()
        n_parks = conn.execute(text("SELECT count(*) FROM park")).scalar_one()
        n_ents = conn.execute(text("SELECT count(*) FROM enterprise")).scalar_one()
    engine.dispose()
    result = {"size": size, "db": backend, "measured_on": dt.date.today().isoformat(), "machine": f"{os.cpu_count()} cores, "
              f"{platform.python_implementation()} {platform.python_version()}", "parks": n_parks, "enterprises": n_ents,
              "meter_readings": n_readings, "build": built, "floor_cold_s": round(floor_cold, 3),
              "floor_warm_s": round(floor_warm, 4), "pages": rows, "seq_scans_of_big_tables": seq_scans,
              "distinct_statements": len(distinct), "scenario_rerun_s": scenario_s}
    (OUT / f"scale_{size}_{backend}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
    write_markdown()
    return result


def _load_all() -> dict[tuple[str, str], dict]:
    out = {}
    for f in sorted(OUT.glob("scale_*_*.json")):
        r = json.loads(f.read_text())
        out[(r["size"], r["db"])] = r
    return out


FORECAST_GOAL = 1.3  # the forecast page's cold view against the overview's, in one run
SCENARIO_GOAL = 1.0  # seconds: the forecast page's rerun after a scenario slider moves


def write_markdown() -> None:
    results = _load_all()
    lines = ["# Page times at scale", "",
             "Written by `python -m benchmarks.run --size S|M|L --db sqlite|postgresql` (see that file for the method). "
             f"Goals: warm run within {WARM_GOAL:g}x the empty-page floor and the page's own warm time (warm minus floor) "
             f"within {OWN_GOAL:g} s; cold run at M at most {FLAT_GOAL:g}x cold at S; no page "
             "statement reads `meter_reading`, and on PostgreSQL no page statement's plan scans it (sequential scans of "
             f"other tables above {BIG_TABLE:,} rows are listed as well, and at L count as a miss); the forecast page's cold view within "
             f"{FORECAST_GOAL:g}x the overview's and a scenario rerun within {SCENARIO_GOAL:g} s (issue 19). Times are seconds of one AppTest run in one process; each cell is the slowest "
             "role for that page.", ""]
    builds_file = OUT / "scale_builds.json"
    if builds_file.exists():  # measured by `python -m benchmarks.scale_data` (peak RSS with /usr/bin/time -v)
        lines += ["## Building the data sets", "", "| size | database | meter readings | build time | peak memory of the builder |",
                  "|---|---|---|---|---|"]
        for b in json.loads(builds_file.read_text()):
            rss = f"{b['peak_rss_mb']:,.0f} MB" if b.get("peak_rss_mb") else "not measured"
            note = f" ({b['note']})" if b.get("note") else ""
            lines.append(f"| {b['size']} | {b['db']} | {b['meter_readings']:,} | {b['seconds'] / 60:.1f} min{note} | {rss} |")
        lines.append("")
    for (size, backend), r in sorted(results.items(), key=lambda kv: (kv[0][1], "SML".index(kv[0][0]))):
        lines += [f"## {size} on {backend}", "",
                  f"Measured {r['measured_on']} on {r['machine']}: {r['parks']} parks, {r['enterprises']:,} enterprises, "
                  f"{r['meter_readings']:,} meter readings. Empty-page floor: cold {r['floor_cold_s']:.3f} s, warm "
                  f"{r['floor_warm_s']:.3f} s.", ""]
        small = results.get(("S", backend)) if size != "S" else None
        small_cold = {}
        if small:
            for p in small["pages"]:
                small_cold[p["page"]] = max(small_cold.get(p["page"], 0), p["cold_s"])
        header = "| page | roles | cold s | warm s | own warm s | SQL s (cold) | queries | warm / floor | raw meter queries |"
        lines += [header + (" cold vs S |" if small else ""), "|---" * (9 + bool(small)) + "|"]
        by_page: dict[str, list[dict]] = {}
        for p in r["pages"]:
            by_page.setdefault(p["page"], []).append(p)
        misses = []
        for page, ps in by_page.items():
            cold, warm = max(p["cold_s"] for p in ps), max(p["warm_s"] for p in ps)
            ratio = warm / r["floor_warm_s"]
            raw = sum(p["raw_meter_queries"] for p in ps)
            own = warm - r["floor_warm_s"]
            cells = [page, str(len(ps)), f"{cold:.2f}", f"{warm:.2f}", f"{own:.2f}{'' if own <= OWN_GOAL else ' ✗'}",
                     f"{max(p['sql_s'] for p in ps):.2f}",
                     str(max(p["queries"] for p in ps)), f"{ratio:.1f}x{'' if ratio <= WARM_GOAL else ' ✗'}", str(raw)]
            if ratio > WARM_GOAL:
                misses.append(f"{page}: warm {ratio:.1f}x the floor")
            if own > OWN_GOAL:
                misses.append(f"{page}: own warm time {own:.2f} s")
            if raw:
                misses.append(f"{page}: {raw} statements read meter_reading")
            if small:
                base = small_cold.get(page)
                flat = cold / base if base else float("nan")
                cells.append(f"{flat:.2f}x{'' if flat <= FLAT_GOAL else ' ✗'}")
                if flat > FLAT_GOAL:
                    misses.append(f"{page}: cold {flat:.2f}x its time at S")
            errors = [e for p in ps for e in p["errors"]]
            if errors:
                misses.append(f"{page}: exception {errors[0]}")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        cold_of = {page: max(p["cold_s"] for p in ps) for page, ps in by_page.items()}
        if "forecast" in cold_of and "overview" in cold_of:  # issue 19.2: outlooks stored after each load
            f = cold_of["forecast"] / cold_of["overview"]
            lines += [f"Forecast page cold {cold_of['forecast']:.2f} s = {f:.2f}x the overview's cold {cold_of['overview']:.2f} s "
                      f"(goal at most {FORECAST_GOAL:g}x: it reads the outlooks stored after the last load).", ""]
            if f > FORECAST_GOAL:
                misses.append(f"forecast: cold {f:.2f}x the overview's")
        if r.get("scenario_rerun_s"):
            worst = max(r["scenario_rerun_s"])
            lines += [f"A scenario recomputed on demand: the forecast page reran in {', '.join(f'{x:.2f}' for x in r['scenario_rerun_s'])} s "
                      f"after each of {len(r['scenario_rerun_s'])} slider settings (goal at most {SCENARIO_GOAL:g} s).", ""]
            if worst > SCENARIO_GOAL:
                misses.append(f"forecast: a scenario rerun took {worst:.2f} s")
        if r.get("seq_scans_of_big_tables") is not None:
            scans = r["seq_scans_of_big_tables"]
            raw = {s: t for s, t in scans.items() if "meter_reading" in t}
            tables = sorted({x for t in scans.values() for x in t})
            lines.append(f"EXPLAIN of the {r['distinct_statements']} distinct page statements: "
                         + ("no sequential scan of the raw meter table" if not raw else f"{len(raw)} scan the raw meter table")
                         + ("; no sequential scan of any other table above 100,000 rows." if not scans else
                            f"; {len(scans)} statements scan {', '.join(tables)} sequentially:"))
            lines.append("")
            lines += [f"- {', '.join(t)}: `{' '.join(s.split())[:110]}…`" for s, t in scans.items()]
            lines.append("")
            misses += [f"seq scan of meter_reading in `{s[:80]}`" for s in raw]
            if size == "L":  # issue 19: at L, no page statement scans any table above 100,000 rows
                misses += [f"seq scan of {', '.join(t)} in `{' '.join(s.split())[:60]}…`" for s, t in scans.items() if s not in raw]
        lines += ["Goals: " + ("all met." if not misses else "missed: " + "; ".join(misses) + "."), ""]
    (OUT / "scale.md").write_text("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=scale_data.SIZES, required=True)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    run(args.size, args.db, rebuild=args.rebuild)
    print((OUT / "scale.md").read_text())


if __name__ == "__main__":
    main()
