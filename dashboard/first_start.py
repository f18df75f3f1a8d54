"""The first start's seed as its own process: `python -m dashboard.first_start` fills the empty database at
DATABASE_URL with the demo parks, then runs the guideline and the risk rules on them, as the seed-demo command does.

`dashboard.first_run` starts it while the server boots and reads its progress from the lines it prints:
`progress FRACTION MESSAGE` (FRACTION of the whole job, 0 to 1), `written` once the data is committed, then `done`.
It starts while the server migrates the schema and waits for the line `go` on its input (anything else: it ends at
once). It runs apart from the server so that neither waits for the other's interpreter: the server renders the
progress, then the sign-in page, while this process writes. No Streamlit here.
"""

from __future__ import annotations

import os
import sys

from data_access import db, demo, settings

FIRST_START_HOURLY_MONTHS = 1
RULES_FROM = 0.8  # the share of the job that writes the data; the guideline and the risk rules take the rest


def say(*words) -> None:
    print(*words, flush=True)


def main() -> int:
    if sys.stdin.readline().strip() != "go":  # the server has migrated the schema and found the database empty
        return 0
    engine = db.make_engine(settings.database_url())
    try:
        # Monthly history comes from the model at once; hourly readings only for the live window (the last
        # months), so a fresh clone's first start is usable within seconds (benchmarks/first_start.md).
        demo.seed_demo(engine, hourly_months=int(settings.setting("DEMO_HOURLY_MONTHS", str(FIRST_START_HOURLY_MONTHS))),
                       progress=lambda f, msg: say("progress", f"{min(f, 0.99) * RULES_FROM:.3f}", msg))
        say("written")
        from dashboard.checks import after_load
        from data_access.queries import load_parks

        with db.writing(engine) as conn:  # rules run after every data load; one transaction, as the CLI's
            codes = list(load_parks(conn)["code"])
            for k, code in enumerate(codes):
                say("progress", f"{RULES_FROM + (1 - RULES_FROM) * k / len(codes):.3f}", f"{code}: rules")
                after_load(conn, park_code=code)
        say("done")
        # The 2030 outlooks the forecast page reads, as after every load: the server no longer waits for this process,
        # so it runs at low priority beside the first sign-ins (a page computes an outlook not stored yet itself).
        os.nice(10)
        from dashboard import stored_outlooks

        stored_outlooks.refresh(engine)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
