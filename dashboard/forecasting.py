"""Forecasts toward 2030 with honest intervals. Pure pandas / numpy / scipy / statsmodels, no Streamlit.

How it works:
- scales: with method "auto", shares (0-1) are modelled on the logit scale and positive series (balances,
  emissions) on the log scale, so no forecast leaves 0-1 or reaches 0, and growth compounds; other series
  stay in their own units. Gaps are filled by interpolation for fitting only;
- "auto" is a forecast combination in the manner of the M4 competition: step by step, the median of three
  point forecasts — the Theta method (simple exponential smoothing plus half the history's linear slope),
  exponential smoothing with a damped trend, and ARIMA(1,1,0) with drift. A monthly or quarterly series
  whose autocorrelation at the seasonal lag passes the M4 seasonality test (90 %) is first seasonally
  adjusted by classical decomposition of its last five seasons, and that pattern is added back to the
  forecast. For histories of fewer than 5 points a random walk with drift stands in for ARIMA. Parameters
  are fitted by least squares on one-step errors (exponential smoothing over a grid of parameters, ARIMA
  by conditional least squares), so one forecast, intervals included, takes a few hundredths of a second;
- the single models of METHODS can still be asked for by name; they keep their former scales (logit for
  shares, log for 'loglinear', otherwise the series' units with positive series clipped at 0) and are not
  seasonally adjusted ('ets_seasonal', statsmodels' additive Holt-Winters, models the season itself);
- intervals come from the forecast's own errors, by horizon: the same method is re-run from up to
  MAX_ORIGINS rolling origins in the later half of the history, its errors are collected by step ahead
  (up to 24 months, 8 quarters or 6 years, and at most a sixth of the history), and the spread at step h
  is fitted as c * h**a (0 <= a <= 1.5), with c set so that `level` of the backtested errors would have
  fallen inside the interval, widened by the Student t factor for the number of origins. Beyond the
  longest backtested step the spread grows in proportion to the horizon, the pace at which an error in the
  trend itself grows, so bands never narrow. (On 360 simulated balances, 72 months of a log random walk
  with drift, this held the 80 % band's coverage at 0.81 48 months ahead; growth following the fitted
  exponent, but at least a square root, gave 0.54.) A history too short for that backtest gets the spread
  of a random walk with an estimated drift, widened by the Student t factor for its few points;
- the forecast distribution at each step is normal on the model scale, held as N_PATHS equally spaced
  quantiles and back-transformed, so bands stay within bounds; the central forecast (column "mean") is the
  back-transformed point forecast, i.e. the median of that distribution; `probability_of_target` is the
  share of the distribution that meets the target.
Known limits: Theta and the damped trend extend a lasting trend at less than its full pace, so over several
years the combination leans toward slower change than the history's (the bands, calibrated on its own
errors, allow for that); on the log scale a straight-line trend is extended slightly upward-curving; on the
logit scale a share that started near 0 gets a steep drift from ARIMA, which the median tempers. Accuracy
on real series against the naive and drift baselines: benchmarks/forecast_accuracy.md.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

N_PATHS = 1000  # quantiles of the forecast distribution held at each step
METHODS = ("auto", "theta", "ets_damped", "arima", "drift", "naive", "trend", "loglinear", "ets", "ets_seasonal")
MEMBERS = ("theta", "ets_damped", "arima")  # the models whose median is the "auto" forecast
BACKTEST_STEPS = {"M": 24, "Q": 8, "Y": 6}  # longest step ahead of the interval backtest (and n // 6 at most)
MAX_ORIGINS = 24  # rolling origins of the interval backtest
MIN_TRAIN = 8  # the shortest history a backtest origin fits on (twice the season when seasonally adjusted)


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


def _to_scale(y: np.ndarray, scale: str) -> np.ndarray:
    if scale == "share":
        p = np.clip(y, _EPS, 1 - _EPS)
        return np.log(p / (1 - p))
    if scale == "positive":
        return np.log(np.maximum(y, 1e-12))
    return y


def _from_scale(z: np.ndarray, scale: str) -> np.ndarray:
    if scale == "share":
        return 1 / (1 + np.exp(-z))
    if scale == "positive":
        return np.exp(z)
    return z


def _scale_of(method: str, kind: str) -> str:
    """The scale a method works on: the kind's own scale for 'auto' (logit for shares, log for positive
    series); for the single models logit for shares, log for 'loglinear', otherwise the series' units."""
    if method == "auto" or kind == "share":
        return kind
    return "positive" if method == "loglinear" else "level"


def _values(z: np.ndarray, scale: str, kind: str) -> np.ndarray:
    """Model-scale values back in the series' units; a positive series modelled in its units is kept >= 0."""
    vals = _from_scale(z, scale)
    return np.maximum(vals, 0.0) if kind == "positive" else vals


def _fill(z: np.ndarray) -> np.ndarray:
    return pd.Series(z).interpolate(limit_direction="both").to_numpy()


# --- point forecasts on the model scale: each takes a gap-free history z and returns h values ---------

def _naive(z: np.ndarray, h: int) -> np.ndarray:
    return np.full(h, z[-1])


def _drift(z: np.ndarray, h: int) -> np.ndarray:
    """Random walk with drift: the last value plus the history's average step."""
    return z[-1] + (z[-1] - z[0]) / (len(z) - 1) * np.arange(1, h + 1)


def _slope(z: np.ndarray) -> tuple[float, float]:
    """Least-squares line through z against 0..n-1: (intercept, slope)."""
    t = np.arange(len(z), dtype=float)
    tc = t - t.mean()
    slope = float(tc @ (z - z.mean()) / (tc @ tc))
    return float(z.mean() - slope * t.mean()), slope


def _linear_trend(z: np.ndarray, h: int) -> np.ndarray:
    intercept, slope = _slope(z)
    return intercept + slope * np.arange(len(z), len(z) + h)


_SES_ALPHAS = np.linspace(0.02, 1.0, 50)
_ES_ALPHAS, _ES_BETA_SHARES, _ES_PHIS = np.meshgrid(
    [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99], [0.01, 0.05, 0.1, 0.25, 0.5, 1.0],
    [0.8, 0.85, 0.9, 0.95, 0.98], indexing="ij")


def _theta(z: np.ndarray, h: int) -> np.ndarray:
    """The Theta method (Assimakopoulos & Nikolopoulos 2000, as simple exponential smoothing with drift in
    Hyndman & Billah 2003): the smoothed level plus half the history's linear slope, the same as
    statsmodels' ThetaModel with theta=2 but with the smoothing weight fitted on a grid."""
    level = np.full(_SES_ALPHAS.shape, z[0])
    sse = np.zeros_like(level)
    for x in z[1:]:
        e = x - level
        sse += e * e
        level = level + _SES_ALPHAS * e
    k = int(np.argmin(sse))
    a = _SES_ALPHAS[k]
    steps = np.arange(h, dtype=float) + 1 / a - (1 - a) ** len(z) / a
    return level[k] + _slope(z)[1] / 2 * steps


def _exp_smoothing(z: np.ndarray, h: int, damped: bool) -> np.ndarray:
    """Holt's linear trend (ETS(A,A,N)), damped (ETS(A,Ad,N)) when asked: smoothing weights and damping
    chosen on a grid by the least sum of squared one-step errors, level and trend started from the first
    points."""
    alpha, beta = _ES_ALPHAS.ravel(), (_ES_ALPHAS * _ES_BETA_SHARES).ravel()
    phi = _ES_PHIS.ravel() if damped else np.ones_like(alpha)
    if not damped:  # without damping the phi axis of the grid only repeats itself
        keep = _ES_PHIS.ravel() == _ES_PHIS.flat[0]
        alpha, beta, phi = alpha[keep], beta[keep], phi[keep]
    k0 = min(len(z) - 1, 4)
    level = np.full(alpha.shape, z[0])
    trend = np.full(alpha.shape, (z[k0] - z[0]) / k0)
    sse = np.zeros_like(level)
    for x in z[1:]:
        f = level + phi * trend
        e = x - f
        sse += e * e
        level = f + alpha * e
        trend = phi * trend + beta * e
    k = int(np.argmin(sse))
    return level[k] + trend[k] * np.cumsum(phi[k] ** np.arange(1, h + 1))


def _arima(z: np.ndarray, h: int) -> np.ndarray:
    """ARIMA(1,1,0) with drift by conditional least squares: each step is the drift plus phi times the
    previous step's departure from it (phi kept within +-0.95)."""
    d = np.diff(z)
    if len(d) < 4:
        raise ValueError("ARIMA needs at least 5 points")
    x, y = d[:-1], d[1:]
    xc = x - x.mean()
    phi = float(np.clip(xc @ (y - y.mean()) / (xc @ xc), -0.95, 0.95)) if xc @ xc > 0 else 0.0
    mu = float(np.mean(y - phi * x)) / (1 - phi)
    steps = mu + (d[-1] - mu) * phi ** np.arange(1, h + 1)
    return z[-1] + np.cumsum(steps)


def _ets_seasonal(z: np.ndarray, h: int, season: int | None) -> np.ndarray:
    """Additive Holt-Winters (statsmodels ETSModel: additive error, trend and season)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if not season or len(z) < 2 * season + 2:
        raise ValueError("ets_seasonal needs a monthly or quarterly series of more than two seasons")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ETSModel(z, error="add", trend="add", seasonal="add", seasonal_periods=season).fit(disp=False)
    path = np.asarray(res.forecast(h), dtype=float)
    if not np.isfinite(path).all():
        raise ValueError("ets_seasonal produced a non-finite forecast")
    return path


def _single(method: str, z: np.ndarray, h: int, season: int | None) -> np.ndarray:
    if method == "naive":
        return _naive(z, h)
    if method == "drift":
        return _drift(z, h)
    if method in ("trend", "loglinear"):
        return _linear_trend(z, h)
    if method == "theta":
        return _theta(z, h)
    if method in ("ets", "ets_damped"):
        return _exp_smoothing(z, h, damped=method == "ets_damped")
    if method == "arima":
        return _arima(z, h)
    return _ets_seasonal(z, h, season)


# --- seasonality and the combination -----------------------------------------------------------------

def _is_seasonal(z: np.ndarray, season: int | None) -> bool:
    """The M4 seasonality test: the autocorrelation at the seasonal lag exceeds 1.645 standard errors
    (Bartlett's formula); needs at least three seasons of history."""
    n = len(z)
    if not season or n < 3 * season:
        return False
    x = z - z.mean()
    denom = float(x @ x)
    if denom <= 0:
        return False
    acf = np.array([x[k:] @ x[:n - k] for k in range(1, season + 1)]) / denom
    return bool(abs(acf[-1]) > 1.645 * np.sqrt((1 + 2 * np.sum(acf[:-1] ** 2)) / n))


def _seasonal_pattern(z: np.ndarray, season: int) -> np.ndarray:
    """Additive seasonal indices of classical decomposition (centred moving average) over the last five
    seasons of z, so that a season that drifts is taken as it is now; they sum to 0, and index i belongs to
    the positions i, i + season, ... of z."""
    z = z[max(0, (len(z) - 5 * season) // season * season):]  # whole seasons dropped: positions keep their phase
    weights = np.r_[0.5, np.ones(season - 1), 0.5] / season if season % 2 == 0 else np.ones(season) / season
    trend = np.convolve(z, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    detrended = z[offset:offset + len(trend)] - trend
    position = (np.arange(len(trend)) + offset) % season
    pattern = np.array([detrended[position == i].mean() for i in range(season)])
    return pattern - pattern.mean()


def _members(n: int) -> tuple[str, ...]:
    """The models combined for a history of n points (gaps filled): ARIMA needs 5."""
    return MEMBERS if n >= 5 else ("theta", "ets_damped", "drift")


def _point(method: str, z: np.ndarray, h: int, season: int | None, seasonal: bool) -> dict[str, np.ndarray]:
    """Point forecasts h steps ahead on the model scale. For 'auto': each member's and, under the key
    'combination', their median step by step (seasonally adjusted first when `seasonal`); otherwise the
    single model's own forecast under its name."""
    if method != "auto":
        return {method: _single(method, z, h, season)}
    future = 0.0
    if seasonal:
        pattern = _seasonal_pattern(z, season)
        z = z - pattern[np.arange(len(z)) % season]
        future = pattern[np.arange(len(z), len(z) + h) % season]
    paths = {m: _single(m, z, h, season) + future for m in _members(len(z))}
    paths["combination"] = np.median(np.array(list(paths.values())), axis=0)
    return paths


def _main_name(method: str) -> str:
    """The name the forecast goes by: 'combination' for 'auto', else the method itself."""
    return "combination" if method == "auto" else method


# --- intervals calibrated by horizon --------------------------------------------------------------------

@dataclass(frozen=True)
class Fit:
    """What a forecast was made with.

    method: 'combination' for method='auto', otherwise the single model asked for. scale: the interval's width at the last step relative to a random walk
    with the history's own one-step spread (1 = as wide as that random walk's band). cv_error: model ->
    mean absolute error on the history's rolling origins, divided by the mean absolute one-step change
    (for 'auto': the combination, its members and the naive and drift baselines); empty when the history
    was too short to backtest. members: the models combined. seasonal: whether a seasonal pattern was
    removed and added back. backtested_steps: the longest step ahead the interval was calibrated on (0: no
    backtest, a random-walk spread).
    """

    method: str
    kind: str
    scale: float
    cv_error: dict
    members: tuple = ()
    seasonal: bool = False
    backtested_steps: int = 0


def _origins(n: int, n_min: int) -> list[int]:
    """Training lengths of the interval backtest: every one from half the history (at least n_min) to
    n - 1, each leaving at least one point to compare with, thinned evenly to at most MAX_ORIGINS with the
    first and the latest kept. The later half only, because errors there say more about the errors to come
    (on the logit scale, errors made while a share was near 0 would swamp the rest)."""
    candidates = np.arange(max(n_min, n // 2), n)
    if len(candidates) > MAX_ORIGINS:
        keep = np.unique(np.round(np.linspace(0, len(candidates) - 1, MAX_ORIGINS)).astype(int))
        candidates = candidates[keep]
    return candidates.tolist()


def _backtest_errors(method: str, z: np.ndarray, y: np.ndarray, scale: str, kind: str, season: int | None,
                     seasonal: bool, steps: int) -> tuple[dict[int, list[float]], dict[str, float]]:
    """Re-run the forecast from rolling origins of the history. Returns the main forecast's errors on the
    model scale by step ahead, and each model's mean absolute error in the series' units divided by the
    mean absolute one-step change."""
    n = len(z)
    n_min = max(MIN_TRAIN, 2 * season if seasonal else 0, 2 * season + 2 if method == "ets_seasonal" else 0)
    main = _main_name(method)
    by_step: dict[int, list[float]] = {}
    abs_errors: dict[str, list[float]] = {}
    for t in _origins(n, n_min):
        k = min(steps, n - t)
        observed = np.isfinite(y[t:t + k])
        if not observed.any():
            continue
        try:
            paths = _point(method, z[:t], k, season, seasonal)
        except (ValueError, np.linalg.LinAlgError):  # a model that cannot be fitted on this origin is left out
            continue
        if method == "auto":
            paths.update(naive=_naive(z[:t], k), drift=_drift(z[:t], k))
        for h in np.flatnonzero(observed):
            by_step.setdefault(int(h) + 1, []).append(float(z[t + h] - paths[main][h]))
        for name, path in paths.items():
            abs_errors.setdefault(name, []).extend(np.abs(_values(path, scale, kind) - y[t:t + k])[observed].tolist())
    unit = np.nanmean(np.abs(np.diff(y))) or 1.0
    order = [main, *(m for m in abs_errors if m != main)]
    cv = {m: float(np.mean(abs_errors[m])) / unit for m in order if m in abs_errors}
    return by_step, cv


def _fitted_spread(by_step: dict[int, list[float]], h: int, level: float) -> np.ndarray:
    """Standard deviation on the model scale at steps 1..h from backtest errors by step: c * step**a
    within the backtested steps (a fitted to the errors' `level` quantiles by step, kept in 0-1.5; c so that
    `level` of all errors fall inside the interval, widened by the Student t factor for the number of
    origins), then growing in proportion to the step beyond the longest backtested one."""
    z_level = stats.norm.ppf((1 + level) / 2)
    steps_seen = np.array(sorted(s for s, e in by_step.items() if len(e) >= 2))
    if len(steps_seen) >= 2:
        q = np.array([np.quantile(np.abs(by_step[s]), level) for s in steps_seen])
        weight = np.sqrt([len(by_step[s]) for s in steps_seen])
        slope = np.polyfit(np.log(steps_seen), np.log(np.maximum(q, 1e-12)), 1, w=weight)[0]
        a = float(np.clip(slope, 0.0, 1.5))
    else:
        a = 0.5
    pooled = np.concatenate([np.abs(e) / s**a for s, e in by_step.items()])
    few = stats.t.ppf((1 + level) / 2, len(by_step[1]) - 1) / z_level  # the spread rests on this many origins
    c = max(float(np.quantile(pooled, level)) / z_level * few, 1e-12)
    last = int(max(by_step))
    step = np.arange(1, h + 1, dtype=float)
    return np.where(step <= last, c * step**a, c * last**a * step / last)


def _random_walk_spread(z: np.ndarray, h: int, level: float) -> np.ndarray:
    """Spread of a random walk whose drift is estimated from the history (variance grows like
    h + h**2 / number of steps), widened by the Student t factor for so few steps."""
    d = np.diff(z)
    sd = max(float(d.std(ddof=1)) if len(d) > 1 else abs(float(d[0])), 1e-9)
    widen = stats.t.ppf((1 + level) / 2, max(len(d) - 1, 1)) / stats.norm.ppf((1 + level) / 2)
    step = np.arange(1, h + 1, dtype=float)
    return sd * widen * np.sqrt(step + step**2 / len(d))


_STANDARD_QUANTILES = stats.norm.ppf((np.arange(N_PATHS) + 0.5) / N_PATHS)


@functools.lru_cache(maxsize=48)  # about 0.4 MB each: 5 indicators x 2 horizons x several parks
def _fit_and_values(y_bytes: bytes, n: int, kind: str, season: int | None, level: float, method: str, h: int):
    """The fit, the central forecast and N_PATHS quantiles of the forecast distribution (rows) at each of
    the h steps (columns), in the series' units. Deterministic; cached because a forecast and its target
    probability need the same values."""
    y = np.frombuffer(y_bytes, dtype=float, count=n)
    scale = _scale_of(method, kind)
    z = _fill(_to_scale(y, scale))
    seasonal = method == "auto" and _is_seasonal(z, season)
    name = _main_name(method)
    # At most a sixth of the history, so that at the longest step two thirds of the origins still have an outcome.
    steps = min(BACKTEST_STEPS[{12: "M", 4: "Q"}.get(season, "Y")], max(1, n // 6))
    by_step, cv = _backtest_errors(method, z, y, scale, kind, season, seasonal, steps)
    if len(by_step.get(1, [])) >= 4:
        spread = _fitted_spread(by_step, h, level)
        backtested = int(max(by_step))
    else:
        spread, backtested, cv = _random_walk_spread(z, h, level), 0, {}
    path = _point(method, z, h, season, seasonal)[name]
    one_step = max(float(np.std(np.diff(z), ddof=1)), 1e-9)
    fit = Fit(name, kind, float(spread[-1] / (one_step * np.sqrt(h))), cv,
              members=_members(n) if method == "auto" else (method,), seasonal=seasonal,
              backtested_steps=backtested)
    central = _values(path, scale, kind)
    vals = _values(path[None, :] + spread[None, :] * _STANDARD_QUANTILES[:, None], scale, kind)
    central.setflags(write=False)  # shared between callers
    vals.setflags(write=False)
    return fit, central, vals


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
    method : 'auto' (the combination described in the module docstring) or one of the single models in METHODS.
    kind : 'share' (kept in 0-1), 'positive' (kept above 0) or 'level'; inferred from the values when None.

    Returns
    -------
    DataFrame indexed by the periods after the last observation up to `until`, columns mean (the central
    forecast: the median of the forecast distribution), lower, upper (and, with return_fit=True, the Fit that
    says how the forecast was made and how its parts did on the history's rolling origins).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    s, y, kind, season = _prepare(history, kind)
    future = _horizon(s.index, until)
    fit, central, vals = _fit_and_values(y.tobytes(), len(y), kind, season, level, method, len(future))
    a = (1 - level) / 2
    out = pd.DataFrame({"mean": central, "lower": np.quantile(vals, a, axis=0), "upper": np.quantile(vals, 1 - a, axis=0)},
                       index=future)
    return (out, fit) if return_fit else out


def probability_of_target(history: pd.Series, until, target: float, direction: str, *, method: str = "auto",
                          kind: str | None = None) -> float:
    """The chance that the value at `until` is at or below ("below") or at or above ("above") `target`: the
    share of the forecast distribution (calibrated for 80 % intervals) at that period that meets it."""
    if direction not in ("below", "above"):
        raise ValueError("direction must be 'below' or 'above'")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    s, y, kind, season = _prepare(history, kind)
    future = _horizon(s.index, until)
    final = _fit_and_values(y.tobytes(), len(y), kind, season, 0.8, method, len(future))[2][:, -1]
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
