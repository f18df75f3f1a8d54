"""First start of a fresh clone: `python -m benchmarks.first_start [--runs 3]`.

Starts `streamlit run server.py` on an empty SQLite database, as a new user does after cloning, and drives the
system Chromium: the time from launching the server until the sign-in page is usable (the demo sign-in buttons
shown, after the automatic demo seed), and until the overview shows its KPIs after one click on the analyst's
demo account. Goal (issue 17): both within 10 s on a quiet 2-core machine. Writes benchmarks/first_start.md/.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import OUT, free_port, publish

ROOT = OUT.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def one_run(browser, workdir: Path) -> dict:
    db = workdir / f"first-{time.time_ns()}.db"
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port), "--server.headless", "true",
                             "--server.address", "127.0.0.1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        while True:  # the server socket comes up first
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=2_000)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if time.perf_counter() - started > 300:
                    raise
                time.sleep(0.1)
        page.locator('.st-key-auth_demo_demo_analyst button').wait_for(timeout=300_000)
        sign_in = time.perf_counter() - started
        page.locator('.st-key-auth_demo_demo_analyst button').click()
        page.locator("[data-testid='kpi-value']").first.wait_for(timeout=300_000)
        overview = time.perf_counter() - started
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=30)
    return {"sign_in_s": round(sign_in, 1), "overview_s": round(overview, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        runs = [one_run(browser, Path(tmp)) for _ in range(args.runs)]
        browser.close()
    worst = {k: max(r[k] for r in runs) for k in ("sign_in_s", "overview_s")}
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    (OUT / "first_start.json").write_text(json.dumps({"measured": stamp, "runs": runs, "worst": worst}, indent=2), encoding="utf-8")
    lines = ["# First start of a fresh clone", "",
             f"Measured {stamp} on this machine (2 cores) with `python -m benchmarks.first_start --runs {args.runs}`: `streamlit run server.py` "
             "on an empty SQLite database (the automatic demo seed, then the risk rules), driven by the system Chromium at 1366×768.", "",
             "| run | sign-in page usable (s) | overview with KPIs after one click (s) |", "|---|---|---|"]
    lines += [f"| {i} | {r['sign_in_s']} | {r['overview_s']} |" for i, r in enumerate(runs, start=1)]
    from dashboard.first_start import FIRST_START_HOURLY_MONTHS

    said = lambda ok: "met" if ok else "missed"  # noqa: E731
    lines += ["", "Both times count from launching the server. "
              f"Worst: sign-in {worst['sign_in_s']} s (goal ≤ 10 s {said(worst['sign_in_s'] <= 10)}), "
              f"overview {worst['overview_s']} s (goal ≤ 10 s {said(worst['overview_s'] <= 10)}). "
              "The seed writes the monthly history from the demo model at once and hourly meter readings only for the live window "
              f"(the last {FIRST_START_HOURLY_MONTHS} month(s), `DEMO_HOURLY_MONTHS`); before, it wrote 24 months of hourly readings "
              "and took 162–575 s. The seed runs in its own process (`dashboard.first_start`), started while the server boots; "
              "the sign-in page shows once the data is written, while the risk rules still run, and the overview waits for the "
              "rules. Earlier versions, measured the same way: seed inside the page run 10.4–11.9 s to sign-in and 11.8–13.1 s to "
              "the overview (2026-12-06 06:17, quiet machine); 14.1–19.9 s and 15.5–21.4 s on a busier one (03:03)."]
    return publish("first_start.md", "\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
