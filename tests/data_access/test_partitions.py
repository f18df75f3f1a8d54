"""meter_reading on PostgreSQL is partitioned by month (issue 19.3); SQLite keeps one table and the same code."""

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import func, insert, select, text

from data_access import db, partitions
from data_access.meter_store import insert_readings
from data_access.models import Enterprise, Meter, MeterReading, Park
from data_access.rollups import refresh_rollups
from data_access.uscc import make_uscc
from tests.browser.conftest import ROOT


def _one_meter(conn) -> int:
    conn.execute(insert(Park).values(id=1, code="P", name_zh="园区", name_en="Park", centre_lat=37.9, centre_lon=113.6))
    conn.execute(insert(Enterprise).values(id=1, park_id=1, uscc=make_uscc("140300", 1), name="企业", sector="equipment",
                                           enterprise_class="green_low_carbon"))
    conn.execute(insert(Meter).values(id=1, code="M1", enterprise_id=1, park_id=1, carrier="electricity_grid", unit="kWh"))
    return 1


def _where(conn, ts: dt.datetime) -> str:
    return conn.execute(text("SELECT tableoid::regclass::text FROM meter_reading WHERE ts = :ts"), {"ts": ts}).scalar()


def test_readings_land_in_their_month_and_a_new_month_moves_out_of_the_default(migrated_db):
    with db.writing(migrated_db.engine) as conn:
        _one_meter(conn)
        now = dt.datetime.combine(dt.date.today().replace(day=1), dt.time(3))
        old = dt.datetime(2021, 3, 2, 5)  # history before the migration's months: its partition is made on the way in
        far = dt.datetime(2040, 1, 15, 8)  # streamed by a generator: the writer makes no partition for it
        assert insert_readings(conn, [(1, now, 1.5), (1, old, 0.5)]) == 2
        assert insert_readings(conn, (r for r in [(1, far, 2.5)])) == 1
        refresh_rollups(conn, [1], [now.date(), old.date(), far.date()])  # rollups read the partitioned table as before
        if conn.dialect.name != "postgresql":
            assert not partitions.is_partitioned(conn) and partitions.ensure_ahead(conn) == []
            return
        assert partitions.is_partitioned(conn)
        assert _where(conn, now) == partitions.month_table(now.date())
        assert _where(conn, old) == "meter_reading_202103"
        assert _where(conn, far) == partitions.DEFAULT
        assert partitions.ensure_months(conn, [dt.date(2040, 1, 1)]) == ["meter_reading_204001"]
        assert _where(conn, far) == "meter_reading_204001"  # moved out of the default partition
        assert conn.execute(select(func.count()).select_from(MeterReading)).scalar() == 3
        assert partitions.ensure_months(conn, [dt.date(2040, 1, 1)]) == []  # already there


def test_the_demo_seed_fills_monthly_partitions_not_the_default(demo_db):
    with demo_db.engine.connect() as conn:
        if not partitions.is_partitioned(conn):
            pytest.skip("SQLite keeps one table")
        in_default = conn.execute(text(f"SELECT count(*) FROM {partitions.DEFAULT}")).scalar()
        months = conn.execute(text("SELECT count(DISTINCT date_trunc('month', ts)) FROM meter_reading")).scalar()
        assert in_default == 0
        assert len([p for p in partitions.existing(conn) if p != partitions.DEFAULT]) >= months > 0


def test_the_command_creates_partitions_ahead(migrated_db):
    out = subprocess.run([sys.executable, "-m", "cli", "--database-url", migrated_db.url, "meter-partitions", "--ahead", "30"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    if migrated_db.backend == "sqlite":
        assert "nothing to do" in out.stdout
        return
    assert out.stdout.startswith("created 18 monthly partition(s)")  # the migration made this month and 12 ahead
    with migrated_db.engine.connect() as conn:
        names = partitions.existing(conn)
    last = dt.date.today().replace(day=1)
    for _ in range(30):
        last = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    assert partitions.month_table(last) in names and partitions.DEFAULT in names
