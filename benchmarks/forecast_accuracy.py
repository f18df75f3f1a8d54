"""Forecast accuracy, measured and published: `python -m benchmarks.forecast_accuracy [--quick]`.

For every series, a rolling-origin backtest of `dashboard.forecasting.forecast` (method 'auto') against the
naive and drift baselines: MASE (same denominator for all three) and the coverage of the 80 % interval.
Series: the demo park's monthly green-power share, 12-month emissions and green-loan balance, and real
public series bundled with statsmodels (Mauna Loa CO2, Nile flow, sunspots, US real GDP, El Niño).
Writes benchmarks/forecast_accuracy.md and .json. Goals: mean MASE of auto below the better baseline,
coverage between 70 % and 90 %.
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


def public_series() -> dict[str, tuple[pd.Series, int]]:
    """Real series from statsmodels' bundled data sets, with the horizon each is tested at."""
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    co2 = co2["1980":"1999"]  # 20 years monthly
    co2.index = co2.index.to_period("M")
    nile = sm.datasets.nile.load_pandas().data
    nile = pd.Series(nile["volume"].to_numpy(), index=pd.period_range(str(int(nile["year"].iloc[0])), periods=len(nile), freq="Y"))
    sun = sm.datasets.sunspots.load_pandas().data
    sun = pd.Series(sun["SUNACTIVITY"].to_numpy() + 0.1, index=pd.period_range(str(int(sun["YEAR"].iloc[0])), periods=len(sun), freq="Y"))
    sun = sun.iloc[-120:]
    macro = sm.datasets.macrodata.load_pandas().data
    gdp = pd.Series(macro["realgdp"].to_numpy(), index=pd.period_range("1959Q1", periods=len(macro), freq="Q"))
    elnino = sm.datasets.elnino.load_pandas().data.set_index("YEAR").stack()
    nino = pd.Series(elnino.to_numpy(dtype=float), index=pd.period_range(f"{int(elnino.index[0][0])}-01", periods=len(elnino), freq="M"))
    nino = nino.iloc[-240:]
    return {"Mauna Loa CO2 (monthly, ppm)": (co2, 12), "Nile flow (yearly)": (nile, 5), "Sunspots (yearly)": (sun, 5),
            "US real GDP (quarterly)": (gdp, 8), "El Niño SST (monthly)": (nino, 12)}


def demo_series() -> dict[str, tuple[pd.Series, int]]:
    """The demo park's headline series, from the demo generator and the indicator definitions."""
    from data_access import db, demo, queries
    from data_access.scope import FULL_ACCESS
    from dashboard.indicators import compute_park_monthly

    engine = db.make_engine("sqlite://")
    db.upgrade(engine)
    demo.seed_demo(engine, today=dt.date(2026, 11, 28), hourly_months=0)
    with engine.connect() as conn:
        monthly, _ = compute_park_monthly(queries.load_energy_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_credit_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_policy_tool_monthly(conn, park_id=1, scope=FULL_ACCESS),
                                          queries.load_emission_factors(conn))
    idx = pd.PeriodIndex(pd.to_datetime(pd.Index(monthly.index)), freq="M")
    out = {}
    for name, col in [("Demo green-power share (monthly)", "green_power_share"),
                      ("Demo emissions, 12 months (monthly)", "total_emissions_t12"),
                      ("Demo green-loan balance (monthly)", "green_balance")]:
        s = pd.Series(monthly[col].to_numpy(), index=idx).dropna()
        out[name] = (s, 12)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer origins (a smoke run)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    n_origins = 3 if args.quick else 8
    rows = []
    for name, (series, h) in {**demo_series(), **public_series()}.items():
        t0 = time.time()
        bt = backtest(series, h, level=0.8, n_origins=n_origins)
        rows.append({"series": name, "n": int(series.notna().sum()), "horizon": h, "origins": n_origins,
                     "mase_auto": round(bt.mase, 3), "mase_naive": round(bt.mase_naive, 3), "mase_drift": round(bt.mase_drift, 3),
                     "coverage_80": round(bt.coverage, 3), "seconds": round(time.time() - t0, 1)})
        print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    best_baseline = df[["mase_naive", "mase_drift"]].min(axis=1)
    summary = {
        "mean_mase_auto": round(float(df["mase_auto"].mean()), 3),
        "mean_mase_best_baseline": round(float(np.mean(best_baseline)), 3),
        "mean_mase_naive": round(float(df["mase_naive"].mean()), 3),
        "mean_mase_drift": round(float(df["mase_drift"].mean()), 3),
        "coverage_80_pooled": round(float(df["coverage_80"].mean()), 3),
        "series_where_auto_beats_better_baseline": int((df["mase_auto"] < best_baseline).sum()),
        "n_series": len(df),
        "measured": dt.datetime.now().isoformat(timespec="minutes"),
    }
    summary["goal_mase_met"] = summary["mean_mase_auto"] < min(summary["mean_mase_naive"], summary["mean_mase_drift"])
    summary["goal_coverage_met"] = 0.7 <= summary["coverage_80_pooled"] <= 0.9
    (OUT / "forecast_accuracy.json").write_text(json.dumps({"series": rows, "summary": summary}, ensure_ascii=False, indent=2),
                                                encoding="utf-8")
    lines = ["# Forecast accuracy (rolling-origin backtest)", "",
             f"Measured {summary['measured']} with `python -m benchmarks.forecast_accuracy`{' --quick' if args.quick else ''}. "
             "MASE divides each method's mean absolute error by the mean absolute one-step change of the whole series "
             "(one denominator for all three). Coverage: share of outcomes inside the 80 % interval.", "",
             df.to_markdown(index=False), "",
             f"- mean MASE: auto {summary['mean_mase_auto']}, naive {summary['mean_mase_naive']}, drift {summary['mean_mase_drift']} "
             f"-> goal (auto below the better baseline): {'met' if summary['goal_mase_met'] else 'NOT met'}",
             f"- auto beats the better baseline on {summary['series_where_auto_beats_better_baseline']} of {summary['n_series']} series",
             f"- pooled 80 % coverage {summary['coverage_80_pooled']} -> goal (0.70-0.90): {'met' if summary['goal_coverage_met'] else 'NOT met'}", ""]
    (OUT / "forecast_accuracy.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[-4:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
