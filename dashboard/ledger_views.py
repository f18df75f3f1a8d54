"""Tables and figures of the 工作台账 page (no Streamlit): a ledger's KPI tiles, its monthly trend as stacked bars
by category, its totals by keeper, its entries with what they link to, and the Excel of all of it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n, ledgers
from dashboard.ledgers import MEASURES, MONTHLY_LEDGERS, TREND
from data_access.taxonomy import LEDGER_CATEGORIES

# Okabe-Ito, one colour per category in the order of the ledger's categories.
CATEGORY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")  # no two blues side by side in grey print
UNITS = {"services": "次", "financing_followed": "万元", "fx_usd": "万美元", "fx_transactions": "笔", "cross_border_usd": "万美元",
         "cases": "件", "granted": "件", "list_items": "条", "accounts": "户", "green_channel": "笔", "terminals": "台",
         "events_held": "场", "published": "期", "held": "项", "attendance": "人次", "reach": "人次", "meetings": "次", "closed": "项",
         "fiscal_amount": "万元", "overdue": "项"}
UNITS_EN = {"services": "visits", "financing_followed": "CNY 10k", "fx_usd": "USD 10k", "fx_transactions": "transactions",
            "cross_border_usd": "USD 10k", "cases": "cases", "granted": "cases", "list_items": "items", "accounts": "accounts",
            "green_channel": "cases", "terminals": "terminals", "events_held": "events", "published": "issues", "held": "items",
            "attendance": "people", "reach": "views", "meetings": "meetings", "closed": "decisions", "fiscal_amount": "CNY 10k",
            "overdue": ""}


def unit(code: str, lang: str) -> str:
    return UNITS[code] if lang == "zh" else UNITS_EN[code]


def measure_name(code: str, lang: str) -> str:
    return i18n.t(f"lg.m.{code}", lang)


def keeper_name(institution_id, department, names: pd.Series, lang: str) -> str:
    if institution_id is not None and not pd.isna(institution_id):
        return str(names.get(int(institution_id), "—"))
    return i18n.label("department", department, lang) if department else "—"


# Tiles in the reader's larger unit, so a value fits its tile at 1366 px: measure -> (i18n unit kind, decimals).
TILE_UNITS = {"financing_followed": ("yi", 2), "fx_usd": ("usd_yi", 2), "reach": ("reach", 1)}


def tile_value(code: str, value: float, lang: str) -> str:
    if code in TILE_UNITS:
        kind, decimals = TILE_UNITS[code]
        return i18n.amount(value, kind, lang, decimals if lang == "zh" or kind != "reach" else 0)
    return f"{value:,.0f} {unit(code, lang)}".rstrip()


def kpis(sums: pd.DataFrame, overdue: pd.DataFrame, ledger: str, *, period: dt.date, lang: str) -> list[tuple[str, str]]:
    """The ledger's tiles: each measure this year to `period` (the lists: in force), then what is overdue."""
    since = ledgers.year_start(period)
    tiles = []
    for m in MEASURES[ledger]:
        value = (ledgers.standing(sums, ledger, m.code, until=period) if m.code == "list_items"
                 else ledgers.total(sums, ledger, m.code, since=since, until=period))
        tiles.append((measure_name(m.code, lang), tile_value(m.code, value, lang)))
    tiles.append((i18n.t("lg.m.overdue", lang), tile_value("overdue", ledgers.overdue_total(sums, overdue, ledger, period=period), lang)))
    return tiles


def trend_figure(sums: pd.DataFrame, ledger: str, *, period: dt.date, lang: str, subtitle: str, source: str) -> go.Figure:
    """The trend measure by month, stacked by category (a legend when there is more than one), the last 24 months
    to `period` from the month the ledger was first kept; whole-number ticks for counts, room above the tallest bar."""
    m = TREND[ledger]
    table = ledgers.monthly_trend(sums, ledger, until=period)
    fig = go.Figure()
    x = pd.to_datetime(pd.Index(table.index))
    shown = [c for c in LEDGER_CATEGORIES[ledger] if c in table.columns and table[c].sum() > 0]
    for category in shown:
        k = LEDGER_CATEGORIES[ledger].index(category)
        name = i18n.label("ledger_category", category, lang)
        fig.add_bar(x=x, y=table[category], name=name, marker_color=CATEGORY_COLORS[k % len(CATEGORY_COLORS)],
                    hovertemplate=f"{name} %{{x|%Y-%m}}: %{{y:,.{m.decimals}f}} {unit(m.code, lang)}<extra></extra>")
    fig.update_layout(barmode="stack", legend=charts.LEGEND, bargap=0.25, showlegend=len(shown) > 1)
    top = float(table[shown].sum(axis=1).max()) if shown else 0.0
    fig.update_yaxes(title=f"{measure_name(m.code, lang)}（{unit(m.code, lang)}）" if lang == "zh" else f"{measure_name(m.code, lang)} ({unit(m.code, lang)})",
                     range=[0, max(top * 1.12, 1)], gridcolor="#EEEEEE", tickformat=",d" if m.decimals == 0 else ",.0f",
                     dtick=1 if m.decimals == 0 and top <= 6 else None)
    fig.update_xaxes(dtick="M3", tickformat="%Y-%m")
    title = i18n.t("lg.trend_title", lang, ledger=i18n.label("ledger", ledger, lang), measure=measure_name(m.code, lang))
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source)


def has_trend(sums: pd.DataFrame, ledger: str, *, period: dt.date) -> bool:
    """Whether the trend has anything to draw (a reporter without cases gets a sentence, not an empty chart)."""
    table = ledgers.monthly_trend(sums, ledger, until=period)
    return not table.empty and float(table.to_numpy().sum()) > 0


def keeper_table(sums: pd.DataFrame, overdue: pd.DataFrame, ledger: str, names: pd.Series, *, period: dt.date,
                 lang: str) -> pd.DataFrame:
    """One row per institution or department: its measures this year, the latest month it reported, its overdue."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    rows = ledgers.by_keeper(sums, overdue, ledger, period=period)
    out = pd.DataFrame({t("lg.col.keeper"): [keeper_name(i, d, names, lang) for i, d in zip(rows["institution_id"], rows["department"])]})
    for m in MEASURES[ledger]:
        out[f"{measure_name(m.code, lang)}（{unit(m.code, lang)}）" if lang == "zh" else f"{measure_name(m.code, lang)} ({unit(m.code, lang)})"] = \
            rows[m.code].round(m.decimals).to_numpy()
    if ledger in MONTHLY_LEDGERS:  # the others are kept as things happen: a quiet month is not a missing report
        out[t("lg.col.latest")] = [f"{d:%Y-%m}" if d else "—" for d in rows["latest"]]
    out[t("lg.col.overdue")] = rows["overdue"].astype(int).to_numpy()
    return out.sort_values(out.columns[1], ascending=False, kind="stable").reset_index(drop=True)


def participation_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Departments and the consultations each attended this year (led or present)."""
    return pd.DataFrame({i18n.t("lg.col.department", lang): [i18n.label("department", d, lang) for d in frame["department"]],
                         i18n.t("lg.col.attended", lang): frame["meetings"].astype(int).to_numpy()})


def _date(d) -> str:
    return "—" if d is None or pd.isna(d) else f"{pd.Timestamp(d):%Y-%m-%d}"


def _count(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.0f}"


def _money(v, decimals: int = 1) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.{decimals}f}"


ENTRY_FIELDS = {  # the entry columns each ledger shows, in order
    "adviser": ("ref", "keeper", "entry_date", "title", "enterprise", "category", "status", "contract_no", "amount", "due_date"),
    "fx": ("ref", "keeper", "month", "enterprise", "category", "quantity", "amount_usd", "amount"),
    "exemption": ("ref", "keeper", "entry_date", "category", "title", "status", "contract_no", "amount", "closed_on"),
    "payment": ("ref", "keeper", "month", "category", "quantity", "amount"),
    "outreach": ("ref", "keeper", "entry_date", "category", "title", "status", "attendance", "reach"),
    "consultation": ("ref", "keeper", "entry_date", "category", "participants", "title", "project", "policy_tool", "amount", "status",
                     "due_date", "closed_on"),
}


def entries_table(entries: pd.DataFrame, ledger: str, *, lang: str) -> pd.DataFrame:
    """A ledger's entries as the page lists them: names, not codes; dates as dates; '—' for what is not given; the
    loan's contract number, the project and the policy tool an entry links to; 逾期 marked."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    e = entries
    values = {
        "ref": e["ref"],
        "keeper": [str(i) if isinstance(i, str) else i18n.label("department", d, lang) for i, d in zip(e["institution"], e["department"])],
        "entry_date": [_date(d) for d in e["entry_date"]],
        "month": [f"{pd.Timestamp(d):%Y-%m}" for d in e["entry_date"]],
        "title": e["title"].fillna("—"),
        "enterprise": e["enterprise"].fillna("—"),
        "category": [i18n.label("ledger_category", c, lang) for c in e["category"]],
        "status": [i18n.label("ledger_status", s, lang) + (t("lg.overdue_mark") if late else "") for s, late in zip(e["status"], e["overdue"])],
        "contract_no": e["contract_no"].fillna("—"),
        "amount": [_money(v) for v in e["amount"]],
        "amount_usd": [_money(v) for v in e["amount_usd"]],
        "quantity": [_count(v) for v in e["quantity"]],
        "attendance": [_count(v) for v in e["attendance"]],
        "reach": [_count(v) for v in e["reach"]],
        "due_date": [_date(d) for d in e["due_date"]],
        "closed_on": [_date(d) for d in e["closed_on"]],
        "participants": ["、".join(i18n.label("department", c, lang) for c in str(p).split(",")) if isinstance(p, str) else "—"
                         for p in e["participants"]],
        "project": [f"{c} {n}" if isinstance(c, str) else "—" for c, n in zip(e["project_code"], e["project"])],
        "policy_tool": [i18n.label("policy_tool", p, lang) if isinstance(p, str) else "—" for p in e["policy_tool"]],
    }
    fields = ENTRY_FIELDS[ledger]
    return pd.DataFrame({t(f"lg.f.{ledger}.{f}" if f in ("title", "amount", "quantity", "entry_date") else f"lg.f.{f}"): values[f]
                         for f in fields})
