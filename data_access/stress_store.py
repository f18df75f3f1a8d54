"""Saved carbon-price scenarios (碳价压力测试): save, list, and the park's central one."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, insert, select, update

from data_access.models import AuditLog, StressScenario

COLUMNS = ["id", "name", "preset", "prices", "covered_share", "threshold", "test_year", "is_central", "created_by", "created_at"]


class ScenarioRefused(ValueError):
    """A scenario that cannot be saved; `code` names why for the page's message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def save_scenario(conn: Connection, *, park_id: int, name: str, preset: str, prices: dict[int, float], covered_share: float,
                  threshold: float, test_year: int, central: bool, actor: str) -> int:
    """Save a scenario under a new name; `central` makes it the park's central scenario in place of the last."""
    name = name.strip()
    if not name:
        raise ScenarioRefused("no_name", "a scenario needs a name")
    if conn.execute(select(StressScenario.id).where(StressScenario.park_id == park_id, StressScenario.name == name)).first():
        raise ScenarioRefused("name_taken", f"a scenario named {name!r} already exists")
    if any(p < 0 for p in prices.values()) or not 0 <= covered_share <= 1 or threshold <= 0:
        raise ScenarioRefused("out_of_range", "prices must be at least 0, the share 0-1 and the threshold above 0")
    if central:
        conn.execute(update(StressScenario).where(StressScenario.park_id == park_id, StressScenario.is_central.is_(True))
                     .values(is_central=False))
    new_id = conn.execute(insert(StressScenario).values(
        park_id=park_id, name=name, preset=preset, prices={str(y): float(p) for y, p in prices.items()},
        covered_share=float(covered_share), threshold=float(threshold), test_year=int(test_year), is_central=central,
        created_by=actor).returning(StressScenario.id)).scalar_one()
    conn.execute(insert(AuditLog).values(actor=actor, action="save_stress_scenario", entity="stress_scenario",
                                         entity_id=str(new_id), detail={"name": name, "central": central}))
    return new_id


def load_scenarios(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """The park's saved scenarios, newest first: COLUMNS (prices as {year: 元/tCO2})."""
    s = StressScenario
    rows = conn.execute(select(*[getattr(s, c) for c in COLUMNS]).where(s.park_id == park_id).order_by(s.id.desc())).all()
    df = pd.DataFrame(rows, columns=COLUMNS)
    if not df.empty:
        df["prices"] = [{int(y): float(p) for y, p in prices.items()} for prices in df["prices"]]
        df["is_central"] = df["is_central"].astype(bool)
    return df


def load_central(conn: Connection, *, park_id: int) -> dict | None:
    """The park's central scenario as a dict of COLUMNS, or None."""
    saved = load_scenarios(conn, park_id=park_id)
    central = saved[saved["is_central"]]
    return None if central.empty else central.iloc[0].to_dict()
