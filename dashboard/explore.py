"""自助分析 (Explore, issue 21 §1): the measures a question may ask for (catalogue entries only, so each keeps its
definition), months turned into quarters and years, and the question's chart or table. Pure: the rows come from
data_access.explore_store, which ran the question in the database.

A stock (a month-end balance) is read at the last month of each quarter or year that has data; a flow (lending
under a tool) is summed over the months. A ratio is the ratio of the sums, never an average of ratios.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import catalogue, charts, i18n
from dashboard.indicators import INDICATORS
from data_access import taxonomy as tx
from data_access.explore_store import SUBJECTS

GRAINS = ("month", "quarter", "year")
CHARTS = ("line", "bar", "stacked", "scatter", "table", "pivot")
MAX_SERIES = 12  # lines or bar colours a reader can tell apart


@dataclass(frozen=True)
class Measure:
    subject: str
    numerator: str
    denominator: str | None  # a ratio when set, in %
    stock: bool  # read at the period's last month (balances) rather than summed (flows)


MEASURES: dict[str, Measure] = {  # keys are metric-catalogue codes
    "green_loan_balance": Measure("credit", "green_balance", None, stock=True),
    "green_share_of_lending": Measure("credit", "green_balance", "total_balance", stock=True),
    "green_npl_ratio": Measure("credit", "green_npl_balance", "green_balance", stock=True),
    "policy_tool_loans": Measure("policy_tools", "loan_amount", None, stock=False),
    "policy_tool_use_rate": Measure("policy_tools", "loan_amount", "eligible_amount", stock=False),
    # 企业: each borrower's metered or reported energy and emissions beside its green loans
    "total_emissions": Measure("enterprises", "total_emissions_t", None, stock=False),
    "total_energy": Measure("enterprises", "energy_tce", None, stock=False),
}
SUBJECT_MEASURES = {"credit": ("green_loan_balance", "green_share_of_lending", "green_npl_ratio"),
                    "policy_tools": ("policy_tool_loans", "policy_tool_use_rate"),
                    "enterprises": ("total_emissions", "total_energy", "green_loan_balance")}
# The enterprise subject's dimensions and filters (its rows are enterprises; `institution` narrows to its borrowers).
ENTERPRISE_DIMS = ("enterprise", "sector", "enterprise_class", "park")
ENTERPRISE_FILTERS = ("sector", "enterprise_class", "institution")
# The label kind (taxonomy LABELS) of a coded dimension; the others are ids named by the page's lookups.
CODED = {"inst_type": "inst_type", "enterprise_class": "enterprise_class", "sector": "sector", "product_line": "product_line",
         "carbon_product": "carbon_product", "policy_tool": "policy_tool", "term": "loan_term"}


def dim_options(subject: str, *, publicity: bool, reporter: bool) -> list[str]:
    """The dimensions a role may group `subject` by: never one institution or enterprise in publicity-safe mode, no
    institution for a reporter (it sees its own only). data_access.explore_store refuses the rest as well."""
    dims = list(ENTERPRISE_DIMS) if subject == "enterprises" else list(SUBJECTS[subject].dimensions)
    hidden = {"institution", "enterprise"} if publicity else {"institution"} if reporter else set()
    return [d for d in dims if d not in hidden]


def filter_options(subject: str, *, publicity: bool, reporter: bool) -> list[str]:
    """The dimensions a role may filter `subject` on (coded ones and the lender; parks have their own picker)."""
    dims = list(ENTERPRISE_FILTERS) if subject == "enterprises" else dim_options(subject, publicity=publicity, reporter=reporter)
    hidden = {"institution"} if publicity or reporter else set()
    return [d for d in dims if d not in hidden and (d in CODED or d == "institution")]


def codes(dim: str, subject: str) -> list[str]:
    """The values a coded dimension may be filtered on ("none" where a loan may have no tool or product)."""
    lists = {"inst_type": tx.INSTITUTION_TYPES, "enterprise_class": tx.ENTERPRISE_CLASSES, "sector": tx.SECTORS,
             "product_line": tx.PRODUCT_LINES, "term": tuple(tx.LABELS["loan_term"]),
             "carbon_product": (*tx.CARBON_PRODUCTS, "none"),
             "policy_tool": (*tx.POLICY_TOOLS, *(("none",) if subject == "credit" else ()))}
    return list(lists.get(dim, ()))


def code_label(dim: str, code: str, lang: str) -> str:
    return i18n.t("ex.none", lang) if code == "none" else i18n.label(CODED[dim], code, lang)


def measures_of(subject: str) -> list[str]:
    return list(SUBJECT_MEASURES[subject])


def name(code: str, lang: str) -> str:
    entry = catalogue.entries()[code]
    return entry.text(entry.name, lang)


def unit(code: str, lang: str) -> str:
    return "%" if MEASURES[code].denominator else INDICATORS[code].unit(lang)


def enterprise_rows(monthly: pd.DataFrame, enterprises: pd.DataFrame, credit: pd.DataFrame, *, start, end,
                    filters: dict, dims: list[str]) -> pd.DataFrame:
    """The enterprise subject's monthly rows: each enterprise's emissions and energy (the carbon engine's, from the
    monthly rollup) beside its green and all bank loans (explore_store's credit rows by enterprise), grouped by `dims`.
    `filters` on sector and class narrow the enterprises; on institution, to its borrowers in the range (`credit`
    was asked with the same institution filter, so its rows are that lender's loans only)."""
    e = enterprises.rename(columns={"id": "enterprise", "park_id": "park"})[["enterprise", "sector", "enterprise_class", "park"]]
    for d in ("sector", "enterprise_class"):
        if filters.get(d):
            e = e[e[d].isin(filters[d])]
    loans = credit if not credit.empty else pd.DataFrame(columns=["enterprise", "period", "green_balance", "total_balance"])
    if filters.get("institution"):
        borrowers = set(loans.loc[loans["total_balance"] > 0, "enterprise"])
        e = e[e["enterprise"].isin(borrowers)]
    energy = monthly.rename(columns={"enterprise_id": "enterprise"})
    energy = energy[(energy["period"] >= start) & (energy["period"] <= end)][["enterprise", "period", "total_emissions_t", "energy_tce"]]
    rows = energy.merge(loans[["enterprise", "period", "green_balance", "total_balance"]], on=["enterprise", "period"], how="outer")
    rows = rows.merge(e, on="enterprise", how="inner")
    # A month one source has not reached stays empty (not 0), so a balance is read at the last month the loans reach.
    sums = ["total_emissions_t", "energy_tce", "green_balance", "total_balance"]
    return rows.groupby(["period", *dims], dropna=False)[sums].sum(min_count=1).reset_index()


def bucket(period: pd.Series, grain: str) -> pd.Series:
    """The label of each month's quarter or year: "2024Q3", "2024", or the month itself "2024-09"."""
    p = pd.to_datetime(period).dt.to_period({"month": "M", "quarter": "Q", "year": "Y"}[grain])
    return p.astype(str)


def compute(rows: pd.DataFrame, *, measures: list[str], dims: list[str], grain: str, lang: str = "zh") -> pd.DataFrame:
    """One row per period (as `grain`) and combination of `dims`: the measures in display units (亿元, 万吨CO2, % …)
    and `_end`, the last month with data in the period."""
    if rows.empty:
        return pd.DataFrame(columns=["period", *dims, *measures])
    df = rows.copy()
    df["bucket"] = bucket(df["period"], grain)
    stocks = [m for m in measures if MEASURES[m].stock]
    flows = [m for m in measures if not MEASURES[m].stock]
    parts = []
    if stocks:  # the same end month for every group of a period: the last month the balances reach in it
        held = df[df[[MEASURES[m].numerator for m in stocks]].notna().any(axis=1)]
        ends = held.groupby("bucket")["period"].transform("max")
        parts.append(_ratios(held[held["period"] == ends], stocks, dims, lang))
    if flows:
        parts.append(_ratios(df, flows, dims, lang))
    out = parts[0]
    for extra in parts[1:]:
        out = out.merge(extra, on=["bucket", *dims], how="outer")
    ends = df.groupby("bucket")["period"].max()
    out["_end"] = out["bucket"].map(ends)
    out = out.rename(columns={"bucket": "period"}).sort_values(["period", *dims]).reset_index(drop=True)
    out.attrs = {}  # the rows' suppressed list stays with the rows (suppressed_cells)
    return out


def _ratios(df: pd.DataFrame, measures: list[str], dims: list[str], lang: str) -> pd.DataFrame:
    comps = sorted({c for m in measures for c in (MEASURES[m].numerator, MEASURES[m].denominator) if c})
    sums = df.groupby(["bucket", *dims], dropna=False)[comps].sum().reset_index()
    for m in measures:
        spec = MEASURES[m]
        num = sums[spec.numerator]
        if spec.denominator:
            den = sums[spec.denominator]
            sums[m] = (num / den.where(den != 0) * 100).round(6)
        else:
            sums[m] = num * INDICATORS[m].scale_for(lang)
    return sums[["bucket", *dims, *measures]]


def change(result: pd.DataFrame, *, measures: list[str], dims: list[str]) -> pd.DataFrame:
    """Each group's measures at the first and the last period of the result and the change between them (a group
    missing at one end counts as 0 there): columns dims, then per measure `m@first`, `m@last`, `m`(the change)."""
    first, last = result["period"].min(), result["period"].max()
    keys = dims or ["_all"]
    frame = result.assign(_all="") if not dims else result
    ends = {}
    for tag, p in (("first", first), ("last", last)):
        ends[tag] = frame[frame["period"] == p].set_index(keys)[measures]
    out = ends["first"].join(ends["last"], how="outer", lsuffix="@first", rsuffix="@last").fillna(0.0)
    for m in measures:
        out[m] = (out[f"{m}@last"] - out[f"{m}@first"]).round(6)  # no -8.9e-17 for "unchanged"
    out = out.reset_index()
    out.attrs = {"first": first, "last": last}
    return out.drop(columns=["_all"], errors="ignore")


def change_table(changed: pd.DataFrame, *, measures: list[str], dims: list[str], lang: str) -> pd.DataFrame:
    """The compare view's table: the dims, then each measure at the first and last period and its change."""
    first, last = changed.attrs["first"], changed.attrs["last"]
    cols = {d: i18n.t(f"ex.dim.{d}", lang) for d in dims}
    for m in measures:
        cols |= {f"{m}@first": f"{period_words(first, lang)} {header(m, lang)}", f"{m}@last": f"{period_words(last, lang)} {header(m, lang)}",
                 m: i18n.t("ex.change_of", lang, measure=name(m, lang), unit=unit(m, lang))}
    out = changed[list(cols)].copy()
    numeric = [c for c in cols if c not in dims]
    out[numeric] = out[numeric].astype(float).round(2)
    return out.rename(columns=cols)


def both_rose(changed: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """The groups whose two measures both rose between the first and the last period, largest rise first."""
    return changed[(changed[measures[0]] > 0) & (changed[measures[-1]] > 0)].sort_values(measures[-1], ascending=False)


def change_figure(changed: pd.DataFrame, *, measures: list[str], dims: list[str], lang: str, title: str, subtitle: str,
                  source: str) -> go.Figure:
    """A point per group at (change of the first measure, change of the second); the quadrant where both rose is
    shaded, as the question "which raised emissions while their green loans grew" asks."""
    x, y = measures[0], measures[-1]
    changed = changed[(changed[f"{x}@first"] != 0) | (changed[f"{x}@last"] != 0)]  # nothing of x at either end: no point
    who = changed[dims[0]].astype(str) if dims else pd.Series([""] * len(changed), index=changed.index)
    rose = (changed[x] > 0) & (changed[y] > 0)
    fig = go.Figure()
    for flag, color, key in ((True, "#D55E00", "ex.both_rose"), (False, charts.SERIES_COLORS[0], "ex.others")):
        part = changed[rose == flag]
        fig.add_scatter(x=part[x], y=part[y], mode="markers+text" if flag else "markers", name=i18n.t(key, lang),
                        text=who[rose == flag], cliponaxis=False,  # labels alternate above and below: neighbours overlap less
                        textposition=[("top center", "bottom center")[i % 2] for i in range(len(part))],
                        marker=dict(size=10, color=color), hovertemplate="%{text}: %{x:,.2f} · %{y:,.2f}<extra></extra>")
    fig.add_hline(y=0, line=dict(color="#888888", width=1))
    fig.add_vline(x=0, line=dict(color="#888888", width=1))
    fig.update_xaxes(title=i18n.t("ex.change_of", lang, measure=name(x, lang), unit=unit(x, lang)), gridcolor="#EEEEEE", zeroline=False,
                     tickformat=",.2~f")
    fig.update_yaxes(title=i18n.t("ex.change_of", lang, measure=name(y, lang), unit=unit(y, lang)), gridcolor="#EEEEEE", zeroline=False,
                     tickformat=",.2~f")
    fig.update_layout(legend=charts.LEGEND)
    return _numbers_on_x(charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=420))


def _numbers_on_x(fig: go.Figure) -> go.Figure:
    """A numeric x axis keeps its own number format (base_layout's date formats printed 0.2 as 0.19999999999999)."""
    fig.layout.xaxis.tickformatstops = ()  # update_xaxes merges lists: only an assignment clears them
    return fig.update_xaxes(tickformat=",.2~f")


def label_dims(result: pd.DataFrame, dims: list[str], *, lang: str, names: dict[str, dict]) -> pd.DataFrame:
    """Codes and ids replaced by their names (an unknown id stays visible as itself)."""
    out = result.copy()
    for d in dims:
        if d in CODED:
            out[d] = out[d].map(lambda c, d=d: code_label(d, c, lang))
        else:
            lookup = names.get(d, {})
            out[d] = out[d].map(lambda i: lookup.get(i, str(i)))
    return out


def header(measure: str, lang: str) -> str:
    return f"{name(measure, lang)}（{unit(measure, lang)}）" if lang == "zh" else f"{name(measure, lang)} ({unit(measure, lang)})"


def table(result: pd.DataFrame, *, measures: list[str], dims: list[str], lang: str, note: bool = False) -> pd.DataFrame:
    """The long table a download holds: period, the dims, each measure with its unit in the header (and, with
    `note`, the column that marks suppressed cells)."""
    cols = {"period": i18n.t("ex.col.period", lang), **{d: i18n.t(f"ex.dim.{d}", lang) for d in dims},
            **{m: header(m, lang) for m in measures}, **({"_note": i18n.t("ex.col.note", lang)} if note else {})}
    out = result.reindex(columns=list(cols))
    out[measures] = out[measures].astype(float).round(2)
    if note:  # a suppressed cell says so where its number would be
        hidden = out["_note"].notna()
        out[measures] = out[measures].astype(object).where(~hidden, i18n.t("ex.suppressed", lang))
        out = out.drop(columns="_note")
        del cols["_note"]
    return out.rename(columns=cols)


def months_in_last(rows: pd.DataFrame, grain: str) -> int:
    """How many months of data the last period holds (a flow's last quarter may be short)."""
    b = bucket(rows["period"], grain)
    return int(rows.loc[b == b.max(), "period"].nunique())


def suppressed_cells(suppressed: list, rows: pd.DataFrame, *, dims: list[str], grain: str) -> pd.DataFrame:
    """The (period, dims) cells publicity-safe mode left out, as periods of `grain`: a balance's cell is left out
    when its period's end month was (explore_store lists month cells)."""
    if not suppressed:
        return pd.DataFrame(columns=["period", *dims])
    df = pd.DataFrame([(p, *(g if isinstance(g, tuple) else (g,))[:len(dims)]) for p, g in suppressed],
                      columns=["period", *dims])
    ends = rows.assign(bucket=bucket(rows["period"], grain)).groupby("bucket")["period"].max()
    df["bucket"] = bucket(df["period"], grain)
    df = df[df["period"] == df["bucket"].map(ends)]
    return df.drop(columns="period").rename(columns={"bucket": "period"}).drop_duplicates().reset_index(drop=True)


def with_suppressed(shown: pd.DataFrame, cells: pd.DataFrame, *, dims: list[str], lang: str) -> pd.DataFrame:
    """The result with a row per suppressed cell, its measures empty and its note 已隐去."""
    if cells.empty:
        return shown
    marked = cells.assign(_note=i18n.t("ex.suppressed", lang))
    return pd.concat([shown, marked], ignore_index=True).sort_values(["period", *dims], kind="stable").reset_index(drop=True)


def pivot(result: pd.DataFrame, *, measure: str, dims: list[str], lang: str) -> pd.DataFrame:
    """Rows: the first dimension (or the period), columns: the second (or the period); values: `measure`."""
    rows = dims[0] if dims else "period"
    cols = dims[1] if len(dims) > 1 else ("period" if dims else None)
    if cols is None:
        return table(result, measures=[measure], dims=[], lang=lang)
    wide = result.pivot_table(index=rows, columns=cols, values=measure, aggfunc="sum", sort=True)
    wide.index.name = i18n.t("ex.col.period", lang) if rows == "period" else i18n.t(f"ex.dim.{rows}", lang)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def figure(result: pd.DataFrame, *, chart: str, measures: list[str], dims: list[str], lang: str, title: str,
           subtitle: str, source: str) -> go.Figure:
    """The question's chart: lines or bars over the periods by the first dimension, stacked bars, or a scatter of
    two measures with a point per group (labelled by the first dimension)."""
    first = measures[0]
    u = unit(first, lang)
    if chart == "scatter":
        x, y = measures[0], measures[-1]
        latest = result[result["period"] == result["period"].max()]
        who = latest[dims[0]] if dims else latest["period"]
        fig = go.Figure(go.Scatter(x=latest[x], y=latest[y], mode="markers+text", text=who.astype(str), textposition="top center",
                                   marker=dict(size=11, color=charts.SERIES_COLORS[0]), cliponaxis=False,
                                   hovertemplate="%{text}: %{x:,.1f} · %{y:,.1f}<extra></extra>"))
        fig.update_xaxes(title=f"{name(x, lang)}（{unit(x, lang)}）" if lang == "zh" else f"{name(x, lang)} ({unit(x, lang)})",
                         gridcolor="#EEEEEE", rangemode="tozero", tickformat=",.2~f")
        fig.update_yaxes(title=f"{name(y, lang)}（{unit(y, lang)}）" if lang == "zh" else f"{name(y, lang)} ({unit(y, lang)})",
                         gridcolor="#EEEEEE", rangemode="tozero", tickformat=",.2~f")
        return _numbers_on_x(charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=420))
    series = _series(result, first, dims, lang)
    if chart == "line":
        return _lines(series, u, title, subtitle, source)
    fig = charts.build_grouped_bars_figure(series, unit=u, title=title, subtitle=subtitle, source=source, decimals=1)
    if chart == "stacked":
        fig.update_traces(text=None)
        fig.update_layout(barmode="stack")
        total = result.groupby("period")[first].sum()
        top = float(total.max()) if len(total) else 0.0
        fig.update_yaxes(range=[0, top * 1.1 if top > 0 else 1])
    return fig


def _series(result: pd.DataFrame, measure: str, dims: list[str], lang: str) -> dict[str, pd.Series]:
    """One series over the periods per group (the dims' values joined by " · "); the whole, named by the measure,
    without dims. At most MAX_SERIES: the largest at the last period (`too_many_series` says whether any were left)."""
    if not dims:
        return {name(measure, lang): result.set_index("period")[measure]}
    keys = result[dims].astype(str).agg(" · ".join, axis=1)
    series = {k: g.set_index("period")[measure] for k, g in result.assign(_key=keys).groupby("_key", sort=True)
              if g[measure].fillna(0).ne(0).any()}  # a group with nothing in any period is no legend entry
    if len(series) > MAX_SERIES:
        last = result["period"].max()

        def at_last(key: str) -> float:
            value = series[key].get(last)
            return float(value) if pd.notna(value) else float("-inf")

        series = {k: series[k] for k in sorted(sorted(series, key=at_last, reverse=True)[:MAX_SERIES])}
    return series


def too_many_series(result: pd.DataFrame, dims: list[str]) -> bool:
    return bool(dims) and len(result[dims].drop_duplicates()) > MAX_SERIES


def _lines(series: dict[str, pd.Series], u: str, title: str, subtitle: str, source: str) -> go.Figure:
    fig = go.Figure()
    palette = iter(charts.SERIES_COLORS * 4)
    periods = sorted({p for s in series.values() for p in s.index})
    for label, s in series.items():
        fig.add_scatter(x=list(s.index), y=s.to_numpy(), name=label, mode="lines+markers", line=dict(width=3, color=next(palette)),
                        hovertemplate=f"{label} · %{{x}}: %{{y:,.1f}} {u}<extra></extra>")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig.update_yaxes(title=u, rangemode="tozero", gridcolor="#EEEEEE", tickformat=",.2~f")
    fig.update_layout(legend=charts.LEGEND, showlegend=len(series) > 1)
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=380)


@dataclass(frozen=True)
class Question:
    """Everything a question is, as it travels in a link (?ex=…) and is kept as a saved question."""

    subject: str = "credit"
    measures: tuple[str, ...] = ("green_loan_balance",)
    dims: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (dimension, values) with values as text
    grain: str = "quarter"
    start: str = ""  # YYYY-MM
    end: str = ""
    parks: tuple[str, ...] = ()  # park codes
    chart: str = "line"
    compare: bool = False

    def to_params(self) -> dict[str, str]:
        """Short query parameters; empty parts left out."""
        out = {"ex": self.subject, "exm": ",".join(self.measures), "exd": ",".join(self.dims),
               "exf": ";".join(f"{d}:{'|'.join(v)}" for d, v in self.filters if v), "exg": self.grain,
               "exfrom": self.start, "exto": self.end, "exp": ",".join(self.parks), "exc": self.chart,
               "excmp": "1" if self.compare else ""}
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_params(cls, params) -> Question | None:
        """The question a link carries, with anything outside the whitelist dropped; None without one."""
        subject = params.get("ex")
        if subject not in SUBJECT_MEASURES:
            return None
        split = lambda key: [x for x in (params.get(key) or "").split(",") if x]  # noqa: E731
        measures = tuple(m for m in split("exm") if m in SUBJECT_MEASURES[subject])[:2] or SUBJECT_MEASURES[subject][:1]
        filters = []
        for part in (params.get("exf") or "").split(";"):
            dim, _, values = part.partition(":")
            if dim and values:
                filters.append((dim, tuple(v for v in values.split("|") if v)))
        grain = params.get("exg") if params.get("exg") in GRAINS else "quarter"
        chart = params.get("exc") if params.get("exc") in CHARTS else "line"
        month = lambda key: params.get(key) if _is_month(params.get(key)) else ""  # noqa: E731
        return cls(subject, measures, tuple(split("exd"))[:2], tuple(filters), grain, month("exfrom"), month("exto"),
                   tuple(split("exp")), chart, params.get("excmp") == "1")


PARAMS = ("ex", "exm", "exd", "exf", "exg", "exfrom", "exto", "exp", "exc", "excmp")


def _is_month(text) -> bool:
    try:
        pd.Period(str(text), "M")
        return len(str(text)) == 7
    except ValueError:
        return False


def saved_label(row, lang: str) -> str:
    """A saved question in the picker: its name, and whose it is when shared; 📌 when pinned."""
    mark = "📌 " if row["pinned"] else ""
    return f"{mark}{row['name']}" + ("" if row["mine"] else i18n.t("ex.shared_by", lang, owner=row["owner"]))


def headline(rows: pd.DataFrame, *, measure: str, grain: str, lang: str) -> tuple[str, float] | None:
    """A pinned question's tile: its first measure for the whole (no dimensions) at its last period."""
    if rows.empty:
        return None
    whole = compute(rows, measures=[measure], dims=[], grain=grain, lang=lang)
    last = whole.iloc[-1]
    return str(last["period"]), float(last[measure])


def month_start(text: str):
    """"2024-03" as the date 2024-03-01; None for an empty one."""
    return pd.Period(text, "M").to_timestamp().date() if text else None


def filters_text(filters: dict, *, names: dict[str, dict], lang: str) -> str:
    """The filters in words for a chart's subtitle and the expander ("机构类型：国有行；贷款期限：中长期")."""
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    parts = []
    for dim, values in filters.items():
        shown = [names.get(dim, {}).get(v, str(v)) if dim not in CODED else code_label(dim, v, lang) for v in values]
        parts.append(i18n.t(f"ex.dim.{dim}", lang) + colon + ("、" if lang == "zh" else ", ").join(shown))
    return sep.join(parts)


QUARTERS = "一二三四"


def period_words(label: str, lang: str) -> str:
    """A period label in words for sentences: "2024" -> 2024年, "2024Q3" -> 2024年三季度, "2024-09" -> 2024年9月."""
    if lang != "zh":
        return label
    if "Q" in label:
        year, quarter = label.split("Q")
        return f"{year}年{QUARTERS[int(quarter) - 1]}季度"
    if "-" in label:
        year, month = label.split("-")
        return f"{year}年{int(month)}月"
    return f"{label}年"


def partial_label(result: pd.DataFrame, *, grain: str, lang: str) -> pd.DataFrame:
    """The last quarter or year marked when its data stop before its end ("2026Q4（至10月）")."""
    if result.empty or grain == "month":
        return result
    last = result["period"].max()
    end = pd.Timestamp(result.loc[result["period"] == last, "_end"].max())
    if pd.Period(end, "M") == pd.Period(last, {"quarter": "Q", "year": "Y"}[grain]).asfreq("M", "end"):
        return result
    mark = i18n.t("ex.partial", lang, month=end.month)
    return result.assign(period=result["period"].where(result["period"] != last, f"{last}{mark}"))
