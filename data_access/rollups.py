"""Maintain the daily, hourly-park and monthly energy rollups from hourly meter readings.

Two ways, with the same result (`tests/data_access/test_rollups.py` holds them to the raw GROUP BY):
- `refresh_rollups` recomputes the days a load touched (delete + INSERT ... SELECT ... GROUP BY), so the cost of a
  load depends on what arrived, not on the size of the history (the demo seed, any load of unknown content);
- `add_to_rollups` adds readings that were not stored before (the feed and the meter import check that) to the
  rollups in place, from the rows in memory, without reading back what was written: an hour of the feed at L
  spent 0.57 of 0.72 s re-reading the day's readings and the month's daily rows (benchmarks/feed_hour.md).
Monthly rows that come from reports (history before meters) are left alone unless meter data arrives for the same
month; then that enterprise-month is recomputed from the daily rollup, as `refresh_rollups` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, func, insert, literal, select, tuple_

from data_access.models import EnergyDaily, EnergyHourlyPark, EnergyMonthly, Meter, MeterReading
from data_access.sqlfuncs import day_of, month_of, upsert


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _next_month(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _contiguous_ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Group sorted days into [first, last] runs so each run is one range query."""
    runs: list[tuple[dt.date, dt.date]] = []
    for d in days:
        if runs and d == runs[-1][1] + dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def refresh_rollups(conn: Connection, meter_ids: Iterable[int], days: Iterable[dt.date]) -> None:
    """Recompute energy_daily for (enterprises of `meter_ids`) x `days`, then energy_monthly for their months.

    Call inside the transaction that wrote the readings.
    """
    meter_ids = sorted(set(meter_ids))
    days = sorted(set(days))
    if not meter_ids or not days:
        return
    owners = conn.execute(select(Meter.enterprise_id, Meter.park_id).where(Meter.id.in_(meter_ids))).all()
    enterprise_ids = sorted({o.enterprise_id for o in owners})
    park_ids = sorted({o.park_id for o in owners})
    for first, last in _contiguous_ranges(days):
        _refresh_daily(conn, enterprise_ids, first, last)
        _refresh_hourly_park(conn, park_ids, first, last)
    months = sorted({_month_start(d) for d in days})
    for first, last in _contiguous_ranges_months(months):
        _refresh_monthly(conn, enterprise_ids, first, last)


def add_to_rollups(conn: Connection, readings: list[tuple[int, dt.datetime, float]]) -> None:
    """Add `readings` (meter_id, hour, value), none of them stored before this transaction's insert, to the daily,
    hourly-park and monthly rollups. Call inside the transaction that wrote them."""
    if not readings:
        return
    import pandas as pd  # grouping in pandas: a Python loop over a million readings cost more than re-reading them

    df = pd.DataFrame(readings, columns=["meter_id", "ts", "value"])
    lo, hi = int(df["meter_id"].min()), int(df["meter_id"].max())
    owners = pd.DataFrame(conn.execute(  # a range, not 4,000 parameters
        select(Meter.id.label("meter_id"), Meter.enterprise_id, Meter.park_id, Meter.carrier)
        .where(Meter.id >= lo, Meter.id <= hi)).all(), columns=["meter_id", "enterprise_id", "park_id", "carrier"])
    df = df.merge(owners, on="meter_id", how="left", validate="many_to_one")
    df["ts"] = pd.to_datetime(df["ts"])
    df["day"] = df["ts"].dt.normalize()
    df["period"] = df["ts"].dt.to_period("M").dt.to_timestamp()

    def sums(keys: list[str], count: str) -> list[dict]:
        g = df.groupby(keys, sort=False)["value"].agg(["sum", "size"]).reset_index()
        columns = {k: (g[k].dt.date.tolist() if k in ("day", "period") else [t.to_pydatetime() for t in g[k]] if k == "ts"
                       else g[k].tolist()) for k in keys}  # plain Python values for both drivers
        columns |= {"value": g["sum"].astype(float).tolist(), count: g["size"].astype(int).tolist()}
        return [dict(zip(columns, values)) for values in zip(*columns.values())]

    daily = sums(["enterprise_id", "day", "carrier", "park_id"], "n_readings")
    hourly = sums(["park_id", "ts", "carrier"], "n_meters")
    monthly = sums(["enterprise_id", "period", "carrier", "park_id"], "n_readings")
    _add(conn, EnergyDaily, ("enterprise_id", "day", "carrier"), "n_readings", daily)
    _add(conn, EnergyHourlyPark, ("park_id", "ts", "carrier"), "n_meters", hourly)
    # A month still holding a report for one of these carriers is recomputed whole from the daily rollup instead.
    touched = {(r["enterprise_id"], r["period"], r["carrier"]) for r in monthly}
    ents = [e for e, _, _ in touched]
    reported = {(e, m) for e, m, c in conn.execute(
        select(EnergyMonthly.enterprise_id, EnergyMonthly.period, EnergyMonthly.carrier).where(
            EnergyMonthly.period.in_(sorted({m for _, m, _ in touched})), EnergyMonthly.source != "meter",
            EnergyMonthly.enterprise_id >= min(ents), EnergyMonthly.enterprise_id <= max(ents)))
        if (e, m, c) in touched}
    _add(conn, EnergyMonthly, ("enterprise_id", "period", "carrier"), "n_readings",
         [dict(r, source="meter") for r in monthly if (r["enterprise_id"], r["period"]) not in reported])
    for month in sorted({m for _, m in reported}):
        _refresh_monthly(conn, sorted({e for e, m in reported if m == month}), month, month)


def _add(conn: Connection, model, key: tuple[str, ...], count: str, rows: list[dict]) -> None:
    """INSERT the rows; where a row with the same key exists, add value and the count to it."""
    upsert(conn, model, rows, list(key), lambda table, excluded: {
        "value": table.c.value + excluded.value, count: table.c[count] + excluded[count]}, bulk=True)


def _contiguous_ranges_months(months: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for m in months:
        if runs and m == _next_month(runs[-1][1]):
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _refresh_daily(conn: Connection, enterprise_ids: list[int], first: dt.date, last: dt.date) -> None:
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    for ids in _chunks(enterprise_ids):
        conn.execute(delete(EnergyDaily).where(EnergyDaily.enterprise_id.in_(ids), EnergyDaily.day >= first, EnergyDaily.day <= last))
        day = day_of(MeterReading.ts)
        agg = (
            select(Meter.enterprise_id, day.label("day"), Meter.carrier, Meter.park_id, func.sum(MeterReading.value), func.count())
            .join(Meter, Meter.id == MeterReading.meter_id)
            .where(Meter.enterprise_id.in_(ids), MeterReading.ts >= start, MeterReading.ts < end)
            .group_by(Meter.enterprise_id, day, Meter.carrier, Meter.park_id)
        )
        conn.execute(insert(EnergyDaily).from_select(["enterprise_id", "day", "carrier", "park_id", "value", "n_readings"], agg))


def _refresh_hourly_park(conn: Connection, park_ids: list[int], first: dt.date, last: dt.date) -> None:
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    conn.execute(delete(EnergyHourlyPark).where(
        EnergyHourlyPark.park_id.in_(park_ids), EnergyHourlyPark.ts >= start, EnergyHourlyPark.ts < end))
    agg = (
        select(Meter.park_id, MeterReading.ts, Meter.carrier, func.sum(MeterReading.value), func.count())
        .join(Meter, Meter.id == MeterReading.meter_id)
        .where(Meter.park_id.in_(park_ids), MeterReading.ts >= start, MeterReading.ts < end)
        .group_by(Meter.park_id, MeterReading.ts, Meter.carrier)
    )
    conn.execute(insert(EnergyHourlyPark).from_select(["park_id", "ts", "carrier", "value", "n_meters"], agg))


def _refresh_monthly(conn: Connection, enterprise_ids: list[int], first: dt.date, last: dt.date) -> None:
    end = _next_month(last)
    for ids in _chunks(enterprise_ids):
        month = month_of(EnergyDaily.day)
        agg = (
            select(EnergyDaily.enterprise_id, month.label("period"), EnergyDaily.carrier, EnergyDaily.park_id,
                   func.sum(EnergyDaily.value), func.sum(EnergyDaily.n_readings), literal("meter"))
            .where(EnergyDaily.enterprise_id.in_(ids), EnergyDaily.day >= first, EnergyDaily.day < end)
            .group_by(EnergyDaily.enterprise_id, month, EnergyDaily.carrier, EnergyDaily.park_id)
        )
        sq = agg.subquery()
        touched = select(sq.c.enterprise_id, sq.c.period, sq.c.carrier)
        # Meter data supersedes a reported month for the same enterprise and carrier.
        conn.execute(
            delete(EnergyMonthly).where(
                and_(
                    EnergyMonthly.enterprise_id.in_(ids),
                    EnergyMonthly.period >= first,
                    EnergyMonthly.period < end,
                    (EnergyMonthly.source == "meter")
                    | tuple_(EnergyMonthly.enterprise_id, EnergyMonthly.period, EnergyMonthly.carrier).in_(touched),
                )
            )
        )
        conn.execute(
            insert(EnergyMonthly).from_select(
                ["enterprise_id", "period", "carrier", "park_id", "value", "n_readings", "source"], agg
            )
        )
