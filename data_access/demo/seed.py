"""The whole seed: one transaction that writes the reference factors, institutions, every park and the demo
accounts, and the watermark that tells demo data from real."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Engine, delete, func, insert, select, text

from data_access import db, stress_store, taxonomy as tx
from data_access.db import writing
from data_access.models import (
    AppUser,
    AuditLog,
    EnergyMonthly,
    Enterprise,
    GreenPowerTransaction,
    Institution,
    Meta,
    Meter,
    Park,
)
from data_access.meter_store import bulk_insert, insert_series
from data_access.reference import carbon_price_paths, load_reference_factors
from data_access.rollups import refresh_rollups
from data_access.demo.energy import hourly_series, monthly_energy, with_meter_gaps, write_outputs
from data_access.demo.finance import seed_finance, write_financials
from data_access.demo.ledgers import write_ledgers
from data_access.demo.governance import GEC_SERIAL_BASE, double_claims, seed_governance, write_library, write_profiles
from data_access.demo.park_model import HISTORY_START, INSTITUTION_PLAN, PARKS, ParkSpec, Progress, SERIALS, boundary, build_enterprises, last_full_month, month_range, no_progress, pv_capacity_kw

# --- the whole seed ---------------------------------------------------------------------------------

DEMO_WATERMARK = "demo_watermark"
DEMO_MASTER_TABLES = (Park, Institution, Enterprise, Meter)  # rows a demo session cannot add


def record_demo_watermark(conn) -> None:
    """Remember the last id of each master-data table the seed wrote: a row beyond it (a real bank, enterprise,
    meter or park) ends demo mode (`auth.only_demo_data`)."""
    marks = {m.__tablename__: int(conn.execute(select(func.max(m.id))).scalar() or 0) for m in DEMO_MASTER_TABLES}
    conn.execute(delete(Meta).where(Meta.key == DEMO_WATERMARK))
    conn.execute(insert(Meta).values(key=DEMO_WATERMARK, value=json.dumps(marks)))


def seed_demo(engine: Engine, *, today: dt.date | None = None, hourly_months: int = 24,
              progress: Progress = no_progress, parks: tuple[ParkSpec, ...] = PARKS,
              hourly_carriers: tuple[str, ...] | None = None) -> dict:
    """Fill an empty, migrated database with the demo data set. Returns counts of what was written.

    Everything is written in one transaction: an interrupted seed leaves the database empty.
    `hourly_months` is how many months before the end get hourly meter readings (the rest is
    monthly history as reported); tests use a small number to stay fast. `parks` and `hourly_carriers`
    (meters read hourly; the other carriers are reported monthly) let the scale benchmark build larger
    data sets from the same model.
    """
    today = today or dt.date.today()
    last = last_full_month(today)
    if not db.is_empty(engine):
        raise RuntimeError("the database already holds parks; seed-demo only fills an empty database")
    counts: dict[str, int] = {}
    with writing(engine) as conn:
        progress(0.01, "reference")
        counts["emission_factor"] = load_reference_factors(conn)
        insts = _write_institutions(conn)
        counts["institution"] = len(insts)
        all_parks = []
        total_size = sum(p.n_enterprises for p in parks)
        done = 0
        for park in parks:
            share = park.n_enterprises / total_size
            base = done / total_size
            done += park.n_enterprises

            def sub(f: float, msg: str, base=base, share=share, park=park):
                progress(min(0.99, base + f * share), f"{park.code}: {msg}")

            stats = _seed_park(conn, park, insts, last, hourly_months, sub, hourly_carriers)
            for k, v in stats.items():
                counts[k] = counts.get(k, 0) + v
            all_parks.append(stats["park_id"])
        counts.update(write_library(conn, insts))
        _write_users(conn, insts)
        conn.execute(insert(AuditLog), [{"actor": "system", "action": "seed_demo", "entity": "database",
                                          "detail": {"last_month": last.isoformat(), "hourly_months": hourly_months}}])
        if conn.dialect.name == "postgresql":
            reset_sequences(conn)
        record_demo_watermark(conn)
    if engine.dialect.name == "sqlite":
        # One large transaction leaves a write-ahead log as big as the database; fold it back in.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    progress(1.0, "done")
    counts.pop("park_id", None)
    return counts


def reset_sequences(conn) -> None:
    """Explicit ids were written; move each serial sequence past them."""
    from data_access.models import Base

    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.c.id.primary_key:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def _write_institutions(conn) -> list[dict]:
    rows, i = [], 0
    for inst_type, n, stem, short in INSTITUTION_PLAN:
        for k in range(n):
            i += 1
            code = {"policy": "PB", "state_owned": "SO", "joint_stock": "JS", "provincial_legal": "PL",
                    "local_legal": "LL", "other": "OT"}[inst_type] + f"-{k + 1}"
            rows.append({"id": i, "code": code, "name": stem.format(s=SERIALS[k]), "short_name": short.format(s=SERIALS[k]),
                         "inst_type": inst_type, "is_public": False})
    conn.execute(insert(Institution), rows)
    return rows


def _seed_park(conn, park: ParkSpec, insts: list[dict], last: dt.date, hourly_months: int, progress: Progress,
               hourly_carriers: tuple[str, ...] | None = None) -> dict:
    counts: dict[str, int] = {}
    park_id = park.purpose // 1000 + 1
    is_main = park.purpose == 0
    conn.execute(insert(Park), [{
        "id": park_id, "code": park.code, "name_zh": park.name_zh, "name_en": park.name_en, "level": "national" if is_main else "provincial",
        "centre_lat": park.lat, "centre_lon": park.lon, "location_approximate": True,
        "boundary_geojson": boundary(park.lat, park.lon, 5.0 if is_main else 2.0, 3.6 if is_main else 1.5),
        "base_year": 2025, "target_year": 2030, "grid_region": "north_china", "is_demo": True}])
    ents = build_enterprises(park)
    id_base = park.purpose  # park 2 ids start at 1001
    for e in ents:
        e.id = id_base + e.idx + 1
    conn.execute(insert(Enterprise), [{
        "id": e.id, "park_id": park_id, "uscc": e.uscc, "name": e.name, "sector": e.sector.sector,
        "enterprise_class": e.enterprise_class, "lat": round(e.lat, 6), "lon": round(e.lon, 6),
        "zero_carbon_label": e.zero_carbon_label,
        "reported_green_share": (0.95 if e.zero_carbon_label else None), "is_public": False} for e in ents])
    counts["enterprise"] = len(ents)
    counts["enterprise_profile"] = write_profiles(conn, park, ents, last)
    counts["enterprise_output"] = write_outputs(conn, park, ents, last)
    progress(0.05, "enterprises")

    # Energy: monthly design for every month with energy data; hourly readings for the last months.
    months = month_range(HISTORY_START, last)
    design = monthly_energy(ents, months)
    energy_months = [m for m in months if m >= park.energy_from]
    hourly = set(energy_months[-hourly_months:]) if hourly_months > 0 else set()
    meters: dict[tuple[int, str], int] = {}
    meter_rows = []
    for e in ents:
        j = e.idx
        for carrier, unit in tx.CARRIER_UNITS.items():
            if design[carrier][:, j].sum() <= 0:
                continue
            mid = id_base + len(meter_rows) + 1
            meters[(e.id, carrier)] = mid
            meter_rows.append({"id": mid, "code": f"{park.code}-{e.idx + 1:03d}-{carrier}", "enterprise_id": e.id,
                               "park_id": park_id, "carrier": carrier, "unit": unit,
                               "capacity_kw": (round(pv_capacity_kw(e, [last])[0], 1) if carrier == "electricity_own_renewable" else None)})
    conn.execute(insert(Meter), meter_rows)
    counts["meter"] = len(meter_rows)
    report_rows, gpt_rows = [], []
    serial = GEC_SERIAL_BASE * (park.purpose + 1)  # fictitious GEC serial numbers, one block per park
    for i, m in enumerate(months):
        if m < park.energy_from:
            continue
        for e in ents:
            j = e.idx
            for carrier in tx.CARRIERS:
                if m in hourly and (hourly_carriers is None or carrier in hourly_carriers):
                    continue  # metered hourly: the monthly value comes from the readings
                v = float(design[carrier][i, j])
                if v > 0:
                    report_rows.append({"enterprise_id": e.id, "period": m, "carrier": carrier, "park_id": park_id,
                                        "value": round(v, 4), "source": "report", "n_readings": 0})
            for kind, key in (("trade", "trade_mwh"), ("certificate", "cert_mwh")):
                v = float(design[key][i, j])
                if kind == "certificate":
                    v = float(round(v))  # certificates are whole MWh
                if v > 0:
                    ref = (f"GT-{park.code}-{e.idx + 1:03d}-{m:%Y%m}" if kind == "trade"
                           else f"GEC-{park.code}-{e.idx + 1:03d}-{m:%Y%m}-{int(v):d}")
                    row = {"enterprise_id": e.id, "park_id": park_id, "period": m, "kind": kind,
                           "mwh": round(v, 3), "reference": ref, "serial_start": None, "serial_end": None}
                    # Certificates carry their GEC serials; a trade carries its bundled certificates' serials
                    # when the trade settled them with the power (证电合一), here for whole-MWh trades every other month.
                    if kind == "certificate" or (m.month % 2 == 0 and v >= 1):
                        n = int(v)
                        row.update(mwh=float(n), serial_start=serial, serial_end=serial + n - 1)
                        serial += n
                    gpt_rows.append(row)
    gpt_rows.extend(double_claims(gpt_rows, design, ents, months, park_id, last, serial))
    if report_rows:
        cols = tuple(report_rows[0])
        bulk_insert(conn, EnergyMonthly.__table__, cols, (tuple(r.values()) for r in report_rows))
    if gpt_rows:
        conn.execute(insert(GreenPowerTransaction), gpt_rows)
    counts["energy_monthly_reported"] = len(report_rows)
    counts["green_power_transaction"] = len(gpt_rows)
    progress(0.1, "monthly energy history")

    n_readings = 0
    hourly_sorted = sorted(hourly)
    for k, m in enumerate(hourly_sorted):
        i = months.index(m)
        month_design = {c: design[c][i] for c in tx.CARRIERS}
        series = hourly_series(ents, meters, m, month_design, hourly_carriers)
        if m == last and is_main and len(ents) > 23:
            series = with_meter_gaps(series, meters, {ents[11].id: range(10, 16), ents[23].id: range(20, 21)})
        n_readings += insert_series(conn, series)
        progress(0.1 + 0.7 * (k + 1) / max(1, len(hourly_sorted)), f"hourly meter readings {m:%Y-%m}")
    counts["meter_reading"] = n_readings
    if hourly_sorted:
        first_day = hourly_sorted[0]
        end_day = (hourly_sorted[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        days = [first_day + dt.timedelta(days=d) for d in range((end_day - first_day).days)]
        refresh_rollups(conn, [mid for mid in meters.values()], days)
    progress(0.85, "rollups")

    counts.update(seed_finance(conn, park, park_id, ents, insts, last))
    counts["enterprise_financials"] = write_financials(conn, park, park_id, ents)
    if park.purpose:  # the second demo park's analyst has saved a central carbon-price scenario (the big screen shows it)
        stress_store.save_scenario(conn, park_id=park_id, name="中碳价路径（演示）", preset="central",
                                   prices=carbon_price_paths()["central"], covered_share=0.6, threshold=1.5, test_year=2030,
                                   central=True, actor="demo")
        counts["stress_scenario"] = 1
    progress(0.95, "credit, projects and policy tools")
    counts.update(seed_governance(conn, park, park_id, ents, insts, last, design, months))
    counts["ledger_entry"] = write_ledgers(conn, park, park_id, ents, insts, last)  # after the projects it links to
    counts["park_id"] = park_id
    return counts


def _write_users(conn, insts: list[dict]) -> None:
    """Demo accounts, one per role, without passwords (sign-in offers them only while the data is demo)."""
    reporter_inst = next(i for i in insts if i["inst_type"] == "local_legal")
    rows = [
        {"username": "demo_leader", "display_name": "市领导（演示）", "role": "leader"},
        {"username": "demo_analyst", "display_name": "人民银行分析员（演示）", "role": "pboc_analyst"},
        {"username": "demo_committee", "display_name": "园区管委会（演示）", "role": "park_committee"},
        {"username": "demo_reporter", "display_name": f"{reporter_inst['short_name']}填报员（演示）", "role": "institution_reporter",
         "institution_id": reporter_inst["id"]},
        {"username": "demo_publicity", "display_name": "宣传平台（演示）", "role": "publicity"},
        {"username": "demo_admin", "display_name": "系统管理员（演示）", "role": "admin"},
    ]
    for r in rows:
        r.setdefault("institution_id", None)
        r.update(is_demo=True, password_hash=None)
    conn.execute(insert(AppUser), rows)
