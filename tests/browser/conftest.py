"""Run the real app (`streamlit run`) on a free port and drive it with the system Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"  # git-ignored
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
# The frontend probes for its base path under a deep link before it finds '/': harmless 404s.
BENIGN_CONSOLE = ("/_stcore/health", "/_stcore/host-config")

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

if sync_playwright is None or not Path(CHROMIUM).exists():
    if os.environ.get("CI"):  # CI installs Chromium; a skip there would hide a broken install
        raise RuntimeError(f"CI needs Chromium at {CHROMIUM} and playwright for the browser tests")
    pytest.skip(f"browser tests need playwright and Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, port: int | None = None, entry: str = "server.py"):
    """Start `streamlit run server.py` (the app and its session routes, as deployed) on `port` (a free one by default)
    against `url`; yields the base address."""
    port = port or _free_port()
    env = dict(os.environ, DATABASE_URL=url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180  # a loaded CI machine starts Streamlit slowly
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError(f"streamlit did not start: {proc.stdout.read().decode(errors='replace')[-2000:]}")
    yield base
    proc.terminate()  # uvicorn first waits for open websockets to close; a busy machine may take longer than that
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def app_server(demo_sqlite):
    """The app on the shared demo database, which browser tests only read."""
    yield from _serve(demo_sqlite.url)


@pytest.fixture
def private_app_server(demo_sqlite, tmp_path, monkeypatch):
    """The app on a private copy of the demo database, for a test that writes."""
    import shutil

    copy = tmp_path / "demo.db"
    shutil.copy(demo_sqlite.url.removeprefix("sqlite:///"), copy)
    monkeypatch.setenv("ARCHIVE_DIR", str(tmp_path / "archive"))
    yield from _serve(f"sqlite:///{copy}")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="zh-CN")
    pg = context.new_page()
    pg.console_errors = []
    pg.outside_requests = []
    pg.on("request", lambda r: pg.outside_requests.append(r.url)
          if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")) else None)
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("response", lambda r: pg.console_errors.append(f"{r.status} {r.url}")
          if r.status >= 400 and not r.url.endswith(BENIGN_CONSOLE) else None)
    yield pg
    context.close()
    # Nothing may load tiles, fonts or data from the web.
    assert pg.outside_requests == [], pg.outside_requests[:5]


# Waits are conditions, never fixed sleeps, with limits sized for a loaded 2-core CI machine (issue 18).
WAIT_MS = 120_000

_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning'
    && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
  window.__idlePolls = idle ? (window.__idlePolls || 0) + 1 : 0;
  return window.__idlePolls >= 3;
}"""


def settle(pg, timeout: int = WAIT_MS) -> None:
    """Wait until the script run has finished and every chart on the page has drawn, and it stays so for three polls in
    a row (a rerun that a click has just asked for starts within that time)."""
    pg.evaluate("window.__idlePolls = 0")
    pg.wait_for_function(_IDLE, timeout=timeout, polling=250)


def download_rows(pg, key: str):
    """Click the download button of widget `key` and read the workbook it gives: (workbook, first sheet's rows)."""
    import io

    import openpyxl

    button = pg.locator(f".st-key-{key} button")
    button.wait_for(timeout=WAIT_MS)
    with pg.expect_download(timeout=WAIT_MS) as info:
        button.click()
    wb = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    return wb, list(wb.worksheets[0].iter_rows(values_only=True))


def real_errors(pg) -> list[str]:
    return [e for e in pg.console_errors if not e.startswith("Failed to load resource: the server responded with a status of 404")]


DEMO_USER = {"leader": "demo_leader", "pboc_analyst": "demo_analyst", "park_committee": "demo_committee",
             "institution_reporter": "demo_reporter", "publicity": "demo_publicity", "admin": "demo_admin"}


def sign_in(pg, base: str, role: str) -> None:
    """Open the app and take the role's one-click demo account."""
    pg.goto(base)
    button = pg.locator(f".st-key-auth_demo_{DEMO_USER[role]} button")
    button.wait_for(timeout=WAIT_MS)
    button.click()
    pg.wait_for_selector("[data-testid='stSidebarNav']", timeout=WAIT_MS)
    settle(pg)
