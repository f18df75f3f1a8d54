"""Deterministic, fictitious demo data for the Yangquan High-tech Zone park and a second, smaller park.

Nothing here is real: institutions are named by type and a serial (政策性银行甲 …), enterprises carry
'示例' in their names, and every park row has is_demo = True so the UI shows 演示数据 / DEMO DATA.
Shapes follow a real park on its way to zero carbon: seasonal solar, a rising green-power share,
coal falling unevenly, data centres growing, a few laggards and problem loans.

Determinism: every random draw comes from a generator seeded by SEED and a fixed purpose number; arrays
indexed by month start at 2021-01 with the month on the leading axis, so a month's values do not depend
on how many months are generated or on how many of them get hourly data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Engine, delete, func, insert, select, text

from data_access import taxonomy as tx
from data_access.db import writing
from data_access.models import (
    AppUser,
    AuditLog,
    CreditFacility,
    CreditSnapshot,
    DirectFinancing,
    EnergyMonthly,
    Enterprise,
    EnterpriseOutput,
    EnterpriseProfile,
    FinancialProduct,
    LibraryItem,
    GreenPowerTransaction,
    Institution,
    Meta,
    Meter,
    Milestone,
    Park,
    PolicyToolUse,
    Project,
    RiskAlert,
    RiskAlertEvent,
    SyndicateMember,
    Target,
    Task,
    WhitelistEntry,
    WhitelistVersion,
)
from data_access.meter_store import insert_readings
from data_access.reference import load_reference_factors, policy_tool_rate, reference_value
from data_access.rollups import refresh_rollups
from data_access.uscc import make_uscc

SEED = 20260429  # the date the action plan was issued
HISTORY_START = dt.date(2021, 1, 1)
YANGQUAN_DIVISION = "140300"  # 阳泉市 administrative division code

Progress = Callable[[float, str], None]


def _noop(_f: float, _m: str) -> None:
    pass


def last_full_month(today: dt.date) -> dt.date:
    """First day of the last month that has ended before `today`."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """Month starts from `start` to `end` inclusive."""
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, min(d.day, 28))


def _rng(*purpose: int) -> np.random.Generator:
    return np.random.default_rng([SEED, *purpose])


# --- parks ------------------------------------------------------------------------------------------

@dataclass
class ParkSpec:
    code: str
    name_zh: str
    name_en: str
    lat: float
    lon: float
    n_enterprises: int
    energy_from: dt.date  # first month with energy data
    purpose: int  # offsets the random streams of this park
    scale: float = 1.0


PARKS = (
    ParkSpec(
        "YQ-HTZ",
        "阳泉高新区零碳园区",
        "Yangquan High-tech Zone zero-carbon park",
        37.8573,  # city centre (domain/facts.md §6); the zone's own coordinates were not found
        113.5804,
        150,
        HISTORY_START,
        0,
    ),
    ParkSpec(
        "DEMO-2",
        "示例低碳产业园（第二园区）",
        "Demo low-carbon industrial park (second park)",
        37.905,
        113.630,
        20,
        dt.date(2024, 1, 1),
        1000,
        0.35,
    ),
)


def _boundary(lat: float, lon: float, km_ew: float, km_ns: float) -> dict:
    dlat = km_ns / 111.0 / 2
    dlon = km_ew / (111.0 * math.cos(math.radians(lat))) / 2
    ring = [
        [lon - dlon, lat - dlat],
        [lon + dlon * 0.8, lat - dlat],
        [lon + dlon, lat - dlat * 0.1],
        [lon + dlon * 0.7, lat + dlat],
        [lon - dlon * 0.9, lat + dlat * 0.9],
        [lon - dlon, lat - dlat],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


# --- institutions -----------------------------------------------------------------------------------

SERIALS = "甲乙丙丁戊己"
INSTITUTION_PLAN = (  # type, count, name stem, short stem
    ("policy", 2, "政策性银行{s}阳泉市分行", "政策行{s}"),
    ("state_owned", 5, "国有银行{s}阳泉分行", "国有行{s}"),
    ("joint_stock", 4, "股份制银行{s}阳泉分行", "股份行{s}"),
    ("provincial_legal", 2, "省内法人银行{s}阳泉分行", "省法人行{s}"),
    ("local_legal", 3, "农商银行{s}", "农商行{s}"),
    ("other", 2, "金融租赁公司{s}", "租赁{s}"),
)
# One institution changed type: 省内法人银行乙 was a local legal-person bank until it merged into the
# provincial bank in 2023-07 (exercises per-snapshot types).
TYPE_CHANGE = ("PL-2", "local_legal", dt.date(2023, 7, 1))


# --- enterprises ------------------------------------------------------------------------------------

@dataclass
class SectorSpec:
    sector: str
    share: float  # of the park's enterprises
    word: str  # used in demo names
    classes: tuple[tuple[str, float], ...]
    elec_mwh: tuple[float, float]  # yearly 2021 electricity range, MWh
    coal_t: tuple[float, float] = (0, 0)
    gas_m3: tuple[float, float] = (0, 0)
    heat_gj: tuple[float, float] = (0, 0)
    p_coal: float = 0.0
    p_gas: float = 0.0
    p_heat: float = 0.0
    growth: tuple[float, float] = (0.02, 0.08)
    continuous: bool = False  # runs around the clock


SECTOR_SPECS = (
    SectorSpec("battery_materials", 0.19, "电池材料", (("green_low_carbon", 0.7), ("high_carbon_industrial", 0.3)),
               (4_000, 40_000), (2_000, 8_000), (300_000, 2_500_000), (5_000, 40_000), 0.15, 0.5, 0.6, (0.06, 0.15), True),
    SectorSpec("smart_terminal", 0.16, "智能终端", (("green_low_carbon", 1.0),), (800, 6_000),
               heat_gj=(1_000, 8_000), p_heat=0.4, growth=(0.05, 0.12)),
    SectorSpec("computing_ai", 0.05, "智算科技", (("data_center", 1.0),), (40_000, 160_000),
               growth=(0.10, 0.22), continuous=True),
    SectorSpec("tungsten_molybdenum", 0.09, "钨钼材料", (("high_carbon_industrial", 1.0),), (8_000, 30_000),
               (4_000, 16_000), (100_000, 600_000), (10_000, 60_000), 1.0, 0.5, 0.7, (0.01, 0.05), True),
    SectorSpec("pumps_valves", 0.15, "泵阀装备", (("high_carbon_industrial", 0.4), ("green_low_carbon", 0.6)),
               (1_000, 8_000), (600, 3_000), (50_000, 300_000), (2_000, 12_000), 0.25, 0.3, 0.5),
    SectorSpec("equipment", 0.20, "装备制造", (("green_low_carbon", 0.6), ("high_carbon_industrial", 0.4)),
               (800, 7_000), (500, 2_500), (30_000, 250_000), (2_000, 10_000), 0.1, 0.3, 0.5),
    SectorSpec("energy_saving_recycling", 0.15, "循环科技", (("green_low_carbon", 1.0),), (500, 5_000),
               gas_m3=(20_000, 150_000), heat_gj=(1_000, 6_000), p_gas=0.2, p_heat=0.3),
)
NAME_PREFIXES = [a + b for a in "泉晟峪冠桃娘狮藏翠汇" for b in "川源岳宁华瑞泰鑫恒昌"]

PV_YIELD_KWH_PER_KW = reference_value("pv_yield_kwh_per_kw").value  # a year, rooftop PV (an assumption, reference data)


@dataclass
class EnterpriseModel:
    idx: int
    park: ParkSpec
    sector: SectorSpec
    enterprise_class: str
    name: str
    uscc: str
    lat: float
    lon: float
    elec_mwh: float
    coal_t: float
    gas_m3: float
    heat_gj: float
    growth: float
    coal_cut: float  # yearly reduction of coal from 2023 (negative: rises)
    pv_kw: list[tuple[dt.date, float]] = field(default_factory=list)  # capacity additions
    direct_share: tuple[dt.date, float, float] | None = None  # start, share at start, share 3 years later
    trade_share: tuple[dt.date, float, float] | None = None
    cert_share: tuple[dt.date, float, float] | None = None
    laggard: bool = False
    zero_carbon_label: bool = False
    id: int = 0


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...]) -> str:
    names, weights = zip(*options)
    return str(rng.choice(names, p=np.array(weights) / sum(weights)))


def build_enterprises(park: ParkSpec) -> list[EnterpriseModel]:
    rng = _rng(park.purpose + 1)
    out: list[EnterpriseModel] = []
    counts = [max(1, round(s.share * park.n_enterprises)) for s in SECTOR_SPECS]
    counts[-1] += park.n_enterprises - 1 - sum(counts)  # one slot for the park's energy company
    serial = park.purpose
    for spec, n in zip(SECTOR_SPECS, counts):
        for _ in range(n):
            serial += 1
            idx = len(out)
            lo, hi = spec.elec_mwh
            ent = EnterpriseModel(
                idx=idx,
                park=park,
                sector=spec,
                enterprise_class=_pick(rng, spec.classes),
                name=f"{NAME_PREFIXES[(serial * 7) % len(NAME_PREFIXES)]}{spec.word}{'' if not park.purpose else '（二园）'}示例有限公司",
                uscc=make_uscc(YANGQUAN_DIVISION, 310000 + serial),
                lat=park.lat + float(rng.normal(0, 0.006)),
                lon=park.lon + float(rng.normal(0, 0.008)),
                elec_mwh=float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) * park.scale,
                coal_t=float(rng.uniform(*spec.coal_t)) * park.scale if rng.random() < spec.p_coal else 0.0,
                gas_m3=float(rng.uniform(*spec.gas_m3)) * park.scale if rng.random() < spec.p_gas else 0.0,
                heat_gj=float(rng.uniform(*spec.heat_gj)) * park.scale if rng.random() < spec.p_heat else 0.0,
                growth=float(rng.uniform(*spec.growth)),
                coal_cut=float(rng.uniform(0.06, 0.22)),
            )
            out.append(ent)
    # The park's own energy company (runs the PV and wind that supply other enterprises directly).
    out.append(
        EnterpriseModel(
            idx=len(out), park=park, sector=SectorSpec("park_utility", 0, "综合能源", (("green_low_carbon", 1.0),), (300, 300)),
            enterprise_class="green_low_carbon", name=f"{park.name_zh[:2]}园区综合能源服务示例有限公司",
            uscc=make_uscc(YANGQUAN_DIVISION, 300000 + park.purpose), lat=park.lat, lon=park.lon,
            elec_mwh=300 * park.scale, coal_t=0, gas_m3=0, heat_gj=0, growth=0.03, coal_cut=0,
        )
    )
    # Unique demo names: add a serial where two collide.
    seen: dict[str, int] = {}
    for e in out:
        if e.name in seen:
            seen[e.name] += 1
            e.name = e.name.replace("示例", f"示例{seen[e.name]}号")
        else:
            seen[e.name] = 1
    _assign_green_paths(out, rng)
    return out


def _assign_green_paths(ents: list[EnterpriseModel], rng: np.random.Generator) -> None:
    for e in ents:
        if e.sector.sector == "park_utility":
            continue
        big = e.elec_mwh > 6_000
        if rng.random() < (0.45 if e.enterprise_class == "green_low_carbon" else 0.25):
            kw = e.elec_mwh * 1000 / PV_YIELD_KWH_PER_KW * rng.uniform(0.05, 0.25)
            first = dt.date(int(rng.integers(2021, 2026)), int(rng.integers(1, 13)), 1)
            e.pv_kw.append((first, kw))
            if rng.random() < 0.4:
                e.pv_kw.append((add_months(first, int(rng.integers(12, 30))), kw * rng.uniform(0.5, 1.2)))
        if big and rng.random() < 0.6:
            e.direct_share = (dt.date(int(rng.integers(2023, 2026)), int(rng.integers(1, 13)), 1),
                              rng.uniform(0.10, 0.25), rng.uniform(0.30, 0.55))
        if rng.random() < (0.7 if big else 0.25):
            e.trade_share = (dt.date(int(rng.integers(2022, 2026)), int(rng.integers(1, 13)), 1),
                             rng.uniform(0.05, 0.12), rng.uniform(0.15, 0.35))
        if rng.random() < (0.5 if big else 0.2):
            e.cert_share = (dt.date(int(rng.integers(2023, 2026)), int(rng.integers(1, 13)), 1),
                            rng.uniform(0.03, 0.08), rng.uniform(0.08, 0.20))
    # Laggards: a few high-carbon enterprises whose coal rises instead of falling.
    high = [e for e in ents if e.coal_t > 0]
    for e in high[:: max(1, len(high) // 3)][:3]:
        e.laggard = True
        e.coal_cut = -float(rng.uniform(0.03, 0.08))
    # Two enterprises claim a zero-carbon label; one of them has no renewable supply at all (a fake-zero case).
    green = [e for e in ents if e.enterprise_class == "green_low_carbon" and e.sector.sector != "park_utility"]
    if len(green) >= 2:
        green[0].zero_carbon_label = True
        green[0].pv_kw = green[0].pv_kw or [(dt.date(2022, 6, 1), green[0].elec_mwh * 1000 / PV_YIELD_KWH_PER_KW * 0.3)]
        green[1].zero_carbon_label = True
        green[1].pv_kw, green[1].direct_share = [], None


def _ramp(spec: tuple[dt.date, float, float] | None, months: list[dt.date]) -> np.ndarray:
    """Share of a green source per month: 0 before start, then linear from s0 to s1 over 36 months."""
    out = np.zeros(len(months))
    if spec is None:
        return out
    start, s0, s1 = spec
    for i, m in enumerate(months):
        if m >= start:
            k = (m.year - start.year) * 12 + m.month - start.month
            out[i] = s0 + (s1 - s0) * min(1.0, k / 36)
    return out


def _pv_kw(e: EnterpriseModel, months: list[dt.date]) -> np.ndarray:
    return np.array([sum(kw for d, kw in e.pv_kw if d <= m) for m in months])


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
        return 1 + _rng(purpose + 10 + k).normal(0, sd, size=(n_m + 200, n_e))[:n_m]

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

    pv_kw = np.stack([_pv_kw(e, months) for e in ents], axis=1)
    pv = pv_kw * PV_YIELD_KWH_PER_KW / 365 * days * SOLAR_MONTH[month_idx][:, None] * noise(5, 0.08) / 1000  # MWh
    own = np.minimum(pv, 0.8 * elec)
    direct = np.stack([_ramp(e.direct_share, months) for e in ents], axis=1) * elec
    grid = np.clip(elec - own - direct, 0, None)
    trade = np.stack([_ramp(e.trade_share, months) for e in ents], axis=1) * grid
    cert = np.round(np.stack([_ramp(e.cert_share, months) for e in ents], axis=1) * grid)
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


def hourly_rows(ents: list[EnterpriseModel], meters: dict[tuple[int, str], int], month: dt.date,
                design: dict[str, float | np.ndarray], carriers: tuple[str, ...] | None = None):
    """Yield (meter_id, ts, value) for one month; monthly sums equal the design (PV capped at the load).
    `carriers` limits the meters read hourly (None: all)."""
    hours = _hours(month)
    ts = hours.astype("datetime64[us]").astype(dt.datetime)
    rng = _rng(7, month.year, month.month, ents[0].park.purpose if ents else 0)
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
            for t, v in zip(ts, np.round(values, 4).tolist()):
                yield (meter_id, t, v)


def _with_meter_gaps(rows, meters: dict[tuple[int, str], int], gaps: dict[int, range]):
    """Drop the readings of some enterprises' meters on some days of the month (a risk-rule case: meter gaps).

    Six days of 31 missing leaves 81 % coverage (below the 95 % rule); one day leaves 96.8 % (a near miss).
    """
    lost = {mid: days for (eid, _), mid in meters.items() for e, days in gaps.items() if eid == e}
    return (r for r in rows if r[0] not in lost or r[1].day not in lost[r[0]])


# --- credit -----------------------------------------------------------------------------------------

PRODUCT_BY_SECTOR = {
    "battery_materials": ("industrial_upgrade", "new_power_system", "energy_saving", "solid_waste"),
    "smart_terminal": ("industrial_upgrade", "green_building", "energy_saving"),
    "computing_ai": ("new_power_system", "energy_saving", "industrial_upgrade"),
    "tungsten_molybdenum": ("traditional_energy_decarb", "energy_saving", "ccus", "industrial_upgrade"),
    "pumps_valves": ("traditional_energy_decarb", "industrial_upgrade", "energy_saving"),
    "equipment": ("industrial_upgrade", "energy_saving", "green_transport"),
    "energy_saving_recycling": ("solid_waste", "energy_saving", "green_transport"),
    "park_utility": ("new_power_system", "power_heat", "green_building"),
}


def lpr_1y(d: dt.date) -> float:
    """One-year LPR path, % (approximate public values; only used to shape demo rates)."""
    steps = [(dt.date(2020, 4, 20), 3.85), (dt.date(2021, 12, 20), 3.80), (dt.date(2022, 1, 20), 3.70),
             (dt.date(2022, 8, 22), 3.65), (dt.date(2023, 6, 20), 3.55), (dt.date(2023, 8, 21), 3.45),
             (dt.date(2024, 7, 22), 3.35), (dt.date(2024, 10, 21), 3.10), (dt.date(2025, 5, 20), 3.00)]
    rate = 3.85
    for day, r in steps:
        if d >= day:
            rate = r
    return rate


def carbon_tool_rate(d: dt.date) -> float:
    """Rate of the carbon emission reduction support tool in force on `d`, % (reference/policy_tool_rates.csv)."""
    return policy_tool_rate("carbon_reduction_tool", d)


def relending_rate(d: dt.date) -> float:
    """Sci-tech innovation and technology renovation relending rate on `d`, % (reference/policy_tool_rates.csv)."""
    return policy_tool_rate("sci_tech_relending", d)


NATIONAL_TOOL_TYPES = ("policy", "state_owned", "joint_stock")


@dataclass
class FacilityModel:
    institution: int  # index into institutions
    enterprise: int  # index into enterprises
    product_line: str
    is_green: bool
    start: dt.date
    months: int
    amount: float  # 万元
    rate: float
    amortising: bool
    policy_tool: str | None = None
    collateral: str = "none"
    carbon_product: str | None = None
    carbon_linked: bool = False
    discount_bp: int | None = None
    project: int | None = None
    problem: str | None = None  # 'overdue' or 'npl' and when
    problem_from: dt.date | None = None
    syndicated: bool = False


def build_facilities(park: ParkSpec, ents: list[EnterpriseModel], insts: list[dict], last: dt.date) -> list[FacilityModel]:
    rng = _rng(park.purpose + 2)
    by_type: dict[str, list[int]] = {}
    for i, inst in enumerate(insts):
        by_type.setdefault(inst["inst_type"], []).append(i)
    type_weights = {"policy": 0.10, "state_owned": 0.42, "joint_stock": 0.20, "provincial_legal": 0.10,
                    "local_legal": 0.12, "other": 0.06}
    types, tw = zip(*type_weights.items())
    tw = np.array(tw) / sum(tw)
    out: list[FacilityModel] = []
    for j, e in enumerate(ents):
        size = e.elec_mwh / 2_000  # bigger energy users borrow more
        n = int(np.clip(rng.poisson(2.5 + min(size, 6)), 1, 10))
        for _ in range(n):
            t = str(rng.choice(types, p=tw))
            inst = int(rng.choice(by_type[t]))
            # Lending grows over time: later start dates are more likely.
            start = add_months(dt.date(2019, 1, 1), int(95 * rng.random() ** 0.7))
            start = start.replace(day=1)
            green_p = {"green_low_carbon": 0.75, "data_center": 0.6, "high_carbon_industrial": 0.45}[e.enterprise_class]
            green_p = min(0.92, green_p + 0.04 * max(0, start.year - 2021))
            is_green = bool(rng.random() < green_p)
            line = str(rng.choice(PRODUCT_BY_SECTOR[e.sector.sector])) if is_green else "general"
            amortising = bool(rng.random() < 0.6)
            months = int(rng.choice([12, 24, 36, 60, 84, 120], p=[0.3, 0.15, 0.2, 0.2, 0.1, 0.05]))
            amount = float(np.exp(rng.normal(np.log(1_500 * (1 + min(size, 20)) ** 0.6), 0.7)))
            rate = lpr_1y(start) + float(rng.normal(0.35, 0.25)) - (0.25 if is_green else 0)
            f = FacilityModel(inst, j, line, is_green, start, months, round(amount, 2), round(max(rate, 2.2), 2), amortising)
            national = insts[inst]["inst_type"] in NATIONAL_TOOL_TYPES
            if is_green and national and line in ("new_power_system", "energy_saving", "traditional_energy_decarb") \
                    and start >= dt.date(2021, 11, 1) and rng.random() < 0.5:
                f.policy_tool = "carbon_reduction_tool"
            elif line == "industrial_upgrade" and national and start >= dt.date(2024, 4, 1) and rng.random() < 0.5:
                f.policy_tool = "sci_tech_relending"
            elif insts[inst]["inst_type"] == "local_legal" and is_green and rng.random() < 0.4:
                f.policy_tool = str(rng.choice(["interest_subsidy", "risk_compensation", "green_guarantee"]))
            r = rng.random()
            if is_green and r < 0.05 and start >= dt.date(2022, 1, 1):
                f.collateral, f.carbon_product = "carbon_quota_pledge", "carbon_quota_pledge"
            elif is_green and r < 0.09 and start >= dt.date(2023, 1, 1):
                f.collateral, f.carbon_product = "green_certificate_pledge", "green_certificate_pledge"
            elif is_green and r < 0.11 and start >= dt.date(2024, 1, 1):
                f.collateral, f.carbon_product = "carbon_sink_income_pledge", "carbon_sink_income_pledge"
            elif is_green and r < 0.15 and start >= dt.date(2023, 6, 1):
                f.collateral, f.carbon_product = "vep_esg", "vep_esg"
            elif r < 0.19 and insts[inst]["inst_type"] == "provincial_legal":
                f.collateral, f.carbon_product = "receivables_pledge", "supply_chain_zero_carbon"
            else:
                f.collateral = str(rng.choice(["none", "real_estate", "equipment", "guarantee"], p=[0.35, 0.3, 0.2, 0.15]))
            if insts[inst]["inst_type"] == "local_legal" and is_green and start >= dt.date(2023, 1, 1) and rng.random() < 0.45:
                f.carbon_linked, f.carbon_product = True, "carbon_performance_linked"
                f.discount_bp = int(rng.choice([10, 15, 20, 30]))
                f.rate = round(f.rate - f.discount_bp / 100, 2)
            out.append(f)
    # Problem loans: a few overdue and non-performing, concentrated in high-carbon borrowers.
    candidates = [i for i, f in enumerate(out) if ents[f.enterprise].enterprise_class == "high_carbon_industrial"
                  and f.start <= add_months(last, -18)]
    for k, i in enumerate(rng.choice(candidates, size=min(9, len(candidates)), replace=False) if candidates else []):
        f = out[int(i)]
        f.problem = "npl" if k % 3 == 0 else "overdue"
        f.problem_from = add_months(last, -int(rng.integers(2, 16)))
        f.months = max(f.months, (f.problem_from.year - f.start.year) * 12 + 24)
    out.extend(_general_lending(park, ents, insts, by_type))
    return out


# Ordinary working-capital and fixed-asset loans (not green), so that green loans are a plausible share of all
# park lending: about 30 % (national green loans are about 16 % of all loans, Huzhou's 33.9 % in 2024, a green
# park sits above the nation; domain/facts.md §2 and §7). A separate random stream, so the green book is unchanged.
GENERAL_LOANS_PER_ENTERPRISE = (2, 4)
GENERAL_LOAN_SCALE = 2.6


def _general_lending(park: ParkSpec, ents: list[EnterpriseModel], insts: list[dict], by_type: dict) -> list[FacilityModel]:
    rng = _rng(park.purpose + 31)
    types = ("policy", "state_owned", "joint_stock", "provincial_legal", "local_legal")
    tw = np.array([0.05, 0.45, 0.22, 0.12, 0.16])
    out = []
    for j, e in enumerate(ents):
        size = e.elec_mwh / 2_000
        for _ in range(int(rng.integers(*GENERAL_LOANS_PER_ENTERPRISE, endpoint=True))):
            inst = int(rng.choice(by_type[str(rng.choice(types, p=tw))]))
            start = add_months(dt.date(2019, 1, 1), int(95 * rng.random() ** 0.8)).replace(day=1)
            months = int(rng.choice([36, 60, 84, 120], p=[0.25, 0.35, 0.25, 0.15]))
            amount = GENERAL_LOAN_SCALE * float(np.exp(rng.normal(np.log(1_500 * (1 + min(size, 20)) ** 0.6), 0.6)))
            rate = lpr_1y(start) + float(rng.normal(0.45, 0.25))
            f = FacilityModel(inst, j, "general", False, start, months, round(amount, 2), round(max(rate, 2.4), 2),
                              bool(rng.random() < 0.5))
            f.collateral = str(rng.choice(["none", "real_estate", "equipment", "guarantee"], p=[0.3, 0.35, 0.2, 0.15]))
            out.append(f)
    return out


def facility_balance(f: FacilityModel, m: dt.date) -> tuple[float, float, str, int]:
    """(balance, disbursed, status, overdue_days) of a facility at month `m`, 万元."""
    k = (m.year - f.start.year) * 12 + m.month - f.start.month
    if k < 0:
        return 0.0, 0.0, "repaid", 0
    status, overdue = "normal", 0
    if f.problem and f.problem_from and m >= f.problem_from:
        status = f.problem
        overdue = 30 * ((m.year - f.problem_from.year) * 12 + m.month - f.problem_from.month + 1)
        overdue = max(overdue, 91) if status == "npl" else min(overdue, 89)
        frozen_k = (f.problem_from.year - f.start.year) * 12 + f.problem_from.month - f.start.month
        k = frozen_k  # no repayment once in trouble
    if k >= f.months and status == "normal":
        return 0.0, 0.0, "repaid", 0
    disbursed = f.amount if (m.year, m.month) == (f.start.year, f.start.month) else 0.0
    if f.amortising and k >= 12:
        remaining = max(0.0, 1 - (k - 11) / max(1, f.months - 11))
        balance = f.amount * remaining
    elif f.amortising:
        balance = f.amount
    else:  # revolving working capital: utilisation moves with the seasons
        balance = f.amount * (0.75 + 0.2 * math.sin(2 * math.pi * (m.month + f.enterprise % 5) / 12))
    return round(balance, 2), round(disbursed, 2), status, overdue


@dataclass
class RiskCases:
    """Cases planted for the risk rules (§十三), each with a near miss where one fits; README "Demo data" lists them."""
    late_institution: int | None = None  # index into institutions: reported the month before, not the last month
    revised: set[int] = field(default_factory=set)  # facility indexes whose last month was re-sent as revision 2


def plant_risk_cases(park: ParkSpec, facilities: list[FacilityModel], insts: list[dict], ents: list[EnterpriseModel],
                     last: dt.date) -> RiskCases:
    """Shape the facility book so that every rule has a case in the demo, and some cases fall just short.

    Main park: the largest lender is brought to ~28 % of the park's green credit (near miss for the 30 % share
    rule, HHI stays low); one joint-stock green loan turns non-performing three months ago (NPL ratio of the
    type rises by more than 0.5 pp); one institution re-sends its last month (figures changed after submission).
    Second park: one institution is late with the last month, and the largest lender books a big green loan
    that lifts it to 45 % of the park's green credit (share rule and HHI both trigger).
    """
    cases = RiskCases()
    itype = lambda f: _inst_type_at(insts[f.institution], last)  # noqa: E731
    # Green *loans*: a leasing firm's green leasing is not in the park's green credit (tx.BANK_TYPES).
    bal = lambda f: facility_balance(f, last)[0] if f.is_green and itype(f) in tx.BANK_TYPES else 0.0  # noqa: E731

    def green_by_inst() -> dict[int, float]:
        out: dict[int, float] = {}
        for f in facilities:
            if f.institution != cases.late_institution:
                out[f.institution] = out.get(f.institution, 0.0) + bal(f)
        return out

    if park.purpose:
        by_inst = green_by_inst()
        cases.late_institution = min((i for i, b in by_inst.items() if b > 0), key=by_inst.get)
        by_inst = green_by_inst()
        top, total = max(by_inst, key=by_inst.get), sum(by_inst.values())
        amount = (0.45 * total - by_inst[top]) / (1 - 0.45)  # balance equals the amount in the first 12 months
        biggest = max(ents, key=lambda e: e.elec_mwh)
        facilities.append(FacilityModel(top, biggest.idx, PRODUCT_BY_SECTOR[biggest.sector.sector][0], True,
                                        add_months(last, -10), 60, round(amount, 2), round(lpr_1y(last) - 0.2, 2), True))
        return cases

    by_inst = green_by_inst()
    top, total = max(by_inst, key=by_inst.get), sum(by_inst.values())
    movable = sorted((i for i, f in enumerate(facilities) if f.is_green and f.project is None and f.institution != top
                      and f.policy_tool is None and not f.problem and bal(f) > 0),
                     key=lambda i: -bal(facilities[i]))
    for i in movable:  # loans without a policy tool, so tool eligibility does not change
        if (by_inst[top] + bal(facilities[i])) / total <= 0.285:
            by_inst[top] += bal(facilities[i])
            facilities[i].institution = top
        if by_inst[top] / total >= 0.275:
            break
    js_total = sum(bal(f) for f in facilities if itype(f) == "joint_stock")
    turn = add_months(last, -3)
    for f in sorted(facilities, key=bal):
        if (itype(f) == "joint_stock" and not f.problem and f.start < add_months(turn, -2) and f.project is None
                and 0.01 <= bal(f) / js_total <= 0.05):
            f.problem, f.problem_from = "npl", turn
            f.months = max(f.months, (turn.year - f.start.year) * 12 + 24)
            break
    resender = sorted(by_inst, key=by_inst.get)[len(by_inst) // 2]
    cases.revised = {i for i, f in enumerate(facilities) if f.institution == resender and bal(f) > 0}
    cases.revised = set(sorted(cases.revised)[:3])
    return cases


def _write_profiles(conn, park: ParkSpec, ents: list[EnterpriseModel], last: dt.date) -> int:
    """Whitelist and guideline facts for every enterprise; a few fall on the negative list on purpose:
    the 5th enterprise is a dishonest debtor, the 9th has restricted capacity, the 14th two environmental penalties."""
    rng = _rng(park.purpose + 11)
    rows = []
    for e in ents:
        green = e.enterprise_class == "green_low_carbon"
        rows.append({"enterprise_id": e.id, "as_of": last, "patents": int(rng.poisson(9 if green else 4)),
                     "high_tech": bool(rng.random() < (0.5 if green else 0.25)), "specialised": bool(rng.random() < 0.2),
                     "tax_credit_grade": str(rng.choice(["A", "B", "M", "C"], p=[0.45, 0.4, 0.1, 0.05])),
                     "env_penalties": int(rng.random() < (0.15 if e.enterprise_class == "high_carbon_industrial" else 0.03)),
                     "dishonest": e.idx == 4, "restricted_capacity": e.idx == 8 and not park.purpose,
                     "has_transition_plan": bool(e.enterprise_class != "high_carbon_industrial" or rng.random() < 0.6)})
    if len(rows) > 13:
        rows[13]["env_penalties"] = 2
    conn.execute(insert(EnterpriseProfile), rows)
    return len(rows)


def _write_library(conn, insts: list[dict]) -> dict:
    """The resource library (§十二): products of the demo institutions, public policies with their sources, and
    typical cases (fictitious, like the institutions)."""
    by_code = {i["code"]: i["id"] for i in insts}
    every = ["green_low_carbon", "data_center", "high_carbon_industrial"]
    products = [  # institution, name, line, carbon product, rate range, term, amount range, collateral, classes, categories, tool, whitelist only
        ("SO-1", "零碳园区项目贷", "new_power_system", None, 2.6, 3.3, 180, 5_000, 200_000, ["real_estate", "equipment", "receivables_pledge"], every, ["power_heat", "green_building"], "carbon_reduction_tool", False),
        ("SO-2", "碳减排支持工具专项贷款", "energy_saving", None, 2.5, 3.1, 120, 1_000, 100_000, ["equipment", "guarantee"], every, ["energy_saving", "power_heat"], "carbon_reduction_tool", False),
        ("SO-3", "转型金融贷款（钨钼、装备）", "traditional_energy_decarb", None, 2.9, 3.6, 96, 2_000, 80_000, ["real_estate", "equipment"], ["high_carbon_industrial"], ["industrial_upgrade", "energy_saving"], None, False),
        ("PB-1", "园区基础设施中长期贷款", "new_power_system", None, 2.4, 3.0, 240, 20_000, 500_000, ["real_estate", "guarantee"], every, ["power_heat", "green_transport", "ccus"], None, False),
        ("PB-2", "科技创新再贷款配套贷款", "industrial_upgrade", None, 2.5, 3.2, 60, 500, 30_000, ["guarantee", "none"], ["green_low_carbon", "data_center"], ["industrial_upgrade"], "sci_tech_relending", False),
        ("JS-1", "碳配额质押贷款", "energy_saving", "carbon_quota_pledge", 3.0, 3.8, 36, 300, 20_000, ["carbon_quota_pledge"], ["high_carbon_industrial"], [], None, False),
        ("JS-2", "绿证质押融资", "new_power_system", "green_certificate_pledge", 3.1, 3.9, 24, 100, 5_000, ["green_certificate_pledge"], every, [], None, False),
        ("JS-3", "绿色建筑按揭贷款", "green_building", None, 3.0, 3.7, 120, 1_000, 60_000, ["real_estate"], every, ["green_building"], None, False),
        ("PL-1", "供应链金融+零碳", "industrial_upgrade", "supply_chain_zero_carbon", 3.3, 4.2, 12, 50, 3_000, ["receivables_pledge"], every, [], None, False),
        ("LL-1", "碳表现挂钩贷款", "energy_saving", "carbon_performance_linked", 3.4, 4.5, 36, 50, 3_000, ["guarantee", "equipment", "none"], every, ["energy_saving", "solid_waste"], "interest_subsidy", True),
        ("LL-2", "VEP+ESG评级贷款", "industrial_upgrade", "vep_esg", 3.5, 4.6, 36, 50, 2_000, ["none", "guarantee"], ["green_low_carbon", "data_center"], [], "green_guarantee", True),
        ("LL-3", "未来碳汇收益权质押贷款", "solid_waste", "carbon_sink_income_pledge", 3.6, 4.8, 60, 100, 5_000, ["carbon_sink_income_pledge"], every, ["solid_waste", "ccus"], "risk_compensation", False),
        ("OT-1", "光伏设备融资租赁", "new_power_system", None, 3.8, 5.2, 96, 200, 50_000, ["equipment"], every, ["power_heat", "green_transport"], None, False),
        ("OT-2", "新能源重卡经营性租赁", "green_transport", None, 4.0, 5.5, 60, 100, 20_000, ["equipment"], every, ["green_transport"], None, False),
    ]
    conn.execute(insert(FinancialProduct), [{
        "institution_id": by_code[c], "name": n, "product_line": line, "carbon_product": cp, "rate_min": r0, "rate_max": r1,
        "term_months_max": term, "min_amount": a0, "max_amount": a1, "collateral": col, "eligible_classes": cls, "categories": cats,
        "policy_tool": tool, "whitelist_only": wl, "description": ""} for c, n, line, cp, r0, r1, term, a0, a1, col, cls, cats, tool, wl in products])
    items = [
        ("policy", "阳泉市金融支持零碳园区建设行动方案", "构建政策、产品、案例、企业和项目于一体的综合金融资源库；建立融资白名单；制定融资支持指引。", "阳泉市人民政府办公室", None, "项目种子文件 seed/action-plan-yangquan-2026-13.txt", "白名单 指引 资源库 零碳园区"),
        ("policy", "碳减排支持工具", "人民银行按贷款本金的60%提供资金支持，利率1.75%（2021-11-08起），1.50%（2025-05-07起），1.25%（2026-01-19起）。", "中国人民银行", dt.date(2021, 11, 8), "http://www.wumasheying.com/news/zhxw/2021/1109/206397.shtml", "碳减排 再贷款 清洁能源 节能环保"),
        ("policy", "科技创新和技术改造再贷款", "支持科技型中小企业和重点领域技术改造，利率1.75%（2024-04-07起），1.50%（2025-05-07起），1.25%（2026-01-15起）。", "中国人民银行", dt.date(2024, 4, 7), "https://cn.technode.com/post/2024-04-07/pbc-scientific-innovation", "科技 技术改造 再贷款"),
        ("case", "分布式光伏项目银团贷款（示例）", "主办银行牵头三家机构组建银团，按5:3:2分担园区分布式光伏二期融资，绿证质押增信。", "演示数据", None, None, "银团 光伏 主办银行"),
        ("case", "钨钼企业转型金融贷款（示例）", "以碳配额质押并约定单位增加值排放下降目标，达标后利率下调30个基点。", "演示数据", None, None, "转型金融 碳配额 挂钩"),
        ("case", "数据中心绿电直供与融资租赁（示例）", "租赁公司以直租方式支持液冷改造，绿电直供合同作为还款来源。", "演示数据", None, None, "数据中心 租赁 绿电"),
    ]
    conn.execute(insert(LibraryItem), [{"kind": k, "title": t, "body": b, "issuer": i, "issued": d, "source": src, "tags": tags}
                                       for k, t, b, i, d, src, tags in items])
    return {"financial_product": len(products), "library_item": len(items)}


# --- the whole seed ---------------------------------------------------------------------------------

def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Park)).scalar_one() == 0


DEMO_WATERMARK = "demo_watermark"
DEMO_MASTER_TABLES = (Park, Institution, Enterprise, Meter)  # rows a demo session cannot add


def record_demo_watermark(conn) -> None:
    """Remember the last id of each master-data table the seed wrote: a row beyond it (a real bank, enterprise,
    meter or park) ends demo mode (`auth.only_demo_data`)."""
    marks = {m.__tablename__: int(conn.execute(select(func.max(m.id))).scalar() or 0) for m in DEMO_MASTER_TABLES}
    conn.execute(delete(Meta).where(Meta.key == DEMO_WATERMARK))
    conn.execute(insert(Meta).values(key=DEMO_WATERMARK, value=json.dumps(marks)))


def seed_demo(engine: Engine, *, today: dt.date | None = None, hourly_months: int = 24,
              progress: Progress = _noop, parks: tuple[ParkSpec, ...] = PARKS,
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
    if not is_empty(engine):
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
        counts.update(_write_library(conn, insts))
        _write_users(conn, insts)
        conn.execute(insert(AuditLog), [{"actor": "system", "action": "seed_demo", "entity": "database",
                                          "detail": {"last_month": last.isoformat(), "hourly_months": hourly_months}}])
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        record_demo_watermark(conn)
    if engine.dialect.name == "sqlite":
        # One large transaction leaves a write-ahead log as big as the database; fold it back in.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    progress(1.0, "done")
    counts.pop("park_id", None)
    return counts


def _reset_sequences(conn) -> None:
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


def _inst_type_at(inst: dict, m: dt.date) -> str:
    code, old_type, changed = TYPE_CHANGE
    if inst["code"] == code and m < changed:
        return old_type
    return inst["inst_type"]


def _seed_park(conn, park: ParkSpec, insts: list[dict], last: dt.date, hourly_months: int, progress: Progress,
               hourly_carriers: tuple[str, ...] | None = None) -> dict:
    counts: dict[str, int] = {}
    park_id = park.purpose // 1000 + 1
    is_main = park.purpose == 0
    conn.execute(insert(Park), [{
        "id": park_id, "code": park.code, "name_zh": park.name_zh, "name_en": park.name_en, "level": "national" if is_main else "provincial",
        "centre_lat": park.lat, "centre_lon": park.lon, "location_approximate": True,
        "boundary_geojson": _boundary(park.lat, park.lon, 5.0 if is_main else 2.0, 3.6 if is_main else 1.5),
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
    counts["enterprise_profile"] = _write_profiles(conn, park, ents, last)
    counts["enterprise_output"] = _write_outputs(conn, park, ents, last)
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
                               "capacity_kw": (round(_pv_kw(e, [last])[0], 1) if carrier == "electricity_own_renewable" else None)})
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
    gpt_rows.extend(_double_claims(gpt_rows, design, ents, months, park_id, last, serial))
    if report_rows:
        conn.execute(insert(EnergyMonthly), report_rows)
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
        rows = hourly_rows(ents, meters, m, month_design, hourly_carriers)
        if m == last and is_main and len(ents) > 23:
            rows = _with_meter_gaps(rows, meters, {ents[11].id: range(10, 16), ents[23].id: range(20, 21)})
        n_readings += insert_readings(conn, rows)
        progress(0.1 + 0.7 * (k + 1) / max(1, len(hourly_sorted)), f"hourly meter readings {m:%Y-%m}")
    counts["meter_reading"] = n_readings
    if hourly_sorted:
        first_day = hourly_sorted[0]
        end_day = (hourly_sorted[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        days = [first_day + dt.timedelta(days=d) for d in range((end_day - first_day).days)]
        refresh_rollups(conn, [mid for mid in meters.values()], days)
    progress(0.85, "rollups")

    counts.update(_seed_finance(conn, park, park_id, ents, insts, last))
    progress(0.95, "credit, projects and policy tools")
    counts.update(_seed_governance(conn, park, park_id, ents, insts, last, design, months))
    counts["park_id"] = park_id
    return counts


# Value added per MWh of electricity, 万元 (demo assumption shaping the carbon-efficiency spread).
VALUE_ADDED_PER_MWH = {"battery_materials": 0.8, "smart_terminal": 3.0, "computing_ai": 0.25, "tungsten_molybdenum": 0.35,
                       "pumps_valves": 1.5, "equipment": 2.0, "energy_saving_recycling": 1.2, "park_utility": 1.0}


def _write_outputs(conn, park: ParkSpec, ents: list[EnterpriseModel], last: dt.date) -> int:
    """Yearly output and value added for every full year with data (reported once a year)."""
    rng = _rng(park.purpose + 5)
    rows = []
    for e in ents:
        level = e.elec_mwh * VALUE_ADDED_PER_MWH[e.sector.sector] * float(rng.uniform(0.7, 1.3))
        ratio = float(rng.uniform(0.22, 0.38))  # value added / output
        for year in range(max(2021, park.energy_from.year), last.year):
            va = level * (1 + e.growth) ** (year - 2021) * float(rng.normal(1, 0.04))
            rows.append({"enterprise_id": e.id, "year": year, "value_added": round(va, 2), "output_value": round(va / ratio, 2)})
    conn.execute(insert(EnterpriseOutput), rows)
    return len(rows)


# A demo project's nodes (months after its start) and the stage each one, once passed, brings it to.
MILESTONE_PLAN = (("立项批复", 0), ("融资落实", 6), ("开工建设", 9), ("主体完工", 20), ("投产运营", 28))
MILESTONE_STAGE = {"立项批复": "approved", "融资落实": "financing", "开工建设": "construction", "主体完工": "construction",
                   "投产运营": "operation"}


def _seed_finance(conn, park: ParkSpec, park_id: int, ents, insts, last: dt.date) -> dict:
    rng = _rng(park.purpose + 3)
    facilities = build_facilities(park, ents, insts, last)
    # Projects: the park's zero-carbon projects, each with a lead bank; big ones are syndicated.
    project_plan = [
        ("园区分布式光伏二期", "power_heat", 52_000), ("源网荷储一体化示范", "power_heat", 180_000),
        ("绿色数据中心液冷改造", "energy_saving", 36_000), ("钨钼冶炼电窑炉替代", "industrial_upgrade", 64_000),
        ("动力电池材料零碳工厂", "industrial_upgrade", 95_000), ("园区集中供热清洁化改造", "power_heat", 48_000),
        ("工业固废综合利用中心", "solid_waste", 42_000), ("新能源重卡换电站", "green_transport", 18_000),
        ("智能终端产业园绿色建筑", "green_building", 75_000), ("园区碳捕集利用示范", "ccus", 26_000),
        ("泵阀铸造余热回收", "energy_saving", 9_500), ("废旧电池回收再生", "solid_waste", 33_000),
        ("园区物流电动化", "green_transport", 12_000), ("屋顶光伏+储能（三期）", "power_heat", 28_000),
        ("数据中心绿电直供专线", "power_heat", 41_000), ("装备制造数字化节能改造", "energy_saving", 15_000),
    ]
    if park.purpose:
        project_plan = project_plan[:4]
    banks = [i for i, inst in enumerate(insts) if inst["inst_type"] != "other"]
    projects, syndicate_rows, milestone_rows = [], [], []
    for k, (name, category, invest) in enumerate(project_plan):
        pid = park.purpose + k + 1
        invest = invest * park.scale
        start = add_months(dt.date(2022, 3, 1), int(rng.integers(0, 48)))
        # Milestones first, then the stage they reach, so a project never stands at a stage past a node it has not
        # passed (every fifth project is held up from 开工建设 on and stays at the stage before it).
        ms_plan = []
        for n_ms, (ms_name, offset) in enumerate(MILESTONE_PLAN):
            planned = add_months(start, offset)
            ms_plan.append((ms_name, planned, planned <= add_months(last, -1) and not (k % 5 == 3 and n_ms >= 2)))
        stage = "planning"
        for (ms_name, _planned, done) in ms_plan:
            if not done:
                break
            stage = MILESTONE_STAGE[ms_name]
        lead = int(rng.choice(banks))
        owner = ents[int(rng.integers(0, len(ents)))]
        if not park.purpose and k == 3:
            owner = ents[8]  # the enterprise with restricted capacity: its project falls on the negative list
        projects.append({"id": pid, "park_id": park_id, "code": f"{park.code}-P{k + 1:02d}", "name": name, "enterprise_id": owner.id,
                         "category": category, "stage": stage, "investment": round(invest, 2),
                         "financing_need": round(invest * float(rng.uniform(0.55, 0.8)), 2), "lead_bank_id": insts[lead]["id"],
                         "expected_reduction_t": round(invest * float(rng.uniform(0.4, 1.6)), 0),
                         "start_date": start, "planned_completion": add_months(start, int(rng.integers(18, 40))),
                         "on_negative_list": False})
        syndicated = invest >= 60_000 * park.scale
        members = [lead] + ([int(x) for x in rng.choice([b for b in banks if b != lead], size=2, replace=False)] if syndicated else [])
        shares = [1.0] if not syndicated else [0.5, 0.3, 0.2]
        for b, s in zip(members, shares):
            syndicate_rows.append({"project_id": pid, "institution_id": insts[b]["id"], "share": s,
                                   "amount": round(projects[-1]["financing_need"] * 0.8 * s, 2)})
        # Project loans: one facility per member, green, disbursed as the project starts.
        if start <= last and stage != "planning":
            for b, s in zip(members, shares):
                facilities.append(FacilityModel(b, owner.idx, _line_for(category), True, add_months(start, 2), 120,
                                                round(projects[-1]["financing_need"] * 0.8 * s * (0.6 if stage == "financing" else 1.0), 2),
                                                round(lpr_1y(start) - 0.2, 2), True, project=k, syndicated=syndicated,
                                                policy_tool="carbon_reduction_tool" if insts[b]["inst_type"] in NATIONAL_TOOL_TYPES and category in ("power_heat", "energy_saving") else None))
        for ms_name, planned, done in ms_plan:
            status = "done" if done else ("overdue" if planned < last else "planned")
            milestone_rows.append({"project_id": pid, "name": ms_name, "planned_date": planned,
                                   "actual_date": add_months(planned, int(rng.integers(0, 2))) if done else None, "status": status})
    conn.execute(insert(Project), projects)
    conn.execute(insert(SyndicateMember), syndicate_rows)
    conn.execute(insert(Milestone), milestone_rows)
    cases = plant_risk_cases(park, facilities, insts, ents, last)

    months = month_range(HISTORY_START, last)
    fac_rows, snap_rows = [], []
    tool_acc: dict[tuple[int, str, dt.date], dict] = {}
    for n, f in enumerate(facilities):
        if f.start > last:
            continue
        fid = park.purpose * 10 + n + 1
        inst = insts[f.institution]
        fac_rows.append({
            "id": fid, "park_id": park_id, "institution_id": inst["id"], "enterprise_id": ents[f.enterprise].id,
            "project_id": (park.purpose + f.project + 1) if f.project is not None else None,
            "contract_no": f"{inst['code']}-{park.code}-{n + 1:05d}", "product_line": f.product_line, "is_green": f.is_green,
            "start_date": f.start, "maturity_date": add_months(f.start, f.months), "amount": f.amount, "rate": f.rate,
            "policy_tool": f.policy_tool, "collateral_type": f.collateral, "carbon_product": f.carbon_product,
            "carbon_linked": f.carbon_linked,
            "carbon_target_intensity": (round(float(rng.uniform(0.3, 1.2)), 3) if f.carbon_linked else None),
            "rate_discount_bp": f.discount_bp, "is_syndicated": f.syndicated})
        for m in months:
            if m < f.start.replace(day=1):
                continue
            if m == last and f.institution == cases.late_institution:
                break  # this institution has not sent its last month yet
            bal, disb, status, overdue = facility_balance(f, m)
            revision = 1
            if m == last and n in cases.revised and status != "repaid":  # first submission, corrected by revision 2
                snap_rows.append({"facility_id": fid, "period": m, "balance": round(bal * 1.08, 2), "disbursed": disb,
                                  "rate": f.rate, "status": status, "overdue_days": overdue,
                                  "inst_type": _inst_type_at(inst, m), "revision": 1, "is_current": False})
                revision = 2
            if status == "repaid":  # the month after maturity is reported once, at zero, then no more
                snap_rows.append({"facility_id": fid, "period": m, "balance": 0.0, "disbursed": 0.0, "rate": f.rate,
                                  "status": "repaid", "overdue_days": 0, "inst_type": _inst_type_at(inst, m),
                                  "revision": 1, "is_current": True})
                break
            snap_rows.append({"facility_id": fid, "period": m, "balance": bal, "disbursed": disb, "rate": f.rate,
                              "status": status, "overdue_days": overdue, "inst_type": _inst_type_at(inst, m),
                              "revision": revision, "is_current": True})
            if f.policy_tool and disb > 0:
                key = (inst["id"], f.policy_tool, m)
                acc = tool_acc.setdefault(key, {"eligible": 0.0, "loan": 0.0})
                acc["loan"] += disb
    conn.execute(insert(CreditFacility), fac_rows)
    conn.execute(insert(CreditSnapshot), snap_rows)

    tool_rows = []
    # How much of the eligible lending each institution actually books under a tool differs by institution
    # (some use the tools eagerly, some hardly) and by month; eligible = loans / that use rate.
    use_rng = _rng(park.purpose + 23)
    inst_use = {i: float(use_rng.uniform(0.45, 0.95)) for i in sorted({k[0] for k in tool_acc})}
    for (inst_id, tool, m), acc in sorted(tool_acc.items()):
        loan = acc["loan"]
        use = float(np.clip(inst_use[inst_id] + use_rng.normal(0, 0.08), 0.3, 1.0))
        row = {"park_id": park_id, "institution_id": inst_id, "tool": tool, "period": m,
               "eligible_amount": round(loan / use, 2), "loan_amount": round(loan, 2), "funding_amount": 0.0,
               "tool_rate": None, "carbon_reduction_t": None, "fiscal_cost": 0.0, "revision": 1, "is_current": True}
        if tool == "carbon_reduction_tool":
            # PBOC refinances 60 % of eligible principal (reference data, sourced).
            row.update(funding_amount=round(reference_value("carbon_reduction_tool_refinance_share").value * loan, 2),
                       tool_rate=carbon_tool_rate(m),
                       carbon_reduction_t=round(loan * float(rng.uniform(2.0, 4.5)), 0))
        elif tool == "sci_tech_relending":
            row.update(funding_amount=round(reference_value("sci_tech_relending_refinance_share").value * loan, 2),
                       tool_rate=relending_rate(m))  # the share is an assumption (reference data)
        elif tool == "interest_subsidy":
            row.update(fiscal_cost=round(loan * 0.01, 2))  # 1 pp subsidy for a year
        elif tool == "risk_compensation":
            row.update(funding_amount=round(loan * 0.02, 2), fiscal_cost=round(loan * 0.02, 2))
        elif tool == "green_guarantee":
            row.update(fiscal_cost=round(loan * 0.005, 2))
        tool_rows.append(row)
    if tool_rows:
        conn.execute(insert(PolicyToolUse), tool_rows)

    instruments = [("green_bond", "园区绿色债券"), ("transition_bond", "钨钼转型债券"), ("sci_tech_bond", "科技创新债券"),
                   ("green_fund", "零碳产业基金"), ("equity_plus_debt", "股权+债权综合融资"), ("financial_leasing", "光伏设备融资租赁")]
    df_rows = []
    for k in range(12 if not park.purpose else 3):
        inst_code, inst_name = instruments[k % len(instruments)]
        issue = add_months(dt.date(2021, 6, 1), int(rng.integers(0, 64)))
        if issue > last:
            continue
        e = ents[int(rng.integers(0, len(ents)))]
        linked = projects[k % len(projects)] if k % 3 == 0 and projects[k % len(projects)]["stage"] not in ("planning", "approved") else None
        if linked:  # bonds, funds and leasing raised for a project count towards what it has secured
            e = next(x for x in ents if x.id == linked["enterprise_id"])
        df_rows.append({"park_id": park_id, "enterprise_id": e.id, "project_id": linked["id"] if linked else None,
                        "institution_id": insts[int(rng.integers(0, len(insts)))]["id"], "instrument": inst_code,
                        "name": f"{e.name[:4]}{inst_name}（{issue:%Y}）", "issue_date": issue,
                        "maturity_date": add_months(issue, 60), "amount": round(float(rng.uniform(5_000, 60_000)) * park.scale, 2),
                        "rate": round(float(rng.uniform(2.2, 3.8)), 2) if inst_code.endswith("bond") else None})
    if df_rows:
        conn.execute(insert(DirectFinancing), df_rows)
    return {"project": len(projects), "credit_facility": len(fac_rows), "credit_snapshot": len(snap_rows),
            "policy_tool_use": len(tool_rows), "direct_financing": len(df_rows)}


def _line_for(category: str) -> str:
    return {"power_heat": "power_heat", "green_building": "green_building", "green_transport": "green_transport",
            "solid_waste": "solid_waste", "ccus": "ccus", "energy_saving": "energy_saving",
            "industrial_upgrade": "industrial_upgrade"}[category]


def _seed_governance(conn, park: ParkSpec, park_id: int, ents, insts, last: dt.date, design, months) -> dict:
    rng = _rng(park.purpose + 4)
    # Targets: the national core threshold is sourced; the park's own targets were not found (assumptions).
    base_i = [i for i, m in enumerate(months) if m.year == 2025]
    # The core indicator's target (≤0.2 / ≤0.3 tCO2/tce) is not stored: it follows from the national band for the
    # park's energy use under its electricity method (dashboard.indicators.core_target).
    targets = [
        {"indicator": "clean_energy_share", "year": 2030, "value": 0.9, "is_assumption": True,
         "source": "引导性指标 ≥90%（二手来源，待与官方指标体系核对）https://www.shangjiandao.com/author/238?orderby=views&tab=comment"},
        {"indicator": "green_power_share", "year": 2030, "value": 0.8, "is_assumption": True,
         "source": "假设：园区目标未公开，按鄂尔多斯零碳园区约70%-80%的水平设定"},
        {"indicator": "solid_waste_reuse", "year": 2030, "value": 0.8, "is_assumption": True,
         "source": "引导性指标 ≥80%（二手来源）"},
    ]
    if base_i:
        # Total emissions: assumed equal to the core threshold times the base-year energy (a rough ceiling).
        targets.append({"indicator": "total_emissions", "year": 2030, "value": 0.0, "is_assumption": True,
                        "source": "假设：2030年能耗按2025年水平、单位能耗碳排放0.2 tCO2/tce 推算", "_derive": True})
        targets.append({"indicator": "green_loan_balance", "year": 2030, "value": 0.0, "is_assumption": True,
                        "source": "假设：2025年末余额按年均增长15%推算至2030年", "_derive_credit": True})
    target_rows = []
    for t in targets:
        row = {k: v for k, v in t.items() if not k.startswith("_")}
        row.update(park_id=park_id, updated_by="demo")
        if t.get("_derive"):
            row["value"] = _derived_emission_target(design, base_i)
        if t.get("_derive_credit"):
            dec = dt.date(2025, 12, 1)
            bal = conn.execute(text(
                "SELECT COALESCE(SUM(s.balance), 0) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
                "WHERE f.park_id = :p AND f.is_green = :g AND s.period = :d AND s.is_current = :c"),
                {"p": park_id, "g": True, "d": dec, "c": True}).scalar_one()
            row["value"] = round(float(bal) * 1.15 ** 5, 0)
        target_rows.append(row)
    conn.execute(insert(Target), target_rows)

    # Annual task lists 2025 and 2026 (§一): six tasks per bank and year.
    task_titles = [
        ("制定零碳园区专项信贷计划和额度", "§二"), ("推出零碳园区贷产品矩阵专属产品", "§二"), ("对接区域能碳管理平台获取能碳数据", "§三"),
        ("为园区企业开立碳账户", "§五"), ("落地碳资产质押或绿证质押贷款", "§七"), ("按期报送零碳金融简报", "§九"),
    ]
    task_rows = []
    for year in (2025, 2026):
        for inst in insts:
            if inst["inst_type"] == "other":
                continue
            for k, (title, section) in enumerate(task_titles):
                due = dt.date(year, 3 * (k % 4) + 3, 28)
                r = rng.random()
                if due <= last:
                    status = "done" if r < 0.78 else "overdue"
                else:
                    status = "in_progress" if r < 0.6 else "not_started"
                task_rows.append({"park_id": park_id, "year": year, "institution_id": inst["id"],
                                  "code": f"{year}-{k + 1:02d}", "title": title, "seed_section": section, "due_date": due,
                                  "status": status, "completed_on": due - dt.timedelta(days=int(rng.integers(0, 40))) if status == "done" else None,
                                  "evidence": "见报送材料" if status == "done" else None})
    conn.execute(insert(Task), task_rows)

    # Whitelist (§十四): two versions; entries with scores and their parts.
    versions = [(1, dt.date(2025, 6, 30)), (2, dt.date(2026, 3, 31))]
    wl_entries = []
    listed_before: set[int] = set()
    for v, eff in versions:
        if eff > last:
            continue
        vid = park.purpose + v
        conn.execute(insert(WhitelistVersion), [{"id": vid, "park_id": park_id, "version": v, "effective_date": eff,
                                                 "document_no": f"阳高新管〔{eff.year}〕{10 + v}号（示例）", "created_by": "demo"}])
        for e in ents:
            parts = {"credit_compliance": round(float(rng.uniform(15, 30)), 1),
                     "operating_fit": round(float(rng.uniform(10, 25)), 1),
                     "innovation": round(float(rng.uniform(5, 20)), 1),
                     "green_performance": round(float(rng.uniform(5, 25)) - (8 if e.laggard else 0), 1)}
            score = round(sum(parts.values()), 1)
            listed = score >= 60
            if listed and e.id not in listed_before:
                action, reason = "added", None
            elif not listed and e.id in listed_before:
                action, reason = "removed", "综合评分低于60分"
            else:
                action, reason = "rescored", None
            if listed or e.id in listed_before:
                wl_entries.append({"version_id": vid, "enterprise_id": e.id, "listed": listed, "action": action,
                                   "score": score, "score_parts": parts, "reason": reason})
            if listed:
                listed_before.add(e.id)
            else:
                listed_before.discard(e.id)
    if wl_entries:
        conn.execute(insert(WhitelistEntry), wl_entries)

    # A few risk alerts with their loop history, so the overview has open and closed ones.
    alert_specs = [
        ("credit_npl", "high", "institution", "提示机构核实不良贷款处置方案"),
        ("concentration_institution", "medium", "institution", "关注单一机构集中度，推动银团分担"),
        ("fake_zero_label_no_supply", "high", "enterprise", "核查企业零碳标识的绿电来源"),
        ("data_late", "low", "institution", "督促机构按期报送月度数据"),
        ("trajectory_emissions", "medium", "park", "研判排放超出目标路径的原因"),
        ("greenwashing_intensity_rose", "high", "enterprise", "核查绿色贷款企业排放强度上升原因"),
    ]
    alert_rows, event_rows, open_keys = [], [], set()
    aid = park.purpose
    for k, (rule, sev, kind, action) in enumerate(alert_specs * (2 if not park.purpose else 1)):
        aid += 1
        created = dt.datetime.combine(add_months(last, -int(rng.integers(0, 20))), dt.time(9, 30))
        subject = {"institution": insts[int(rng.integers(0, len(insts)))]["id"], "enterprise": ents[int(rng.integers(0, len(ents)))].id,
                   "park": park_id}[kind]
        path = ["identified", "assessed", "alerted", "feedback", "closed"][: int(rng.integers(1, 6))]
        # Each step 20 days after the last, but none after the data end: no alert is closed in the future.
        step = min(20, max(1, (dt.datetime.combine(add_months(last, 1), dt.time(0)) - created).days // len(path)))
        closed = path[-1] == "closed"
        key = f"{rule}:{kind}:{subject}"  # the rules' own key: a later run finds this alert instead of adding another
        if not closed and key in open_keys:
            continue  # one open alert per rule and subject (the database enforces it too)
        if not closed:
            open_keys.add(key)
        alert_rows.append({"id": aid, "park_id": park_id, "rule_code": rule, "severity": sev, "subject_kind": kind,
                           "subject_id": subject, "institution_id": subject if kind == "institution" else None,
                           "period": created.date().replace(day=1), "evidence": {"note": "演示预警"},
                           "suggested_action": action, "state": path[-1], "dedup_key": key if not closed else f"{key}:closed:{aid}",
                           "created_at": created, "closed_at": created + dt.timedelta(days=step * len(path)) if closed else None})
        prev = None
        for s_i, state in enumerate(path):
            event_rows.append({"alert_id": aid, "from_state": prev, "to_state": state,
                               "actor": "system" if state == "identified" else "demo_analyst",
                               "note": None, "at": created + dt.timedelta(days=step * s_i)})
            prev = state
    conn.execute(insert(RiskAlert), alert_rows)
    conn.execute(insert(RiskAlertEvent), event_rows)
    return {"target": len(target_rows), "task": len(task_rows), "whitelist_entry": len(wl_entries), "risk_alert": len(alert_rows)}


GEC_SERIAL_BASE = 10_000_000_000


def _double_claims(rows: list[dict], design, ents, months, park_id: int, last: dt.date, serial: int) -> list[dict]:
    """Three ways one MWh gets claimed twice, for the counting and the risk rules to catch:
    one certificate batch reported again the next month; the certificates bundled with one trade reported again as
    certificates; and certificates issued on one enterprise's own PV and sold (its last 6 months, 40 % of
    generation), which the enterprise may no longer count as its own green power."""
    out = []
    certs = [r for r in rows if r["kind"] == "certificate"]
    if certs:
        dup = dict(certs[len(certs) // 2])
        dup["period"] = add_months(dup["period"], 1).replace(day=1)
        if dup["period"] <= last:
            out.append(dup)
    bundled = [r for r in rows if r["kind"] == "trade" and r["serial_start"] is not None and r["period"] <= add_months(last, -2)]
    if bundled:
        t = bundled[len(bundled) // 3]
        out.append({**t, "kind": "certificate", "period": add_months(t["period"], 1).replace(day=1),
                    "reference": t["reference"].replace("GT-", "GEC-") + "-BUNDLED"})
    own = design["electricity_own_renewable"]
    j = int(np.argmax(own.sum(axis=0)))
    for i, m in enumerate(months):
        if m > add_months(last, -6) and m <= last and own[i, j] > 0:
            n = int(own[i, j] / 1000 * 0.4)
            if n > 0:
                out.append({"enterprise_id": ents[j].id, "park_id": park_id, "period": m, "kind": "own_sold", "mwh": float(n),
                            "reference": f"GEC-SOLD-{ents[j].idx + 1:03d}-{m:%Y%m}", "serial_start": serial, "serial_end": serial + n - 1})
                serial += n
    return out


def _derived_emission_target(design, base_i: list[int]) -> float:
    """0.2 tCO2/tce x the base year's energy use in tce (calorific electricity method), tCO2."""
    kwh = sum(float(design[c][base_i].sum()) for c in ("electricity_grid", "electricity_own_renewable", "electricity_direct_green"))
    tce = (kwh * 0.1229 / 1000 + float(design["coal"][base_i].sum()) * 0.7143
           + float(design["natural_gas"][base_i].sum()) * 1.2143 / 1000 + float(design["heat_purchased"][base_i].sum()) * 0.03412)
    return round(0.2 * tce, 0)


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
