"""Figure builders. They return plotly figures and never render, so tests can read `fig.data`.

Colours: one per institution type and per product line, the same everywhere (Okabe-Ito and Paul Tol's
colour-blind-safe palettes). Status is never colour alone: bars and cards also carry an icon and a word.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse

import numpy as np
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
# Legends sit inside the plot, top left: above it they collide with long finding titles in half-width columns.
# Legends sit in one row above the plot area, never over the data (a legend inside hid the actual-emissions line,
# the live load line and the first project bar); the margin grows to fit them.
LEGEND = dict(orientation="h", x=0, y=1.0, xanchor="left", yanchor="bottom", bgcolor="rgba(255,255,255,0)", font=dict(size=11))
STATUS_COLORS = {"met": "#0072B2", "on_track": "#56B4E9", "behind": "#D55E00", "no_target": "#999999", "no_data": "#BBBBBB"}
LINE_COLOR = "#0072B2"
TARGET_COLOR = "#D55E00"


def plain(value) -> str:
    """Text taken from data, made safe to put in a chart: Plotly renders a subset of HTML in labels, titles and
    hovers (a project named <a href=...> became a link), so < > & are written as entities and shown as typed."""
    return html.escape(str(value), quote=False)


# Date ticks as numbers in every language (Plotly's default writes "Jan 2021" in the Chinese UI).
DATE_TICKS = [dict(dtickrange=[None, 86_400_000 * 27], value="%Y-%m-%d"), dict(dtickrange=[86_400_000 * 27, "M11"], value="%Y-%m"),
              dict(dtickrange=["M11", None], value="%Y")]


def has_legend(fig: go.Figure) -> bool:
    """Whether the figure shows a legend: more than one named trace, unless the legend is switched off."""
    if fig.layout.showlegend is False:
        return False
    return fig.layout.showlegend is True or sum(1 for t in fig.data if t.name and t.showlegend is not False) > 1


TITLE_UNITS = 25  # a title longer than this (in CJK characters) is cut off in a half-width column at 1366×768
SUBTITLE_UNITS = 36
SOURCE_UNITS = 48
_BREAKS = ("，", "；", "：", "、", "（", " · ", ", ", "; ", " ")


def _units(text: str) -> float:
    """Width in CJK characters (Latin letters and digits count about half)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def wrap_line(text: str, limit: float) -> str:
    """`text` on as many lines as it needs (a <br> at the last natural break that fits, then the rest wrapped the same
    way) when it is wider than `limit`; markup and text that fits are left alone. Plotly does not wrap titles or
    annotations, it cuts them."""
    if not text or "<br>" in text or _units(text) <= limit:
        return text
    best = None
    for mark in _BREAKS:
        start = 0
        while (i := text.find(mark, start)) != -1:
            cut = i + len(mark) if mark != "（" else i
            if 0 < cut < len(text) and _units(text[:cut]) <= limit and (best is None or cut > best):
                best = cut
            start = i + 1
    if best is None:  # no natural break: cut at the limit
        width, best = 0.0, len(text)
        for n, ch in enumerate(text):
            width += 1.0 if ord(ch) > 0x2E80 else 0.55
            if width > limit:
                best = n
                break
    return f"{text[:best].rstrip()}<br>{wrap_line(text[best:].lstrip(), limit)}"


LEGEND_ROW_PX = 380  # a half-width column at 1366×768 holds about this much legend per row


def legend_rows(fig: go.Figure, width: int = LEGEND_ROW_PX) -> int:
    """How many rows the legend takes in a half-width column: items are kept whole and packed greedily, as the
    browser does. base_layout reserves room for them so a long legend never runs into the title."""
    if not has_legend(fig):
        return 0
    rows, used = 1, 0.0
    for t in fig.data:
        if not t.name or t.showlegend is False:
            continue
        w = 40 + _units(str(t.name)) * 12
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def line_count(text: str | None) -> int:
    """How many lines `text` takes in a figure (its <br> breaks), 0 for none."""
    return text.count("<br>") + 1 if text else 0


def title_pad(title: str, top: int, font_px: int) -> int:
    """The title padding that puts the first line of `title` `top` px below the figure's top edge. plotly.js lifts a
    title of two or more lines by about 0.7 of its type size, whatever the number of lines (measured on rendered
    PNGs at 17, 20 and 28 px); the padding gives that back. (A padding grown per line pushed a four-line title into
    the legend on the big screen.)"""
    return top + (round(0.7 * font_px) if "<br>" in (title or "") else 0)


def base_layout(fig: go.Figure, *, title: str | None = None, subtitle: str | None = None, source: str | None = None,
                height: int = 360) -> go.Figure:
    """Common layout: CJK font, title with subtitle (what, period, data end), the legend in a row between them and
    the plot, source line at the bottom. A long title or source line wraps to a second line instead of being cut."""
    title = wrap_line(title, TITLE_UNITS) if title else title
    subtitle = wrap_line(subtitle, SUBTITLE_UNITS) if subtitle else subtitle
    source = wrap_line(source, SOURCE_UNITS) if source else source
    lines = line_count
    extra_top = 22 * max(0, lines(title) - 1) + 18 * max(0, lines(subtitle) - 1) + 34 * max(0, legend_rows(fig) - 1)
    extra_bottom = 16 * max(0, lines(source) - 1)
    top = (80 if title else 10) + (28 if has_legend(fig) else 0) + extra_top
    fig.update_layout(
        font=dict(family=FONT_FAMILY, size=13),
        height=height + (28 if has_legend(fig) else 0) + extra_top + extra_bottom,
        margin=dict(l=10, r=10, t=top, b=(90 + extra_bottom) if source else 10),
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    # Labels measured, never cut; dates as numbers, never "Jan 2021"; the x labels a little below the axis, clear of
    # the y axis's bottom label ("0%" sat on "2021").
    fig.update_xaxes(automargin=True, tickformatstops=DATE_TICKS, ticklabelstandoff=6)
    fig.update_yaxes(automargin=True)
    if title:
        # Anchored at the top edge (plotly would centre a wrapped title block in the margin and push the subtitle into
        # the legend).
        fig.update_layout(title=dict(text=title, subtitle=dict(text=subtitle or ""), x=0.01, xanchor="left", yref="container",
                                     y=1, yanchor="top", pad=dict(t=title_pad(title, 12, 17))))
    if source:
        # Pixel offset below the x-axis title, whatever the chart's height. Ended at the plot's right edge, it runs back
        # over the category labels' margin: in a half-width column at 1366×768 a line starting at the plot's left edge
        # was cut off at the figure's right ("…阳泉市分行（演示数").
        fig.add_annotation(text=source, name=SOURCE_NAME, xref="paper", yref="paper", x=1, y=0, yshift=-62, showarrow=False,
                           xanchor="right", yanchor="top", align="right", font=dict(size=11, color="#555555"))
    return fig


SOURCE_NAME = "source"  # the name of a figure's source-line annotation


def unwrap(text: str) -> str:
    """`text` with the line breaks `wrap_line` made undone: a space between English words, nothing in Chinese."""
    return re.sub(r"(?<=[A-Za-z0-9,.;:%)])<br>(?=[A-Za-z0-9(+\-−'])", " ", text).replace("<br>", "")


def title_text(fig: go.Figure) -> str:
    """The title as plain text."""
    return re.sub(r"<[^>]+>", "", unwrap(fig.layout.title.text or ""))


def source_annotation(fig: go.Figure):
    """The source line base_layout wrote, or None."""
    return next((a for a in fig.layout.annotations if a.name == SOURCE_NAME), None)


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
    fig.add_annotation(x=elapsed, y=1, yref="paper", yshift=2, text=i18n.t("ov.time_elapsed", lang, pct=f"{elapsed:.0f}"),
                       showarrow=False, font=dict(size=12, color="#333333"), yanchor="bottom", xanchor="left", xshift=4,
                       bgcolor="rgba(255,255,255,0.8)")  # above the plot: clear of the tick labels
    # The axis reaches a little past the longest bar or the time line, room for the bar labels, not to a fixed 140 %.
    upper = min(140.0, max(50.0, float(pct.max()) + 35, elapsed + 35))
    fig.update_xaxes(title=dict(text=axis_title, standoff=24), range=[min(-5, float(pct.min()) - 5), upper], ticksuffix="%",
                     gridcolor="#EEEEEE", zeroline=True, zerolinecolor="#888888")
    base_layout(fig, title=title, subtitle=subtitle, source=source, height=134 + 48 * len(rows))
    fig.update_layout(margin_t=fig.layout.margin.t + 24)  # a row for the time-line label between subtitle and bars
    return fig


def _x(index) -> pd.DatetimeIndex:
    return pd.to_datetime(pd.Index(index))


def build_green_share_figure(monthly: pd.DataFrame, *, title: str, subtitle: str, source: str, names: dict) -> go.Figure:
    """Bars: green-power share each month; line: the share over the 12 months ending in each month (%).

    monthly : `compute_park_monthly` frame with green_power_share and green_power_share_t12 (0-1).
    names : legend labels {'month': ..., 't12': ...}.
    """
    df = monthly.dropna(subset=["green_power_share"])
    fig = go.Figure()
    fig.add_bar(x=_x(df.index), y=df["green_power_share"] * 100, name=names["month"], marker_color="#56B4E9",
                hovertemplate="%{x|%Y-%m}: %{y:.1f}%<extra></extra>")
    fig.add_scatter(x=_x(df.index), y=df["green_power_share_t12"] * 100, name=names["t12"], mode="lines",
                    line=dict(color=LINE_COLOR, width=3), hovertemplate="%{x|%Y-%m}: %{y:.1f}%<extra></extra>")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero", gridcolor="#EEEEEE")
    fig.update_layout(legend=LEGEND)
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


def build_trajectory_figure(actual: pd.Series, path: pd.DataFrame, *, title: str, subtitle: str, source: str,
                            names: dict, scale: float = 1e-4, unit: str = "万吨CO2") -> go.Figure:
    """12-month emissions against the path to the target; the gap above the path is shaded.

    actual : tCO2 indexed by month start. path : `compute_target_path` output (period, path in tCO2).
    """
    a = actual.dropna()
    fig = go.Figure()
    if not path.empty:
        p = path.set_index("period")["path"]
        both = pd.concat([a.rename("a"), p.rename("p")], axis=1).dropna()
        if not both.empty:
            fig.add_scatter(x=_x(both.index), y=both["p"] * scale, mode="lines", line=dict(width=0), showlegend=False,
                            hoverinfo="skip")
            fig.add_scatter(x=_x(both.index), y=both[["a", "p"]].max(axis=1) * scale, mode="lines", line=dict(width=0),
                            fill="tonexty", fillcolor="rgba(213,94,0,0.25)", name=names["gap"], hoverinfo="skip")
        fig.add_scatter(x=_x(p.index), y=p * scale, mode="lines", name=names["path"],
                        line=dict(color=TARGET_COLOR, dash="dash", width=2),
                        hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.1f}} {unit}<extra></extra>")
    fig.add_scatter(x=_x(a.index), y=a * scale, mode="lines", name=names["actual"], line=dict(color=LINE_COLOR, width=3),
                    hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.1f}} {unit}<extra></extra>")
    fig.update_yaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    fig.update_layout(legend=LEGEND)
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=400)


SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#999999", "#332288", "#117733")


def build_lines_figure(lines: dict[str, pd.Series], *, dashed: str | None, unit: str, title: str, subtitle: str,
                       source: str, colors: dict[str, str] | None = None, decimals: int = 0,
                       x_format: str = "%Y-%m") -> go.Figure:
    """Lines with markers, one per named series indexed by month start: few, uneven points (year ends and a month)
    on a time axis, so eleven months look shorter than a year, each tick at a point and named "2025-12" (or by
    `x_format`), never a year tick beside December. The series named `dashed` is drawn as a dashed target line;
    `colors` by name, else the palette in turn."""
    fig = go.Figure()
    palette = iter(SERIES_COLORS)
    months = sorted({d for series in lines.values() for d in series.dropna().index})
    for name, series in lines.items():
        s = series.dropna().sort_index()
        color = (colors or {}).get(name) or next(palette)
        style = dict(color=TARGET_COLOR, dash="dash", width=2) if name == dashed else dict(color=color, width=3)
        fig.add_scatter(x=[pd.Timestamp(d) for d in s.index], y=s, name=name, mode="lines+markers", line=style,
                        text=[format(d, x_format) for d in s.index],
                        hovertemplate=f"%{{text}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    fig.update_xaxes(type="date", tickmode="array", tickvals=[pd.Timestamp(d) for d in months],
                     ticktext=[format(d, x_format) for d in months])
    fig.update_yaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    fig.update_layout(legend=LEGEND)
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


def build_grouped_bars_figure(groups: dict[str, pd.Series], *, unit: str, title: str, subtitle: str, source: str,
                              decimals: int = 1, colors: dict[str, str] | None = None) -> go.Figure:
    """Bars side by side, one colour per named series over the same categories (its index): equal values stay
    visible as equal bars, where lines would hide one under the other."""
    fig = go.Figure()
    palette = iter(SERIES_COLORS)
    for name, series in groups.items():
        fig.add_bar(x=[str(x) for x in series.index], y=series.to_numpy(), name=name,
                    marker_color=(colors or {}).get(name) or next(palette),
                    text=[f"{v:,.{decimals}f}" for v in series], textposition="outside", cliponaxis=False,
                    hovertemplate=f"{name} · %{{x}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    top = max((float(s.max()) for s in groups.values() if len(s)), default=0.0)
    fig.update_layout(barmode="group", legend=LEGEND)
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=unit, gridcolor="#EEEEEE", range=[0, top * 1.18 if top > 0 else 1])
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


def build_line_with_threshold_figure(series: pd.Series, threshold: float | None, *, title: str, subtitle: str,
                                     source: str, name: str, threshold_name: str, scale: float = 1.0,
                                     unit: str = "", decimals: int = 2) -> go.Figure:
    """One monthly line and a horizontal threshold (core indicator, clean-energy share)."""
    s = series.dropna() * scale
    fig = go.Figure(go.Scatter(x=_x(s.index), y=s, mode="lines", name=name, line=dict(color=LINE_COLOR, width=3),
                               hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.{decimals}f}} {unit}<extra></extra>"))
    if threshold is not None:
        fig.add_hline(y=threshold * scale, line=dict(color=TARGET_COLOR, dash="dash", width=2),
                      annotation_text=threshold_name, annotation_position="top left")
    fig.update_yaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=360)


def build_breakdown_figure(df: pd.DataFrame, *, labels: dict, colors: dict | None, title: str, subtitle: str,
                           source: str, unit: str = "万吨CO2", scale: float = 1e-4) -> go.Figure:
    """Horizontal bars of emissions by group (df: group, emissions_t, share), largest on top."""
    d = df.iloc[::-1]
    fig = go.Figure(go.Bar(
        y=[labels.get(g, g) for g in d["group"]], x=d["emissions_t"] * scale, orientation="h",
        marker_color=[(colors or {}).get(g, LINE_COLOR) for g in d["group"]],
        text=[f"{v * scale:,.1f} · {s * 100:.1f}%" for v, s in zip(d["emissions_t"], d["share"])], textposition="outside",
        cliponaxis=False, hovertemplate=f"%{{y}}: %{{x:,.1f}} {unit}<extra></extra>"))
    fig.update_xaxes(title=unit, gridcolor="#EEEEEE")
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=120 + 36 * len(d))


GOOD_COLOR, BAD_COLOR = "#009E73", "#D55E00"  # a fall in emissions, a rise


def build_change_waterfall_figure(effects: pd.Series, *, total_label: str, unit: str, title: str, subtitle: str,
                                  source: str, decimals: int = 1) -> go.Figure:
    """A waterfall of what moved a quantity: one bar per effect (index = label, values in display units, + raises
    it) and the net change as the last bar. It starts at 0, so no axis is cut: the levels belong in the title."""
    measures = ["relative"] * len(effects) + ["total"]
    values = [*effects.to_numpy(dtype=float), float(effects.sum())]
    text = [signed(v, decimals) for v in values]
    fig = go.Figure(go.Waterfall(
        x=[_wrap_label(x) for x in (*effects.index, total_label)], y=values, measure=measures, text=text, textposition="outside", cliponaxis=False,
        increasing=dict(marker=dict(color=BAD_COLOR)), decreasing=dict(marker=dict(color=GOOD_COLOR)),
        totals=dict(marker=dict(color=LINE_COLOR)), connector=dict(line=dict(color="#BBBBBB", width=1)),
        hovertemplate=f"%{{x}}: %{{y:+,.{decimals}f}} {unit}<extra></extra>"))
    low, high = _waterfall_range(values)
    fig.update_yaxes(title=unit, gridcolor="#EEEEEE", zeroline=True, zerolinecolor="#888888", range=[low, high])
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


def _wrap_label(text: str, limit: float = 7) -> str:
    """A category label on two lines at a natural break ("能源强度<br>（能效）", "Grid emission<br>factor") so seven
    of them fit side by side in a 60 % column; a label without one stays whole (plotly tilts it if it must)."""
    return wrap_line(text, limit) if ("（" in text or " " in text) else text


def signed(value: float, decimals: int = 1) -> str:
    """+1.2 / −1.2 with a true minus sign, and 0.0 never signed."""
    if round(value, decimals) == 0:
        return f"{0:.{decimals}f}"
    return f"{value:+,.{decimals}f}".replace("-", "−")


def tint(color: str, strength: float) -> str:
    """`color` (#RRGGBB) mixed with white: `strength` 1 is the colour itself, 0 white. Opaque, so a tinted bar
    never shows the grid through it."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    mix = lambda c: round(255 - (255 - c) * strength)  # noqa: E731
    return f"#{mix(r):02X}{mix(g):02X}{mix(b):02X}"


def round_to_total(values: pd.Series, decimals: int) -> pd.Series:
    """`values` rounded to `decimals` so that the rounded parts add up to their rounded sum (largest remainder): a
    reader who adds the printed parts of a waterfall gets its printed total, never a cent off."""
    unit = 10.0 ** -decimals
    steps = values.astype(float) / unit
    floors = np.floor(steps)
    short = int(round(round(float(steps.sum())) - floors.sum()))  # how many parts round up
    order = (steps - floors).sort_values(ascending=False, kind="stable").index[:max(short, 0)]
    floors[order] += 1
    return (floors * unit).round(decimals) + 0.0


def _waterfall_range(values: list[float]) -> tuple[float, float]:
    """The running levels' span with room above and below for the outside labels."""
    levels = pd.Series(values[:-1]).cumsum().tolist() + [0.0, values[-1]]
    low, high = min(levels), max(levels)
    pad = max(high - low, 1e-9) * 0.15
    return low - pad, high + pad


def build_live_figure(hourly: pd.DataFrame, *, title: str, subtitle: str, source: str, names: dict) -> go.Figure:
    """One day by the hour: load (MWh), own generation and direct green supply, green share (right axis).

    hourly : `load_park_hourly` output (kWh columns).
    """
    load = (hourly["electricity_grid_kwh"] + hourly["electricity_own_renewable_kwh"] + hourly["electricity_direct_green_kwh"]) / 1000
    own = hourly["electricity_own_renewable_kwh"] / 1000
    direct = hourly["electricity_direct_green_kwh"] / 1000
    share = ((own + direct) / load.where(load > 0)) * 100
    fig = go.Figure()
    fig.add_scatter(x=hourly["ts"], y=load, name=names["load"], mode="lines", line=dict(color="#333333", width=3),
                    hovertemplate="%{x|%H:%M}: %{y:,.1f} MWh<extra></extra>")
    fig.add_bar(x=hourly["ts"], y=own, name=names["own"], marker_color="#E69F00",
                hovertemplate="%{x|%H:%M}: %{y:,.1f} MWh<extra></extra>")
    fig.add_bar(x=hourly["ts"], y=direct, name=names["direct"], marker_color="#009E73",
                hovertemplate="%{x|%H:%M}: %{y:,.1f} MWh<extra></extra>")
    fig.add_scatter(x=hourly["ts"], y=share, name=names["share"], mode="lines", yaxis="y2",
                    line=dict(color=LINE_COLOR, dash="dot", width=2), hovertemplate="%{x|%H:%M}: %{y:.1f}%<extra></extra>")
    fig.update_layout(barmode="stack", yaxis=dict(title="MWh", rangemode="tozero", gridcolor="#EEEEEE"),
                      yaxis2=dict(title="%", overlaying="y", side="right", range=[0, 100], showgrid=False,
                                  tickmode="linear", tick0=0, dtick=25),  # 0/25/50/75/100, not ticks synced to the left axis
                      legend=LEGEND)
    base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)
    fig.layout.xaxis.tickformatstops = ()  # hours of one day, not the date under every tick
    fig.update_xaxes(tickformat="%H:%M")
    return fig


def build_enterprise_figure(monthly: pd.DataFrame, *, title: str, subtitle: str, source: str, names: dict) -> go.Figure:
    """An enterprise's monthly emissions (bars, tCO2) and energy (line, tce, right axis)."""
    x = _x(monthly["period"])
    fig = go.Figure()
    fig.add_bar(x=x, y=monthly["total_emissions_t"], name=names["emissions"], marker_color="#56B4E9",
                hovertemplate="%{x|%Y-%m}: %{y:,.0f} tCO2<extra></extra>")
    fig.add_scatter(x=x, y=monthly["energy_tce"], name=names["energy"], yaxis="y2", mode="lines",
                    line=dict(color="#333333", width=2), hovertemplate="%{x|%Y-%m}: %{y:,.0f} tce<extra></extra>")
    fig.update_layout(yaxis=dict(title="tCO2", rangemode="tozero", gridcolor="#EEEEEE"),
                      yaxis2=dict(title="tce", overlaying="y", side="right", rangemode="tozero", showgrid=False,
                                  tickmode="auto", nticks=6, tickformat=",.0f"),
                      legend=LEGEND)
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


# A MapLibre style with only a background, as a data: URL: Streamlit's map component would otherwise fall
# back to a Carto basemap fetched from the internet, which a closed network cannot reach.
OFFLINE_MAP_STYLE = "data:application/json," + urllib.parse.quote(json.dumps(
    {"version": 8, "sources": {}, "layers": [{"id": "background", "type": "background",
                                               "paint": {"background-color": "#F2F6FA"}}]}, separators=(",", ":")))

GRADE_COLORS = {1: [0, 114, 178], 2: [86, 180, 233], 3: [240, 228, 66], 4: [230, 159, 0], 5: [213, 94, 0]}
NO_GRADE_COLOR = [153, 153, 153]


def build_park_deck(boundary: dict | None, points: pd.DataFrame, *, centre: tuple[float, float], tooltip: str,
                    tile_url: str | None = None):
    """The park map: boundary polygon and one column per enterprise (height by emissions, colour by grade).

    points columns: lon, lat, emissions_t, grade (1-5 or NaN), and whatever the tooltip names.
    No basemap unless `tile_url` is given, so it renders without internet.
    """
    import pydeck as pdk

    layers = []
    if tile_url:
        layers.append(pdk.Layer("TileLayer", data=tile_url, min_zoom=0, max_zoom=19, tile_size=256))
    if boundary:
        layers.append(pdk.Layer("PolygonLayer", data=[{"polygon": boundary["coordinates"][0]}], get_polygon="polygon",
                                get_fill_color=[0, 114, 178, 30], get_line_color=[0, 114, 178, 220], line_width_min_pixels=2,
                                stroked=True, filled=True, pickable=False))
    pts = points.copy()
    pts["color"] = [GRADE_COLORS.get(int(g), NO_GRADE_COLOR) if pd.notna(g) else NO_GRADE_COLOR for g in pts["grade"]]
    top = float(pts["emissions_t"].max()) if len(pts) else 1.0
    pts["elevation"] = pts["emissions_t"] / (top or 1.0) * 1500
    layers.append(pdk.Layer("ColumnLayer", data=pts, get_position=["lon", "lat"], get_elevation="elevation", radius=60,
                            get_fill_color="color", elevation_scale=1, pickable=True, extruded=True, auto_highlight=True))
    view = pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=12.3, pitch=45, bearing=0)
    return pdk.Deck(layers=layers, initial_view_state=view, map_style=OFFLINE_MAP_STYLE, tooltip={"html": tooltip})


# PBOC revised the green-loan statistics definition from 2025: figures before and after are not fully comparable
# (domain/facts.md §2). Every long credit series marks the break.
CREDIT_DEFINITION_BREAK = pd.Timestamp("2025-01-01")


def mark_definition_break(fig: go.Figure, x, label: str) -> go.Figure:
    """A dotted vertical line at 2025-01 labelled `label`, when the x values `x` run across it."""
    xs = pd.to_datetime(pd.Index(x))
    if len(xs) and xs.min() < CREDIT_DEFINITION_BREAK <= xs.max():
        fig.add_vline(x=CREDIT_DEFINITION_BREAK, line=dict(color="#666666", dash="dot", width=1.5))
        # Inside the plot, by the line's top: the band above the plot belongs to the legend.
        fig.add_annotation(x=CREDIT_DEFINITION_BREAK, y=1, yref="paper", text=label, showarrow=False, xanchor="left",
                           yanchor="top", xshift=4, font=dict(size=11, color="#555555"), bgcolor="rgba(255,255,255,0.85)",
                           name="definition_break")
    return fig


def build_fan_figure(history: pd.Series, fan: pd.DataFrame, required: pd.Series, target: float | None, *, scale: float,
                     unit: str, decimals: int, title: str, subtitle: str, source: str, names: dict) -> go.Figure:
    """History, the forecast fan (central interval), the required path to the target and the target itself.

    history, required : indexed by monthly periods; fan : mean, lower, upper indexed by periods.
    """
    x_h = history.index.to_timestamp()
    x_f = fan.index.to_timestamp()
    fig = go.Figure()
    fig.add_scatter(x=x_f, y=fan["upper"] * scale, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip")
    fig.add_scatter(x=x_f, y=fan["lower"] * scale, mode="lines", line=dict(width=0), fill="tonexty",
                    fillcolor="rgba(0,114,178,0.18)", name=names["fan"], hoverinfo="skip")
    fig.add_scatter(x=x_f, y=fan["mean"] * scale, mode="lines", line=dict(color=LINE_COLOR, dash="dash", width=2),
                    name=names["forecast"], hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    fig.add_scatter(x=x_h, y=history * scale, mode="lines", line=dict(color=LINE_COLOR, width=3), name=names["history"],
                    hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    if len(required):
        fig.add_scatter(x=required.index.to_timestamp(), y=required * scale, mode="lines",
                        line=dict(color=TARGET_COLOR, dash="dot", width=2), name=names["required"],
                        hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    if target is not None:
        fig.add_scatter(x=[x_f[-1]], y=[target * scale], mode="markers", marker=dict(symbol="star", size=14, color=TARGET_COLOR),
                        name=names["target"], hovertemplate=f"%{{x|%Y}}: %{{y:,.{decimals}f}} {unit}<extra></extra>")
    fig.update_yaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    # Year ticks at each December, labelled as the year's end: the target star (December 2030) sits on "2030年末",
    # not beside the January-2031 tick.
    years = range(x_h.min().year if len(x_h) else x_f.min().year, x_f.max().year + 1)
    step = 1 if len(years) <= 8 else 2
    decembers = [pd.Timestamp(y, 12, 1) for y in years if (x_f.max().year - y) % step == 0]
    fig.update_xaxes(tickvals=decembers, ticktext=[names.get("year_end", "{year}").format(year=d.year) for d in decembers])
    fig.update_layout(legend=LEGEND)
    if names.get("break"):
        mark_definition_break(fig, x_h, names["break"])
    return base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)
