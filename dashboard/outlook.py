"""The 2030 outlook: forecast, target, required pace and the chance of meeting it; scenarios through the
emissions engine. Pure pandas (no Streamlit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import carbon, formulas
from dashboard.forecasting import Fit, forecast, probability_of_target
from dashboard.indicators import Indicator
from data_access.reference import reference_value

# Which series of compute_park_monthly each headline indicator is forecast from, and how it is bounded.
OUTLOOK_SERIES = {
    "green_power_share": ("green_power_share_t12", "share"),
    "total_emissions": ("total_emissions_t12", "positive"),
    "carbon_per_energy": ("carbon_per_energy_t12", "positive"),
    "green_loan_balance": ("green_balance", "positive"),
    "clean_energy_share": ("clean_energy_share_t12", "share"),
}
PV_YIELD_KWH_PER_KW = reference_value("pv_yield_kwh_per_kw").value  # a year (an assumption; reference data)


@dataclass
class Outlook:
    code: str
    history: pd.Series  # monthly, PeriodIndex
    fan: pd.DataFrame  # mean, lower, upper to December of until_year, or of the target's year when later
    fit: Fit
    target: float | None
    target_year: int
    target_is_assumption: bool
    value_now: float
    value_2030: float
    probability: float | None
    required_per_year: float | None  # change a year needed from now to the target (points or %)
    historical_per_year: float | None  # change a year over the last three years (same unit)
    until_year: int = 2030  # value_2030 is the central forecast at December of this year

    def value_at(self, year: int) -> float:
        """The central forecast at December of `year` (within the fan)."""
        return float(self.fan["mean"].loc[pd.Period(f"{year}-12", freq="M")])


def _history(monthly: pd.DataFrame, column: str) -> pd.Series:
    s = monthly[column].dropna() if column in monthly.columns else pd.Series(dtype=float)
    s.index = pd.PeriodIndex(pd.to_datetime(pd.Index(s.index)), freq="M")
    return s


def _pace(ind: Indicator, start: float, end: float, years: float) -> float | None:
    """Yearly change from start to end: percentage points for shares, percent a year otherwise."""
    if years <= 0:
        return None
    if ind.change == "pp":
        return (end - start) / years * 100
    if start <= 0 or end <= 0:
        return None
    return ((end / start) ** (1 / years) - 1) * 100


# Bump when the forecasting models or what an Outlook holds change: stored outlooks of another version are not used.
MODEL_VERSION = "2026-12-06"


@dataclass(frozen=True)
class OutlookInputs:
    """Everything an outlook is computed from (its fingerprint is taken over these)."""

    history: pd.Series
    target: float | None
    target_year: int
    target_is_assumption: bool
    until_year: int
    level: float


def outlook_inputs(ind: Indicator, monthly: pd.DataFrame, targets: pd.DataFrame, *, until_year: int = 2030,
                   period: dt.date | None = None, level: float = 0.8) -> OutlookInputs | None:
    """The history (cut at `period`) and the target row an outlook is judged against; None with fewer than 3 months.

    The target row: of the indicator's rows in `targets`, the one with the latest year not after `until_year`;
    when every row is later, the earliest of them."""
    column, _kind = OUTLOOK_SERIES[ind.code]
    hist = _history(monthly, column)
    if period is not None:
        hist = hist[hist.index <= pd.Period(period, freq="M")]
    if hist.notna().sum() < 3:
        return None
    t = targets[targets["indicator"] == ind.code] if not targets.empty else targets
    target = is_assumption = None
    target_year = until_year
    if t is not None and not t.empty:
        t = t.sort_values("year")
        row = t[t["year"] <= until_year].iloc[-1] if (t["year"] <= until_year).any() else t.iloc[0]
        target, target_year, is_assumption = float(row["value"]), int(row["year"]), bool(row["is_assumption"])
    return OutlookInputs(hist, target, target_year, bool(is_assumption), until_year, level)


def fingerprint(ind: Indicator, inputs: OutlookInputs) -> str:
    """A digest of what the outlook depends on: the same inputs give the same outlook, so a stored one is reused
    whatever else changed in the database (an alert handled, a task closed), and any change of history or target
    misses it."""
    h = hashlib.sha256()
    hist = inputs.history
    h.update(json.dumps([MODEL_VERSION, ind.code, OUTLOOK_SERIES[ind.code][1], ind.better, ind.change, inputs.target,
                         inputs.target_year, inputs.target_is_assumption, inputs.until_year, inputs.level,
                         [str(p) for p in hist.index]]).encode())
    h.update(hist.to_numpy(dtype=float).tobytes())
    return h.hexdigest()


def compute_outlook(ind: Indicator, monthly: pd.DataFrame, targets: pd.DataFrame, *, until_year: int = 2030,
                    period: dt.date | None = None, level: float = 0.8) -> Outlook | None:
    """Forecast one indicator and set it against its target (`outlook_inputs` says which history and target).

    The chance of meeting it and the pace it needs are measured at December of the target row's year. The fan runs
    to December of `until_year`, or of the target's year when that is later; `value_2030` is the fan's central value
    at December of `until_year`. A target whose December is not after the last month of history is already history:
    no chance and no pace are given for it. Returns None when the indicator has fewer than 3 months of history.
    """
    inputs = outlook_inputs(ind, monthly, targets, until_year=until_year, period=period, level=level)
    return None if inputs is None else outlook_from_inputs(ind, inputs)


def outlook_from_inputs(ind: Indicator, inputs: OutlookInputs) -> Outlook:
    _column, kind = OUTLOOK_SERIES[ind.code]
    hist, target, target_year, until_year = inputs.history, inputs.target, inputs.target_year, inputs.until_year
    until_end = pd.Period(f"{until_year}-12", freq="M")
    if until_end <= hist.index[-1]:
        raise ValueError(f"until_year ({until_year}) must end after the last month of history ({hist.index[-1]})")
    fan, fit = forecast(hist, max(until_year, target_year), level=inputs.level, kind=kind, return_fit=True)
    now = float(hist.iloc[-1])
    end = float(fan["mean"].loc[until_end])
    target_end = pd.Period(f"{target_year}-12", freq="M")
    prob = required = None
    if target is not None and target_end > hist.index[-1]:
        direction = "above" if ind.better == "higher" else "below"
        prob = probability_of_target(hist, target_year, target, direction, kind=kind)
        required = _pace(ind, now, target, (target_end - hist.index[-1]).n / 12)
    three_years_ago = hist.index[-1] - 36
    past = float(hist.loc[three_years_ago]) if three_years_ago in hist.index and pd.notna(hist.loc[three_years_ago]) else None
    historical = _pace(ind, past, now, 3.0) if past is not None else None
    return Outlook(ind.code, hist, fan, fit, target, target_year, inputs.target_is_assumption, now, end, prob, required,
                   historical, until_year)


def to_payload(o: Outlook) -> dict:
    """An outlook as plain JSON values, for the outlook store."""
    return {"code": o.code, "history": _series_json(o.history),
            "fan": {c: _series_json(o.fan[c]) for c in ("mean", "lower", "upper")},
            "fit": dataclasses.asdict(o.fit) | {"members": list(o.fit.members)},
            "target": o.target, "target_year": o.target_year, "target_is_assumption": o.target_is_assumption,
            "value_now": o.value_now, "value_2030": o.value_2030, "probability": o.probability,
            "required_per_year": o.required_per_year, "historical_per_year": o.historical_per_year,
            "until_year": o.until_year}


def from_payload(d: dict) -> Outlook:
    fit = Fit(**(d["fit"] | {"members": tuple(d["fit"]["members"])}))
    fan = pd.DataFrame({c: _series_from(d["fan"][c]) for c in ("mean", "lower", "upper")})
    return Outlook(d["code"], _series_from(d["history"]), fan, fit, d["target"], d["target_year"], d["target_is_assumption"],
                   d["value_now"], d["value_2030"], d["probability"], d["required_per_year"], d["historical_per_year"],
                   d["until_year"])


def _series_json(s: pd.Series) -> dict:
    return {"months": [str(p) for p in s.index], "values": [None if pd.isna(v) else float(v) for v in s.to_numpy()]}


def _series_from(d: dict) -> pd.Series:
    return pd.Series([np.nan if v is None else v for v in d["values"]], index=pd.PeriodIndex(d["months"], freq="M"), dtype=float)


def required_path(outlook: Outlook, ind: Indicator) -> pd.Series:
    """Monthly path from today's value to the target: straight for shares, constant rate otherwise."""
    if outlook.target is None:
        return pd.Series(dtype=float)
    months = pd.period_range(outlook.history.index[-1], pd.Period(f"{outlook.target_year}-12", freq="M"), freq="M")
    frac = np.arange(len(months)) / max(len(months) - 1, 1)
    a, b = outlook.value_now, outlook.target
    values = a * (b / a) ** frac if ind.change != "pp" and a > 0 and b > 0 else a + (b - a) * frac
    return pd.Series(values, index=months)


# --- scenarios -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    added_mw_per_year: float = 0.0  # new own renewable capacity each year from next year, MW
    purchases_mwh_per_year: float = 0.0  # extra green-power trades and certificates each year, MWh
    credit_growth: float | None = None  # green-loan growth a year (fraction); None keeps the forecast


def scenario_effect(energy: pd.DataFrame, factors: pd.DataFrame, scenario: Scenario, *, from_year: int,
                    until_year: int = 2030, method: str = "calorific") -> pd.DataFrame:
    """Run the emissions engine on the last 12 months of energy, repeated for each year to `until_year`,
    with and without the scenario's added renewables and purchases.

    New capacity produces PV_YIELD_KWH_PER_KW per kW a year, in the park's own monthly solar shape, and
    replaces grid electricity (never below zero); purchases are trades spread evenly over the months.
    Returns one row per year: year, d_emissions_t, d_green_share (fraction), d_carbon_per_energy,
    d_clean_share — the scenario minus the unchanged profile.
    """
    base = energy.sort_values("period").tail(12).reset_index(drop=True)
    if len(base) < 12:
        return pd.DataFrame(columns=["year", "d_emissions_t", "d_green_share", "d_carbon_per_energy", "d_clean_share"])
    own = base["electricity_own_renewable_kwh"]
    shape = (own / own.sum()).to_numpy() if own.sum() > 0 else np.full(12, 1 / 12)
    rows = []
    for k, year in enumerate(range(from_year, until_year + 1), start=1):
        extra_kwh = scenario.added_mw_per_year * k * 1000 * PV_YIELD_KWH_PER_KW * shape
        changed = base.copy()
        changed["electricity_own_renewable_kwh"] = base["electricity_own_renewable_kwh"] + extra_kwh
        changed["electricity_grid_kwh"] = (base["electricity_grid_kwh"] - extra_kwh).clip(lower=0)
        changed["green_trade_mwh"] = base["green_trade_mwh"] + scenario.purchases_mwh_per_year * k / 12
        a, _ = carbon.compute_emissions(base, factors)
        b, _ = carbon.compute_emissions(changed, factors)
        tce_a, _ = carbon.compute_energy_tce(base, factors, method=method)
        tce_b, _ = carbon.compute_energy_tce(changed, factors, method=method)
        gtce_a = carbon.compute_green_power_tce(a["green_power_kwh"], factors, method=method).sum()
        gtce_b = carbon.compute_green_power_tce(b["green_power_kwh"], factors, method=method).sum()
        rows.append({
            "year": year,
            "d_emissions_t": b["total_emissions_t"].sum() - a["total_emissions_t"].sum(),
            "d_green_share": formulas.green_power_share(b["green_power_kwh"].sum(), b["total_electricity_kwh"].sum())
            - formulas.green_power_share(a["green_power_kwh"].sum(), a["total_electricity_kwh"].sum()),
            "d_carbon_per_energy": formulas.carbon_per_energy(b["total_emissions_t"].sum(), tce_b.sum())
            - formulas.carbon_per_energy(a["total_emissions_t"].sum(), tce_a.sum()),
            "d_clean_share": formulas.clean_energy_share(gtce_b, tce_b.sum()) - formulas.clean_energy_share(gtce_a, tce_a.sum()),
        })
    return pd.DataFrame(rows)


def implied_growth(o: Outlook) -> float:
    """The yearly growth rate the statistical forecast implies from now to December of until_year (value_2030)."""
    years = (pd.Period(f"{o.until_year}-12", freq="M") - o.history.index[-1]).n / 12
    return (o.value_2030 / o.value_now) ** (1 / years) - 1 if years > 0 and o.value_now > 0 else 0.0


def apply_scenario(outlook: Outlook, effect: pd.DataFrame, scenario: Scenario) -> float:
    """The 2030 value under the scenario: the statistical forecast plus the engine's difference for 2030
    (green-loan balance: the last value grown at the scenario's rate, when one is set)."""
    if outlook.code == "green_loan_balance":
        if scenario.credit_growth is None:
            return outlook.value_2030
        years = (pd.Period(f"{outlook.until_year}-12", freq="M") - outlook.history.index[-1]).n / 12
        return outlook.value_now * (1 + scenario.credit_growth) ** years
    if effect.empty:
        return outlook.value_2030
    last = effect.iloc[-1]
    delta = {"total_emissions": last["d_emissions_t"], "green_power_share": last["d_green_share"],
             "carbon_per_energy": last["d_carbon_per_energy"], "clean_energy_share": last["d_clean_share"]}[outlook.code]
    value = outlook.value_2030 + delta
    return float(np.clip(value, 0, 1)) if outlook.code.endswith("share") else max(value, 0.0)


def outlook_sentence(o: Outlook, ind: Indicator, lang: str, name: str) -> str:
    """One sentence a leader can read aloud: where the trend leads, the target, the chance, the pace needed."""
    from dashboard import i18n

    def pace(v):
        if v is None:
            return "—"
        return i18n.t("fc.pp" if ind.change == "pp" else "fc.pct", lang, v=v)

    if o.target is None:
        return i18n.t("fc.sentence_no_target", lang, year=o.until_year, name=name, value=ind.format(o.value_2030, lang),
                      historical=pace(o.historical_per_year))
    in_fan = pd.Period(f"{o.target_year}-12", freq="M") in o.fan.index
    at_target = o.value_at(o.target_year) if in_fan else o.value_now  # the forecast in the target's own year
    value = ind.format(at_target, lang)
    met = (at_target >= o.target) if ind.better == "higher" else (at_target <= o.target)
    gap = abs(at_target - o.target)
    gap_shown = (f"{gap * 100:.1f}{i18n.t('unit.pp', lang)}" if ind.change == "pp" else ind.format(gap, lang))
    gap_text = i18n.t("fc.gap_met", lang) if met else i18n.t("fc.gap_short", lang, gap=gap_shown)
    mark = i18n.t("ov.target_assumption", lang) if o.target_is_assumption else ""
    return i18n.t("fc.sentence", lang, year=o.target_year, name=name, value=value, target=ind.format(o.target, lang),
                  mark=mark, gap_text=gap_text, prob=f"{(o.probability or 0) * 100:.0f}",
                  required=pace(o.required_per_year), historical=pace(o.historical_per_year))
