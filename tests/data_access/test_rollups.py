"""Rollups equal the raw-row aggregates, also after an incremental load and when meters replace reports."""

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from data_access import sqlfuncs
from data_access.models import EnergyDaily, EnergyHourlyPark, EnergyMonthly, Enterprise, Meter, MeterReading, Park
from data_access.meter_store import insert_readings
from data_access.rollups import add_to_rollups, refresh_rollups

# The two ways of keeping the rollups (see data_access.rollups) must give the same tables.
WAYS = {"recompute": lambda conn, rows: refresh_rollups(conn, {m for m, _, _ in rows}, {ts.date() for _, ts, _ in rows}),
        "add in place": add_to_rollups}


def _setup(conn):
    conn.execute(insert(Park).values(id=1, code="P", name_zh="园区", name_en="Park", centre_lat=37.8, centre_lon=113.5))
    conn.execute(insert(Enterprise), [
        dict(id=1, park_id=1, uscc="91350200776049653A", name="甲", sector="equipment", enterprise_class="green_low_carbon"),
        dict(id=2, park_id=1, uscc="91350500798359476R", name="乙", sector="equipment", enterprise_class="green_low_carbon"),
    ])
    conn.execute(insert(Meter), [
        dict(id=1, code="m1", enterprise_id=1, park_id=1, carrier="electricity_grid", unit="kWh"),
        dict(id=2, code="m2", enterprise_id=1, park_id=1, carrier="electricity_own_renewable", unit="kWh"),
        dict(id=3, code="m3", enterprise_id=2, park_id=1, carrier="electricity_grid", unit="kWh"),
    ])


def _readings(meter_ids, first: dt.datetime, hours: int):
    # Deterministic values that differ by meter and hour, including midnight and month-end boundaries.
    return [(m, first + dt.timedelta(hours=h), float(m * 10 + (h % 24))) for m in meter_ids for h in range(hours)]


def _raw_daily(conn):
    rows = conn.execute(
        select(Meter.enterprise_id, MeterReading.ts, Meter.carrier, MeterReading.value).join(Meter)
    ).all()
    out = {}
    for ent, ts, carrier, value in rows:
        key = (ent, ts.date(), carrier)
        out[key] = out.get(key, 0.0) + value
    return out


def _daily(conn):
    return {(r.enterprise_id, r.day, r.carrier): r.value for r in conn.execute(select(EnergyDaily)).all()}


def _monthly(conn):
    return {(r.enterprise_id, r.period, r.carrier): (r.value, r.source) for r in conn.execute(select(EnergyMonthly)).all()}


@pytest.mark.parametrize("way, copy_from", [("recompute", None), ("add in place", None), ("add in place, by COPY", 0)])
def test_incremental_load_matches_raw_aggregates(migrated_db, way, copy_from, monkeypatch):
    # "by COPY": every upsert goes through PostgreSQL's staging-table path, as an hour of the feed at L does
    if copy_from is not None:
        monkeypatch.setattr(sqlfuncs, "COPY_FROM", copy_from)
    engine, roll_up = migrated_db.engine, WAYS[way.split(",")[0]]
    with engine.begin() as conn:
        _setup(conn)
        # A report for 2025-02 that meter data will replace, and one for 2025-01 that stays.
        conn.execute(insert(EnergyMonthly), [
            dict(enterprise_id=1, period=dt.date(2025, 2, 1), carrier="electricity_grid", park_id=1, value=999.0, source="report"),
            dict(enterprise_id=1, period=dt.date(2025, 1, 1), carrier="electricity_grid", park_id=1, value=555.0, source="report"),
        ])
        first = dt.datetime(2025, 1, 31, 0)  # crosses the month end
        rows = _readings([1, 2, 3], first, 48)
        insert_readings(conn, rows)
        roll_up(conn, rows)
    # Second load: the next day only, for two meters; third: more hours of a day already rolled up.
    with engine.begin() as conn:
        rows = _readings([1, 3], dt.datetime(2025, 2, 2, 0), 12)
        insert_readings(conn, rows)
        roll_up(conn, rows)
    with engine.begin() as conn:
        rows = _readings([1, 3], dt.datetime(2025, 2, 2, 12), 12)
        insert_readings(conn, rows)
        roll_up(conn, rows)
    with engine.connect() as conn:
        raw = _raw_daily(conn)
        daily = _daily(conn)
        assert daily.keys() == raw.keys()
        for key, value in raw.items():
            assert daily[key] == pytest.approx(value)
        monthly = _monthly(conn)
        feb_raw = sum(v for (e, d, c), v in raw.items() if e == 1 and c == "electricity_grid" and d.month == 2)
        assert monthly[(1, dt.date(2025, 2, 1), "electricity_grid")] == (pytest.approx(feb_raw), "meter")
        jan_raw = sum(v for (e, d, c), v in raw.items() if e == 1 and c == "electricity_grid" and d.month == 1)
        # January has meter data for one day, so the meter sum replaces the report.
        assert monthly[(1, dt.date(2025, 1, 1), "electricity_grid")] == (pytest.approx(jan_raw), "meter")
        assert conn.execute(select(func.sum(EnergyDaily.n_readings))).scalar() == 48 * 3 + 24 * 2
        # The park's hourly rollup holds every hour once, summed over meters of the same carrier.
        hourly = {(r.ts, r.carrier): r.value for r in conn.execute(select(EnergyHourlyPark)).all()}
        raw_hourly = {}
        for meter, ts, carrier, value in conn.execute(
                select(Meter.id, MeterReading.ts, Meter.carrier, MeterReading.value).join(Meter)).all():
            raw_hourly[(ts, carrier)] = raw_hourly.get((ts, carrier), 0.0) + value
        assert hourly.keys() == raw_hourly.keys()
        assert all(hourly[k] == pytest.approx(v) for k, v in raw_hourly.items())


@pytest.mark.parametrize("way", WAYS)
def test_reported_month_without_meter_data_is_kept(migrated_db, way):
    with migrated_db.engine.begin() as conn:
        _setup(conn)
        conn.execute(insert(EnergyMonthly), [dict(enterprise_id=2, period=dt.date(2024, 6, 1), carrier="coal",
                                                  park_id=1, value=12.5, source="report")])
        rows = _readings([1], dt.datetime(2024, 6, 10), 24)
        insert_readings(conn, rows)
        WAYS[way](conn, rows)
        monthly = _monthly(conn)
    assert monthly[(2, dt.date(2024, 6, 1), "coal")] == (12.5, "report")


def test_a_failed_load_leaves_nothing(migrated_db):
    with migrated_db.engine.begin() as conn:
        _setup(conn)
    rows = _readings([1], dt.datetime(2024, 6, 10), 5)
    with pytest.raises(Exception), migrated_db.engine.begin() as conn:
        insert_readings(conn, rows + rows[:1])  # a duplicate key in the middle of the load
    with migrated_db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(MeterReading)).scalar() == 0
