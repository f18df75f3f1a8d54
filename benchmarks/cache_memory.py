"""Server memory over a day of feeds: `python -m benchmarks.cache_memory [--versions 288]`.

Every page read is cached on the data version, which the platform feed changes every 5 minutes: 288 versions a
day. Before the caches were bounded, twenty version changes x 4 pages took the server from 247 to 288 MB (about
2 MB a version, 0.5 GB a day). This runs, in one process, what four pages (overview, green finance, energy, big
screen) read for each of N successive data versions of the demo park, as three users (analyst, reporter,
publicity), and records the resident memory after each version. Writes benchmarks/cache_memory.md and .json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import os
import tempfile
import time
from pathlib import Path

from benchmarks.report import OUT, publish


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=288)
    args = parser.parse_args(argv)
    from dashboard import data  # noqa: F401 - imports Streamlit, which sets up its loggers

    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api"):  # "no runtime found": the caches work without one
        logging.getLogger(name).setLevel(logging.ERROR)

    from sqlalchemy import text

    from data_access import db, demo
    from data_access.scope import Scope

    today, period = dt.date(2026, 11, 28), dt.date(2026, 10, 1)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = db.make_engine(url)
        db.upgrade(engine)
        demo.seed_demo(engine, today=today, hourly_months=2)
        park_id = int(data.parks(url, "0").iloc[0]["id"])
        with engine.connect() as conn:
            reporter_inst = conn.execute(text("SELECT id FROM institution ORDER BY id LIMIT 1")).scalar_one()
        scopes = [Scope("pboc_analyst"), Scope("institution_reporter", institution_id=reporter_inst), Scope("publicity", publicity_safe=True)]

        def one_version() -> None:
            with engine.begin() as conn:
                version = db.bump_data_version(conn)
            for scope in scopes:
                data.parks(url, version)
                data.data_end(url, version, park_id)
                data.targets(url, version, park_id, period)
                data.park_monthly(url, version, park_id, "calorific", scope)
                data.open_alerts(url, version, park_id, period, scope)
                data.enterprise_monthly(url, version, park_id, "calorific", scope)  # overview, energy
                data.energy_monthly(url, version, park_id, scope)
                data.park_live(url, version, park_id)
                for by in ("inst_type", "product_line"):  # green finance
                    data.credit_by(url, version, park_id, scope, by)
                data.reclassifications(url, version, park_id, scope)
                data.publication_bundle(url, version, park_id, period, "calorific", scope)  # big screen

        samples, started = [], time.perf_counter()
        for v in range(1, args.versions + 1):
            one_version()
            if v == 1 or v % 12 == 0:
                gc.collect()
                samples.append({"versions": v, "rss_mb": round(rss_mb(), 1)})
                print(samples[-1], flush=True)
        engine.dispose()
    elapsed = time.perf_counter() - started
    after_warmup = [s for s in samples if s["versions"] >= 24]
    growth = after_warmup[-1]["rss_mb"] - after_warmup[0]["rss_mb"]
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    result = {"measured": stamp, "versions": args.versions, "seconds": round(elapsed), "samples": samples,
              "growth_after_24_versions_mb": round(growth, 1)}
    (OUT / "cache_memory.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    lines = [f"# Memory over {args.versions} data versions (a day of 5-minute feeds)", "",
             f"Measured {stamp} on this machine with `python -m benchmarks.cache_memory --versions {args.versions}` ({round(elapsed)} s).",
             "", "What four pages (overview, green finance, energy, big screen) read, for three users (analyst, reporter, publicity), "
             "for each successive data version of the demo park, in one process; resident memory after a garbage collection.", "",
             "| data versions | resident memory (MB) |", "|---|---|"]
    lines += [f"| {s['versions']} | {s['rss_mb']} |" for s in samples]
    lines += ["", f"Growth from version 24 to {args.versions}: {growth:+.1f} MB (goal: flat, i.e. within a few MB; before the caches were "
              "bounded it was about 2 MB a version, 0.5 GB a day). Each cache in `dashboard/data.py` keeps at most its `max_entries` "
              "latest results (16 by default) and drops any unused for an hour (`dashboard.data.cached`)."]
    return publish("cache_memory.md", "\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
