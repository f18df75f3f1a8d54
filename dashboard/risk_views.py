"""Summaries, figures and tables of the risk page (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n


def compute_monthly_flow(alerts: pd.DataFrame) -> pd.DataFrame:
    """Alerts raised and closed (or dismissed) per month: month, raised, closed."""
    raised = alerts["created_at"].dt.to_period("M").value_counts()
    closed = alerts["closed_at"].dropna().dt.to_period("M").value_counts()
    months = pd.period_range(min(raised.index.min(), closed.index.min() if len(closed) else raised.index.min()),
                             raised.index.max(), freq="M")
    return pd.DataFrame({"month": months, "raised": raised.reindex(months, fill_value=0).values,
                         "closed": closed.reindex(months, fill_value=0).values})


def compute_days_to_close(alerts: pd.DataFrame) -> pd.Series:
    """Days from identification to closing or dismissal, for alerts that are closed."""
    done = alerts.dropna(subset=["closed_at"])
    return (done["closed_at"] - done["created_at"]).dt.days


def flow_figure(flow: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    fig = go.Figure()
    x = flow["month"].dt.to_timestamp()
    fig.add_bar(x=x, y=flow["raised"], name=i18n.t("rk.raised", lang), marker_color="#D55E00")
    fig.add_bar(x=x, y=flow["closed"], name=i18n.t("rk.closed", lang), marker_color="#0072B2")
    fig.update_layout(barmode="group", legend=charts.LEGEND)
    fig.update_yaxes(title=i18n.t("rk.count", lang), gridcolor="#EEEEEE")
    fig.update_xaxes(tickformat="%Y-%m")
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=340)


def by_rule_title(alerts: pd.DataFrame, is_open: pd.Series, lang: str) -> str:
    """The chart's finding: how many are open and which rule has most, or that several tie for most."""
    counts = alerts[is_open]["rule_code"].value_counts()
    if counts.empty:
        return i18n.t("rk.by_rule", lang, n=0, top="—")
    tied = counts[counts == counts.iloc[0]]
    top = i18n.label("rule", sorted(tied.index)[0], lang)
    if len(tied) > 1:
        return i18n.t("rk.by_rule_tie", lang, n=int(is_open.sum()), top=top, k=len(tied), each=int(counts.iloc[0]))
    return i18n.t("rk.by_rule", lang, n=int(is_open.sum()), top=top)


def by_rule_figure(alerts: pd.DataFrame, is_open: pd.Series, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Open (`is_open`, from `risk.open_at_period_end`) and finished alerts per rule, horizontal stacked bars."""
    df = alerts.assign(open=is_open.astype(bool))
    counts = df.groupby(["rule_code", "open"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[True, False], fill_value=0).sort_values(True)
    labels = [i18n.label("rule", r, lang) for r in counts.index]
    fig = go.Figure()
    fig.add_bar(y=labels, x=counts[True], orientation="h", name=i18n.t("rk.open", lang), marker_color="#D55E00")
    fig.add_bar(y=labels, x=counts[False], orientation="h", name=i18n.t("rk.done", lang), marker_color="#999999",
                marker_pattern_shape="/")
    fig.update_layout(barmode="stack", legend=charts.LEGEND)
    fig.update_xaxes(dtick=1 if counts.sum(axis=1).max() <= 10 else None, tickformat="d", title=i18n.t("rk.axis.count", lang))  # whole alerts
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=140 + 28 * len(counts))


def queue_table(alerts: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        t("rk.col.no"): alerts["id"],
        t("tbl.rule"): [i18n.label("rule", r, lang) for r in alerts["rule_code"]],
        t("rk.col.period"): pd.to_datetime(alerts["period"]).dt.strftime("%Y-%m"),  # the month the alert is about
        t("tbl.severity"): [i18n.label("severity", s, lang) for s in alerts["severity"]],
        t("rk.subject"): alerts["subject_name"].fillna(""),
        t("tbl.status"): [i18n.t(f"alert_state.{s}", lang) for s in alerts["state"]],
        t("tbl.raised"): alerts["created_at"].dt.strftime("%Y-%m-%d"),
        t("rk.action"): alerts["suggested_action"].fillna(""),
    })


def _unit(key: str) -> str:
    """How an evidence measure is shown, from its name (the rules keep one naming convention)."""
    if key in ("hhi", "max_hhi"):
        return "index"
    if key.startswith("npl_ratio"):
        return "ratio2"
    if key in ("share", "max_share", "coverage") or key.endswith("_share") or key.endswith("share_12m"):
        return "ratio"
    for suffix in ("_pp", "_pct", "_wan", "_t", "_kwh", "_bp"):
        if key.endswith(suffix):
            return suffix[1:]
    if key.startswith("intensity") or key == "target":
        return "intensity"
    return "plain"


def format_evidence(key: str, value, lang: str) -> str:
    """An evidence value with its unit: shares as %, money in 万元, emissions in 万tCO2, electricity in 万kWh."""
    if value is None or isinstance(value, str) and key != "inst_type":
        return "—" if value is None else value
    if key == "inst_type":
        return i18n.label("inst_type", value, lang)
    unit = _unit(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or unit == "plain":
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    pp = "个百分点" if lang == "zh" else " pp"
    return {
        "index": f"{value:.3f}", "ratio": f"{value * 100:.1f}%", "ratio2": f"{value * 100:.2f}%",
        "pp": f"{value:.1f}{pp}", "pct": f"{value:.1f}%", "wan": i18n.amount(value, "wan", lang), "t": i18n.amount(value, "co2", lang, 2),
        "kwh": i18n.amount(value, "kwh", lang), "bp": f"{value:.0f} bp", "intensity": f"{value:.3f}",
    }[unit]


def evidence_table(evidence: dict, lang: str) -> pd.DataFrame:
    """The evidence of one alert, each measure named and with its unit."""
    return pd.DataFrame({i18n.t("rk.measure", lang): [i18n.label("evidence", k, lang) for k in evidence],
                         i18n.t("rk.value", lang): [format_evidence(k, v, lang) for k, v in evidence.items()]})


# For each rule, the evidence measures that show the case side by side: what was found against what it is held to.
EVIDENCE_CHART = {
    "greenwashing_intensity_rose": ("intensity_before", "intensity_latest"),
    "greenwashing_linked_discount": ("target", "intensity"),
    "fake_zero_reported_share": ("reported_share", "metered_share_12m"),
    "fake_zero_label_no_supply": ("electricity_kwh", "own_and_direct_kwh"),
    "concentration_institution": ("max_share", "share"),
    "concentration_borrower": ("share",),
    "concentration_hhi": ("max_hhi", "hhi"),
    "credit_npl": ("overdue_loans", "npl_loans"),
    "credit_npl_rising": ("npl_ratio_before", "npl_ratio_now"),
    "trajectory_emissions": ("path_t", "emissions_12m_t"),
    "trajectory_green_share": ("path_share", "share_12m"),
    "data_meter_gaps": ("expected", "readings"),
    "carbon_stress_exposure": ("max_share", "share"),
}


# What the bars of a rule count, where it is not alerts.
COUNTED = {"credit_npl": "rk.axis.loans", "data_meter_gaps": "rk.axis.readings"}


def evidence_figure(rule: str, evidence: dict, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure | None:
    """Bars of the measures that make the case (the last one, what was found, in the alert colour); None where the
    evidence is a list rather than a comparison (late report, revisions, certificate references)."""
    keys = [k for k in EVIDENCE_CHART.get(rule, ()) if isinstance(evidence.get(k), (int, float))]
    if not keys:
        return None
    unit = _unit(keys[-1])
    scale = {"ratio": 100, "ratio2": 100, "t": i18n.scale("co2", lang), "kwh": i18n.scale("kwh", lang)}.get(unit, 1)
    values = [float(evidence[k]) * scale for k in keys]
    fig = go.Figure()
    fig.add_bar(x=[i18n.label("evidence", k, lang) for k in keys], y=values,
                marker_color=["#999999"] * (len(keys) - 1) + ["#D55E00"],
                text=[format_evidence(k, evidence[k], lang) for k in keys], textposition="outside", cliponaxis=False)
    axis = {"ratio": "%", "ratio2": "%", "t": i18n.unit("co2", lang), "kwh": i18n.unit("kwh", lang), "index": "HHI",
            "intensity": i18n.unit("intensity", lang)}.get(unit, i18n.t(COUNTED.get(rule, "rk.count"), lang) if unit == "plain" else "")
    fig.update_yaxes(title=axis, gridcolor="#EEEEEE", rangemode="tozero")
    fig.update_layout(showlegend=False)
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=300)


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        i18n.t("rk.step", lang): [i18n.t(f"alert_state.{s}", lang) for s in history["to_state"]],
        i18n.t("rk.by", lang): [name if isinstance(name, str) and name else
                                i18n.t(f"rk.actor.{actor}", lang) if f"rk.actor.{actor}" in i18n.STRINGS else str(actor)
                                for actor, name in zip(history["actor"], history.get("actor_name", [None] * len(history)))],
        i18n.t("rk.note", lang): history["note"].fillna(""),
        i18n.t("rk.when", lang): pd.to_datetime(history["at"]).dt.strftime("%Y-%m-%d %H:%M"),
    })


def rule_thresholds_table(rules: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The risk rules' thresholds, each one ours (假设): rule name, family, thresholds as stored."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    if rules.empty:
        return pd.DataFrame()
    sep = "；" if lang == "zh" else "; "
    params = [sep.join(f"{i18n.label('rule_param', k, lang)} {v:g}" if isinstance(v, (int, float)) else f"{i18n.label('rule_param', k, lang)} {v}"
                       for k, v in (p or {}).items()) or "—" for p in rules["params"]]
    return pd.DataFrame({t("cat.col.rule"): [i18n.label("rule", c, lang) for c in rules["code"]],
                         t("cat.col.params"): params,
                         t("cat.col.status"): i18n.t("cat.status.assumption", lang)})


def loop_refusal(code: str, params: dict, lang: str) -> str:
    """Why a step of the risk loop was refused, in the user's language (`risk_store.LoopError`)."""
    named = {k: (i18n.t(f"alert_state.{v}", lang) if k in ("state", "to") else
                 i18n.label("role", v, lang) if k == "role" else v) for k, v in params.items()}
    return i18n.t(f"rk.refused.{code}", lang, **named)
