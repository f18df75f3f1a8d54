"""What the benchmarks share: the database choice on the command line, one measurement per database, and writing
the results (JSON beside a Markdown table) where the README links them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent


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
