"""Forecasts toward 2030 with honest intervals. Pure pandas / numpy / statsmodels, no Streamlit.

How it works:
- shares (0-1) are modelled on the logit scale so no path leaves 0-1; other series in their own units,
  positive ones (balances, emissions) clipped at 0, with a log-linear trend as one more candidate for
  multiplicative growth; gaps are filled by interpolation for fitting only;
- every candidate model produces simulated future paths: random walk with drift, a linear trend with
  AR(1) residuals, the log-linear trend, ETS with additive and damped trend, seasonal ETS for monthly and
  quarterly series long enough for it, and ARIMA(1,1,0) with drift;
- "auto" chooses the candidate with the lowest error on rolling origins of the history itself (never by
  in-sample fit), then widens or narrows the chosen model's spread so that its own backtested errors
  would have been covered at the requested level (a calibration factor kept between 0.8 and 3);
- intervals are quantiles of the back-transformed paths, so shares stay in 0-1 and positive series stay
  positive; `probability_of_target` counts the paths that meet the target.
"""

from __future__ import annotations

import functools

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

N_PATHS = 1000
SEED = 2030
METHODS = ("auto", "drift", "naive", "trend", "loglinear", "ets", "ets_damped", "ets_seasonal", "arima")


# --- the series --------------------------------------------------------------------------------------

def _as_periods(history: pd.Series) -> pd.Series:
    """A float series on a complete PeriodIndex (gaps become NaN)."""
    if not isinstance(history, pd.Series):
        raise TypeError("history must be a pandas Series")
    s = history.copy()
    if isinstance(s.index, pd.DatetimeIndex):
        inferred = pd.infer_freq(s.index) if len(s) >= 3 else None
        code = s.index.freqstr or inferred
        s.index = s.index.to_period(_freq_code(code) if code else _guess_freq(s.index))
    elif not isinstance(s.index, pd.PeriodIndex):
        raise TypeError("history must be indexed by a PeriodIndex or a DatetimeIndex")
    s = s.sort_index()
    s = s[~s.index.duplicated(keep="last")]
    full = pd.period_range(s.index.min(), s.index.max(), freq=s.index.freq)
    s = s.reindex(full).astype(float)
    if s.index.freqstr[0] not in "YAQM":
        raise ValueError(f"history must be yearly, quarterly or monthly, not {s.index.freqstr!r}")
    return s


def _freq_code(freq: str) -> str:
    f = str(freq).upper()
    return "Y" if f[0] in "YA" else ("Q" if f[0] == "Q" else "M")


def _guess_freq(idx: pd.DatetimeIndex) -> str:
    days = np.median(np.diff(idx.values).astype("timedelta64[D]").astype(int))
    return "Y" if days > 300 else ("Q" if days > 80 else "M")


def _season_length(freqstr: str) -> int | None:
    return {"M": 12, "Q": 4}.get(freqstr[0])


def infer_kind(values: pd.Series) -> str:
    """'share' when every value lies in 0-1, 'positive' when every value is above 0, else 'level'."""
    v = values.dropna()
    if len(v) and v.between(0, 1).all():
        return "share"
    if len(v) and (v > 0).all():
        return "positive"
    return "level"


_EPS = 1e-4


def _to_scale(y: np.ndarray, kind: str) -> np.ndarray:
    if kind == "share":
        p = np.clip(y, _EPS, 1 - _EPS)
        return np.log(p / (1 - p))
    if kind == "positive":
        return np.log(np.maximum(y, 1e-12))
    return y


def _from_scale(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "share":
        return 1 / (1 + np.exp(-z))
    if kind == "positive":
        return np.exp(z)
    return z


# --- candidate models: each returns simulated paths (n_paths x h) on the transformed scale -----------

def _sim_drift(z: np.ndarray, h: int, rng: np.random.Generator, n: int = N_PATHS) -> np.ndarray:
    d = np.diff(z)
    if len(d) == 0:
        raise ValueError("need at least two points")
    c = d.mean()
    sigma = d.std(ddof=1) if len(d) > 1 else abs(c) + 1e-6
    sigma = max(sigma, 1e-9)
    c_draw = rng.normal(c, sigma / np.sqrt(len(d)), size=(n, 1))  # uncertainty of the drift itself
    steps = c_draw + rng.normal(0, sigma, size=(n, h))
    return z[-1] + np.cumsum(steps, axis=1)


def _sim_naive(z: np.ndarray, h: int, rng: np.random.Generator, n: int = N_PATHS) -> np.ndarray:
    d = np.diff(z)
    sigma = max(d.std(ddof=1) if len(d) > 1 else 1e-6, 1e-9)
    return z[-1] + np.cumsum(rng.normal(0, sigma, size=(n, h)), axis=1)


def _sim_trend(z: np.ndarray, h: int, rng: np.random.Generator, n: int = N_PATHS) -> np.ndarray:
    """Linear trend on the transformed scale (log-linear for positive series), with parameter uncertainty
    and AR(1) residuals so that runs of misses widen the fan as they should."""
    t = np.arange(len(z), dtype=float)
    X = np.column_stack([np.ones_like(t), t])
    beta, *_ = np.linalg.lstsq(X, z, rcond=None)
    resid = z - X @ beta
    dof = max(len(z) - 2, 1)
    s2 = float(resid @ resid) / dof + 1e-12
    cov = s2 * np.linalg.pinv(X.T @ X)
    phi = float(np.clip(np.corrcoef(resid[:-1], resid[1:])[0, 1], 0, 0.95)) if len(resid) > 3 else 0.0
    if np.isnan(phi):
        phi = 0.0
    innov_sd = np.sqrt(s2 * (1 - phi**2))
    betas = rng.multivariate_normal(beta, cov, size=n)
    tf = np.arange(len(z), len(z) + h, dtype=float)
    mean = betas[:, :1] + betas[:, 1:2] * tf[None, :]
    e = np.empty((n, h))
    prev = np.full(n, resid[-1])
    for k in range(h):
        prev = phi * prev + rng.normal(0, innov_sd, size=n)
        e[:, k] = prev
    return mean + e


def _sim_statsmodels(z: np.ndarray, h: int, rng: np.random.Generator, n: int, kind: str, season: int | None) -> np.ndarray:
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "arima":
            res = ARIMA(z, order=(1, 1, 0), trend="t").fit()
            sims = res.simulate(nsimulations=h, repetitions=n, anchor="end", random_state=int(rng.integers(2**31)))
        else:
            model = ETSModel(z, error="add", trend="add", damped_trend=(kind == "ets_damped"),
                             seasonal="add" if kind == "ets_seasonal" else None,
                             seasonal_periods=season if kind == "ets_seasonal" else None)
            res = model.fit(disp=False)
            sims = res.simulate(nsimulations=h, repetitions=n, anchor="end", random_state=int(rng.integers(2**31)))
    arr = np.asarray(sims).reshape(h, n).T
    if not np.isfinite(arr).all():
        raise ValueError(f"{kind} produced non-finite paths")
    return arr


def _candidates(n_obs: int, season: int | None, kind: str) -> list[str]:
    """Candidate models; for positive series also 'loglinear' (a linear trend on the log scale)."""
    names = ["drift", "trend"] + (["loglinear"] if kind == "positive" else [])
    if n_obs >= 8:
        names += ["ets", "ets_damped", "arima"]
    if season and n_obs >= 3 * season:
        names.append("ets_seasonal")
    return names


def _scale_of(method: str, kind: str) -> str:
    """The scale a model is fitted on: logit for shares (bounded both ways), log for the log-linear trend,
    otherwise the series' own units (positive series are then kept at or above 0 by clipping)."""
    if kind == "share":
        return "share"
    if method == "loglinear":
        return "positive"
    return "level"


def _paths(method: str, y: np.ndarray, kind: str, h: int, rng: np.random.Generator, season: int | None,
           n: int = N_PATHS) -> tuple[np.ndarray, str]:
    """Simulated paths on the model's scale, and that scale."""
    scale = _scale_of(method, kind)
    z = _fill(_to_scale(y, scale))
    return _simulate("trend" if method == "loglinear" else method, z, h, rng, season, n), scale


def _values(paths: np.ndarray, scale: str, kind: str) -> np.ndarray:
    vals = _from_scale(paths, scale)
    return np.maximum(vals, 0.0) if kind == "positive" else vals


def _simulate(method: str, z: np.ndarray, h: int, rng: np.random.Generator, season: int | None, n: int = N_PATHS) -> np.ndarray:
    if method == "drift":
        return _sim_drift(z, h, rng, n)
    if method == "naive":
        return _sim_naive(z, h, rng, n)
    if method == "trend":
        return _sim_trend(z, h, rng, n)
    return _sim_statsmodels(z, h, rng, n, method, season)


# --- selection and calibration -----------------------------------------------------------------------

@dataclass
class Fit:
    method: str
    kind: str
    scale: float  # calibration factor applied to the spread of the paths
    cv_error: dict  # method -> mean absolute scaled error on the history's rolling origins


def _fill(z: np.ndarray) -> np.ndarray:
    s = pd.Series(z)
    return s.interpolate(limit_direction="both").to_numpy()


def _origins(n_obs: int, h: int, max_origins: int) -> list[int]:
    """Training lengths for rolling-origin evaluation (each leaves h points to compare with)."""
    last = n_obs - h
    first = max(3, last - max_origins + 1)
    return list(range(first, last + 1)) if last >= 3 else []


def _widen(paths: np.ndarray, scale: float) -> np.ndarray:
    centre = np.median(paths, axis=0, keepdims=True)
    return centre + (paths - centre) * scale


def _choose(y: np.ndarray, kind: str, season: int | None, level: float, rng: np.random.Generator,
            method: str = "auto", max_origins: int = 6) -> Fit:
    n_obs = int(np.isfinite(y).sum())
    names = _candidates(n_obs, season, kind) if method == "auto" else [method]
    h_cv = max(1, min(len(y) // 4, season or 3, 6))
    origins = _origins(len(y), h_cv, max_origins)
    scale_ref = np.nanmean(np.abs(np.diff(y))) or 1.0
    errors: dict[str, list[float]] = {m: [] for m in names}
    misses: dict[str, list[float]] = {m: [] for m in names}
    for n_train in origins:
        actual = y[n_train:n_train + h_cv]
        ok = np.isfinite(actual)
        if not ok.any():
            continue
        for m in names:
            try:
                paths, scale = _paths(m, y[:n_train], kind, h_cv, rng, season, n=300)
            except Exception:  # a model that cannot be fitted on this origin scores as unusable
                errors[m].append(np.inf)
                continue
            vals = _values(paths, scale, kind)
            errors[m].append(float(np.mean(np.abs(vals.mean(axis=0)[ok] - actual[ok]))) / scale_ref)
            med = np.median(paths, axis=0)
            half = (np.quantile(paths, (1 + level) / 2, axis=0) - np.quantile(paths, (1 - level) / 2, axis=0)) / 2
            za = _to_scale(actual[ok], scale)
            misses[m].extend((np.abs(za - med[ok]) / np.maximum(half[ok], 1e-12)).tolist())
    cv = {m: (float(np.mean(v)) if v and np.all(np.isfinite(v)) else np.inf) for m, v in errors.items()}
    best = min(names, key=lambda m: (cv[m], names.index(m))) if any(np.isfinite(list(cv.values()))) else names[0]
    ratios = np.asarray(misses.get(best, []))
    if len(ratios) >= 4:
        # The factor that would have made `level` of the backtested outcomes fall inside the interval.
        factor = float(np.clip(np.quantile(ratios, level), 0.8, 3.0))
    else:
        factor = 1.5 if n_obs < 8 else 1.0  # too little history to calibrate: stay on the wide side
    return Fit(best, kind, factor, cv)


@functools.lru_cache(maxsize=48)  # about 0.8 MB each: 5 indicators x 2 methods x several parks
def _fit_and_values(y_bytes: bytes, n: int, kind: str, season: int | None, level: float, method: str, h: int):
    """The chosen model and its calibrated simulated values h steps ahead. Seeded, so the same history always
    gives the same answer; cached because a forecast and its target probability need the same paths (model
    choice is most of the cost: backtests of every candidate)."""
    y = np.frombuffer(y_bytes, dtype=float, count=n)
    rng = np.random.default_rng(SEED)
    fit = _choose(y, kind, season, level, rng, method=method)
    paths, scale = _paths(fit.method, y, kind, h, rng, season)
    vals = _values(_widen(paths, fit.scale), scale, kind)
    vals.setflags(write=False)  # shared between callers
    return fit, vals


# --- public API ----------------------------------------------------------------------------------------

def _horizon(index: pd.PeriodIndex, until) -> pd.PeriodIndex:
    last = index[-1]
    if isinstance(until, (int, np.integer)):
        end = pd.Period(f"{int(until)}-12", freq="M").asfreq(index.freq, how="end")
    else:
        end = pd.Period(until, freq=index.freq)
    if end <= last:
        raise ValueError(f"'until' ({end}) must be after the last observation ({last})")
    return pd.period_range(last + 1, end, freq=index.freq)


def _prepare(history: pd.Series, kind: str | None) -> tuple[pd.Series, np.ndarray, str, int | None]:
    s = _as_periods(history)
    # Trim leading and trailing gaps: the forecast starts after the last observation.
    s = s.loc[s.first_valid_index():s.last_valid_index()] if s.notna().any() else s
    if s.notna().sum() < 3:
        raise ValueError(f"need at least 3 observations to forecast, got {int(s.notna().sum())}")
    kind = kind or infer_kind(s)
    if kind not in ("share", "positive", "level"):
        raise ValueError("kind must be 'share', 'positive' or 'level'")
    y = s.to_numpy(dtype=float)
    if kind == "share" and (np.nanmin(y) < 0 or np.nanmax(y) > 1):
        raise ValueError("a share must lie between 0 and 1")
    if kind == "positive" and np.nanmin(y) <= 0:
        raise ValueError("a positive series must be above 0")
    return s, y, kind, _season_length(s.index.freqstr)


def forecast(history: pd.Series, until, *, level: float = 0.8, method: str = "auto", kind: str | None = None,
             return_fit: bool = False):
    """Forecast `history` to `until` with a central interval at `level`.

    Parameters
    ----------
    history : Series indexed by a yearly, quarterly or monthly PeriodIndex or DatetimeIndex; gaps and NaN allowed.
    until : a year (int, e.g. 2030: to its last period) or a period ('2030Q4', '2030-12').
    level : probability inside [lower, upper].
    method : 'auto' or one of METHODS.
    kind : 'share' (kept in 0-1), 'positive' (kept above 0) or 'level'; inferred from the values when None.

    Returns
    -------
    DataFrame indexed by the periods after the last observation up to `until`, columns mean, lower, upper
    (and, with return_fit=True, the Fit that says which model was chosen and its backtest errors).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    s, y, kind, season = _prepare(history, kind)
    future = _horizon(s.index, until)
    fit, vals = _fit_and_values(y.tobytes(), len(y), kind, season, level, method, len(future))
    a = (1 - level) / 2
    mean, lower, upper = vals.mean(axis=0), np.quantile(vals, a, axis=0), np.quantile(vals, 1 - a, axis=0)
    out = pd.DataFrame({"mean": mean, "lower": lower, "upper": upper}, index=future)
    return (out, fit) if return_fit else out


def probability_of_target(history: pd.Series, until, target: float, direction: str, *, method: str = "auto",
                          kind: str | None = None) -> float:
    """The chance that the value at `until` is at or below ("below") or at or above ("above") `target`,
    counted over the chosen model's calibrated simulated paths."""
    if direction not in ("below", "above"):
        raise ValueError("direction must be 'below' or 'above'")
    s, y, kind, season = _prepare(history, kind)
    future = _horizon(s.index, until)
    final = _fit_and_values(y.tobytes(), len(y), kind, season, 0.8, method, len(future))[1][:, -1]
    return float(np.mean(final <= target) if direction == "below" else np.mean(final >= target))


@dataclass
class Backtest:
    errors: pd.DataFrame  # origin, h, actual, mean, lower, upper, naive, drift
    mase: float
    mase_naive: float
    mase_drift: float
    coverage: float


def backtest(history: pd.Series, horizon: int, *, level: float = 0.8, method: str = "auto", kind: str | None = None,
             n_origins: int = 8) -> Backtest:
    """Rolling-origin evaluation: forecast `horizon` steps from each of the last `n_origins` origins.

    MASE divides each method's mean absolute error by the in-sample mean absolute one-step naive error of
    the whole history (the same denominator for every method, so they compare directly). Coverage is the
    share of outcomes inside the interval at `level`.
    """
    s, y, kind, _season = _prepare(history, kind)
    rows = []
    last_train = len(y) - horizon
    origins = [o for o in range(max(3, last_train - n_origins + 1), last_train + 1)]
    if not origins:
        raise ValueError("history too short for this horizon")
    for n_train in origins:
        train = s.iloc[:n_train]
        if train.notna().sum() < 3:
            continue
        fc = forecast(train, s.index[n_train + horizon - 1], level=level, method=method, kind=kind)
        base = train.dropna()
        drift = (base.iloc[-1] - base.iloc[0]) / max(len(base) - 1, 1)
        for k in range(horizon):
            actual = y[n_train + k]
            if not np.isfinite(actual):
                continue
            rows.append({"origin": str(s.index[n_train - 1]), "h": k + 1, "actual": actual,
                         "mean": fc["mean"].iloc[k], "lower": fc["lower"].iloc[k], "upper": fc["upper"].iloc[k],
                         "naive": base.iloc[-1], "drift": base.iloc[-1] + drift * (k + 1)})
    errors = pd.DataFrame(rows)
    scale = np.nanmean(np.abs(np.diff(y))) or 1.0
    mae = lambda col: float(np.mean(np.abs(errors[col] - errors["actual"])))  # noqa: E731
    coverage = float(((errors["actual"] >= errors["lower"]) & (errors["actual"] <= errors["upper"])).mean())
    return Backtest(errors, mae("mean") / scale, mae("naive") / scale, mae("drift") / scale, coverage)
