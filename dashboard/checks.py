"""What runs after every data load (seed, import, feed): the financing guideline's negative-list marks (§四)
and the risk rules (§十三), for each park at the month all its data has reached."""

from __future__ import annotations

from sqlalchemy import Connection

from dashboard.risk import enterprise_emissions, run_rules
from dashboard.whitelist import apply_guideline
from data_access.queries import complete_month, load_data_end, load_parks


def after_load(conn: Connection, *, park_code: str | None = None) -> list[tuple[str, object, int]]:
    """Returns (park code, period checked or None when the park has no data, new alerts) per park."""
    parks = load_parks(conn)
    if park_code:
        parks = parks[parks["code"] == park_code]
    done = []
    for park in parks.itertuples():
        ends = load_data_end(conn, park_id=park.id)
        if not any(ends.values()):
            done.append((park.code, None, 0))
            continue
        period = complete_month(ends)  # the month the pages open on
        emissions = enterprise_emissions(conn, park.id, period)  # read once for both
        apply_guideline(conn, park_id=park.id, period=period, enterprise_monthly=emissions)
        added = run_rules(conn, park_id=park.id, period=period, base_year=park.base_year, target_year=park.target_year,
                          enterprise_monthly=emissions)
        done.append((park.code, period, added))
    return done
