"""Tables, figure and workbook of the 碳价压力测试 page (no Streamlit). Money in 万元 shows in 亿元 (exposures) and 万元
(a borrower's cost, EBIT and interest)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, i18n, stress
from dashboard.finance_views import YI, pct
from dashboard.financed_views import _num


def scenario_name(code: str, lang: str) -> str:
    return i18n.t(f"sx.preset.{code}", lang)


def saved_label(row, lang: str) -> str:
    """A saved scenario as the path list shows it: its name, marked when it is the park's central one."""
    return i18n.t("sx.saved_central" if row["is_central"] else "sx.saved", lang, name=row["name"])


def path_figure(paths: dict[str, pd.DataFrame], *, chosen: str, lang: str, subtitle: str, source: str):
    """The park's exposure to stressed borrowers (% of its book) in each year, a bar per price path."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    groups = {name: pd.Series((df["share"] * 100).to_numpy(), index=[str(int(y)) for y in df["year"]]) for name, df in paths.items()}
    last = paths[chosen].iloc[-1]
    title = t("sx.path.title", year=int(last["year"]), share=pct(last["share"]), new=int(last["n_new"]),
              before=int(last["n_stressed"] - last["n_new"]), name=chosen)
    return charts.build_grouped_bars_figure(groups, unit=t("sx.axis"), title=title, subtitle=subtitle, source=source)


def exposure_table(exposure: pd.DataFrame, institutions: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    names = institutions.set_index("id")
    return pd.DataFrame({
        t("fe.col.institution"): [names.loc[i, "short_name"] for i in exposure["institution_id"]],
        t("fe.col.type"): [i18n.label("inst_type", names.loc[i, "inst_type"], lang) for i in exposure["institution_id"]],
        t("fe.col.balance"): [_num(b * YI, 2) for b in exposure["balance"]],
        t("sx.col.exposure"): [_num(b * YI, 2) for b in exposure["exposure"]],
        t("sx.col.share"): [_num(s * 100, 1) for s in exposure["share"]],
        t("sx.col.new_exposure"): [_num(b * YI, 2) for b in exposure["new_exposure"]],
        t("sx.col.unassessed"): [_num(b * YI, 2) for b in exposure["unassessed"]],
    })


def borrower_table(borrowers: pd.DataFrame, enterprises: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The stressed borrowers, newly stressed first, then by cover after the price."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    b = borrowers[borrowers["stressed"]].merge(enterprises[["id", "name", "sector"]], left_on="enterprise_id", right_on="id")
    b = b.sort_values(["newly_stressed", "icr_after"], ascending=[False, True])
    return pd.DataFrame({
        t("fe.col.borrower"): [charts.plain(n) for n in b["name"]],
        t("fe.col.sector"): [i18n.label("sector", s, lang) for s in b["sector"]],
        t("fe.col.emissions"): [_num(v, 0) for v in b["emissions_t"]],
        t("sx.col.cost"): [_num(v, 1) for v in b["extra_cost"]],
        t("sx.col.ebit"): [_num(v, 1) for v in b["ebit"]],
        t("sx.col.interest"): [_num(v, 1) for v in b["interest_expense"]],
        t("sx.col.icr_before"): [_num(v, 2) for v in b["icr_before"]],
        t("sx.col.icr_after"): [_num(v, 2) for v in b["icr_after"]],
        t("sx.col.newly"): [t("sx.yes") if n else t("sx.no") for n in b["newly_stressed"]],
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

    name = saved_label({"name": scenario["name"], "is_central": True}, lang)
    sub = subtitle(lang, i18n.t("sx.subtitle", lang, share=pct(scenario["covered_share"], 0),
                                threshold=f"{scenario['threshold']:.1f}"), period, end)
    return path_figure({name: path}, chosen=name, lang=lang, subtitle=f"{park} · {sub}", source=i18n.t("sx.source", lang))
