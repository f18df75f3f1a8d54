"""The park model: the demo parks, institutions and enterprises, and the calendar every part draws on."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from data_access.reference import reference_value
from data_access.uscc import make_uscc

SEED = 20260429  # the date the action plan was issued
HISTORY_START = dt.date(2021, 1, 1)
YANGQUAN_DIVISION = "140300"  # 阳泉市 administrative division code

Progress = Callable[[float, str], None]


def no_progress(_f: float, _m: str) -> None:
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


def rng_for(*purpose: int) -> np.random.Generator:
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


def boundary(lat: float, lon: float, km_ew: float, km_ns: float) -> dict:
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
    rng = rng_for(park.purpose + 1)
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


def ramp(spec: tuple[dt.date, float, float] | None, months: list[dt.date]) -> np.ndarray:
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


def pv_capacity_kw(e: EnterpriseModel, months: list[dt.date]) -> np.ndarray:
    return np.array([sum(kw for d, kw in e.pv_kw if d <= m) for m in months])


def inst_type_at(inst: dict, m: dt.date) -> str:
    code, old_type, changed = TYPE_CHANGE
    if inst["code"] == code and m < changed:
        return old_type
    return inst["inst_type"]
