"""render_* helpers: the only functions outside pages that call Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import charts, i18n
from dashboard.indicators import trailing_label
from dashboard.overview import Kpi
from dashboard.publication import end_of_month, suppressed_key  # noqa: F401 - pages call ui.end_of_month
from data_access.auth import User
from data_access.scope import Scope


@dataclass(frozen=True)
class PageContext:
    """What the shell chose for every page: language, park, month, conversion method, database."""

    lang: str
    url: str
    version: str
    park: pd.Series
    period: dt.date
    method: str
    data_end: dict
    user: User
    scope: Scope

    @property
    def park_id(self) -> int:
        return int(self.park["id"])

    @property
    def park_name(self) -> str:
        return str(self.park["name_zh"] if self.lang == "zh" else self.park["name_en"])

    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)


def fmt_date(d: dt.date | None, lang: str) -> str:
    return d.isoformat() if d else i18n.t("app.no_data_date", lang)


def render_demo_mark(lang: str) -> None:
    st.markdown(
        f"<div data-testid='demo-mark' style='background:#FFF4CE;border:1px solid #E69F00;border-radius:6px;"
        f"padding:4px 10px;font-weight:600;color:#7A4D00'>⚠ {i18n.t('app.demo_mark', lang)}</div>",
        unsafe_allow_html=True,
    )


def render_data_end(ctx: PageContext) -> None:
    st.caption(ctx.t("app.data_end", energy=fmt_date(ctx.data_end.get("energy"), ctx.lang),
                     credit=fmt_date(ctx.data_end.get("credit"), ctx.lang)))


def _change_text(kpi: Kpi, lang: str) -> str:
    ind = kpi.indicator
    if kpi.change is None:
        return i18n.t("ov.no_change", lang)
    if ind.change == "pp":
        change = f"{kpi.change:+.1f}{i18n.t('unit.pp', lang)}"
    elif ind.change == "pct":
        change = f"{kpi.change:+.1f}%"
    else:
        change = f"{kpi.change:+.0f}"
    key = "ov.yoy" if ind.code == "green_loan_balance" else "ov.vs_last_year"
    return i18n.t(key, lang, change=change)


def metric_delta(change, text: str, *, better: str = "higher") -> dict:
    """`st.metric` arguments for a change shown as text ("同比 -48.6%"): Streamlit would draw an up arrow for any text
    not starting with '-'. The arrow follows the sign of `change` (none when zero or unknown); the colour says
    whether that direction is good for the indicator (`better`: higher or lower)."""
    if change is None or pd.isna(change) or abs(float(change)) < 5e-4:
        return {"delta": text, "delta_arrow": "off", "delta_color": "gray"}
    good = (change > 0) == (better == "higher")
    return {"delta": text, "delta_arrow": "up" if change > 0 else "down", "delta_color": "green" if good else "red"}


def render_kpi_card(kpi: Kpi, ctx: PageContext) -> None:
    """One KPI: name, value with unit and window, change against last year, target position, trend."""
    ind, lang = kpi.indicator, ctx.lang
    window = (ctx.t("ov.window_t12", window=trailing_label(kpi.period, lang)) if ind.window == "t12"
              else ctx.t("ov.window_end", period=f"{kpi.period:%Y-%m}"))
    with st.container(border=True, key=f"overview_kpi_{ind.code}"):
        name = ctx.t("ov.own_institution", name=ctx.t("kpi." + ind.code)) if kpi.extra.get("own_institution") else ctx.t("kpi." + ind.code)
        st.markdown(f"**{name}** · <span style='color:#555'>{window}</span>", unsafe_allow_html=True)
        if kpi.value is None:
            st.markdown(f"<div data-testid='kpi-value' data-kpi='{ind.code}' style='font-size:2rem'>—</div>",
                        unsafe_allow_html=True)
            st.caption(ctx.t(suppressed_key(ind.code)) if kpi.extra.get("suppressed") else ctx.t("ov.no_data"))
            definition_link(st, ind.code, ctx)
            return
        st.markdown(
            f"<div data-testid='kpi-value' data-kpi='{ind.code}' style='font-size:2rem;font-weight:700;line-height:1.2'>"
            f"{ind.format(kpi.value, lang, with_unit=False)} <span style='font-size:1rem;font-weight:400'>{ind.unit(lang)}</span></div>",
            unsafe_allow_html=True,
        )
        st.markdown(_change_text(kpi, lang))
        if kpi.target is not None:
            mark = ((ctx.t("ov.target_year_assumption") if kpi.target_assumption_part == "year" else ctx.t("ov.target_assumption"))
                    if kpi.target_is_assumption else "")
            st.markdown(f"{ctx.t('status.' + kpi.status)} · {ctx.t('ov.target', year=kpi.target_year, value=ind.format(kpi.target, lang))}{mark}")
            if kpi.required_now is not None and kpi.status == "behind":
                st.caption(ctx.t("ov.required_now", value=ind.format(kpi.required_now, lang)))
        else:
            st.markdown(ctx.t("status.no_target"))
        definition_link(st, ind.code, ctx)
        if len(kpi.trend) > 1:
            fig = charts.build_sparkline_figure(kpi.trend, scale=ind.scale_for(lang), decimals=ind.decimals, unit=ind.unit(lang),
                                                target=kpi.target)
            st.plotly_chart(fig, config={"displayModeBar": False}, key=f"overview_spark_{ind.code}")
            what = ctx.t("ov.trend_t12") if ind.window == "t12" else ctx.t("ov.trend_end")
            st.caption(ctx.t("ov.trend_caption", what=what, start=f"{kpi.trend.index[0]:%Y-%m}", end=f"{kpi.trend.index[-1]:%Y-%m}",
                             end_date=fmt_date(ctx.data_end.get("credit" if ind.code.startswith(("green_loan", "policy")) else "energy"), lang)))


def dataframe_download(df: pd.DataFrame, *, label: str, file_name: str, key: str) -> None:
    """CSV download with a BOM so Excel opens Chinese text correctly; formula-like cells are escaped."""
    from dashboard.exports import to_csv

    st.download_button(label, to_csv(df), file_name=file_name, mime="text/csv", key=key)


def excel_download(sheets: dict[str, pd.DataFrame], *, label: str, file_name: str, key: str) -> None:
    from dashboard.exports import to_excel

    st.download_button(label, to_excel(sheets), file_name=file_name, key=key,
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def render_table_section(heading: str, table: pd.DataFrame, *, empty_text: str, key: str) -> None:
    """A heading, then the table, or a sentence saying why there is nothing to show."""
    st.subheader(heading)
    if table is None or table.empty:
        st.info(empty_text)
    else:
        table_with_downloads(table, hide_index=True, key=key)


def table_with_downloads(df: pd.DataFrame, *, key: str, **kwargs):
    """st.dataframe plus CSV and Excel downloads of exactly what it shows, with formula-like cells escaped
    (the grid's own CSV export does not escape them). The files are made only when a button is pressed."""
    from dashboard.exports import escape_cells, to_csv, to_excel

    if isinstance(df, pd.DataFrame):
        df = escape_cells(df, strict=False)  # the grid's own "Download as CSV" then carries the escape too
    elif df is not None and hasattr(df, "data"):
        df.data = escape_cells(df.data, strict=False)  # a Styler: escape the frame it renders
    event = st.dataframe(df, key=key, **kwargs)
    if df is not None and not df.empty:
        frame = df.data if hasattr(df, "data") and not isinstance(df, pd.DataFrame) else df  # a Styler holds its frame
        row = st.container(horizontal=True)  # buttons as wide as their labels, however narrow the column
        row.download_button("⬇ CSV", data=lambda: to_csv(frame), file_name=f"{key}.csv", mime="text/csv", key=f"{key}__csv",
                            on_click="ignore")
        row.download_button("⬇ Excel", data=lambda: to_excel({key: frame}), file_name=f"{key}.xlsx", key=f"{key}__xlsx",
                            on_click="ignore", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return event


def definition_link(where, code: str, ctx: PageContext) -> None:
    """A small "口径" popover with the measure's catalogue entry: formula, unit, period, source, and which
    thresholds are sourced and which are assumptions."""
    from dashboard import catalogue

    with where.popover(ctx.t("cat.link"), icon=":material/info:", type="tertiary"):
        st.markdown(catalogue.entry_markdown(code, ctx.lang))


def chart(where, fig, *, ctx: PageContext, key: str, metric: str, unit: str | None = None, data_end: dt.date | None = None,
          **kwargs):
    """A chart with its publication exports: Plotly's camera button set to the export size and file name,
    and a PNG download made on click by kaleido (2x, title, subtitle with the data end date, source line);
    beside the download, the "口径" popover of the catalogue entry `metric` it shows.

    `where` is st or a column/container; kwargs go to st.plotly_chart (e.g. on_select), whose return is returned.
    """
    from dashboard import exports, publication

    stem = exports.file_stem(str(ctx.park["code"]), key, ctx.period)
    event = where.plotly_chart(fig, key=key, config=exports.camera_config(stem, fig), **kwargs)
    ends = [d for d in ctx.data_end.values() if d]
    end = data_end or (max(ends) if ends else None)  # a chart whose data ends elsewhere (Explore's range) says so

    def png() -> bytes:  # made only when the button is pressed
        return exports.to_png(publication.publication_figure(fig, data_end=end, lang=ctx.lang, unit=unit,
                                                                 demo=bool(ctx.park["is_demo"])), scale=2)

    left, right = where.columns([3, 1])
    left.download_button(ctx.t("pub.png"), data=png, file_name=f"{stem}.png",
                         mime="image/png", key=f"{key}__png", on_click="ignore", help=ctx.t("pub.png_help"))
    definition_link(right, metric, ctx)
    return event


def stop_if_empty(frame: pd.DataFrame, ctx: PageContext, key: str) -> None:
    """Say `key` and end the page when there is nothing to show (an empty park, a reporter with no rows)."""
    if frame.empty:
        st.info(ctx.t(key))
        st.stop()


def month_from_text(text: str) -> dt.date:
    """'2026-10' -> date(2026, 10, 1)."""
    return dt.date.fromisoformat(f"{text}-01")


def render_date_problems(problems: pd.DataFrame, ctx: PageContext) -> None:
    """Name the rows whose dates were left out (outside 2000 to ten years ahead), so one bad row never hides the rest."""
    if problems.empty:
        return
    shown = [f"{r.code} {r.project}" + (f" · {r.milestone}" if r.milestone else "") + f" · {r.column_zh if ctx.lang == 'zh' else r.column_en} {r.value}"
             for r in problems.itertuples()]
    st.warning(ctx.t("pj.bad_dates", n=len(shown), rows="；".join(shown[:10]) + ("……" if len(shown) > 10 else "")))


def copy_link(lang: str) -> None:
    """复制链接: the address of what is on screen (the page, its park, month, language and choices kept in the query
    parameters), in a code box whose icon copies it. The browser's own address: what a colleague's browser reaches."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    params = st.query_params.to_dict()
    link = base + (f"?{urlencode(params)}" if params else "")
    with st.popover(i18n.t("app.copy_link", lang), icon=":material/link:"):
        st.caption(i18n.t("app.copy_link_help", lang))
        st.code(link or "—", language=None, wrap_lines=True)


def page_link(where, page: str, **kwargs) -> None:
    """st.page_link, left out where the page cannot be linked (a script run on its own under AppTest, or a page the
    role may not open)."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        where.page_link(page, **kwargs)
    except StreamlitPageNotFoundError:
        pass
