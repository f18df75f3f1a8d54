"""Figure builders. They return plotly figures and never render, so tests can read `fig.data`.

Colours: one per institution type and per product line, the same everywhere (Okabe-Ito and Paul Tol's
colour-blind-safe palettes). Status is never colour alone: bars and cards also carry an icon and a word.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

# Okabe-Ito (8) then Paul Tol 'muted' for the rest.
INSTITUTION_TYPE_COLORS = {
    "policy": "#0072B2",
    "state_owned": "#E69F00",
    "joint_stock": "#009E73",
    "provincial_legal": "#CC79A7",
    "local_legal": "#56B4E9",
    "other": "#999999",
}
PRODUCT_LINE_COLORS = {
    "new_power_system": "#0072B2",
    "traditional_energy_decarb": "#D55E00",
    "industrial_upgrade": "#E69F00",
    "energy_saving": "#009E73",
    "solid_waste": "#CC79A7",
    "power_heat": "#56B4E9",
    "green_building": "#117733",
    "green_transport": "#88CCEE",
    "ccus": "#332288",
    "general": "#BBBBBB",
}
STATUS_COLORS = {"met": "#0072B2", "on_track": "#56B4E9", "behind": "#D55E00", "no_target": "#999999", "no_data": "#BBBBBB"}
LINE_COLOR = "#0072B2"
TARGET_COLOR = "#D55E00"


def base_layout(fig: go.Figure, *, title: str | None = None, subtitle: str | None = None, source: str | None = None,
                height: int = 360) -> go.Figure:
    """Common layout: CJK font, title with subtitle (what, period, data end), source line at the bottom."""
    fig.update_layout(
        font=dict(family=FONT_FAMILY, size=13),
        height=height,
        margin=dict(l=10, r=10, t=80 if title else 10, b=90 if source else 10),
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    if title:
        fig.update_layout(title=dict(text=title, subtitle=dict(text=subtitle or ""), x=0.01, xanchor="left"))
    if source:
        # Pixel offset below the x-axis title, whatever the chart's height.
        fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-62, showarrow=False,
                           xanchor="left", yanchor="top", font=dict(size=11, color="#555555"))
    return fig


def build_sparkline_figure(trend: pd.Series, *, scale: float = 1.0, decimals: int = 1, unit: str = "",
                           target: float | None = None) -> go.Figure:
    """A small line of a KPI's recent months (index: month start; values in the stored unit).

    The hover shows month and value with its unit. A target inside the plotted range is drawn dashed.
    """
    y = trend.astype(float) * scale
    x = pd.to_datetime(pd.Index(trend.index))
    fig = go.Figure(
        go.Scatter(x=x, y=y, mode="lines", line=dict(color=LINE_COLOR, width=2),
                   hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    )
    if len(y):
        fig.add_trace(go.Scatter(x=[x[-1]], y=[y.iloc[-1]], mode="markers", marker=dict(color=LINE_COLOR, size=7),
                                 hoverinfo="skip"))
        if target is not None:
            t = target * scale
            lo, hi = float(y.min()), float(y.max())
            span = max(hi - lo, abs(hi) * 0.05, 1e-9)
            if lo - span <= t <= hi + span:
                fig.add_hline(y=t, line=dict(color=TARGET_COLOR, dash="dash", width=1))
    fig.update_layout(
        height=80, margin=dict(l=0, r=0, t=4, b=0), showlegend=False, plot_bgcolor="white", paper_bgcolor="white",
        xaxis=dict(visible=False), yaxis=dict(visible=False), font=dict(family=FONT_FAMILY),
    )
    return fig


def build_target_position_figure(rows: pd.DataFrame, *, time_elapsed: float, title: str, subtitle: str, source: str,
                                 axis_title: str, lang: str = "zh") -> go.Figure:
    """Horizontal bars: share of the gap from the base year to the 2030 target already closed.

    rows columns: name, progress (0-1, may be negative when moving away), status, status_text.
    `time_elapsed` (0-1) is drawn as a vertical line: a bar short of it is behind schedule.
    """
    rows = rows.iloc[::-1]  # plotly draws the first category at the bottom
    pct = (rows["progress"].clip(-0.5, 1.2) * 100).round(1)
    fig = go.Figure(
        go.Bar(
            y=rows["name"], x=pct, orientation="h",
            marker=dict(color=[STATUS_COLORS.get(s, "#999999") for s in rows["status"]],
                        pattern=dict(shape=["/" if s == "behind" else "" for s in rows["status"]])),
            text=[f"{p:.0f}% · {s}" for p, s in zip(pct, rows["status_text"])], textposition="outside",
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>", cliponaxis=False,
        )
    )
    elapsed = round(time_elapsed * 100, 1)
    fig.add_vline(x=elapsed, line=dict(color="#333333", dash="dot", width=2))
    fig.add_annotation(x=elapsed, y=0, yref="paper", yshift=-4, text=i18n.t("ov.time_elapsed", lang, pct=f"{elapsed:.0f}"),
                       showarrow=False, font=dict(size=12, color="#333333"), yanchor="top", xanchor="left", xshift=4,
                       bgcolor="rgba(255,255,255,0.8)")
    fig.update_xaxes(title=dict(text=axis_title, standoff=24), range=[min(-5, float(pct.min()) - 5), 140], ticksuffix="%", gridcolor="#EEEEEE",
                     zeroline=True, zerolinecolor="#888888")
    base_layout(fig, title=title, subtitle=subtitle, source=source, height=110 + 48 * len(rows))
    return fig
