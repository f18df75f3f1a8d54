"""Energy: monthly energy by carrier from the enterprise model, its hourly disaggregation for the live window, and
yearly output and value added."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import insert

from data_access.models import EnterpriseOutput
from data_access.demo.park_model import EnterpriseModel, PV_YIELD_KWH_PER_KW, ParkSpec, pv_capacity_kw, ramp, rng_for

SOLAR_MONTH = np.array([0.62, 0.72, 0.95, 1.10, 1.22, 1.20, 1.10, 1.08, 1.00, 0.88, 0.68, 0.58])
SOLAR_MONTH = SOLAR_MONTH / SOLAR_MONTH.mean()
HEAT_MONTH = np.array([2.3, 2.0, 1.5, 0.7, 0.35, 0.3, 0.3, 0.3, 0.4, 0.8, 1.8, 2.2])
HEAT_MONTH = HEAT_MONTH / HEAT_MONTH.mean()


def monthly_energy(ents: list[EnterpriseModel], months: list[dt.date]) -> dict[str, np.ndarray]:
    """Designed monthly quantities, arrays of shape (months, enterprises), in the stored units.

    Keys: the carriers, plus 'trade_mwh' and 'cert_mwh'.
    """
    n_m, n_e = len(months), len(ents)
    t_years = np.array([(m.year - 2021) + (m.month - 1) / 12 for m in months])[:, None]
    days = np.array([((m.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - m).days for m in months])[:, None]
    month_idx = np.array([m.month - 1 for m in months])
    purpose = ents[0].park.purpose if ents else 0

    def noise(k: int, sd: float) -> np.ndarray:
        return 1 + rng_for(purpose + 10 + k).normal(0, sd, size=(n_m + 200, n_e))[:n_m]

    growth = np.array([e.growth for e in ents])[None, :]
    activity = (1 + growth) ** t_years
    season = np.ones((n_m, n_e))
    for j, e in enumerate(ents):
        if e.sector.sector == "computing_ai":
            season[:, j] = 1 + 0.08 * np.cos(2 * np.pi * (month_idx - 6.5) / 12)  # summer cooling
        elif not e.sector.continuous:
            season[:, j] = np.where(month_idx == 1, 0.82, 1.0)  # Spring Festival
    # Everything below is MWh (electricity), t (coal), m3 (gas), GJ (heat); kWh only at the very end.
    elec = (np.array([e.elec_mwh for e in ents]) / 365)[None, :] * days * activity * season * noise(1, 0.03)

    t_cut = np.clip(t_years - 2.0, 0, None)  # coal cuts start in 2023
    cut = np.array([e.coal_cut for e in ents])[None, :]
    coal_level = (1 - cut) ** t_cut  # a negative cut (laggard) makes coal rise
    coal = (np.array([e.coal_t for e in ents]) / 365)[None, :] * days * activity * coal_level * noise(2, 0.05)
    gas = (np.array([e.gas_m3 for e in ents]) / 365)[None, :] * days * activity * (0.97 ** t_years) * noise(3, 0.05)
    heat = (np.array([e.heat_gj for e in ents]) / 365)[None, :] * days * HEAT_MONTH[month_idx][:, None] * noise(4, 0.06)
    # Electrification: coal given up reappears as electricity (about 2 MWh per tonne in electric furnaces).
    coal_avoided = (np.array([e.coal_t for e in ents])[None, :] / 365 * days * activity - coal).clip(0)
    elec = elec + coal_avoided * 2.0

    pv_kw = np.stack([pv_capacity_kw(e, months) for e in ents], axis=1)
    pv = pv_kw * PV_YIELD_KWH_PER_KW / 365 * days * SOLAR_MONTH[month_idx][:, None] * noise(5, 0.08) / 1000  # MWh
    own = np.minimum(pv, 0.8 * elec)
    direct = np.stack([ramp(e.direct_share, months) for e in ents], axis=1) * elec
    grid = np.clip(elec - own - direct, 0, None)
    trade = np.stack([ramp(e.trade_share, months) for e in ents], axis=1) * grid
    cert = np.round(np.stack([ramp(e.cert_share, months) for e in ents], axis=1) * grid)
    return {
        "electricity_grid": grid * 1000,
        "electricity_own_renewable": own * 1000,
        "electricity_direct_green": direct * 1000,
        "heat_purchased": heat,
        "natural_gas": gas,
        "coal": coal,
        "trade_mwh": trade,
        "cert_mwh": cert,
    }


# --- hourly disaggregation --------------------------------------------------------------------------

def _hours(month: dt.date) -> np.ndarray:
    start = np.datetime64(month, "h")
    end = np.datetime64((month.replace(day=28) + dt.timedelta(days=4)).replace(day=1), "h")
    return np.arange(start, end, dtype="datetime64[h]")


def _solar_shape(hours: np.ndarray, lat: float, cloud: np.ndarray) -> np.ndarray:
    """Relative PV output per hour from the sun's elevation (local solar time ~ clock time + 0.5 h here)."""
    doy = (hours.astype("datetime64[D]") - hours.astype("datetime64[Y]")).astype(int) + 1
    hod = (hours - hours.astype("datetime64[D]")).astype(int) + 0.5 - 0.43  # 113.6 E vs the 120 E time zone
    decl = np.radians(23.44) * np.sin(2 * np.pi * (284 + doy) / 365)
    phi = np.radians(lat)
    ha = np.radians(15 * (hod - 12))
    elev = np.arcsin(np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(ha))
    day_index = (hours.astype("datetime64[D]") - hours[0].astype("datetime64[D]")).astype(int)
    return np.clip(np.sin(elev), 0, None) ** 1.2 * cloud[day_index]


def _load_shape(hours: np.ndarray, continuous: bool, rng: np.random.Generator) -> np.ndarray:
    hod = (hours - hours.astype("datetime64[D]")).astype(int)
    dow = (hours.astype("datetime64[D]").astype(int) + 3) % 7  # 0 = Monday
    if continuous:
        base = 1 + 0.06 * np.sin(2 * np.pi * (hod - 9) / 24)
    else:
        base = np.where((hod >= 8) & (hod < 20), 1.45, 0.65) * np.where(dow >= 5, 0.7, 1.0)
    return base * (1 + rng.normal(0, 0.04, size=len(hours)))


def hourly_series(ents: list[EnterpriseModel], meters: dict[tuple[int, str], int], month: dt.date,
                  design: dict[str, float | np.ndarray], carriers: tuple[str, ...] | None = None):
    """Yield (meter_id, stamps, values) for one month, one meter at a time (every meter shares one `stamps` list);
    monthly sums equal the design (PV capped at the load). `carriers` limits the meters read hourly (None: all)."""
    hours = _hours(month)
    ts = hours.astype("datetime64[us]").astype(dt.datetime).tolist()
    rng = rng_for(7, month.year, month.month, ents[0].park.purpose if ents else 0)
    cloud = np.clip(rng.beta(5, 2, size=32) * 1.2, 0.1, 1.0)
    for j, e in enumerate(ents):
        total = design["electricity_grid"][j] + design["electricity_own_renewable"][j] + design["electricity_direct_green"][j]
        load = _load_shape(hours, e.sector.continuous, rng)
        load_h = total * load / load.sum()
        own_h = np.zeros(len(hours))
        if design["electricity_own_renewable"][j] > 0:
            shape = _solar_shape(hours, e.lat, cloud)
            own_h = np.minimum(design["electricity_own_renewable"][j] * shape / shape.sum(), load_h)
        direct_h = design["electricity_direct_green"][j] * load / load.sum()
        grid_h = np.clip(load_h - own_h - direct_h, 0, None)
        series = {
            "electricity_grid": grid_h,
            "electricity_own_renewable": own_h,
            "electricity_direct_green": direct_h,
        }
        flat = np.clip(1 + rng.normal(0, 0.05, size=len(hours)), 0.5, None)
        for carrier in ("heat_purchased", "natural_gas", "coal"):
            series[carrier] = design[carrier][j] * flat / flat.sum()
        for carrier, values in series.items():
            meter_id = meters.get((e.id, carrier))
            if meter_id is None or (carrier != "electricity_grid" and not values.any()) or (carriers and carrier not in carriers):
                continue
            yield meter_id, ts, np.round(values, 4).tolist()


def with_meter_gaps(series, meters: dict[tuple[int, str], int], gaps: dict[int, range]):
    """Drop the readings of some enterprises' meters on some days of the month (a risk-rule case: meter gaps).

    Six days of 31 missing leaves 81 % coverage (below the 95 % rule); one day leaves 96.8 % (a near miss).
    """
    lost = {mid: days for (eid, _), mid in meters.items() for e, days in gaps.items() if eid == e}
    for mid, stamps, values in series:
        if mid in lost:
            kept = [(t, v) for t, v in zip(stamps, values) if t.day not in lost[mid]]
            stamps, values = [t for t, _ in kept], [v for _, v in kept]
        yield mid, stamps, values


# Value added per MWh of electricity, 万元 (demo assumption shaping the carbon-efficiency spread).
VALUE_ADDED_PER_MWH = {"battery_materials": 0.8, "smart_terminal": 3.0, "computing_ai": 0.25, "tungsten_molybdenum": 0.35,
                       "pumps_valves": 1.5, "equipment": 2.0, "energy_saving_recycling": 1.2, "park_utility": 1.0}


def write_outputs(conn, park: ParkSpec, ents: list[EnterpriseModel], last: dt.date) -> int:
    """Yearly output and value added for every full year with data (reported once a year)."""
    rng = rng_for(park.purpose + 5)
    rows = []
    for e in ents:
        level = e.elec_mwh * VALUE_ADDED_PER_MWH[e.sector.sector] * float(rng.uniform(0.7, 1.3))
        ratio = float(rng.uniform(0.22, 0.38))  # value added / output
        for year in range(max(2021, park.energy_from.year), last.year):
            va = level * (1 + e.growth) ** (year - 2021) * float(rng.normal(1, 0.04))
            rows.append({"enterprise_id": e.id, "year": year, "value_added": round(va, 2), "output_value": round(va / ratio, 2)})
    conn.execute(insert(EnterpriseOutput), rows)
    return len(rows)
