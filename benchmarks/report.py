"""What the benchmarks share: the database choice on the command line, one measurement per database, and writing
the results (JSON beside a Markdown table) where the README links them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, entry: str = "server.py", *, wait_seconds: float = 120) -> tuple[subprocess.Popen, str]:
    """`streamlit run ENTRY` on a free loopback port against the database at `url`, once it answers its health check:
    (the process, its base address)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port), "--server.headless",
                             "true", "--server.address", "127.0.0.1"], cwd=OUT.parent, env=dict(os.environ, DATABASE_URL=url),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return proc, base


def rows_and_databases(doc: str, rows: int, argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    """`--rows N --db sqlite|postgresql|both`: the parsed arguments and the databases to measure."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    return args, ["sqlite", "postgresql"] if args.db == "both" else [args.db]


def on_each(measure: Callable[[str, int, Path], dict], kinds: list[str], rows: int) -> list[dict]:
    """`measure(kind, rows, scratch folder)` for each database, in a scratch folder removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        return [measure(k, rows, Path(tmp)) for k in kinds]


def save_json(name: str, payload: dict) -> str:
    """`payload` with the time of measurement as OUT/name; returns that time."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    (OUT / name).write_text(json.dumps({"measured": stamp, **payload}, indent=2), encoding="utf-8")
    return stamp


def publish(name: str, text: str) -> int:
    """Write the Markdown report OUT/name and show it; the exit status of a benchmark's main()."""
    (OUT / name).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    print(text)
    return 0
