"""The command line as a new user runs it: upgrade, seed-demo, info."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url)
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, env=env,
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


def test_briefing_writes_a_word_document_whose_sentences_match_the_printout(demo_db, tmp_path):
    import io

    from docx import Document

    out = tmp_path / "b.docx"
    run = cli(demo_db.url, "briefing", "--period", "2026-10", "--out", str(out))
    assert run.returncode == 0, run.stderr
    printed = run.stdout.splitlines()
    assert printed[0].startswith("10月末，园区绿色贷款余额") and printed[-1].startswith(f"written: {out}")
    paras = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert paras[0] == "零碳金融简报" and printed[0] in paras
    inst = cli(demo_db.url, "briefing", "--period", "2026-10", "--institution", "SO-1", "--out", str(tmp_path / "i.docx"))
    assert inst.returncode == 0, inst.stderr
    assert inst.stdout.startswith("10月末，国有行甲绿色贷款余额")


def test_briefing_refuses_bad_arguments_with_a_clear_message(demo_db):
    bad_month = cli(demo_db.url, "briefing", "--period", "2026-13")
    assert bad_month.returncode == 2 and "--period must be YYYY-MM, not '2026-13'" in bad_month.stderr
    no_inst = cli(demo_db.url, "briefing", "--period", "2026-10", "--institution", "NOPE")
    assert no_inst.returncode == 2 and "no institution with code 'NOPE'" in no_inst.stderr
    no_data = cli(demo_db.url, "briefing", "--period", "2027-01")
    assert no_data.returncode == 2 and "no credit data for YQ-HTZ in 2027-01" in no_data.stderr
    no_park = cli(demo_db.url, "briefing", "--period", "2026-10", "--park", "NOPE")
    assert no_park.returncode == 2 and "no park with code 'NOPE'" in no_park.stderr
