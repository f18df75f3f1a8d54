"""The command line as a new user runs it: upgrade, seed-demo, info."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url)
    return subprocess.run([sys.executable, "-m", "data_access.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_upgrade_seed_and_info(empty_db):
    up = cli(empty_db.url, "upgrade")
    assert up.returncode == 0, up.stderr
    assert "database at head" in up.stdout
    seed = cli(empty_db.url, "seed-demo", "--hourly-months", "1", "--today", "2026-11-28")
    assert seed.returncode == 0, seed.stderr
    assert "enterprise" in seed.stdout and "meter_reading" in seed.stdout
    assert "YQ-HTZ: guideline applied and rules run for 2026-10" in seed.stdout  # the risk rules run after the load
    again = cli(empty_db.url, "seed-demo", "--hourly-months", "1")
    assert again.returncode == 2
    assert "already holds parks" in again.stderr
    info = cli(empty_db.url, "info")
    assert info.returncode == 0
    assert "schema current: True" in info.stdout
    assert any(line.startswith("park ") and line.split()[-1] == "2" for line in info.stdout.splitlines())
    risk = cli(empty_db.url, "risk-run")
    assert risk.returncode == 0, risk.stderr
    assert "YQ-HTZ: guideline applied and rules run for 2026-10, 0 new alerts" in risk.stdout  # a re-run adds nothing
    assert cli(empty_db.url, "risk-run", "--park", "NOPE").returncode == 2
