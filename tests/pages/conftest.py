"""Fixtures of the page tests."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import financed
from dashboard.risk import gather_financed
from data_access import queries
from data_access.scope import FULL_ACCESS

PERIOD = dt.date(2026, 10, 1)  # the month the demo app opens on


@pytest.fixture(scope="session")
def rows(demo_sqlite):
    """Financed emissions of the demo park at the report months of PERIOD, computed as the pages do."""
    from dashboard.energy import compute_enterprise_emissions

    with demo_sqlite.engine.connect() as conn:
        factors = queries.load_emission_factors(conn)
        per_ent = compute_enterprise_emissions(queries.load_enterprise_energy_monthly(conn, park_id=1, scope=FULL_ACCESS), factors)
        periods = financed.report_periods(PERIOD, min(per_ent["period"]).year)
        return gather_financed(conn, park_id=1, periods=periods, enterprise_monthly=per_ent)
