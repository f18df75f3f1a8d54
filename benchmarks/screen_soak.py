"""Big-screen memory soak: `python -m benchmarks.screen_soak [--minutes 30] [--rotate 5] [--database-url URL]`.

Starts `streamlit run app.py` against a demo database, opens `/?screen=1&rotate=N` at 1920x1080 in the system
Chromium as the leader, and leaves it running: the board re-runs every N seconds (data version, KPIs, the
2030 position, the rotating chart). The server's resident memory (VmRSS of the streamlit process) is sampled
every 15 s. Goal (issues 10 and 11): flat after warm-up. Growth is judged on the samples after the first 5
minutes (caches, fonts and the first figures are loaded by then): the least-squares slope, and the last
sample against the first post-warm-up one. Writes benchmarks/screen_soak.md and .json.

Without --database-url a demo database is seeded in a temporary folder (SQLite, no hourly data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.report import start_server

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WARM_UP_MINUTES = 5
GOAL_MB_PER_HOUR = 10.0  # a slope below this is noise for a process of a few hundred MB


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def soak(url: str, minutes: float, rotate: int) -> dict:
    from playwright.sync_api import sync_playwright

    proc, base = start_server(url, "app.py")
    try:
        samples, errors = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                        "--disable-background-networking", "--disable-component-update", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/?screen=1&rotate={rotate}")
            page.locator(".st-key-auth_demo_demo_leader button").click(timeout=120_000)
            page.wait_for_selector("[data-testid='scr-tile']", timeout=120_000)
            start = time.time()
            while (elapsed := time.time() - start) < minutes * 60:
                samples.append({"minute": round(elapsed / 60, 2), "rss_mb": round(rss_mb(proc.pid), 1),
                                "exceptions": page.locator("[data-testid='stException']").count()})
                page.wait_for_timeout(15_000)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    after = [s for s in samples if s["minute"] >= WARM_UP_MINUTES] or samples
    x = np.array([s["minute"] for s in after]) / 60
    y = np.array([s["rss_mb"] for s in after])
    slope = float(np.polyfit(x, y, 1)[0]) if len(after) > 2 else float("nan")
    return {"measured_on": dt.date.today().isoformat(), "minutes": minutes, "rotate_seconds": rotate,
            "board_runs": int(minutes * 60 / rotate), "samples": samples,
            "rss_start_mb": samples[0]["rss_mb"], "rss_after_warm_up_mb": after[0]["rss_mb"], "rss_end_mb": samples[-1]["rss_mb"],
            "rss_max_mb": max(s["rss_mb"] for s in samples), "slope_mb_per_hour": round(slope, 2),
            "goal_mb_per_hour": GOAL_MB_PER_HOUR, "met": bool(slope < GOAL_MB_PER_HOUR),
            "exceptions": max(s["exceptions"] for s in samples), "console_errors": errors[:10]}


def write_report(r: dict) -> None:
    (OUT / "screen_soak.json").write_text(json.dumps(r, indent=1, ensure_ascii=False) + "\n")
    lines = [
        "# Big-screen memory soak",
        "",
        f"Measured {r['measured_on']} by `python -m benchmarks.screen_soak --minutes {r['minutes']:g} --rotate {r['rotate_seconds']}`"
        " on the project machine (2 cores); streamlit server RSS sampled every 15 s while Chromium shows `/?screen=1`"
        " at 1920x1080 as the leader.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| duration | {r['minutes']:g} min, about {r['board_runs']} board re-runs (every {r['rotate_seconds']} s) |",
        f"| RSS at start | {r['rss_start_mb']:.1f} MB |",
        f"| RSS after {WARM_UP_MINUTES} min warm-up | {r['rss_after_warm_up_mb']:.1f} MB |",
        f"| RSS at end | {r['rss_end_mb']:.1f} MB (max {r['rss_max_mb']:.1f} MB) |",
        f"| slope after warm-up | {r['slope_mb_per_hour']:+.2f} MB/hour (goal below {r['goal_mb_per_hour']:g}) |",
        f"| exception boxes / console errors | {r['exceptions']} / {len(r['console_errors'])} |",
        f"| goal met | {'yes' if r['met'] else 'NO'} |",
        "",
    ]
    (OUT / "screen_soak.md").write_text("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--rotate", type=int, default=5)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    url = args.database_url
    tmp = None
    if not url:
        from data_access import db, demo

        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(tmp.name) / 'soak.db'}"
        engine = db.make_engine(url)
        db.upgrade(engine)
        demo.seed_demo(engine, hourly_months=0)
        from dashboard.checks import after_load

        with engine.begin() as conn:
            after_load(conn)
    r = soak(url, args.minutes, args.rotate)
    write_report(r)
    print((OUT / "screen_soak.md").read_text())
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
