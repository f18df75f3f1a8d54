"""Forecast accuracy, measured and published: `python -m benchmarks.forecast_accuracy [--quick] [--no-demo]`.

For every series, a rolling-origin backtest of `dashboard.forecasting.forecast` (method 'auto', the
combination) against the naive and drift baselines: MASE (one denominator for all three), the ratio of the
combination's MASE to the better of the two baselines on that series, and the coverage of the 80 % interval.

Series: 20 real public series bundled with statsmodels (no download; see SOURCES), monthly (tested 12 months
ahead), quarterly (2 quarters) and yearly (3 years), and the demo park's three monthly headline series
(built from the demo generator in memory, a few seconds; --no-demo leaves them out). None of the bundled
series is an energy, power-mix or park-emissions series: the nearest are atmospheric CO2, money stocks and
interest rates.

Writes benchmarks/forecast_accuracy.md and .json (not with --quick, a smoke run with 3 origins that only
prints). Goals: mean ratio at most 0.95, pooled 80 % coverage between 70 % and 90 %, no failures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.forecasting import backtest

OUT = Path(__file__).resolve().parent
HORIZON = {"M": 12, "Q": 2, "Y": 3}
SOURCES = {
    "co2": "Mauna Loa atmospheric CO2 (Keeling & Whorf, Scripps / CDIAC), statsmodels.datasets.co2: public domain",
    "elnino": "Niño 1+2 monthly sea surface temperature (NOAA ERSST.V3B), statsmodels.datasets.elnino: public domain",
    "macrodata": "US macroeconomic data 1959Q1-2009Q3 (FRED, Federal Reserve Bank of St. Louis; BLS), "
                 "statsmodels.datasets.macrodata: public domain",
    "danish_data": "Danish money demand data 1974Q1-1987Q3 (Johansen & Juselius 1990), statsmodels.datasets.danish_data: "
                   "public domain",
    "interest_inflation": "West German interest and inflation rates 1972Q2-1998Q4 (JMulTi data set e6), "
                          "statsmodels.datasets.interest_inflation: no licence stated there",
    "nile": "Nile flow at Aswan 1871-1970 (Cobb 1978), statsmodels.datasets.nile: public domain",
    "sunspots": "Yearly sunspot numbers 1700-2008 (NOAA National Geophysical Data Center), statsmodels.datasets.sunspots: "
                "public domain",
    "fertility": "Fertility rate per woman 1960-2011 (World Bank, World Development Indicators), statsmodels.datasets.fertility: "
                 "World Bank terms of use",
}


def _quarterly(values, start: str) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.period_range(start, periods=len(values), freq="Q"))


def _yearly(values, start: int) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.period_range(str(start), periods=len(values), freq="Y"))


def public_series() -> dict[str, tuple[pd.Series, str]]:
    """Real series from statsmodels' bundled data sets (name -> (series, source key)). The list was fixed
    before the combination was measured on it: every long univariate series in those data sets, with
    fertility for the four most populous countries in that table."""
    import statsmodels.api as sm

    out: dict[str, tuple[pd.Series, str]] = {}
    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()["1980":"1999"]
    co2.index = co2.index.to_period("M")
    out["Mauna Loa CO2, ppm (monthly)"] = (co2, "co2")
    elnino = sm.datasets.elnino.load_pandas().data.set_index("YEAR").stack()
    nino = pd.Series(elnino.to_numpy(dtype=float),
                     index=pd.period_range(f"{int(elnino.index[0][0])}-01", periods=len(elnino), freq="M")).iloc[-240:]
    out["El Niño 1+2 SST (monthly)"] = (nino, "elnino")
    macro = sm.datasets.macrodata.load_pandas().data
    for column, label in [("realgdp", "US real GDP"), ("realcons", "US real consumption"), ("realinv", "US real investment"),
                          ("realgovt", "US real government spending"), ("realdpi", "US real disposable income"),
                          ("cpi", "US CPI"), ("m1", "US M1 money stock"), ("unemp", "US unemployment rate"),
                          ("tbilrate", "US 3-month T-bill rate")]:
        out[f"{label} (quarterly)"] = (_quarterly(macro[column], "1959Q1"), "macrodata")
    danish = sm.datasets.danish_data.load_pandas().data
    out["Denmark log real money M2 (quarterly)"] = (_quarterly(danish["lrm"], "1974Q1"), "danish_data")
    out["Denmark bond rate (quarterly)"] = (_quarterly(danish["ibo"], "1974Q1"), "danish_data")
    german = sm.datasets.interest_inflation.load_pandas().data
    out["Germany long-term interest rate (quarterly)"] = (_quarterly(german["R"], "1972Q2"), "interest_inflation")
    nile = sm.datasets.nile.load_pandas().data
    out["Nile flow (yearly)"] = (_yearly(nile["volume"], int(nile["year"].iloc[0])), "nile")
    sun = sm.datasets.sunspots.load_pandas().data
    out["Sunspots + 0.1, last 120 years (yearly)"] = (_yearly(sun["SUNACTIVITY"] + 0.1, int(sun["YEAR"].iloc[0])).iloc[-120:], "sunspots")
    fertility = sm.datasets.fertility.load_pandas().data.set_index("Country Name")
    years = [c for c in fertility.columns if c.isdigit()]
    for country in ("China", "India", "United States", "Indonesia"):
        v = fertility.loc[country, years].astype(float).dropna()
        out[f"Fertility rate, {country} (yearly)"] = (_yearly(v.to_numpy(), int(v.index[0])), "fertility")
    return out


def demo_series() -> dict[str, tuple[pd.Series, str]]:
    """The demo park's headline series, from the demo generator and the indicator definitions."""
    from data_access import credit_queries, db, demo, queries
    from data_access.scope import FULL_ACCESS
    from dashboard.indicators import compute_park_monthly

    engine = db.make_engine("sqlite://")
    db.upgrade(engine)
    demo.seed_demo(engine, today=dt.date(2026, 11, 28), hourly_months=0)
    with engine.connect() as conn:
        monthly, _ = compute_park_monthly(queries.load_energy_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          credit_queries.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_policy_tool_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_emission_factors(conn))
    idx = pd.PeriodIndex(pd.to_datetime(pd.Index(monthly.index)), freq="M")
    out = {}
    for name, col in [("Demo green-power share (monthly)", "green_power_share"),
                      ("Demo emissions, 12 months (monthly)", "total_emissions_t12"),
                      ("Demo green-loan balance (monthly)", "green_balance")]:
        out[name] = (pd.Series(monthly[col].to_numpy(), index=idx).dropna(), "demo")
    return out


def measure(name: str, series: pd.Series, n_origins: int) -> dict:
    """One series' backtest row; a failure is recorded, not raised."""
    h = HORIZON[series.index.freqstr[0]]
    row = {"series": name, "n": int(series.notna().sum()), "h": h, "origins": n_origins}
    t0 = time.perf_counter()
    try:
        bt = backtest(series, h, level=0.8, n_origins=n_origins)
    except Exception as exc:  # noqa: BLE001 - the benchmark reports every failure
        row.update(error=f"{type(exc).__name__}: {exc}", seconds=round(time.perf_counter() - t0, 2))
        return row
    best = "naive" if bt.mase_naive <= bt.mase_drift else "drift"
    best_mase = min(bt.mase_naive, bt.mase_drift)
    inside = int(((bt.errors["actual"] >= bt.errors["lower"]) & (bt.errors["actual"] <= bt.errors["upper"])).sum())
    row.update(mase_auto=round(float(bt.mase), 3), mase_naive=round(float(bt.mase_naive), 3),
               mase_drift=round(float(bt.mase_drift), 3), better_baseline=best, ratio=round(float(bt.mase / best_mase), 3),
               coverage_80=round(float(bt.coverage), 3),
               outcomes=len(bt.errors), inside_80=inside, seconds=round(time.perf_counter() - t0, 2))
    return row


def summarise(rows: list[dict], seconds: float) -> dict:
    ok = [r for r in rows if "error" not in r]
    ratios = np.array([r["ratio"] for r in ok])
    outcomes = sum(r["outcomes"] for r in ok)
    summary = {
        "n_series": len(rows),
        "failures": len(rows) - len(ok),
        "mean_ratio_auto_to_better_baseline": round(float(ratios.mean()), 3),
        "median_ratio": round(float(np.median(ratios)), 3),
        "series_beating_better_baseline": int((ratios < 1).sum()),
        "coverage_80_pooled": round(sum(r["inside_80"] for r in ok) / outcomes, 3),
        "coverage_80_mean_of_series": round(float(np.mean([r["coverage_80"] for r in ok])), 3),
        "outcomes": outcomes,
        "seconds_total": round(seconds, 1),
        "measured": dt.datetime.now().isoformat(timespec="minutes"),
    }
    for group, keep in [("real", lambda r: not r["series"].startswith("Demo")), ("demo", lambda r: r["series"].startswith("Demo"))]:
        part = [r["ratio"] for r in ok if keep(r)]
        if part:
            summary[f"mean_ratio_{group}"] = round(float(np.mean(part)), 3)
            summary[f"n_{group}"] = len(part)
    summary["goal_ratio_met"] = summary["mean_ratio_auto_to_better_baseline"] <= 0.95
    summary["goal_coverage_met"] = 0.7 <= summary["coverage_80_pooled"] <= 0.9
    return summary


def report(rows: list[dict], summary: dict, command: str) -> str:
    s = summary
    table = pd.DataFrame(rows)
    lines = [
        "# Forecast accuracy (rolling-origin backtest)", "",
        f"Measured {s['measured']} with `{command}` on one core of a shared 2-core machine, "
        f"{s['seconds_total']} s in all.", "",
        "## Summary", "",
        f"- **Mean ratio** of the combination's MASE to the better of naive and drift on each series: "
        f"**{s['mean_ratio_auto_to_better_baseline']}** (median {s['median_ratio']}; goal at most 0.95: "
        f"{'met' if s['goal_ratio_met'] else 'NOT met'}). Real series only: {s.get('mean_ratio_real', '—')} "
        f"over {s.get('n_real', 0)}; demo series: {s.get('mean_ratio_demo', '—')} over {s.get('n_demo', 0)}.",
        f"- The combination beats the better baseline on **{s['series_beating_better_baseline']} of "
        f"{s['n_series'] - s['failures']}** series (the better baseline is chosen per series after the fact, "
        "which favours it).",
        f"- **Pooled 80 % coverage** {s['coverage_80_pooled']} over {s['outcomes']} outcomes (goal 0.70-0.90: "
        f"{'met' if s['goal_coverage_met'] else 'NOT met'}); mean of the per-series coverages "
        f"{s['coverage_80_mean_of_series']}.",
        f"- **Failures**: {s['failures']}.",
        f"- Per-series coverage ranges from {min(r['coverage_80'] for r in rows if 'error' not in r)} to "
        f"{max(r['coverage_80'] for r in rows if 'error' not in r)}: a series' outcomes come from 8 neighbouring "
        "origins, so they miss together. The last 8 origins of the US quarterly series fall in the 2007-2009 "
        "recession, when the bill rate went to zero; coverage there is low and the trend-following combination "
        "loses to the naive forecast on GDP and consumption.",
        "- Caveats: the combination's members, its scales and the interval's backtest window were chosen while "
        "looking at these same series (and at simulated balances), so these numbers are in-sample for those "
        "choices. The horizons here are short (12 months, 2 quarters, 3 years); the dashboard forecasts about "
        "4 years ahead, where the band rests on the spread extrapolated beyond the backtested steps, which this "
        "table does not test. None of these series is an energy, power-mix or park-emissions series.",
        "",
        "## Per series", "",
        "MASE divides each method's mean absolute error by the mean absolute one-step change of the whole series "
        "(one denominator for all three); ratio = auto / better baseline (below 1: the combination is better). "
        "Coverage: share of outcomes inside the 80 % interval. Seconds: the whole backtest of that series.", "",
        table.drop(columns=["inside_80"], errors="ignore").to_markdown(index=False), "",
        "## Sources and licences", "",
        *[f"- {v}" for v in SOURCES.values()],
        "- Demo series: generated by the data_access/demo package (synthetic).", "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="3 origins, print only (a smoke run)")
    parser.add_argument("--no-demo", action="store_true", help="leave out the demo park's series")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    n_origins = 3 if args.quick else 8
    series = {} if args.no_demo else demo_series()
    series.update(public_series())
    rows = []
    t0 = time.perf_counter()
    for name, (s, _source) in series.items():
        rows.append(measure(name, s, n_origins))
        print(rows[-1], flush=True)
    summary = summarise(rows, time.perf_counter() - t0)
    print(json.dumps(summary, indent=2))
    if args.quick:
        return 0
    command = "python -m benchmarks.forecast_accuracy" + (" --no-demo" if args.no_demo else "")
    (OUT / "forecast_accuracy.json").write_text(json.dumps({"summary": summary, "series": rows}, ensure_ascii=False, indent=2),
                                                encoding="utf-8")
    (OUT / "forecast_accuracy.md").write_text(report(rows, summary, command), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
