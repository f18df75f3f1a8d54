"""Titled figures and display tables of the finance pages (no Streamlit). Money arrives in 万元, shows in 亿元."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n
from data_access.reference import reference_value

YI = 1e-4  # 万元 -> 亿元


def pct(x, decimals: int = 1, signed: bool = False) -> str:
    if x is None or pd.isna(x):
        return "—"
    v = 0.0 if round(x * 100, decimals) == 0 else x * 100  # never "-0.0%"
    return f"{v:+.{decimals}f}%" if signed else f"{v:.{decimals}f}%"


def change_words(x, lang: str, decimals: int = 1) -> str:
    """A growth rate in words that follow its sign: 增长3.2% / 下降16.7% / 持平 (up 3.2% / down 16.7% / flat); a
    title never says 增长-16.7%."""
    if x is None or pd.isna(x):
        return "—"
    size = f"{abs(x) * 100:.{decimals}f}%"
    if size == f"{0:.{decimals}f}%":
        return i18n.t("chg.flat", lang)
    return i18n.t("chg.up" if x > 0 else "chg.down", lang, size=size)


def trend_title(row, all_yoy, lang: str) -> str:
    """The green-loan trend chart's finding: balance, its growth and all lending's, in words that follow the sign."""
    return i18n.t("gf.trend.title", lang, value=f"{row['green_balance'] * YI:,.1f}", yoy=change_words(row["yoy"], lang),
                  total_yoy=change_words(all_yoy, lang))


def group_bar_figure(summary: pd.DataFrame, *, kind: str, labels: dict, colors: dict | None, title: str, subtitle: str,
                     source: str, lang: str) -> go.Figure:
    """Horizontal bars of green balance (亿元) per group with YoY in the label; customdata carries the code
    so a click can drill down. A group with no green loans now nor a year earlier (general lending among the product
    lines) has no bar: a "0.0亿" row says nothing."""
    had = summary["green_balance"].fillna(0).gt(0) | summary["green_balance_prev"].fillna(0).gt(0)
    d = summary[had].iloc[::-1]
    text = [i18n.t("gf.bar_text", lang, value=f"{b * YI:,.1f}", yoy=pct(y, signed=True)) for b, y in zip(d["green_balance"], d["yoy"])]
    fig = go.Figure(go.Bar(
        y=[charts.plain(labels.get(g, g)) for g in d["group"]], x=d["green_balance"] * YI, orientation="h",
        customdata=d["group"].astype(str),
        marker_color=[(colors or {}).get(g, charts.LINE_COLOR) for g in d["group"]], text=text, textposition="outside",
        cliponaxis=False, hovertemplate=f"%{{y}}: %{{x:,.1f}} {i18n.unit('yi', lang)}<extra></extra>"))
    top = float((d["green_balance"] * YI).max()) if len(d) else 1.0
    fig.update_xaxes(title=i18n.t("gf.axis.yi", lang), gridcolor="#EEEEEE", range=[0, top * 1.8])  # room for the labels ("45.5亿 · 同比+8.6%") in a half-width column
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=140 + 38 * len(d))


def trend_figure(green: pd.DataFrame, total: pd.DataFrame, *, title: str, subtitle: str, source: str, names: dict) -> go.Figure:
    """Green and all lending month-end balances, 亿元, with the 2025 definition change marked (names['break'])."""
    fig = go.Figure()
    hover = f"%{{x|%Y-%m}}: %{{y:,.1f}} {names['unit']}<extra></extra>"
    fig.add_scatter(x=pd.to_datetime(total["period"]), y=total["total_balance"] * YI, name=names["all"], mode="lines",
                    line=dict(color="#999999", width=2), hovertemplate=hover)
    fig.add_scatter(x=pd.to_datetime(green["period"]), y=green["green_balance"] * YI, name=names["green"], mode="lines",
                    line=dict(color=charts.LINE_COLOR, width=3), fill="tozeroy", fillcolor="rgba(0,114,178,0.12)",
                    hovertemplate=hover)
    top = float(pd.concat([total["total_balance"], green["green_balance"]]).max() * YI) if len(total) else 1.0
    # Headroom above the highest line: the definition-break label sits there, not over the all-lending line.
    fig.update_yaxes(title=names["unit"], range=[0, top * 1.2], gridcolor="#EEEEEE")
    fig.update_layout(legend=charts.LEGEND)
    charts.mark_definition_break(fig, green["period"], names["break"])
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=360)


def summary_table(summary: pd.DataFrame, *, kind: str, names: dict | None, lang: str) -> pd.DataFrame:
    """The per-group table shown under a chart and downloaded as Excel."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    label = (lambda g: names.get(g, str(g))) if names is not None else (lambda g: i18n.label(kind, g, lang))
    return pd.DataFrame({
        t("gf.table.group"): [label(g) for g in summary["group"]],
        t("gf.table.balance"): (summary["green_balance"] * YI).round(2),
        t("gf.table.yoy"): (summary["yoy"] * 100).round(1) + 0.0,  # + 0.0: a tiny fall shows 0.0, never -0.0
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


def loans_table(loans: pd.DataFrame, lang: str, *, borrower: bool = True, amount: bool = False,
                carbon: list[str] | None = None) -> pd.DataFrame:
    """Loans for display, the last step of the drill-down and an enterprise's carbon account alike: with the
    borrower's name and/or the amount lent as asked; `carbon` spells out the carbon terms (default: the carbon product)."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    columns = {t("ca.col.contract"): loans["contract_no"], t("ca.col.institution"): loans["institution"]}
    if borrower:
        columns[t("en.col.name")] = loans["enterprise"]
    columns |= {
        t("ca.col.product"): [i18n.label("product_line", p, lang) for p in loans["product_line"]],
        t("ca.col.green"): [t("ca.yes") if g else t("ca.no") for g in loans["is_green"]],
        t("ca.col.start"): loans["start_date"].astype(str),
    }
    if amount:
        columns[t("ca.col.amount")] = loans["amount"].round(1)
    columns |= {
        t("ca.col.balance"): loans["balance"].fillna(0).round(1),
        t("ca.col.rate"): loans["rate"].round(2),
        t("ca.col.status"): [t(f"loan_status.{s}") if isinstance(s, str) else "" for s in loans["status"]],
        t("ca.col.carbon"): carbon if carbon is not None else
        [i18n.label("carbon_product", c, lang) if c else "" for c in loans["carbon_product"]],
    }
    return pd.DataFrame(columns)


def subtitle(lang: str, scope_text: str, period: dt.date, end: dt.date | None) -> str:
    return i18n.t("gf.subtitle", lang, scope=scope_text, period=f"{period:%Y-%m}", end=end.isoformat() if end else "—")


def quarter_label(quarter_end: dt.date, lang: str) -> str:
    return i18n.t("in.quarter", lang, year=quarter_end.year, q=(quarter_end.month - 1) // 3 + 1)


def assessment_table(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One institution's score explained: item, part, measure, score, weight, points; an item with nothing to
    measure says 不适用 (its weight is spread over the others)."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    na = t("in.not_applicable")
    return pd.DataFrame({
        t("in.col.item"): [t(f"in.item.{i}") for i in scores["item"]],
        t("in.col.part"): [t(f"in.part.{p}") for p in scores["part"]],
        t("in.col.measure"): [pct(v, 1) if ok else na for v, ok in zip(scores["value"], scores["applicable"])],
        t("in.col.score"): [f"{v:.1f}" if ok else na for v, ok in zip(scores["score"], scores["applicable"])],
        t("in.col.weight"): [pct(w, 0) for w in scores["weight"]],
        t("in.col.points"): scores["points"].round(2),
    })


def comparison_table(comp: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Institutions side by side; a non-bank has no score or rank (不参评) and its green leasing has its own
    column, outside the green-loan balance."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    not_assessed = t("in.not_assessed")
    return pd.DataFrame({
        t("in.col.rank"): ["—" if pd.isna(r) else str(int(r)) for r in comp["assessment_rank"]],
        t("in.pick"): comp["name"],
        t("in.col.type"): [i18n.label("inst_type", c, lang) for c in comp["inst_type"]],
        t("gf.table.balance"): (comp["green_balance"] * YI).round(2),
        t("in.col.nonbank"): (comp["green_nonbank_balance"] * YI).round(2),
        t("gf.table.yoy"): (comp["yoy"] * 100).round(1),
        t("gf.table.share"): (comp["market_share"] * 100).round(1),
        t("gf.table.green_share"): (comp["green_share_of_lending"] * 100).round(1),
        t("in.col.total_growth"): (comp["total_growth"] * 100).round(1),
        t("gf.table.npl"): (comp["green_npl_ratio"] * 100).round(2),
        t("in.col.tasks"): (comp["task_completion"] * 100).round(0),
        t("in.col.score_total"): [not_assessed if pd.isna(v) else f"{v:.1f}" for v in comp["assessment_total"]],
    })


def projects_table(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        i18n.t("en.col.name", lang): projects["project"],
        i18n.t("in.col.type", lang): [i18n.label("product_line", c, lang) for c in projects["category"]],
        i18n.t("tbl.lead", lang): [i18n.t("ca.yes", lang) if x else i18n.t("ca.no", lang) for x in projects["lead"]],
        i18n.t("tbl.share", lang): (projects["share"].fillna(0) * 100).round(0),
        i18n.t("tbl.investment_100m_cny", lang): (projects["investment"] * YI).round(2),
    })


def tools_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per tool: eligible, loans, use rate, funding, carbon per 亿元, fiscal cost."""
    return pd.DataFrame({
        i18n.t("tbl.tool", lang): [i18n.label("policy_tool", c, lang) for c in summary["tool"]],
        i18n.t("tbl.eligible_100m_cny", lang): (summary["eligible"] * YI).round(2),
        i18n.t("tbl.supported_loans_100m_cny", lang): (summary["loans"] * YI).round(2),
        i18n.t("tbl.used", lang): (summary["use_rate"] * 100).round(1),
        i18n.t("tbl.funding_100m_cny", lang): (summary["funding"] * YI).round(2),
        i18n.t("tbl.tco2e_per_100m_cny", lang): summary["carbon_per_yi"].round(0),
        i18n.t("tbl.fiscal_cost_10k_cny", lang): summary["fiscal_cost"].round(1),
        i18n.t("tbl.institutions", lang): summary["n_institutions"],
    })


def tasks_table(tasks: pd.DataFrame, lang: str, as_of: dt.date) -> pd.DataFrame:
    """Tasks with overdue ones marked by an icon and a word (never colour alone)."""
    late = (pd.to_datetime(tasks["due_date"]) < pd.Timestamp(as_of)) & (tasks["status"] != "done")
    status = [i18n.t("task_status." + ("overdue" if lt else s), lang) for s, lt in zip(tasks["status"], late)]
    return pd.DataFrame({
        i18n.t("tbl.institution", lang): tasks["institution"],
        i18n.t("tbl.task", lang): tasks["title"],
        i18n.t("tbl.section", lang): tasks["seed_section"],
        i18n.t("tbl.due", lang): tasks["due_date"].astype(str),
        i18n.t("tbl.status", lang): status,
        i18n.t("tbl.evidence", lang): tasks["evidence"].fillna(""),
    })


def alerts_table(alerts: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        i18n.t("tbl.rule", lang): [i18n.label("rule", r, lang) for r in alerts["rule_code"]],
        i18n.t("tbl.severity", lang): [i18n.label("severity", s, lang) for s in alerts["severity"]],
        i18n.t("tbl.status", lang): [i18n.t(f"alert_state.{s}", lang) for s in alerts["state"]],
        i18n.t("tbl.raised", lang): pd.to_datetime(alerts["created_at"]).dt.strftime("%Y-%m-%d"),
    })


def completion_figure(df: pd.DataFrame, *, by: str, labels: dict, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Horizontal bars of task completion (of the tasks due), lowest on top, with the overdue count in the label."""
    d = df.sort_values("completion", ascending=False)
    fig = go.Figure(go.Bar(
        y=[labels.get(g, str(g)) for g in d[by]], x=d["completion"] * 100, orientation="h",
        marker=dict(color=["#D55E00" if c < 0.8 else charts.LINE_COLOR for c in d["completion"]],
                    pattern=dict(shape=["/" if c < 0.8 else "" for c in d["completion"]])),
        text=[f"{c * 100:.0f}% · {i18n.t('task_status.overdue', lang)} {int(o)}" if o else f"{c * 100:.0f}%"
              for c, o in zip(d["completion"], d["n_overdue"])],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x:.0f}%<extra></extra>"))
    # Room right of 100% for the labels ("85% · ▲ overdue 1" is longer than "85% · ▲ 逾期 1"), but no tick past it: a
    # completion rate never exceeds 100%.
    fig.update_xaxes(title=i18n.t("tk.axis", lang), range=[0, 135 if lang == "zh" else 160], tickvals=[0, 20, 40, 60, 80, 100],
                     ticksuffix="%", gridcolor="#EEEEEE")
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=140 + 30 * len(d))


def tool_monthly_figure(tools: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Stacked monthly bars of loans supported by each tool, 亿元."""
    fig = go.Figure()
    colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"]
    monthly = tools.groupby(["period", "tool"])["loan_amount"].sum().unstack(fill_value=0.0)
    for i, tool in enumerate(monthly.columns):
        fig.add_bar(x=pd.to_datetime(monthly.index), y=monthly[tool] * YI, name=i18n.label("policy_tool", tool, lang),
                    marker_color=colors[i % len(colors)],
                    hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.2f}} {i18n.unit('yi', lang)}<extra></extra>")
    fig.update_layout(barmode="stack", legend=charts.LEGEND)
    fig.update_yaxes(title=i18n.t("gf.axis.yi", lang), gridcolor="#EEEEEE")
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


def tools_by_institution_table(tools: pd.DataFrame, period: dt.date, names: dict, lang: str, *, months: int = 12) -> pd.DataFrame:
    """Institution x tool: loans supported over the window, 亿元."""
    start = (pd.Timestamp(period) - pd.DateOffset(months=months - 1)).date()
    w = tools[(tools["period"] >= start) & (tools["period"] <= period)]
    pivot = w.pivot_table(index="institution_id", columns="tool", values="loan_amount", aggfunc="sum", fill_value=0.0) * YI
    pivot.columns = [i18n.label("policy_tool", c, lang) for c in pivot.columns]
    pivot.index = [names.get(i, str(i)) for i in pivot.index]
    return pivot.round(2).rename_axis(i18n.t("tbl.institution", lang)).reset_index()


def _refinance_share(tool: str, lang: str) -> str:
    ref = reference_value(f"{tool}_refinance_share")
    return f"{ref.value:.0%}" + (i18n.t("ov.target_assumption", lang) if ref.is_assumption else "")


def rates_table(rates: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        i18n.t("tbl.tool", lang): [i18n.label("policy_tool", t, lang) for t in rates["tool"]],
        i18n.t("pt.col.from", lang): rates["from"],
        i18n.t("pt.col.rate", lang): rates["rate"],
        i18n.t("pt.col.share", lang): [_refinance_share(t, lang) for t in rates["tool"]],
        i18n.t("pt.col.source", lang): rates["source"],
    })


def reclassification_note(moved: pd.DataFrame, lang: str, period: dt.date | None = None) -> str:
    """The line under every chart of growth by institution type: the like-for-like rule and who moved within the
    year the growth compares (the 12 months ending in `period`; all moves when no period is given)."""
    if period is not None and not moved.empty:
        start = (pd.Timestamp(period) - pd.DateOffset(months=11)).date()
        moved = moved[(moved["period"] >= start) & (moved["period"] <= period)]
    if moved.empty:
        return i18n.t("gf.lfl_note", lang)
    items = i18n.t("gf.lfl_sep", lang).join(
        i18n.t("gf.lfl_item", lang, name=r.short_name, period=f"{r.period:%Y-%m}",
               src=i18n.label("inst_type", r.from_type, lang), dst=i18n.label("inst_type", r.to_type, lang))
        for r in moved.itertuples())
    return i18n.t("gf.lfl_note_moved", lang, items=items)
