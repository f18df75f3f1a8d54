"""Many users at once, in real browsers: `python -m benchmarks.concurrency [--sessions 1 5 10 20] [--pages 4]`.

One server (`streamlit run server.py`) on the demo park, seeded in a temporary folder (SQLite) unless --database-url
is given. For each N, N signed-in browser sessions start together, each as one of the roles in turn, and walk the
first `--pages` pages of its role's navigation (the big screen left out). Each view is timed from the click in the
navigation to the last chart drawn: the page's script has finished, nothing is stale, and every Plotly chart on it
has drawn its SVG. Recorded per N: p50 and p95 of the views, the server's CPU seconds and resident memory, and
errors (an exception box on a page, or a view that did not finish within the time limit).

The server runs on one core and Chromium on the other (sched_setaffinity), so the browsers' own work is not counted
as the server's; on this 2-core machine that is as far apart as they can be. Goals (issue 19), judged in one run:
p95 at N=10 within 3x p95 at N=1; no errors at N=20; resident memory growing by less than 30 MB per added session.
Writes benchmarks/concurrency.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.first_start import ARGS, CHROMIUM
from benchmarks.report import OUT, publish, start_server
from benchmarks.screen_soak import rss_mb

ROOT = OUT.parent
ROLES = ("pboc_analyst", "leader", "park_committee", "institution_reporter", "publicity")
DEMO_USER = {"leader": "demo_leader", "pboc_analyst": "demo_analyst", "park_committee": "demo_committee",
             "institution_reporter": "demo_reporter", "publicity": "demo_publicity"}
VIEW_LIMIT_S = 120
P95_RATIO_GOAL, RSS_PER_SESSION_GOAL_MB = 3.0, 30.0
DRAWN = ("() => !document.querySelector(`[data-testid='stStatusWidget'], [data-stale='true'], [data-testid='stSkeleton']`)"
         " && document.querySelector(`[data-testid='stMain'] h1`) !== null"
         " && [...document.querySelectorAll(`[data-testid='stPlotlyChart']`)].every(c => c.querySelector(`.main-svg`))")
ERROR_BOX = "[data-testid='stException']"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def pin(pid: int, cores: set[int]) -> None:
    try:
        os.sched_setaffinity(pid, cores)
    except OSError:  # a machine with one core: nothing to separate
        pass


async def _drawn(page) -> None:
    """The view is finished: checked twice, 0.3 s apart, because a chart's own rerun may start just after."""
    for _ in range(2):
        await page.wait_for_function(DRAWN, timeout=VIEW_LIMIT_S * 1000, polling=100)
        await page.wait_for_timeout(300)


async def one_session(browser, base: str, role: str, n_pages: int, titles: dict) -> dict:
    from dashboard.navigation import pages_for

    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = await context.new_page()
    views, errors = [], []
    try:
        await page.goto(base, timeout=VIEW_LIMIT_S * 1000)
        started = time.perf_counter()
        await page.locator(f".st-key-auth_demo_{DEMO_USER[role]} button").click(timeout=VIEW_LIMIT_S * 1000)
        await _drawn(page)
        views.append(("sign-in → " + role, time.perf_counter() - started))
        tour = [p for p in pages_for(role) if p.url_path != "screen"][1:n_pages]  # the first is the start page
        for spec in tour:
            started = time.perf_counter()
            try:
                await page.locator("[data-testid='stSidebarNav'] a", has_text=titles[spec.title_key]).click(timeout=VIEW_LIMIT_S * 1000)
                await page.wait_for_function(f"location.pathname.endsWith('/{spec.url_path}')", timeout=VIEW_LIMIT_S * 1000)
                await _drawn(page)
                views.append((spec.url_path, time.perf_counter() - started))
                if await page.locator(ERROR_BOX).count():
                    errors.append(f"{role} {spec.url_path}: exception shown")
            except Exception as exc:  # noqa: BLE001 - a timeout is an error of this run, recorded
                errors.append(f"{role} {spec.url_path}: {type(exc).__name__}")
    except Exception as exc:  # noqa: BLE001
        errors.append(f"{role} sign-in: {type(exc).__name__}")
    return {"context": context, "views": views, "errors": errors}


async def run_n(base: str, n: int, n_pages: int, pid: int) -> dict:
    from playwright.async_api import async_playwright

    from dashboard.i18n import t
    from dashboard.navigation import PAGES

    titles = {p.title_key: t(p.title_key, "zh") for p in PAGES}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for proc in _chromium_pids():
            pin(proc, {1})
        rss_before, cpu_before, started = rss_mb(pid), cpu_seconds(pid), time.perf_counter()
        results = await asyncio.gather(*(one_session(browser, base, ROLES[i % len(ROLES)], n_pages, titles) for i in range(n)))
        for proc in _chromium_pids():
            pin(proc, {1})
        wall, cpu, rss_after = time.perf_counter() - started, cpu_seconds(pid) - cpu_before, rss_mb(pid)
        for r in results:
            await r["context"].close()
        await browser.close()
    times = sorted(s for r in results for _, s in r["views"])
    q = lambda p: times[min(len(times) - 1, int(round(p * (len(times) - 1))))] if times else None  # noqa: E731
    return {"n": n, "views": len(times), "p50_s": round(q(0.5), 2) if times else None, "p95_s": round(q(0.95), 2) if times else None,
            "wall_s": round(wall, 1), "server_cpu_s": round(cpu, 1), "rss_before_mb": round(rss_before), "rss_after_mb": round(rss_after),
            "errors": [e for r in results for e in r["errors"]],
            "slowest": sorted(((p, round(s, 2)) for r in results for p, s in r["views"]), key=lambda x: -x[1])[:3]}


def _chromium_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-f", CHROMIUM], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _demo_database(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'concurrency.db'}"
    subprocess.run([sys.executable, "-m", "cli", "--database-url", url, "seed-demo", "--hourly-months", "1"], cwd=ROOT, check=True,
                   capture_output=True)
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--pages", type=int, default=4, help="pages each session views after the start page")
    parser.add_argument("--database-url", help="an existing database with the demo parks (default: a new SQLite demo)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or _demo_database(Path(tmp))
        server, base = start_server(url)
        pin(server.pid, {0})
        try:
            rows = [asyncio.run(run_n(base, n, args.pages + 1, server.pid)) for n in [1] + args.sessions]  # a first N=1 warms the server
            rows = rows[1:]
        finally:
            server.terminate()
            server.wait(timeout=60)
    by_n = {r["n"]: r for r in rows}
    goals = []
    if 1 in by_n and 10 in by_n and by_n[1]["p95_s"]:
        ratio = by_n[10]["p95_s"] / by_n[1]["p95_s"]
        goals.append(f"p95 at N=10 is {ratio:.1f}x p95 at N=1 (goal ≤ {P95_RATIO_GOAL:.0f}x: {'met' if ratio <= P95_RATIO_GOAL else 'missed'})")
    if 20 in by_n:
        goals.append(f"errors at N=20: {len(by_n[20]['errors'])} (goal 0: {'met' if not by_n[20]['errors'] else 'missed'})")
    ns = sorted(by_n)
    if len(ns) > 1:
        grow = (by_n[ns[-1]]["rss_after_mb"] - by_n[ns[0]]["rss_after_mb"]) / (ns[-1] - ns[0])
        goals.append(f"resident memory grows {grow:.1f} MB per added session from N={ns[0]} to N={ns[-1]} "
                     f"(goal < {RSS_PER_SESSION_GOAL_MB:.0f} MB: {'met' if grow < RSS_PER_SESSION_GOAL_MB else 'missed'})")
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    (OUT / "concurrency.json").write_text(json.dumps({"measured": stamp, "rows": rows, "goals": goals}, indent=2, ensure_ascii=False),
                                          encoding="utf-8")
    lines = ["# Many users at once, in real browsers", "",
             f"Measured {stamp} on this machine (2 cores) with `python -m benchmarks.concurrency --sessions "
             f"{' '.join(map(str, args.sessions))} --pages {args.pages}`: one `streamlit run server.py` on the demo park (SQLite), "
             "pinned to one core; the system Chromium, headless at 1366×768, pinned to the other. N sessions start together, "
             f"each signs in as a role ({', '.join(ROLES)}, in turn) and views {args.pages} more pages of its navigation. A view "
             "is timed from the click to the last chart drawn (script finished, nothing stale, every Plotly SVG drawn).", "",
             "| N | views | p50 (s) | p95 (s) | wall (s) | server CPU (s) | server CPU per view (s) | server core busy | server RSS before → after (MB) | errors | slowest views (s) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        slow = ", ".join(f"{p} {s}" for p, s in r["slowest"])
        per_view = r["server_cpu_s"] / r["views"] if r["views"] else float("nan")
        lines.append(f"| {r['n']} | {r['views']} | {r['p50_s']} | {r['p95_s']} | {r['wall_s']} | {r['server_cpu_s']} | {per_view:.2f} | "
                     f"{r['server_cpu_s'] / r['wall_s']:.0%} | {r['rss_before_mb']} → {r['rss_after_mb']} | {len(r['errors'])} | {slow} |")
    lines += ["", *[f"- {g}" for g in goals]]
    top = by_n[ns[-1]]
    lines += ["", f"Where the time goes: at N={top['n']} the server's core was busy {top['server_cpu_s'] / top['wall_s']:.0%} of the run "
              f"and spent {top['server_cpu_s'] / max(top['views'], 1):.2f} s of CPU per view (N=1: "
              f"{by_n[ns[0]]['server_cpu_s'] / max(by_n[ns[0]]['views'], 1):.2f} s). A server core far from full while views take "
              "longer means the views wait on the browsers (N headless Chromium renderers drawing Plotly charts on the other core), "
              "not on the server: the end-to-end p95 here is the client's limit on this machine, and server CPU per view is the "
              "figure that says how many users one server process holds."]
    errors = [e for r in rows for e in r["errors"]]
    if errors:
        lines += ["", "Errors: " + "; ".join(errors[:10])]
    return publish("concurrency.md", "\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
