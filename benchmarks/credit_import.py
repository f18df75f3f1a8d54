"""Credit import speed at ordinary-but-large sizes: `python -m benchmarks.credit_import [--rows N] [--db sqlite|postgresql|both]`.

A credit file of N rows (default 100,000: 10,000 contracts x 10 months, `benchmarks.credit_files`) goes through the
same path as the page and the CLI (`data_access.ingest.load.run_import`: read, check every cell, write in one
transaction) into a fresh database; then a second file revising every balance, so each row becomes a new revision.
Writes its section of benchmarks/import_speed.md (between the credit markers) and benchmarks/credit_import.json.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

from benchmarks.credit_files import add_lenders, credit_csv
from benchmarks.import_speed import fresh_database
from benchmarks.report import OUT, on_each, publish, rows_and_databases, save_json
from data_access.ingest.load import run_import

START, END = "<!-- credit:start -->", "<!-- credit:end -->"


def measure(kind: str, n: int, workdir: Path) -> dict:
    first, second = credit_csv(n), credit_csv(n, balance_step=1.0)
    engine, cleanup = fresh_database(kind, workdir, meters=False)
    try:
        add_lenders(engine)
        t0 = time.perf_counter()
        a = run_import(engine, "credit", first, "credit-100k.csv", actor="bench", today=dt.date(2026, 11, 28))
        t1 = time.perf_counter()
        b = run_import(engine, "credit", second, "credit-100k-revised.csv", actor="bench", today=dt.date(2026, 11, 28))
        t2 = time.perf_counter()
    finally:
        cleanup()
    assert a.ok and b.ok and a.added == n and b.changed == n, (a.problems[:3], b.problems[:3], a.added, b.changed)
    return {"db": kind, "rows": n, "file_mb": round(len(first) / 2**20, 1), "new_s": round(t1 - t0, 1), "revised_s": round(t2 - t1, 1)}


def main(argv: list[str] | None = None) -> int:
    args, kinds = rows_and_databases(__doc__, 100_000, argv)
    results = on_each(measure, kinds, args.rows)
    stamp = save_json("credit_import.json", {"results": results})
    lines = [START, f"## Credit import ({args.rows:,}-row files)", "",
             f"Measured {stamp} on this machine (2 cores) with `python -m benchmarks.credit_import --rows {args.rows}`: the page's and the CLI's "
             "import path (read, check every cell, write in one transaction), into a fresh database with 8 banks and 500 borrowers.", "",
             "| database | rows | file (MB) | new file (s) | same file, every balance revised (s) |", "|---|---|---|---|---|"]
    lines += [f"| {r['db']} | {r['rows']:,} | {r['file_mb']} | {r['new_s']} | {r['revised_s']} |" for r in results]
    lines += ["", "Every lookup sends its keys in batches of 1,000 and every insert goes in batches (`data_access.sqlfuncs.batches`): before "
              "that, 10,000 rows hit PostgreSQL's \"stack depth limit exceeded\", 40,000 its 65,535-parameter limit and 317,000 SQLite's "
              "\"too many SQL variables\". `tests/data_access/test_large_imports.py` imports a 100,000-row file on both databases.", END]
    path = OUT / "import_speed.md"
    text = path.read_text(encoding="utf-8")
    section = "\n".join(lines)
    text = re.sub(re.escape(START) + ".*" + re.escape(END), lambda _: section, text, flags=re.S) if START in text else text.rstrip() + "\n\n" + section + "\n"
    publish("import_speed.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
