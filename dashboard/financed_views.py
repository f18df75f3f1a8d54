"""Tables, figure and disclosure workbook of the 融资排放 page (no Streamlit). Emissions arrive in tCO2, money in
万元; tables show tCO2, 亿元, tCO2 per 亿元 and tCO2 per 万元 of revenue."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, financed, i18n
from dashboard.finance_views import YI, change_words, pct


def _num(x, decimals: int = 1):
    return None if x is None or pd.isna(x) else round(float(x), decimals) + 0.0


def scope_rows(summary: pd.DataFrame, period: dt.date, group) -> pd.Series | None:
    at = summary[(summary["period"] == period) & (summary["group"] == group)]
    return None if at.empty else at.iloc[0]


def kpis(row: pd.Series | None, lang: str) -> list[tuple[str, str]]:
    """The four tiles for the park or one institution: (label, value with unit)."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    if row is None:
        return [(t(f"fe.m.{k}"), "—") for k in ("financed", "intensity", "waci", "quality")]
    return [(t("fe.m.financed"), i18n.amount(row["financed_t"], "co2", lang, 2)),
            (t("fe.m.intensity"), f"{row['intensity_t_per_yi']:,.0f} tCO2/{t('fe.unit.yi')}"),
            (t("fe.m.waci"), "—" if pd.isna(row["waci"]) else f"{row['waci']:.3f} tCO2/{t('fe.unit.wan')}"),
            (t("fe.m.quality"), f"{row['quality']:.2f}")]


def institution_table(by_inst: pd.DataFrame, changes: pd.DataFrame, institutions: pd.DataFrame, period: dt.date,
                      lang: str, *, rate: float | None, only: int | None = None) -> pd.DataFrame:
    """One row per institution at `period`: type, outstanding, financed emissions (green / other), economic
    intensity and its rank among all institutions, its change on a year earlier against the park's pace, WACI and
    the data-quality score. `only` narrows to one institution after the ranks are taken."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    at = by_inst[by_inst["period"] == period].copy()
    if at.empty:
        return pd.DataFrame()
    ranks = financed.compute_ranks(by_inst, period)
    now = changes[changes["period"] == period]
    change = dict(zip(now["group"], now["intensity_change"]))  # a dict: an empty Series would read an id as a position
    names = institutions.set_index("id")
    at["rank"] = at["group"].map(ranks)
    at = at.sort_values("intensity_t_per_yi")
    n = int(ranks.size)
    if only is not None:
        at = at[at["group"] == only]

    def pace(inst_id) -> str:
        c = change.get(inst_id)
        if c is None or pd.isna(c) or rate is None:
            return "—"
        return t("fe.pace.faster" if c <= rate else "fe.pace.slower")

    return pd.DataFrame({  # what the table is sorted by and judged on first, in view at 1366
        t("fe.col.institution"): [names.loc[i, "short_name"] for i in at["group"]],
        t("fe.col.intensity"): [_num(v, 0) for v in at["intensity_t_per_yi"]],
        t("fe.col.rank"): [f"{int(r)}/{n}" if pd.notna(r) else "—" for r in at["rank"]],
        t("fe.col.change"): [pct(change.get(i), signed=True) for i in at["group"]],
        t("fe.col.pace"): [pace(i) for i in at["group"]],
        t("fe.col.balance"): [_num(b * YI, 2) for b in at["balance"]],
        t("fe.col.financed"): [_num(v, 0) for v in at["financed_t"]],
        t("fe.col.green"): [_num(v, 0) for v in at["green_financed_t"]],
        t("fe.col.other"): [_num(v, 0) for v in at["other_financed_t"]],
        t("fe.col.waci"): [_num(v, 3) for v in at["waci"]],
        t("fe.col.quality"): [_num(v, 2) for v in at["quality"]],
        t("fe.col.type"): [i18n.label("inst_type", names.loc[i, "inst_type"], lang) for i in at["group"]],
    })


def type_table(by_type: pd.DataFrame, period: dt.date, lang: str) -> pd.DataFrame:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    at = by_type[by_type["period"] == period].sort_values("financed_t", ascending=False)
    return pd.DataFrame({
        t("fe.col.type"): [i18n.label("inst_type", g, lang) for g in at["group"]],
        t("fe.col.balance"): [_num(b * YI, 2) for b in at["balance"]],
        t("fe.col.financed"): [_num(v, 0) for v in at["financed_t"]],
        t("fe.col.green"): [_num(v, 0) for v in at["green_financed_t"]],
        t("fe.col.intensity"): [_num(v, 0) for v in at["intensity_t_per_yi"]],
        t("fe.col.waci"): [_num(v, 3) for v in at["waci"]],
        t("fe.col.quality"): [_num(v, 2) for v in at["quality"]],
    })


def trend_figure(lines: dict[str, pd.Series], *, who: str, change: float | None, rate: float | None, base_year: int,
                 lang: str, subtitle: str, source: str, period: dt.date, colors: dict[str, str] | None = None,
                 mark: str = "", one_institution: bool = False):
    """Financed-emissions intensity (tCO2 per 亿元) at each December and the chosen month, one line per group (the
    first is `who`, whose figure the title gives), with the pace the park's emissions must keep from the base year's
    December, drawn from `who`'s value then (dashed; for `one_institution`, its reference line). `mark` says
    when the 2030 target behind the pace is an assumption."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    lines = {name: s[[p.month == 12 or p == period for p in s.index]] for name, s in lines.items()}  # the year ends and now
    own = lines[who]
    base = dt.date(base_year, 12, 1)
    path_name = None
    if rate is not None and base in own.index and period > base:
        points = [p for p in own.index if p >= base]
        path_name = t("fe.trend.path_own" if one_institution else "fe.trend.path", year=base_year, rate=change_words(rate, lang))
        lines[path_name] = pd.Series([own[base] * (1 + rate) ** ((p.year - base.year) + (p.month - 12) / 12) for p in points],
                                     index=points)
    now = own.get(period)
    title = t("fe.trend.title", who=who, value="—" if now is None or pd.isna(now) else f"{now:,.0f}",
              change=change_words(change, lang), mark=mark,
              rate="—" if rate is None else change_words(rate, lang))
    return charts.build_lines_figure(lines, dashed=path_name, unit=f"tCO2/{t('fe.unit.yi')}", title=title,
                                     subtitle=subtitle, source=source, colors=colors)


def quality_table(rows: pd.DataFrame, enterprises: pd.DataFrame, period: dt.date, lang: str,
                  only: int | None = None) -> pd.DataFrame:
    """Per borrower at `period`: its PCAF score and why, the emissions, the accounts year and the financed share
    (of the institution `only`, or of every lender)."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    at = rows[rows["period"] == period]
    if only is not None:
        at = at[at["institution_id"] == only]
    if at.empty:
        return pd.DataFrame()
    g = at.groupby("enterprise_id").agg(score=("score", "first"), reason=("reason", "first"), emissions_t=("emissions_t", "first"),
                                        accounts_year=("accounts_year", "first"), attribution=("attribution", "sum"),
                                        financed_t=("financed_t", "sum")).reset_index()
    g = g.merge(enterprises[["id", "name", "sector"]], left_on="enterprise_id", right_on="id").sort_values(
        ["score", "financed_t"], ascending=[False, False])
    return pd.DataFrame({
        t("fe.col.borrower"): [charts.plain(n) for n in g["name"]],
        t("fe.col.sector"): [i18n.label("sector", s, lang) for s in g["sector"]],
        t("fe.col.score"): g["score"].astype(int).to_numpy(),
        t("fe.col.reason"): [t(f"fe.reason.{r}") for r in g["reason"]],
        t("fe.col.emissions"): [_num(v, 0) for v in g["emissions_t"]],
        t("fe.col.accounts_year"): ["—" if pd.isna(y) else str(int(y)) for y in g["accounts_year"]],
        t("fe.col.attribution"): [pct(a, 2) for a in g["attribution"]],
        t("fe.col.financed"): [_num(v, 0) for v in g["financed_t"]],
    })


def disclosure_sheets(by_inst: pd.DataFrame, institutions: pd.DataFrame, reductions: pd.DataFrame, period: dt.date,
                      lang: str, *, only: int | None = None) -> dict[str, pd.DataFrame]:
    """The environmental disclosure table of JR/T 0227-2021 (投融资活动的环境影响) per institution at `period`, and a
    sheet with the method: what each column means and where it comes from."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    at = by_inst[by_inst["period"] == period]
    if only is not None:
        at = at[at["group"] == only]
    names = institutions.set_index("id")
    cut = reductions.set_index("institution_id")["reduction_t"] if not reductions.empty else pd.Series(dtype=float)
    table = pd.DataFrame({
        t("fe.col.institution"): [names.loc[i, "name"] for i in at["group"]],
        t("fe.col.code"): [names.loc[i, "code"] for i in at["group"]],
        t("fe.col.period"): f"{period:%Y-%m}",
        t("fe.col.balance"): [_num(b * YI, 2) for b in at["balance"]],
        t("fe.col.financed"): [_num(v, 0) for v in at["financed_t"]],
        t("fe.col.green"): [_num(v, 0) for v in at["green_financed_t"]],
        t("fe.col.other"): [_num(v, 0) for v in at["other_financed_t"]],
        t("fe.col.intensity"): [_num(v, 1) for v in at["intensity_t_per_yi"]],
        t("fe.col.waci"): [_num(v, 3) for v in at["waci"]],
        t("fe.col.reduction"): [_num(cut.get(i), 0) for i in at["group"]],  # blank, not 0, where none was reported
        t("fe.col.quality"): [_num(v, 2) for v in at["quality"]],
        **{t("fe.col.score_share", score=s): [_num(v * 100, 1) for v in at[f"share_score_{s}"]] for s in range(1, 6)},
    })
    method = pd.DataFrame({t("fe.col.item"): [t(f"fe.method.{k}.name") for k in METHOD_ITEMS],
                           t("fe.col.definition"): [t(f"fe.method.{k}") for k in METHOD_ITEMS]})
    return {t("fe.sheet.table"): table, t("fe.sheet.method"): method}


METHOD_ITEMS = ("standard", "attribution", "green", "intensity", "waci", "reduction", "quality", "assumptions")


def park_pace(monthly: pd.DataFrame, targets: pd.DataFrame, park) -> tuple[int, float | None, bool]:
    """The park's base year, the yearly change its emissions must keep to reach the 2030 target
    (`financed.required_rate` from the 12 months to the base year's December; None without a target) and whether
    that target is an assumption."""
    base_year = int(park["base_year"])
    t = targets[targets["indicator"] == "total_emissions"] if not targets.empty else targets
    if t is None or t.empty or "total_emissions_t12" not in monthly.columns:
        return base_year, None, False
    row = t.sort_values("year").iloc[-1]
    base = monthly["total_emissions_t12"].get(dt.date(base_year, 12, 1))
    rate = financed.required_rate(None if base is None or pd.isna(base) else float(base), float(row["value"]), base_year,
                                  int(row["year"]))
    return base_year, rate, bool(row["is_assumption"])
