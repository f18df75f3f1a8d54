"""Titled figures and tables of the energy-carbon pages: numbers in, finished figure or table out (no Streamlit).

Each figure title states the finding in words a leader can read aloud; the subtitle gives park, window
and the date the data runs to; the source line closes it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, finance_views, i18n, lmdi
from dashboard.energy import compute_target_path
from dashboard.indicators import INDICATORS, core_band, trailing_label
from dashboard.overview import compute_change
from data_access.reference import reference_value


class View:
    """Language, park name, chosen month and data end: what every title and subtitle needs."""

    def __init__(self, lang: str, park_name: str, period: dt.date, data_end: dt.date | None):
        self.lang, self.park_name, self.period, self.data_end = lang, park_name, period, data_end

    def t(self, key: str, **kw) -> str:
        return i18n.t(key, self.lang, **kw)

    def subtitle(self, window: str | None = None) -> str:
        return self.t("en.subtitle", park=self.park_name, window=window or trailing_label(self.period, self.lang),
                      end=self.data_end.isoformat() if self.data_end else "—")

    @property
    def source(self) -> str:
        return self.t("en.source")


def _at(series: pd.Series, period: dt.date):
    v = series.get(period)
    return None if v is None or pd.isna(v) else float(v)


def green_share_figure(monthly: pd.DataFrame, v: View):
    value = _at(monthly["green_power_share_t12"], v.period)
    prev = _at(monthly["green_power_share_t12"], v.period.replace(year=v.period.year - 1))
    change = compute_change(INDICATORS["green_power_share"], value, prev)
    change_text = "—" if change is None else f"{change:+.1f}{i18n.t('unit.pp', v.lang)}"
    title = v.t("en.green.title", value=f"{(value or 0) * 100:.1f}", change=change_text)
    shown = monthly[monthly.index <= v.period]
    return charts.build_green_share_figure(shown, title=title, subtitle=v.subtitle(), source=v.source,
                                           names={"month": v.t("en.green.month"), "t12": v.t("en.green.t12")})


def trajectory_figure(monthly: pd.DataFrame, targets: pd.DataFrame, v: View, *, base_year: int, target_year: int):
    actual = monthly["total_emissions_t12"][monthly.index <= v.period]
    value = _at(actual, v.period)
    em = INDICATORS["total_emissions"]  # 万吨CO2 for Chinese readers, kt CO2 for English ones
    fmt = lambda x: em.format(x or 0, v.lang, with_unit=False)  # noqa: E731
    t = targets[targets["indicator"] == "total_emissions"] if not targets.empty else targets
    path = pd.DataFrame(columns=["period", "path"])
    if t is not None and not t.empty:
        row = t.sort_values("year").iloc[-1]
        path = compute_target_path(actual, float(row["value"]), base_year=base_year, target_year=int(row["year"]))
        mark = i18n.t("ov.target_assumption", v.lang) if row["is_assumption"] else ""
        path_name = v.t("en.traj.path", base=base_year, year=int(row["year"]), target=fmt(float(row["value"])), mark=mark)
        on_path = path.set_index("period")["path"].get(v.period)
        if v.period < dt.date(base_year, 12, 1):  # as on the overview: before the base year's end, not judged
            title = v.t("en.traj.title_before_base", value=fmt(value), base=base_year)
        elif on_path is not None and value is not None and value > on_path:
            title = v.t("en.traj.title_behind", value=fmt(value), gap=fmt(value - on_path))
        else:
            title = v.t("en.traj.title_ok", value=fmt(value))
    else:
        path_name = ""
        title = v.t("en.traj.title_no_target", value=fmt(value))
    names = {"actual": v.t("en.traj.actual"), "path": path_name, "gap": v.t("en.traj.gap")}
    return charts.build_trajectory_figure(actual, path, title=title, subtitle=v.subtitle(), source=v.source, names=names,
                                          scale=em.scale_for(v.lang), unit=em.unit(v.lang))


def core_threshold(monthly: pd.DataFrame, period: dt.date) -> tuple[float | None, str]:
    """The national threshold for the park's band and the band's code (`indicators.core_band`)."""
    threshold, band, _energy = core_band(monthly, period)
    return threshold, band


def core_indicator_figure(monthly: pd.DataFrame, v: View, method_label: str):
    threshold, _band = core_threshold(monthly, v.period)
    value = _at(monthly["carbon_per_energy_t12"], v.period)
    th_text = f"≤{threshold}" if threshold is not None else v.t("en.core.no_threshold")
    title = v.t("en.core.title", value=f"{(value or 0):.2f}", threshold=th_text)
    series = monthly["carbon_per_energy_t12"][monthly.index <= v.period]
    return charts.build_line_with_threshold_figure(
        series, threshold, title=title, subtitle=f"{v.subtitle()} · {method_label}", source=v.source,
        name=v.t("en.core.name"), threshold_name=v.t("en.core.threshold", value=th_text), unit="tCO2/tce")


def clean_share_figure(monthly: pd.DataFrame, v: View):
    value = _at(monthly["clean_energy_share_t12"], v.period)
    series = monthly["clean_energy_share_t12"][monthly.index <= v.period]
    return charts.build_line_with_threshold_figure(
        series, reference_value("clean_energy_share_guide").value, title=v.t("en.clean.title", value=f"{(value or 0) * 100:.1f}"), subtitle=v.subtitle(), source=v.source,
        name=v.t("en.clean.name"), threshold_name=v.t("en.clean.guide"), scale=100, unit="%", decimals=1)


def breakdown_figure(breakdown: pd.DataFrame, v: View, by: str):
    kind = "sector" if by == "sector" else "enterprise_class"
    labels = {g: i18n.label(kind, g, v.lang) for g in breakdown["group"]}
    top = breakdown.iloc[0]
    title = v.t("en.breakdown.sector" if by == "sector" else "en.breakdown.class", top=labels[top["group"]],
                share=f"{top['share'] * 100:.1f}")
    return charts.build_breakdown_figure(breakdown, labels=labels, colors=None, title=title, subtitle=v.subtitle(),
                                         source=v.source, unit=i18n.unit("co2", v.lang), scale=i18n.scale("co2", v.lang))


def ranking_table(df: pd.DataFrame, lang: str, *, with_change: bool) -> pd.DataFrame:
    """Top emitters or improvers for display, columns in the UI language, tCO2 rounded."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    out = pd.DataFrame({
        t("en.col.name"): df["name"],
        t("en.col.sector"): [i18n.label("sector", s, lang) for s in df["sector"]],
        t("en.col.emissions"): df["emissions_t"].round(0),
    })
    if with_change:
        out[t("en.col.prev")] = df["emissions_prev_t"].round(0)
        out[t("en.col.change")] = df["change_t"].round(0)
        out[t("en.col.change_pct")] = df["change_pct"].round(1)
    else:
        out[t("en.col.share")] = (df["share"] * 100).round(1)
    return out


def map_points(trailing: pd.DataFrame, efficiency: pd.DataFrame, enterprises: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per enterprise with position, 12-month emissions, grade and tooltip fields."""
    df = enterprises.merge(trailing[["enterprise_id", "emissions_t"]], left_on="id", right_on="enterprise_id", how="left")
    df = df.merge(efficiency[["enterprise_id", "grade"]], left_on="id", right_on="enterprise_id", how="left", suffixes=("", "_g"))
    df = df.dropna(subset=["lat", "lon"]).assign(emissions_t=lambda d: d["emissions_t"].fillna(0.0))
    return pd.DataFrame({
        "lon": df["lon"], "lat": df["lat"], "emissions_t": df["emissions_t"], "grade": df["grade"],
        "name": [charts.plain(n) for n in df["name"]], "sector_label": [i18n.label("sector", s, lang) for s in df["sector"]],
        "emissions_text": [f"{v:,.0f}" for v in df["emissions_t"]],
        "grade_text": ["—" if pd.isna(g) else str(int(g)) for g in df["grade"]],
    })


def live_figure(hourly: pd.DataFrame, v: View, day: dt.date, now: dt.datetime, seconds: int):
    names = {"load": v.t("en.live.load"), "own": v.t("en.live.own"), "direct": v.t("en.live.direct"),
             "share": v.t("en.live.share")}
    return charts.build_live_figure(
        # "Live" only for today's readings; an older day is named as the latest day with data.
        hourly, title=v.t("en.live.title" if day == now.date() else "en.live.title_last", day=day.isoformat(), seconds=seconds),
        subtitle=v.t("en.live.subtitle", park=v.park_name, day=day.isoformat(), now=f"{now:%H:%M:%S}"), source=v.source,
        names=names)


def loans_table(loans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An enterprise's loans for display; carbon-linked terms spelled out."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731

    def carbon(row) -> str:
        if row["carbon_linked"]:
            return t("ca.linked", target=row["carbon_target_intensity"], bp=f"{row['rate_discount_bp']:.0f}")
        return i18n.label("carbon_product", row["carbon_product"], lang) if row["carbon_product"] else ""

    return finance_views.loans_table(loans, lang, borrower=False, amount=True, carbon=[carbon(r) for _, r in loans.iterrows()])


def footprint_sentence(result: dict | None, lang: str) -> str:
    """One sentence: did the footprint improve since the first green loan?"""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    if result is None:
        return t("ca.footprint.no_green")
    first = result["first_green_loan"].isoformat()
    if not result["comparable"]:
        return t("ca.footprint.not_comparable", first=first)
    if "intensity_change_pct" in result:
        y0, y1 = result["intensity_years"]
        what = t("ca.footprint.intensity", y0=y0, y1=y1, i0=f"{result['intensity_before']:.3f}",
                 i1=f"{result['intensity_latest']:.3f}", pct=f"{result['intensity_change_pct']:+.1f}%")
    else:
        what = t("ca.footprint.emissions", e0=f"{result['emissions_before_t']:,.0f}", e1=f"{result['emissions_latest_t']:,.0f}",
                 pct=f"{result['emissions_change_pct']:+.1f}%")
    return t("ca.footprint.improved" if result["improved"] else "ca.footprint.worse", first=first, what=what)


def method_comparison_table(monthly_by_method: dict[str, pd.DataFrame], period: dt.date, in_force: str, lang: str) -> pd.DataFrame:
    """The core indicator under both electricity conversion methods at `period`: 12-month energy use, the
    indicator, the band it puts the park in and that band's national threshold; the park's own setting marked."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    rows = []
    for method, monthly in monthly_by_method.items():
        threshold, band, energy = core_band(monthly, period)
        value = _at(monthly["carbon_per_energy_t12"], period) if "carbon_per_energy_t12" in monthly.columns else None
        rows.append({
            t("ind.m.method"): t(f"app.method.{method}"),
            t("ind.m.basis"): t(f"ind.m.basis.{method}"),
            t("ind.m.energy"): "—" if energy is None else INDICATORS["total_energy"].format(energy, lang, with_unit=False),
            t("ind.m.value"): "—" if value is None else f"{value:.2f}",
            t("ind.m.band"): t(f"en.band.{band}"),
            t("ind.m.threshold"): "—" if threshold is None else f"≤{threshold}",
            t("ind.m.in_force"): t("ind.m.yes") if method == in_force else "",
        })
    return pd.DataFrame(rows)


def benchmark_note(eff: pd.Series, sector: str, lang: str) -> str:
    """Which benchmark an enterprise's carbon grade was measured against, and why."""
    name = i18n.label("sector", sector, lang)
    if eff["benchmark_kind"] == "park_sector":
        return i18n.t("ca.bench.park", lang, sector=name, n=int(eff["sector_members"]), value=f"{eff['benchmark']:.3f}")
    return i18n.t("ca.bench.national", lang, sector=name, n=int(eff["sector_members"]), value=f"{eff['benchmark']:.3f}")


# --- why emissions moved (LMDI) ------------------------------------------------------------------------------

ALWAYS_SHOWN = ("output", "structure", "intensity", "mix", "green_power", "grid_factor")  # the rest only when not 0


def drivers_decimals(lang: str) -> int:
    return 2 if lang == "zh" else 1  # 万吨 to 0.01, kt to 0.1: the same 100 t either way


def rounded_effects(dec: lmdi.Decomposition, lang: str) -> pd.Series:
    """Every effect in the reader's unit (万吨CO2 / kt CO2), by code, rounded as printed so that the parts add up to
    the printed net change (largest remainder)."""
    codes = [*lmdi.EFFECTS, "uncovered"]
    values = pd.Series([dec.effects[e] * i18n.scale("co2", lang) for e in codes], index=codes)
    return charts.round_to_total(values, drivers_decimals(lang))


def drivers_effects(dec: lmdi.Decomposition, lang: str) -> pd.Series:
    """The effects as printed (`rounded_effects`), labelled, in chain order; a structure effect only for the whole
    park, fuel factors and enterprises without value added only when they are not 0."""
    rounded = rounded_effects(dec, lang)
    shown = [e for e in rounded.index
             if (e in ALWAYS_SHOWN and not (e == "structure" and dec.sector)) or rounded[e] != 0]
    return pd.Series([rounded[e] for e in shown], index=[i18n.t(f"lmdi.effect.{e}", lang) for e in shown])


def _largest(dec: lmdi.Decomposition) -> str:
    """The effect that moved emissions most in the direction they moved."""
    effects = dec.effects
    return str((effects.idxmin() if dec.change_t < 0 else effects.idxmax()))


def drivers_figure(dec: lmdi.Decomposition, v: View, *, scope_label: str, method_label: str):
    lang, unit, decimals = v.lang, i18n.unit("co2", v.lang), drivers_decimals(v.lang)
    scale = i18n.scale("co2", lang)
    fmt = lambda x: f"{x * scale:,.{decimals}f}"  # noqa: E731
    driver = _largest(dec)
    subject = scope_label if dec.sector else v.t("lmdi.subject_park")
    title = v.t("lmdi.title_fall" if round(dec.change_t * scale, decimals) < 0 else "lmdi.title_rise", y0=dec.year0,
                y1=dec.year1, subject=subject, change=fmt(abs(dec.change_t)), unit=unit,
                driver=v.t(f"lmdi.effect.{driver}") if lang == "zh" else v.t(f"lmdi.effect.{driver}").lower(), value=charts.signed(dec.effects[driver] * scale, decimals))
    subtitle = v.t("lmdi.subtitle", scope=f"{v.park_name} · {scope_label}" if dec.sector else v.park_name, y0=dec.year0,
                   e0=fmt(dec.start_t), y1=dec.year1, e1=fmt(dec.end_t), unit=unit, n=dec.n_enterprises, method=method_label,
                   end=v.data_end.isoformat() if v.data_end else "—")
    return charts.build_change_waterfall_figure(drivers_effects(dec, lang), total_label=v.t("lmdi.total"), unit=unit,
                                                title=title, subtitle=subtitle, source=v.source, decimals=decimals)


def grid_factor_fixed(dec: lmdi.Decomposition) -> bool:
    """Whether the grid factor's effect is nil: both years carry the same factor, so its 0 is the method, not news."""
    return abs(dec.effects["grid_factor"]) < 1e-6 * max(abs(dec.start_t), 1.0)


def drivers_table(dec: lmdi.Decomposition, lang: str) -> pd.DataFrame:
    """The effects as a table: factor, contribution in the reader's unit and as a share of the first year's
    emissions (%), the net change last."""
    effects = drivers_effects(dec, lang)
    decimals, unit = drivers_decimals(lang), i18n.unit("co2", lang)
    rows = pd.concat([effects, pd.Series([effects.sum()], index=[i18n.t("lmdi.total", lang)])])
    start = dec.start_t * i18n.scale("co2", lang)
    share = rows / start * 100 if start else rows * float("nan")  # of the first year's emissions: signs read as they are
    return pd.DataFrame({i18n.t("lmdi.col.effect", lang): rows.index,
                         i18n.t("lmdi.col.value", lang, unit=unit): rows.round(decimals).to_numpy() + 0.0,
                         i18n.t("lmdi.col.share", lang, year=dec.year0): share.round(1).to_numpy() + 0.0})


def drivers_sentence(dec: lmdi.Decomposition, lang: str) -> str:
    """The briefing's lines on why emissions moved: "2025年全年园区碳排放165.25万吨CO2，较2024年下降3.55万吨
    （−2.1%）。按因素分解（LMDI），绿电减少排放14.75万吨、…", the effects largest first, those that print as 0 left
    out; the parts are the figure's bars as printed. A whole year, so it is not read as the 12 months above it."""
    scale, decimals = i18n.scale("co2", lang), drivers_decimals(lang)
    parts = sorted(((e, v) for e, v in rounded_effects(dec, lang).items() if v != 0), key=lambda p: -abs(p[1]))
    text = ("、" if lang == "zh" else ", ").join(
        i18n.t("lmdi.part", lang, name=i18n.t(f"lmdi.effect.{e}", lang) if lang == "zh" else i18n.t(f"lmdi.effect.{e}", lang).lower(),
               verb=i18n.t("lmdi.part_more" if value > 0 else "lmdi.part_less", lang), value=f"{abs(value):,.{decimals}f}")
        for e, value in parts)
    change = round(dec.change_t * scale, decimals)
    pct = charts.signed(dec.change_t / dec.start_t * 100, 1) if dec.start_t else "—"
    return i18n.t("br.s.lmdi", lang, y0=dec.year0, y1=dec.year1, change=f"{abs(change):,.{decimals}f}",
                  e1=f"{dec.end_t * scale:,.{decimals}f}", pct=pct,
                  verb=i18n.t("br.lmdi_more" if change >= 0 else "br.lmdi_less", lang), parts=text)
