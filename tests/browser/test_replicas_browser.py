"""Two replicas behind nginx against one database (issue 19.3), as deploy/run_pair.sh starts them: a signed-in
browser keeps its sign-in when the replica it was on stops and the reload lands on the other, and a change written by
another process shows on a replica within one refresh (the caches key on the data version in the database)."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from data_access import db, demo
from tests.browser.conftest import ROOT, WAIT_MS, _free_port, settle, sign_in
from tests.conftest import TODAY, DatabaseUnderTest

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (.ci/run installs it)")]

NAV = "[data-testid='stSidebarNav']"


@pytest.fixture
def shared_database(tmp_path):
    """The one database both replicas use: PostgreSQL when the suite has one (as deployed), else a SQLite file."""
    database = DatabaseUnderTest("postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite", tmp_path)
    db.upgrade(database.engine)
    demo.seed_demo(database.engine, today=TODAY, hourly_months=0)
    yield database
    database.drop()


@pytest.fixture
def pair(shared_database, tmp_path):
    """deploy/run_pair.sh on a free port; yields (base address, {replica port: pid}, database)."""
    port = _free_port()
    while any(_busy(p) for p in (port + 1, port + 2)):
        port = _free_port()
    run = tmp_path / "run"
    proc = subprocess.Popen(["bash", "deploy/run_pair.sh", str(port), str(run)], cwd=ROOT, start_new_session=True,
                            env=dict(os.environ, DATABASE_URL=shared_database.url), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while not all(_healthy(f"http://127.0.0.1:{p}") for p in (port, port + 1, port + 2)):
        if time.time() > deadline or proc.poll() is not None:
            os.killpg(proc.pid, signal.SIGKILL)
            raise RuntimeError(f"the pair did not start: {proc.stdout.read().decode(errors='replace')[-2000:]}")
        time.sleep(0.5)
    replicas = {int(port_): int(pid) for name, port_, pid in (line.split() for line in Path(run / "pids").read_text().splitlines())
                if name == "replica"}
    yield base, replicas, shared_database
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _busy(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _replica(response) -> int:
    return int(response.headers["x-replica"].rsplit(":", 1)[1])


def test_the_sign_in_survives_its_replica_stopping_and_a_change_shows_on_the_other(pair, page):
    base, replicas, database = pair
    sign_in(page, base, "pboc_analyst")
    page.wait_for_function("""() => performance.getEntriesByType('resource')
                                   .some(e => e.name.endsWith('/session/redeem') && e.responseEnd > 0)""", timeout=WAIT_MS)
    first = _replica(page.goto(base))  # the replica this browser keeps to (its route cookie)
    page.wait_for_selector(NAV, state="visible", timeout=WAIT_MS)
    page.get_by_text("当量值").first.wait_for(timeout=WAIT_MS)  # the park's electricity method, in the sidebar

    os.kill(replicas[first], signal.SIGKILL)  # a crash, not a drain
    response = page.goto(base)  # the reload lands on the other replica
    other = _replica(response)
    assert other != first and other in replicas
    page.wait_for_selector(NAV, state="visible", timeout=WAIT_MS)  # still signed in: the session is in the database
    page.locator("[data-testid='kpi-value']").first.wait_for(timeout=WAIT_MS)
    assert page.locator("[data-testid='stForm']").count() == 0

    # Another process (the command line, as an import would) changes a park setting; the replica shows it after one
    # refresh, once its data-version check (every 5 s at most) has seen the new version.
    out = subprocess.run([sys.executable, "-m", "cli", "--database-url", database.url, "park-method", "YQ-HTZ", "coal_equivalent"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    deadline = time.time() + WAIT_MS / 1000
    while True:
        page.reload()
        page.wait_for_selector(NAV, state="visible", timeout=WAIT_MS)
        settle(page)
        if page.get_by_text("等价值").count():
            break
        assert time.time() < deadline, "the change never showed on the replica"
        page.wait_for_timeout(1000)  # the replica re-reads the data version at most every 5 s
    assert _replica(page.goto(base)) == other
