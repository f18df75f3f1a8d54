"""What leaves the dashboard: the headline figures of a month, the key charts, and those charts as
publication-ready figures (title, subtitle, source line and unit; `exports` turns them into PNG files).

One gathering step (`gather`) reads the aggregates a publication needs through data_access (rollups and
GROUP BY results only, never raw meter or loan rows); everything after it is pure and is shared by the
big screen, the 宣传图集 page, the frozen snapshots and the 零碳金融简报, so all four show the same numbers.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Connection

from dashboard import charts, energy_views, exports, finance, finance_views as fv, i18n, risk_views
from dashboard.overview import compute_overview_kpis, compute_progress_rows, time_elapsed
from dashboard.risk import open_at_period_end, published_open_count
from data_access import credit_queries, queries, risk_store
from data_access.scope import FULL_ACCESS, MIN_INSTITUTIONS, Scope

YI = fv.YI  # 万元 -> 亿元

# The key charts, in the order the big screen rotates them and the gallery lists them.
CHART_CODES = ("position", "green_loans", "by_type", "green_power", "emissions", "tasks", "risk")
# The catalogue entry (dashboard.catalogue) each publication chart shows.
CHART_METRIC = {"position": "target_progress", "green_loans": "green_loan_balance", "by_type": "green_loan_growth",
                "green_power": "green_power_share", "emissions": "total_emissions", "tasks": "task_completion",
                "risk": "open_alerts"}


@dataclass
class Bundle:
    """The aggregates of one park (optionally narrowed to one institution) for one month."""

    park: dict
    period: dt.date
    method: str
    data_end: dict
    monthly: pd.DataFrame
    targets: pd.DataFrame
    credit_total: pd.DataFrame
    credit_by_type: pd.DataFrame
    tasks: pd.DataFrame
    alerts: pd.DataFrame
    alerts_now: int | None  # None: not published (publicity-safe mode)
    alerts_before: int | None
    institution: dict | None = None
    extra: dict = field(default_factory=dict)

    def park_name(self, lang: str) -> str:
        return str(self.park["name_zh"] if lang == "zh" else self.park["name_en"])


def end_of_month(month_start: dt.date) -> dt.datetime:
    """The last moment of a month, for 'as of' queries (also ui.end_of_month, which pages call)."""
    nxt = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dt.datetime.combine(nxt, dt.time()) - dt.timedelta(microseconds=1)


def gather(conn: Connection, *, park_id: int, period: dt.date, scope: Scope, method: str | None = None) -> Bundle:
    """Read what a publication shows for `park_id` at month `period` (a month start) within `scope`.
    `method` (electricity conversion) defaults to the park's setting."""
    from dashboard.indicators import compute_park_monthly, targets_in_force

    parks = queries.load_parks(conn).set_index("id")
    if park_id not in parks.index:
        raise ValueError(f"no park with id {park_id}")
    park = parks.loc[park_id].to_dict() | {"id": park_id}
    method = method or str(park["electricity_method"])
    monthly, _ = compute_park_monthly(
        queries.load_energy_monthly(conn, park_id=park_id, scope=scope),
        credit_queries.load_credit_monthly(conn, park_id=park_id, scope=scope),
        queries.load_policy_tool_monthly(conn, park_id=park_id, scope=scope),
        queries.load_emission_factors(conn), method=method)

    alerts = risk_store.load_alerts(conn, park_id=park_id, scope=scope)
    institution = None
    if scope.own_institution is not None:
        inst = queries.load_institutions(conn).set_index("id")
        institution = inst.loc[scope.own_institution].to_dict() | {"id": scope.own_institution}
    return Bundle(
        park=park, period=period, method=method, data_end=queries.load_data_end(conn, park_id=park_id),
        monthly=monthly, targets=targets_in_force(queries.load_targets(conn, park_id=park_id), monthly, period,
                                                  target_year=int(park["target_year"]), method=method),
        credit_total=credit_queries.load_credit_by(conn, park_id=park_id, scope=scope, by="total"),
        credit_by_type=credit_queries.load_credit_by(conn, park_id=park_id, scope=scope, by="inst_type"),
        tasks=credit_queries.load_tasks(conn, park_id=park_id, scope=scope),
        alerts=alerts,
        alerts_now=published_open_count(alerts, period, scope),
        alerts_before=published_open_count(alerts, period.replace(year=period.year - 1), scope),
        institution=institution,
    )


def gather_drivers(conn: Connection, *, park_id: int, method: str) -> pd.DataFrame:
    """The yearly sector and carrier sums the LMDI decomposition runs on (`lmdi.compute_sector_year`), over every
    enterprise of the park: why the park's emissions moved is a park aggregate, computed on the whole population
    whoever asks (each role then sees the park and, in publicity mode, only sectors of enough enterprises)."""
    from dashboard import lmdi
    from dashboard.energy import compute_enterprise_emissions

    factors = queries.load_emission_factors(conn)
    per_ent = compute_enterprise_emissions(queries.load_enterprise_energy_monthly(conn, park_id=park_id, scope=FULL_ACCESS),
                                           factors, method=method)
    return lmdi.compute_sector_year(per_ent, queries.load_enterprise_outputs(conn, park_id=park_id, scope=FULL_ACCESS),
                                    queries.load_enterprises(conn, park_id=park_id, scope=FULL_ACCESS), factors, method=method)


# ---------------------------------------------------------------- headline figures and sentences

def prev_month(period: dt.date) -> dt.date:
    return (period.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _at(df: pd.DataFrame, column: str, period: dt.date) -> float | None:
    if df.empty or column not in df.columns:
        return None
    s = df.set_index("period")[column] if "period" in df.columns else df[column]
    v = s.get(period)
    return None if v is None or pd.isna(v) else float(v)


def _growth(now: float | None, before: float | None) -> float | None:
    """Growth in percent, None when either side is missing or the base is zero."""
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1) * 100


def headline(b: Bundle) -> dict:
    """The month's headline figures, in display units (亿元, %, percentage points, 万吨CO2, counts).

    Keys are stable (the briefing stores them and the tests compare them with the database):
    green_balance_yi, green_mom_yi (change against last month), green_yoy_pct, total_yoy_pct,
    yoy_gap_pp (green growth minus all-lending growth), green_share_pct (of all lending),
    green_npl_pct, green_power_share_pct and green_power_change_pp (12 months to the period, against a year
    earlier), emissions_t12_t (tCO2) and emissions_change_pct, open_alerts and open_alerts_year_ago,
    tasks_due, tasks_done, task_completion_pct, tasks_overdue. A missing figure is None.
    """
    p, prev, ya = b.period, prev_month(b.period), b.period.replace(year=b.period.year - 1)
    c = b.credit_total
    g_now, g_prev, g_ya = _at(c, "green_balance", p), _at(c, "green_balance", prev), _at(c, "green_balance", ya)
    t_now, t_ya = _at(c, "total_balance", p), _at(c, "total_balance", ya)
    npl = _at(c, "green_npl_balance", p)
    out: dict = {
        "green_balance_yi": None if g_now is None else g_now * YI,
        "green_mom_yi": None if g_now is None or g_prev is None else (g_now - g_prev) * YI,
        "green_yoy_pct": _growth(g_now, g_ya),
        "total_yoy_pct": _growth(t_now, t_ya),
        "green_share_pct": None if not g_now or not t_now else g_now / t_now * 100,
        "green_npl_pct": None if not g_now or npl is None else npl / g_now * 100,
    }
    out["yoy_gap_pp"] = (None if out["green_yoy_pct"] is None or out["total_yoy_pct"] is None
                         else out["green_yoy_pct"] - out["total_yoy_pct"])
    m = b.monthly
    gp = m["green_power_share_t12"] if "green_power_share_t12" in m.columns else pd.Series(dtype=float)
    em = m["total_emissions_t12"] if "total_emissions_t12" in m.columns else pd.Series(dtype=float)
    gp_now, gp_ya = gp.get(p), gp.get(ya)
    em_now, em_ya = em.get(p), em.get(ya)
    gp_now = None if gp_now is None or pd.isna(gp_now) else float(gp_now)
    gp_ya = None if gp_ya is None or pd.isna(gp_ya) else float(gp_ya)
    em_now = None if em_now is None or pd.isna(em_now) else float(em_now)
    em_ya = None if em_ya is None or pd.isna(em_ya) else float(em_ya)
    out["green_power_share_pct"] = None if gp_now is None else gp_now * 100
    out["green_power_change_pp"] = None if gp_now is None or gp_ya is None else (gp_now - gp_ya) * 100
    out["emissions_t12_t"] = em_now
    out["emissions_change_pct"] = _growth(em_now, em_ya)
    out["open_alerts"], out["open_alerts_year_ago"] = b.alerts_now, b.alerts_before
    tasks = b.tasks[b.tasks["year"] == p.year] if not b.tasks.empty else b.tasks
    if finance.suppressed_at(b.tasks, p.year):  # publicity: a total over the published types only would be a false total
        out.update(tasks_due=None, tasks_done=None, task_completion_pct=None, tasks_overdue=None)
    elif tasks.empty:
        out.update(tasks_due=0, tasks_done=0, task_completion_pct=None, tasks_overdue=0)
    else:
        done = finance.compute_task_completion(tasks.assign(all="all"), end_of_month(p).date(), by="all").iloc[0]
        out.update(tasks_due=int(done["n_due"]), tasks_done=int(done["n_done"]),
                   task_completion_pct=None if pd.isna(done["completion"]) else float(done["completion"]) * 100,
                   tasks_overdue=int(done["n_overdue"]))
    return out


def _f(x: float | None, decimals: int = 1, signed: bool = False) -> str:
    if x is None:
        return "—"
    x = 0.0 if round(x, decimals) == 0 else x  # never "-0.0"
    return f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"


def _printed_change(now: float, change: float, decimals: int) -> float:
    """A change between two figures as they are printed (35.8 and 27.4 make 8.4, never 8.3): the same number the
    briefing's table shows, whose columns a reader subtracts."""
    return round(round(now, decimals) - round(now - change, decimals), decimals)


def _direction(change: float | None, up_key: str, lang: str) -> str:
    """The verb a change is read with: 提高/增长 for a rise, 下降 for a fall (never "变动-1.9%")."""
    if change is None:
        return ""
    return i18n.t("br.fall" if round(change, 1) < 0 else up_key, lang)  # a change that prints as 0.0 is no fall


def sentences(h: dict, period: dt.date, lang: str, subject: str, drivers=None) -> list[str]:
    """Sentences written from the headline figures, in the register of a briefing.

    e.g. "10月末，园区绿色贷款余额12.3亿元，同比增长15.2%，高于各项贷款增速6.1个百分点。"
    A sentence whose figures are missing is left out rather than written with blanks. `drivers` (an
    `lmdi.Decomposition`) adds the sentence on why emissions moved.
    """
    out = []
    month = period.month if lang == "zh" else f"{period:%B %Y}"
    if h["green_balance_yi"] is not None:
        if h["green_yoy_pct"] is not None and h["yoy_gap_pp"] is not None:
            # The gap between the two rates as printed (17.3 and 11.1 make 6.2, never 6.1): a reader subtracts them.
            gap = _printed_change(h["green_yoy_pct"], h["yoy_gap_pp"], 1)
            key = "br.s.green_above" if gap >= 0 else "br.s.green_below"
            out.append(i18n.t(key, lang, month=month, subject=subject, value=_f(h["green_balance_yi"], 2),
                              verb=i18n.t("br.rise" if h["green_yoy_pct"] >= 0 else "br.fall", lang),
                              yoy=_f(abs(h["green_yoy_pct"])), gap=_f(abs(gap))))
        else:
            out.append(i18n.t("br.s.green_plain", lang, month=month, subject=subject, value=_f(h["green_balance_yi"], 2)))
        if h["green_mom_yi"] is not None:
            mom = _printed_change(h["green_balance_yi"], h["green_mom_yi"], 2)  # as the briefing's table prints it
            out.append(i18n.t("br.s.mom", lang, verb=i18n.t("br.more" if mom >= 0 else "br.less", lang),
                              value=_f(abs(mom), 2),
                              share=_f(h["green_share_pct"]), npl=_f(h["green_npl_pct"], 2)))
    if h["green_power_share_pct"] is not None:
        change = (None if h["green_power_change_pp"] is None else
                  _printed_change(h["green_power_share_pct"], h["green_power_change_pp"], 1))
        out.append(i18n.t("br.s.power", lang, value=_f(h["green_power_share_pct"]), verb=_direction(change, "br.up_pp", lang),
                          change=_f(None if change is None else abs(change))))
    if h["emissions_t12_t"] is not None:
        value = h["emissions_t12_t"] * i18n.scale("co2", lang)  # 万吨CO2 for Chinese readers, kt CO2 for English ones
        change = h["emissions_change_pct"]
        out.append(i18n.t("br.s.emissions", lang, value=_f(value, 2 if lang == "zh" else 1),
                          verb=_direction(change, "br.rise", lang), change=_f(None if change is None else abs(change))))
    if drivers is not None:  # why it moved: the LMDI decomposition of the last full year (lmdi.latest_decomposition)
        out.append(energy_views.drivers_sentence(drivers, lang))
    if h["tasks_due"]:
        out.append(i18n.t("br.s.tasks", lang, due=h["tasks_due"], done=h["tasks_done"],
                          rate=_f(h["task_completion_pct"], 0), overdue=h["tasks_overdue"]))
    if h["open_alerts"] is not None:
        out.append(i18n.t("br.s.alerts", lang, n=h["open_alerts"], before=h["open_alerts_year_ago"]))
    return out


def suppressed_key(code: str) -> str:
    """Why a KPI is not published: alerts are never published in publicity mode; other figures rest on too few."""
    return "ov.alerts_unpublished" if code == "open_alerts" else "ov.suppressed"


def kpi_tiles(b: Bundle, lang: str) -> list[dict]:
    """The headline KPI tiles of the big screen: label, value, unit, window and change, as text."""
    kpis = compute_overview_kpis(b.monthly, b.targets, b.alerts_now, b.alerts_before, b.period,
                                 base_year=int(b.park["base_year"]), institution_scoped=b.institution is not None)
    tiles = []
    for k in kpis:
        ind = k.indicator
        tiles.append({
            "code": ind.code, "label": i18n.t("kpi." + ind.code, lang),
            "value": "—" if k.value is None else ind.format(k.value, lang, with_unit=False), "unit": ind.unit(lang),
            "status": k.status,
            "status_text": i18n.t(suppressed_key(ind.code), lang) if k.extra.get("suppressed") else i18n.t("status." + k.status, lang),
            "change": "" if k.change is None else (f"{k.change:+.1f}{i18n.t('unit.pp', lang)}" if ind.change == "pp"
                                                   else f"{k.change:+.1f}%" if ind.change == "pct" else f"{k.change:+.0f}"),
        })
    return tiles


# ---------------------------------------------------------------- the key charts

def build_charts(b: Bundle, lang: str, codes: tuple[str, ...] = CHART_CODES) -> dict[str, go.Figure]:
    """The key charts with finding titles, subtitles (park, period, data end) and source lines, in `codes`
    order. A chart without data is left out."""
    name, p = b.park_name(lang), b.period
    credit_end, energy_end = b.data_end.get("credit"), b.data_end.get("energy")
    sub = fv.subtitle(lang, name, p, credit_end)
    src_fin, src_ov = i18n.t("gf.source", lang), i18n.t("ov.source", lang)
    out: dict[str, go.Figure] = {}
    for code in codes:
        fig = None
        if code == "position":
            kpis = compute_overview_kpis(b.monthly, b.targets, b.alerts_now, b.alerts_before, p,
                                         base_year=int(b.park["base_year"]), institution_scoped=b.institution is not None)
            rows = compute_progress_rows(kpis, lang)
            if not rows.empty:
                fig = charts.build_target_position_figure(
                    rows, time_elapsed=time_elapsed(p, int(b.park["base_year"]), int(b.park["target_year"])),
                    title=i18n.t("ov.position_title", lang, n_behind=int((rows["status"] == "behind").sum())),
                    subtitle=i18n.t("ov.position_subtitle", lang, park=name, period=f"{p:%Y-%m}", base=int(b.park["base_year"])),
                    source=src_ov, axis_title=i18n.t("ov.position_axis", lang), lang=lang)
        elif code in ("green_loans", "by_type") and not b.credit_total.empty:
            total = b.credit_total
            summary = finance.compute_group_summary(total, p)
            if summary.empty:
                continue
            row = summary.iloc[0]
            if code == "green_loans":
                all_yoy = finance.compute_group_summary(finance.as_all_lending(total), p).iloc[0]["yoy"]
                series = total[total["period"] <= p]
                fig = fv.trend_figure(series, series, title=fv.trend_title(row, all_yoy, lang), subtitle=sub, source=src_fin,
                    names={"green": i18n.t("gf.trend.green", lang), "all": i18n.t("gf.trend.all", lang),
                           "break": i18n.t("gf.break", lang),
                           "unit": i18n.t("gf.axis.yi", lang)})
            else:
                groups = finance.compute_group_summary(b.credit_by_type, p)
                if groups.empty:
                    continue
                labels = {g: i18n.label("inst_type", g, lang) for g in groups["group"]}
                top = groups.iloc[0]
                fig = fv.group_bar_figure(groups, kind="inst_type", labels=labels, colors=charts.INSTITUTION_TYPE_COLORS,
                                          title=i18n.t("gf.by_type.title_published" if finance.suppressed_at(b.credit_by_type, p)
                                                       else "gf.by_type.title", lang, top=labels[top["group"]],
                                                       share=f"{top['share_of_green'] * 100:.1f}"),
                                          subtitle=sub, source=_with_disclosure(src_fin, b.credit_by_type, p, lang), lang=lang)
        elif code in ("green_power", "emissions") and "total_emissions_t12" in b.monthly.columns:
            v = energy_views.View(lang, name, p, energy_end)
            fig = (energy_views.green_share_figure(b.monthly, v) if code == "green_power" else
                   energy_views.trajectory_figure(b.monthly, b.targets, v, base_year=int(b.park["base_year"]),
                                                  target_year=int(b.park["target_year"])))
        elif code == "tasks" and not b.tasks.empty:
            tasks = b.tasks[b.tasks["year"] == p.year]
            if tasks.empty:
                continue
            as_of = end_of_month(p).date()
            by_type = finance.compute_task_completion(tasks, as_of, by="inst_type")
            labels = {c: i18n.label("inst_type", c, lang) for c in by_type["inst_type"]}
            worst = by_type.iloc[0]
            hidden = finance.suppressed_at(b.tasks, p.year)  # "lowest" only among the published types
            fig = fv.completion_figure(by_type, by="inst_type", labels=labels, title=i18n.t(
                "tk.by_type.title_published" if hidden else "tk.by_type.title", lang, worst=labels[worst["inst_type"]],
                value=fv.pct(worst["completion"], 0)),
                subtitle=fv.subtitle(lang, name, p, as_of), source=_with_disclosure(src_fin, b.tasks, p.year, lang), lang=lang)
        elif code == "risk" and not b.alerts.empty:
            upto = b.alerts[pd.to_datetime(b.alerts["period"]) <= pd.Timestamp(p)]  # alerts about this month or before
            if upto.empty:
                continue
            is_open = open_at_period_end(upto, p)
            fig = risk_views.by_rule_figure(upto, is_open, title=risk_views.by_rule_title(upto, is_open, lang),
                subtitle=f"{name} · {p:%Y-%m}", source=src_fin, lang=lang)
        if fig is not None:
            out[code] = fig
    return out


def _with_disclosure(source: str, frame: pd.DataFrame, key, lang: str) -> str:
    """A chart's source line, with the publicity-safe note when groups were left out of `frame` at `key`, so an
    exported image says so too."""
    if not finance.suppressed_at(frame, key):
        return source
    return f"{source}{i18n.t('gf.lfl_sep', lang)}{i18n.t('disc.source_note', lang, n_inst=MIN_INSTITUTIONS)}"


def chart_title(code: str, lang: str) -> str:
    """A chart's short name for lists and file names (the figure's own title states the finding)."""
    return i18n.t(f"pub.chart.{code}", lang)


# ---------------------------------------------------------------- publication and screen styling

PRINT_TITLE_UNITS, PRINT_SUBTITLE_UNITS = 44, 64  # CJK characters a line holds at the print width, clear of the demo mark


def publication_figure(fig: go.Figure, *, data_end: dt.date | None, lang: str, unit: str | None = None,
                       width: int = exports.EXPORT_WIDTH, demo: bool = False) -> go.Figure:
    """A copy of `fig` laid out for print: fixed width, title and subtitle kept, the data end date added
    to the subtitle when it does not already say it, the source line (with the unit) kept at the bottom,
    white background, no hover-only information lost (every trace's text stays). A chart of demo data carries
    a boxed "演示数据 · DEMO DATA" mark in its top-right corner, so a cropped image is never taken for real figures."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    subtitle = out.layout.title.subtitle.text or "" if out.layout.title.subtitle else ""
    if data_end and data_end.isoformat() not in subtitle:
        subtitle = f"{subtitle} · {i18n.t('pub.data_end', lang, end=data_end.isoformat())}".strip(" ·")
    # Print type is larger (title 20 px, text 14 px) and the page is wider than the half-width column the figure was
    # laid out for: the room above the plot is measured afresh for the title and subtitle lines and the legend rows
    # at the print width, so the legend never meets the subtitle's "数据截至" and no empty band is left between them.
    # Wrapped afresh for the print width (a title wrapped for a half-width column took four lines in English).
    title = _rewrap(out.layout.title.text or "", PRINT_TITLE_UNITS)
    subtitle = _rewrap(subtitle, PRINT_SUBTITLE_UNITS)
    lines = charts.line_count
    legend = charts.legend_rows(out, width=width - 60)
    marker_labels = any(a.xref != "paper" and a.yref == "paper" and (a.y or 0) >= 1 for a in out.layout.annotations)
    top = 16 + 27 * lines(title) + 22 * lines(subtitle) + (12 + 26 * legend if legend else 14) + (28 if marker_labels else 0) + 8
    app_top = int(out.layout.margin.t if out.layout.margin.t is not None else 80)
    height = max(int(out.layout.height or 400) - app_top + top, 420)
    out.update_layout(width=width, height=height, margin_t=top, paper_bgcolor="white", plot_bgcolor="white",
                      title=dict(text=title, subtitle=dict(text=subtitle), font=dict(size=20), x=0.01, xanchor="left",
                                 yref="container", y=1, yanchor="top", pad=dict(t=charts.title_pad(title, 14, 20))),
                      font=dict(family=charts.FONT_FAMILY, size=14, color="#1F2933"))
    if unit:
        ann = charts.source_annotation(out)
        if ann is not None:
            ann.text = f"{ann.text}　{i18n.t('pub.unit', lang, unit=unit)}"
    if demo:
        # In the top-right corner of the title block, clear of the legend row above the plot.
        plot_height = height - top - int(out.layout.margin.b if out.layout.margin.b is not None else 80)
        out.add_annotation(text=f"⚠ {i18n.t('scr.demo', lang)}", name="demo", xref="paper", yref="paper", x=1,
                           y=1 + (top - 10) / plot_height, xanchor="right", yanchor="top", showarrow=False,
                           font=dict(size=15, color="#8A4B00"),
                           bgcolor="#FFF4CE", bordercolor="#E0A800", borderwidth=1, borderpad=4)
    return out


SCREEN_BG, SCREEN_FG, SCREEN_GRID = "#0B1620", "#E6EDF3", "#24384A"


def _rewrap(text: str, limit: float) -> str:
    """`text` wrapped afresh at `limit` (CJK characters): a line break made for the page's type size is undone first."""
    return charts.wrap_line(charts.unwrap(text), limit)


def screen_figure(fig: go.Figure, *, height: int | None) -> go.Figure:
    """A copy of `fig` for the dark big screen: large type, light text, dark paper, same data. With `height` None
    the figure takes the height of its place on the screen (the big screen fits it to the display)."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    # Screen type is larger: title, subtitle and source are wrapped again for a half-width column at 1366×768.
    title = _rewrap(out.layout.title.text or "", 21)
    subtitle = _rewrap(out.layout.title.subtitle.text or "" if out.layout.title.subtitle else "", 30)
    source = charts.source_annotation(out)
    if source is not None:
        source.text = _rewrap(source.text or "", 36)
    lines = charts.line_count
    marker_labels = any(a.xref != "paper" for a in out.layout.annotations)  # e.g. "时间进度 17%" above the bars
    top = 24 + 38 * lines(title) + 26 * lines(subtitle) + (46 if charts.has_legend(out) else 0) + (34 if marker_labels else 0) + 14
    # The title block starts at the top edge (not centred in the margin), so the legend below it never meets the subtitle.
    out.update_layout(height=height, autosize=height is None, title=dict(text=title, subtitle_text=subtitle, yref="container",
                                                                         y=1, yanchor="top",
                                                                         pad=dict(t=charts.title_pad(title, 16, 28))))
    out.update_layout(paper_bgcolor=SCREEN_BG, plot_bgcolor=SCREEN_BG,
                      font=dict(family=charts.FONT_FAMILY, size=22, color=SCREEN_FG),
                      title=dict(font=dict(size=28, color=SCREEN_FG), subtitle=dict(font=dict(size=18, color="#9FB3C8"))),
                      legend=dict(bgcolor="rgba(11,22,32,0.7)", font=dict(size=16, color=SCREEN_FG)),
                      margin=dict(l=20, r=30, t=max(top, 130), b=132 + (22 if source is not None and "<br>" in source.text else 0)))
    out.update_xaxes(gridcolor=SCREEN_GRID, zerolinecolor=SCREEN_GRID, tickfont=dict(size=20), title_font=dict(size=20))
    out.update_yaxes(gridcolor=SCREEN_GRID, zerolinecolor=SCREEN_GRID, tickfont=dict(size=20), title_font=dict(size=20))
    if source is not None:  # below the 20 px tick labels and the axis title (at -62 px it ran over "完成目标差距的比例")
        source.yshift = -86
    for ann in out.layout.annotations:
        ann.font = dict(size=16, color="#9FB3C8")
        ann.bgcolor = None
        if ann.xref != "paper":  # a marker label on a data line (e.g. time elapsed): above the plot, clear of the ticks
            ann.update(y=1, yanchor="bottom", yshift=2)
    out.update_traces(textfont=dict(size=20, color=SCREEN_FG), selector=dict(type="bar"))
    return out


# ---------------------------------------------------------------- frozen snapshots

def snapshot_payload(b: Bundle, lang: str, figures: dict[str, go.Figure], *, data_version: str,
                     shown: str | None = None) -> dict:
    """What a snapshot stores: the figures as numbers and text, the KPI tiles, the sentences and every chart's
    full plotly spec, so reopening it needs nothing from the live tables."""
    h = headline(b)
    subject = b.institution["short_name"] if b.institution else i18n.t("br.park_subject", lang)
    return {"lang": lang, "park": b.park_name(lang), "park_code": str(b.park["code"]), "period": f"{b.period:%Y-%m}",
            "data_end": {k: (v.isoformat() if v else None) for k, v in b.data_end.items()}, "data_version": data_version,
            "headline": h, "sentences": sentences(h, b.period, lang, subject), "tiles": kpi_tiles(b, lang),
            "charts": {code: fig.to_json() for code, fig in figures.items()}, "shown": shown}


def snapshot_figures(payload: dict) -> dict[str, go.Figure]:
    import plotly.io as pio

    return {code: pio.from_json(spec) for code, spec in payload.get("charts", {}).items()}
