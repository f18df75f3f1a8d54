"""Titled figures and display tables of the finance pages (no Streamlit). Money arrives in 万元, shows in 亿元."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n

YI = 1e-4  # 万元 -> 亿元


def pct(x, decimals: int = 1, signed: bool = False) -> str:
    if x is None or pd.isna(x):
        return "—"
    return f"{x * 100:+.{decimals}f}%" if signed else f"{x * 100:.{decimals}f}%"


def group_bar_figure(summary: pd.DataFrame, *, kind: str, labels: dict, colors: dict | None, title: str, subtitle: str,
                     source: str, lang: str) -> go.Figure:
    """Horizontal bars of green balance (亿元) per group with YoY in the label; customdata carries the code
    so a click can drill down."""
    d = summary.iloc[::-1]
    text = [i18n.t("gf.bar_text", lang, value=f"{b * YI:,.1f}", yoy=pct(y, signed=True)) for b, y in zip(d["green_balance"], d["yoy"])]
    fig = go.Figure(go.Bar(
        y=[labels.get(g, str(g)) for g in d["group"]], x=d["green_balance"] * YI, orientation="h", customdata=d["group"].astype(str),
        marker_color=[(colors or {}).get(g, charts.LINE_COLOR) for g in d["group"]], text=text, textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{x:,.1f}<extra></extra>"))
    top = float((d["green_balance"] * YI).max()) if len(d) else 1.0
    fig.update_xaxes(title=i18n.t("gf.axis.yi", lang), gridcolor="#EEEEEE", range=[0, top * 1.45])  # room for labels
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=140 + 38 * len(d))


def trend_figure(green: pd.DataFrame, total: pd.DataFrame, *, title: str, subtitle: str, source: str, names: dict) -> go.Figure:
    """Green and all lending month-end balances, 亿元."""
    fig = go.Figure()
    fig.add_scatter(x=pd.to_datetime(total["period"]), y=total["total_balance"] * YI, name=names["all"], mode="lines",
                    line=dict(color="#999999", width=2), hovertemplate="%{x|%Y-%m}: %{y:,.1f}<extra></extra>")
    fig.add_scatter(x=pd.to_datetime(green["period"]), y=green["green_balance"] * YI, name=names["green"], mode="lines",
                    line=dict(color=charts.LINE_COLOR, width=3), fill="tozeroy", fillcolor="rgba(0,114,178,0.12)",
                    hovertemplate="%{x|%Y-%m}: %{y:,.1f}<extra></extra>")
    fig.update_yaxes(title=names["unit"], rangemode="tozero", gridcolor="#EEEEEE")
    fig.update_layout(legend=charts.INSIDE_LEGEND)
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=360)


def summary_table(summary: pd.DataFrame, *, kind: str, names: dict | None, lang: str) -> pd.DataFrame:
    """The per-group table shown under a chart and downloaded as Excel."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    label = (lambda g: names.get(g, str(g))) if names is not None else (lambda g: i18n.label(kind, g, lang))
    return pd.DataFrame({
        t("gf.table.group"): [label(g) for g in summary["group"]],
        t("gf.table.balance"): (summary["green_balance"] * YI).round(2),
        t("gf.table.yoy"): (summary["yoy"] * 100).round(1),
        t("gf.table.share"): (summary["share_of_green"] * 100).round(1),
        t("gf.table.green_share"): (summary["green_share_of_lending"] * 100).round(1),
        t("gf.table.rate"): summary["green_rate"].round(2),
        t("gf.table.npl"): (summary["green_npl_ratio"] * 100).round(2),
        t("gf.table.ytd"): (summary["ytd_green_disbursed"] * YI).round(2),
        t("gf.table.borrowers"): summary["n_borrowers"].astype(int),
    })


def direct_table(direct: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        t("gf.table.instrument"): [i18n.label("instrument", c, lang) for c in direct["instrument"]],
        t("gf.table.year"): direct["year"],
        t("gf.table.amount"): (direct["amount"] * YI).round(2),
        t("gf.table.deals"): direct["n_deals"],
    })


def loans_table(loans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Loan level (the last step of the drill-down)."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        t("ca.col.contract"): loans["contract_no"],
        t("ca.col.institution"): loans["institution"],
        t("en.col.name"): loans["enterprise"],
        t("ca.col.product"): [i18n.label("product_line", p, lang) for p in loans["product_line"]],
        t("ca.col.green"): [t("ca.yes") if g else t("ca.no") for g in loans["is_green"]],
        t("ca.col.start"): loans["start_date"].astype(str),
        t("ca.col.balance"): loans["balance"].round(1),
        t("ca.col.rate"): loans["rate"].round(2),
        t("ca.col.status"): [t(f"loan_status.{s}") for s in loans["status"]],
        t("ca.col.carbon"): [i18n.label("carbon_product", c, lang) if c else "" for c in loans["carbon_product"]],
    })


def subtitle(lang: str, scope_text: str, period: dt.date, end: dt.date | None) -> str:
    return i18n.t("gf.subtitle", lang, scope=scope_text, period=f"{period:%Y-%m}", end=end.isoformat() if end else "—")
