"""Tables, figure and workbook of the 碳价压力测试 page (no Streamlit). Money in 万元 shows in 亿元 (exposures) and 万元
(a borrower's cost, EBIT and interest)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n, stress
from dashboard.finance_views import YI, pct
from dashboard.financed_views import _num


def scenario_name(code: str, lang: str) -> str:
    return i18n.t(f"sx.preset.{code}", lang)


def saved_label(row, lang: str) -> str:
    """A saved scenario as the path list shows it: its name, marked when it is the park's central one."""
    return i18n.t("sx.saved_central" if row["is_central"] else "sx.saved", lang, name=row["name"])


def path_figure(paths: dict[str, pd.DataFrame], *, chosen: str, lang: str, subtitle: str, source: str):
    """The park's exposure to stressed borrowers (% of its book) in each year, a bar per price path: the part weak
    without any price in a light tint of the path's colour, the part the price itself adds in full colour, the total
    printed on top; the legend shows the light tint where the path has one. The title leads with what the price adds
    on the chosen path."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    last = paths[chosen].iloc[-1]
    before = int(last["n_stressed"] - last["n_new"])
    key = "sx.path.title_none" if not last["n_new"] else "sx.path.title_new" if before else "sx.path.title_new_only"
    title = t(key, year=int(last["year"]), share=pct(last["share"]), new=int(last["n_new"]), new_share=pct(last["new_share"]),
              before=before, name=chosen)
    fig = go.Figure()
    palette = iter(charts.SERIES_COLORS)
    top, any_light, any_dark = 0.0, False, False
    for name, df in paths.items():
        color, years = next(palette), [str(int(y)) for y in df["year"]]
        weak, added = (df["share"] - df["new_share"]) * 100, df["new_share"] * 100
        top = max(top, float((df["share"] * 100).max()))
        light = bool((weak > 0).any())  # the legend shows the tint the bars have: light where any is weak without a price
        any_light, any_dark = any_light or light, any_dark or bool((added > 0).any())
        fig.add_bar(x=years, y=weak, offsetgroup=name, marker_color=charts.tint(color, 0.35), name=name, legendgroup=name,
                    showlegend=light, hovertemplate=f"{name} · %{{x}}: " + t("sx.hover.weak") + " %{y:.1f}%<extra></extra>")
        fig.add_bar(x=years, y=added, base=weak, offsetgroup=name, marker_color=color, name=name, legendgroup=name,
                    showlegend=not light,
                    text=[f"{v:.1f}" for v in df["share"] * 100], textposition="outside", cliponaxis=False,
                    hovertemplate=f"{name} · %{{x}}: " + t("sx.hover.added") + " %{y:.1f}%<extra></extra>")
    fig.update_layout(barmode="group", legend=charts.LEGEND, showlegend=len(paths) > 1)
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t("sx.axis"), gridcolor="#EEEEEE", range=[0, top * 1.18 if top > 0 else 1])
    if any_light and any_dark:  # both tints on the chart: say which is which
        subtitle = f"{subtitle} · {t('sx.shades')}"
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=400)


def prices_table(paths: dict[str, dict[int, float]], lang: str) -> pd.DataFrame:
    """The price of each path in each year (元/吨), a row per path: every path the chart draws, in numbers."""
    years = sorted({y for prices in paths.values() for y in prices})
    return pd.DataFrame([{i18n.t("sx.param.path", lang): name, **{str(y): f"{prices[y]:,.0f}" for y in years}}
                         for name, prices in paths.items()])


def kpis(borrowers: pd.DataFrame, exposure: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """The tiles after the price: what the price itself pushes under (count and outstanding), what was weak without
    it, all stressed as a share of the park's book, and what could not be tested for want of accounts."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    weak = borrowers["stressed"] & ~borrowers["newly_stressed"]
    balance = float(exposure["balance"].sum())
    both = lambda n, amount: t("sx.m.count_amount", n=int(n), amount=i18n.amount(amount, "yi", lang, 2))  # noqa: E731
    return [(t("sx.m.new"), both(borrowers["newly_stressed"].sum(), exposure["new_exposure"].sum())),
            (t("sx.m.weak"), both(weak.sum(), exposure["exposure"].sum() - exposure["new_exposure"].sum())),
            (t("sx.m.share"), pct(exposure["exposure"].sum() / balance if balance else None)),
            (t("sx.m.unassessed"), both((~borrowers["assessed"]).sum(), exposure["unassessed"].sum()))]


def exposure_table(exposure: pd.DataFrame, institutions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each institution's exposure and, after it, the part the price adds; the untested outstanding beside them."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    names = institutions.set_index("id")
    return pd.DataFrame({
        t("fe.col.institution"): [names.loc[i, "short_name"] for i in exposure["institution_id"]],
        t("sx.col.exposure"): [_num(b * YI, 2) for b in exposure["exposure"]],
        t("sx.col.new_exposure"): [_num(b * YI, 2) for b in exposure["new_exposure"]],
        t("sx.col.share"): [_num(s * 100, 1) for s in exposure["share"]],
        t("sx.col.unassessed"): [_num(b * YI, 2) for b in exposure["unassessed"]],
        t("fe.col.balance"): [_num(b * YI, 2) for b in exposure["balance"]],
        t("fe.col.type"): [i18n.label("inst_type", names.loc[i, "inst_type"], lang) for i in exposure["institution_id"]],
    })


def borrower_table(borrowers: pd.DataFrame, enterprises: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The stressed borrowers, newly stressed first, then by cover after the price; why each is listed comes first."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    b = borrowers[borrowers["stressed"]].merge(enterprises[["id", "name", "sector"]], left_on="enterprise_id", right_on="id")
    b = b.sort_values(["newly_stressed", "icr_after"], ascending=[False, True])
    return pd.DataFrame({
        t("fe.col.borrower"): [charts.plain(n) for n in b["name"]],
        t("sx.col.newly"): [t("sx.yes") if n else t("sx.no") for n in b["newly_stressed"]],
        t("sx.col.icr_before"): [_num(v, 2) for v in b["icr_before"]],
        t("sx.col.icr_after"): [_num(v, 2) for v in b["icr_after"]],
        t("sx.col.cost"): [_num(v, 1) for v in b["extra_cost"]],
        t("sx.col.ebit"): [_num(v, 1) for v in b["ebit"]],
        t("sx.col.interest"): [_num(v, 1) for v in b["interest_expense"]],
        t("fe.col.emissions"): [_num(v, 0) for v in b["emissions_t"]],
        t("fe.col.sector"): [i18n.label("sector", s, lang) for s in b["sector"]],
    })


def parameters_table(scenario: stress.Scenario, name: str, year: int, lang: str) -> pd.DataFrame:
    """The inputs of a run, each marked as the assumption it is, for the workbook."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    rows = [(t("sx.param.path"), name, t("sx.assumption"))]
    rows += [(t("sx.param.price", year=y), f"{p:,.0f}", t("sx.assumption")) for y, p in sorted(scenario.prices.items())]
    rows += [(t("sx.param.share"), pct(scenario.covered_share, 0), t("sx.assumption")),
             (t("sx.param.threshold"), f"{scenario.threshold:.2f}", t("sx.assumption")),
             (t("sx.param.year"), str(year), "")]
    return pd.DataFrame(rows, columns=[t("fe.col.item"), t("sx.col.value"), t("sx.col.status")])


def screen_figure(scenario: dict, path: pd.DataFrame, *, lang: str, park: str, period: dt.date, end: dt.date | None):
    """The big screen's chart of the park's central scenario: its exposure share along the price path."""
    from dashboard.finance_views import subtitle

    name = i18n.t("sx.saved_screen", lang, name=scenario["name"])
    sub = subtitle(lang, i18n.t("sx.subtitle", lang, share=pct(scenario["covered_share"], 0),
                                threshold=f"{scenario['threshold']:.1f}"), period, end)
    fig = path_figure({name: path}, chosen=name, lang=lang, subtitle=f"{park} · {sub}", source=i18n.t("sx.source", lang))
    fig.update_yaxes(title="%")  # the title says of what; the long axis title ran into the subtitle at 1366x768
    return fig
