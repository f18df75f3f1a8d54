"""Summaries, figures and tables of the risk page (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n
from data_access.taxonomy import OPEN_ALERT_STATES


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
    fig.update_layout(barmode="group", legend=charts.INSIDE_LEGEND)
    fig.update_yaxes(title=i18n.t("rk.count", lang), gridcolor="#EEEEEE")
    fig.update_xaxes(tickformat="%Y-%m")
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=340)


def by_rule_figure(alerts: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Open and finished alerts per rule, horizontal stacked bars."""
    df = alerts.assign(open=alerts["state"].isin(OPEN_ALERT_STATES))
    counts = df.groupby(["rule_code", "open"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[True, False], fill_value=0).sort_values(True)
    labels = [i18n.label("rule", r, lang) for r in counts.index]
    fig = go.Figure()
    fig.add_bar(y=labels, x=counts[True], orientation="h", name=i18n.t("rk.open", lang), marker_color="#D55E00")
    fig.add_bar(y=labels, x=counts[False], orientation="h", name=i18n.t("rk.done", lang), marker_color="#999999",
                marker_pattern_shape="/")
    fig.update_layout(barmode="stack", legend=dict(charts.INSIDE_LEGEND, x=0.99, xanchor="right"))
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=140 + 28 * len(counts))


def queue_table(alerts: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        "ID": alerts["id"],
        t("tbl.rule"): [i18n.label("rule", r, lang) for r in alerts["rule_code"]],
        t("tbl.severity"): [i18n.label("severity", s, lang) for s in alerts["severity"]],
        t("rk.subject"): alerts["subject_name"].fillna(""),
        t("tbl.status"): [i18n.t(f"alert_state.{s}", lang) for s in alerts["state"]],
        t("tbl.raised"): alerts["created_at"].dt.strftime("%Y-%m-%d"),
        t("rk.action"): alerts["suggested_action"].fillna(""),
    })


def evidence_table(evidence: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame({i18n.t("rk.measure", lang): list(evidence), i18n.t("rk.value", lang): [str(v) for v in evidence.values()]})


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        i18n.t("rk.step", lang): [i18n.t(f"alert_state.{s}", lang) for s in history["to_state"]],
        i18n.t("rk.by", lang): history["actor"],
        i18n.t("rk.note", lang): history["note"].fillna(""),
        i18n.t("rk.when", lang): pd.to_datetime(history["at"]).dt.strftime("%Y-%m-%d %H:%M"),
    })
