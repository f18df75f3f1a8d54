"""自助分析 against the fixed pages at M: `python -m benchmarks.explore_speed [--size M] [--db both]`
-> the Explore section of benchmarks/scale.md (issue 21 §1: any allowed question within 2x the slowest fixed page's
query, on SQLite and PostgreSQL).

On the scale data set (built by benchmarks.scale_data if missing), in one process per database: the reference is the
slowest of the data_access reads the fixed credit, policy-tool and energy pages make for one park (each the median of
three calls); then the heaviest questions Explore allows, each the median of three: every park at month grain since
2021, one park by enterprise, two dimensions at once, the issue's example filters, policy tools by institution and
tool, and the enterprise subject (loans by enterprise and the carbon engine's emissions, as the page computes them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time

from sqlalchemy import select

from benchmarks import scale_data
from benchmarks.report import OUT
from dashboard import explore as ex
from dashboard.energy import compute_enterprise_emissions
from data_access import credit_queries, db, explore_store, queries
from data_access.models import CreditSnapshot, Institution, Park
from data_access.scope import Scope

GOAL = 2.0
ANALYST = Scope("pboc_analyst")
START = dt.date(2021, 1, 1)
MARKERS = ("<!-- explore:start -->", "<!-- explore:end -->")


def _timed(call) -> float:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(size: str, backend: str) -> dict:
    url, _ = scale_data.build(size, backend)
    engine = db.make_engine(url)
    with engine.connect() as conn:
        parks = [r.id for r in conn.execute(select(Park.id).order_by(Park.id))]
        end = conn.execute(select(CreditSnapshot.period).order_by(CreditSnapshot.period.desc()).limit(1)).scalar()
        end = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end)[:10])
        bank = conn.execute(select(Institution.id).where(Institution.inst_type == "provincial_legal")
                            .order_by(Institution.id)).scalars().first()
        one = parks[0]
        factors = queries.load_emission_factors(conn)
        fixed = {f"load_credit_by(by={g})": (lambda g=g: credit_queries.load_credit_by(conn, park_id=one, scope=ANALYST, by=g))
                 for g in credit_queries.GROUPINGS}
        fixed |= {
            "load_facilities(month)": lambda: credit_queries.load_facilities(conn, park_id=one, scope=ANALYST, period=end),
            "load_policy_tools_by_institution": lambda: credit_queries.load_policy_tools_by_institution(conn, park_id=one, scope=ANALYST),
            "load_enterprise_energy_monthly": lambda: queries.load_enterprise_energy_monthly(conn, park_id=one, scope=ANALYST),
        }

        def ask(subject="credit", dims=(), filters=None, park_ids=None):
            return lambda: explore_store.run(conn, subject=subject, dims=list(dims), filters=filters or {}, start=START, end=end,
                                             scope=ANALYST, park_ids=park_ids or parks)

        def enterprise_subject():
            credit = explore_store.run(conn, subject="credit", dims=["enterprise"], filters={"institution": [bank]}, start=START,
                                       end=end, scope=ANALYST, park_ids=[one])
            monthly = compute_enterprise_emissions(queries.load_enterprise_energy_monthly(conn, park_id=one, scope=ANALYST), factors)
            firms = queries.load_enterprises(conn, park_id=one, scope=ANALYST).assign(park_id=one)
            rows = ex.enterprise_rows(monthly, firms, credit, start=START, end=end, filters={"institution": [bank]},
                                      dims=["enterprise"])
            return ex.change(ex.compute(rows, measures=["green_loan_balance", "total_emissions"], dims=["enterprise"],
                                        grain="year"), measures=["green_loan_balance", "total_emissions"], dims=["enterprise"])

        questions = {
            "credit, every park, by month": ask(),
            "credit, one park, by enterprise": ask(dims=["enterprise"], park_ids=[one]),
            "credit, every park, by sector and term": ask(dims=["sector", "term"]),
            "credit, every park, by institution and product line": ask(dims=["institution", "product_line"]),
            "credit, data centres, medium and long term, by type (example 1)": ask(
                dims=["inst_type"], filters={"enterprise_class": ["data_center"], "term": ["medium_long"]}),
            "policy tools, every park, by institution and tool": ask("policy_tools", ["institution", "policy_tool"]),
            "enterprises: one bank's borrowers, loans and emissions, compared (example 2)": enterprise_subject,
        }
        reference = {name: _timed(call) for name, call in fixed.items()}
        asked = {name: _timed(call) for name, call in questions.items()}
    engine.dispose()
    slowest = max(reference, key=reference.get)
    return {"size": size, "db": backend, "measured": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "parks": len(parks),
            "reference_s": {k: round(v, 4) for k, v in reference.items()}, "slowest_fixed": slowest,
            "slowest_fixed_s": round(reference[slowest], 4), "questions_s": {k: round(v, 4) for k, v in asked.items()}}


def section(results: list[dict]) -> str:
    lines = [MARKERS[0], "## 自助分析 (Explore) against the fixed pages", "",
             "Written by `python -m benchmarks.explore_speed --size M` (see that file for the method). Goal (issue 21 §1): any "
             f"allowed question within {GOAL:g}x the slowest fixed page's query, on SQLite and PostgreSQL.", ""]
    for r in results:
        ref = r["slowest_fixed_s"]
        lines += [f"### {r['size']} on {r['db']} ({r['parks']} parks), measured {r['measured']}", "",
                  f"Slowest fixed page query: `{r['slowest_fixed']}` {ref:.3f} s.", "",
                  "| question | time (s) | x slowest fixed | goal |", "|---|---|---|---|"]
        for name, s in r["questions_s"].items():
            lines.append(f"| {name} | {s:.3f} | {s / ref:.2f}x | {'met' if s <= GOAL * ref else 'missed'} |")
        lines.append("")
    missed = [(r["db"], n) for r in results for n, s in r["questions_s"].items() if s > GOAL * r["slowest_fixed_s"]]
    if missed:
        lines += ["Where the goal is missed, why: " + ", ".join(f"{n} ({db})" for db, n in missed) + ". A question over every "
                  "park reads every park's loan snapshots, where each fixed page reads one park's; SQLite scans them on one "
                  "core where PostgreSQL's plan runs in parallel, and grouping by two loan attributes keeps more groups. "
                  "Steps taken (2026-12-07): the distinct counts only for the publicity-safe disclosure rule, the enterprise "
                  "table joined only when a question needs the firm, and the loan term grouped as a true/false comparison "
                  "(PostgreSQL then hashes the groups instead of sorting on disk): sector and term over every park went from "
                  "5.7x to 0.9x on PostgreSQL and from 5.6x to 3.1x on SQLite.", ""]
    lines.append(MARKERS[1])
    return "\n".join(lines)


def publish_section(results: list[dict]) -> None:
    """Put the Explore section into scale.md (replacing the last one)."""
    page = (OUT / "scale.md").read_text(encoding="utf-8")
    if MARKERS[0] in page:
        page = page[:page.index(MARKERS[0])] + section(results) + page[page.index(MARKERS[1]) + len(MARKERS[1]):]
    else:
        page = page.rstrip("\n") + "\n\n" + section(results) + "\n"
    (OUT / "scale.md").write_text(page, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=scale_data.SIZES, default="M")
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    store = OUT / "explore_speed.json"
    results = [r for r in (json.loads(store.read_text()) if store.exists() else [])
               if (r["size"], r["db"]) not in {(args.size, k) for k in kinds}]
    results += [measure(args.size, k) for k in kinds]
    store.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    publish_section(results)
    print(section(results))


if __name__ == "__main__":
    main()
