"""What every figure and table builder draws, read from the objects they return (no Streamlit, no database).

Each test feeds a small hand-made frame and checks what a reader would see: the traces and their values in the
display unit (万元 shown as 亿元, tCO2 as 万吨CO2 or kt CO2), the title, the axis title with its unit, the source
line, and table columns and cells in the reader's language. Builders that take a language are checked in both:
English never shows 亿元 or 万吨, Chinese never shows CNY or kt. Hand-made frames, not the demo generator: a change
to the demo never moves these tests.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, energy_views as ev, finance_views as fv, i18n, risk_views as rv, tables

SRC_ZH = "数据来源：测试数据"
SRC_EN = "Source: test data"
PERIOD = dt.date(2026, 10, 1)
DATA_END = dt.date(2026, 10, 31)

ZH_ONLY_UNITS = ("亿元", "万元", "万吨", "万kWh", "亿")
EN_ONLY_UNITS = ("CNY", "kt CO2", "100m")


def months(start: str, n: int) -> list[dt.date]:
    """`n` month starts from `start` ('YYYY-MM'), as the dates the monthly frames are indexed by."""
    return [p.to_timestamp().date() for p in pd.period_range(start, periods=n, freq="M")]


def ys(trace) -> list[float]:
    return [float(v) for v in trace.y]


def xs(trace) -> list[float]:
    return [float(v) for v in trace.x]


def dates(values) -> list[pd.Timestamp]:
    return list(pd.to_datetime(list(values)))


def flat(text: str) -> str:
    """Text with line breaks and whitespace removed, to compare a wrapped title with the string it was made from."""
    return re.sub(r"\s+|<br>", "", text or "")


def assert_source(fig: go.Figure, text: str) -> None:
    ann = charts.source_annotation(fig)
    assert ann is not None, "no source line"
    assert flat(ann.text) == flat(text)
    assert ann.yref == "paper" and ann.y == 0 and ann.yshift < 0  # below the plot, not over the data


def assert_language(text: str, lang: str) -> None:
    """No unit of the other language in `text`."""
    if lang == "en":
        assert not [u for u in ZH_ONLY_UNITS if u in text], text
    else:
        assert not [u for u in EN_ONLY_UNITS if u in text], text


def visible_text(fig: go.Figure) -> str:
    """Everything a reader sees written on a figure: title, subtitle, axis titles, trace names and labels."""
    layout = fig.to_dict()["layout"]
    parts = [fig.layout.title.text or "", fig.layout.title.subtitle.text or ""]
    parts.extend(v.get("title", {}).get("text") or "" for k, v in layout.items() if k.startswith(("xaxis", "yaxis")))
    for trace in fig.data:
        parts.append(trace.name or "")
        text = getattr(trace, "text", None)
        if text is not None:
            parts.extend(str(t) for t in (text if isinstance(text, (list, tuple, np.ndarray)) else [text]))
    parts.extend(a.text or "" for a in fig.layout.annotations if a.name != charts.SOURCE_NAME)
    return " ".join(parts)


def cells(table: pd.DataFrame) -> list[str]:
    return [str(v) for v in table.to_numpy().ravel()]


def assert_clean_cells(table: pd.DataFrame) -> None:
    """No cell a reader would stumble on: None, nan, NaT or a negative zero."""
    for v in table.to_numpy().ravel():
        assert v is not None
        assert str(v) not in ("None", "nan", "NaT", "<NA>", "-0.0", "-0.00"), table
        if isinstance(v, float):
            assert not (v == 0 and math.copysign(1.0, v) < 0), f"negative zero in {table}"


def energy_monthly() -> pd.DataFrame:
    """22 months of a park's `compute_park_monthly` frame, plus one month after PERIOD that no chart may show."""
    idx = months("2025-01", 23)  # 2025-01 .. 2026-11
    n = len(idx)
    i = np.arange(n)
    return pd.DataFrame({
        "green_power_share": 0.20 + 0.01 * i,
        "green_power_share_t12": 0.20 + 0.005 * i,  # 2025-10: 0.245, 2026-10: 0.305
        "total_emissions_t12": 1_700_000.0 - 5_000.0 * i,  # 2025-12: 1,645,000 t; 2026-10: 1,595,000 t
        "energy_tce_t12": 500_000.0,  # the 20-100万 tce band: threshold 0.2
        "carbon_per_energy_t12": 0.30 - 0.002 * i,  # 2026-10: 0.258
        "clean_energy_share_t12": 0.80 + 0.002 * i,  # 2026-10: 0.842
    }, index=pd.Index(idx, name="period"))


def view(lang: str) -> ev.View:
    return ev.View(lang, "测试园区" if lang == "zh" else "Test Park", PERIOD, DATA_END)


def group_summary() -> pd.DataFrame:
    """`finance.compute_group_summary` output for two institution types, 万元, largest first."""
    return pd.DataFrame({
        "group": ["state_owned", "joint_stock"],
        "green_balance": [455_000.0, 120_000.0],
        "green_balance_prev": [419_000.0, 120_048.0],
        "yoy": [0.086, -0.0004],  # the second rounds to zero: never "-0.0"
        "share_of_green": [0.7913, 0.2087],
        "green_share_of_lending": [0.3125, 0.18],
        "green_rate": [3.1234, 3.456],
        "green_npl_ratio": [0.00123, 0.0],
        "ytd_green_disbursed": [52_000.0, 9_000.0],
        "n_borrowers": [14.0, 5.0],
    })


def alerts_frame() -> pd.DataFrame:
    """`risk_store.load_alerts`-like frame: one row per alert."""
    return pd.DataFrame({
        "id": [101, 102, 103, 104],
        "rule_code": ["credit_npl", "credit_npl", "concentration_hhi", "data_late"],
        "period": [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 10, 1), dt.date(2026, 8, 1)],
        "severity": ["high", "medium", "low", "medium"],
        "subject_name": ["泉鑫电池", None, "测试园区", "测试银行"],
        "state": ["identified", "assessed", "closed", "dismissed"],
        "created_at": pd.to_datetime(["2026-09-05 10:00", "2026-10-06 09:00", "2026-10-07 08:30", "2026-08-10 12:00"]),
        "closed_at": pd.to_datetime([None, None, "2026-10-20 16:00", "2026-09-01 09:00"]),
        "suggested_action": ["提示机构核实", None, "研判结构", "督促报送"],
    })


def test_base_layout_wraps_a_long_title_and_source_and_makes_room_for_them():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    title = "近12个月排放162.6万吨CO2，高于目标路径12.3万吨，需加快降碳"
    source = "数据来源：区域能碳管理平台、排放因子表、各金融机构月度报送、人民银行阳泉市分行、园区管委会（演示数据）"
    charts.base_layout(fig, title=title, subtitle="园区 · 数据截至2026-10-31", source=source, height=360)
    assert "<br>" in fig.layout.title.text and charts.title_text(fig) == title
    assert fig.layout.title.subtitle.text == "园区 · 数据截至2026-10-31"
    ann = charts.source_annotation(fig)
    assert "<br>" in ann.text and ann.text.replace("<br>", "") == source
    assert fig.layout.margin.t == 80 + 22 and fig.layout.margin.b == 90 + 16
    assert fig.layout.height == 360 + 22 + 16


def test_base_layout_without_title_or_source_adds_neither():
    fig = charts.base_layout(go.Figure(go.Bar(x=[1], y=[2])), height=200)
    assert charts.source_annotation(fig) is None and not fig.layout.title.text
    assert fig.layout.height == 200 and fig.layout.margin.t == 10 and fig.layout.margin.b == 10


def test_wrap_line_breaks_at_the_last_natural_break_that_fits():
    assert charts.wrap_line("短标题", 25) == "短标题"
    assert charts.wrap_line("第一部分很长很长很长很长，第二部分也很长很长很长很长", 14) == "第一部分很长很长很长很长，<br>第二部分也很长很长很长很长"
    # a rest still too wide is wrapped again (an English title ran off the chart after its one break)
    assert charts.wrap_line("第一部分很长很长很长很长，第二部分也很长很长很长很长，第三部分", 14) \
        == "第一部分很长很长很长很长，<br>第二部分也很长很长很长很长，<br>第三部分"
    english = "Green loans 45.5 CNY 100m, up 8.6% year on year"
    assert charts.wrap_line(english, 16) == "Green loans 45.5 CNY 100m,<br>up 8.6% year on year"
    assert charts.wrap_line("已有<br>换行的标题不再处理很长很长很长很长很长很长", 5) == "已有<br>换行的标题不再处理很长很长很长很长很长很长"


def test_legend_rows_pack_whole_items_and_ignore_unnamed_traces():
    fig = go.Figure([go.Scatter(x=[1], y=[1], name="实际"), go.Scatter(x=[1], y=[1], name="目标"),
                     go.Scatter(x=[1], y=[1], showlegend=False)])
    assert charts.has_legend(fig) and charts.legend_rows(fig) == 1
    long = go.Figure([go.Scatter(x=[1], y=[1], name="很长的图例名称" * 3) for _ in range(3)])
    assert charts.legend_rows(long) == 3
    assert charts.legend_rows(go.Figure(go.Scatter(x=[1], y=[1], name="一条"))) == 0  # one trace: no legend


def test_plain_escapes_markup_from_data():
    assert charts.plain('<a href="x">项目</a> & 公司') == '&lt;a href="x"&gt;项目&lt;/a&gt; &amp; 公司'


def test_definition_break_is_marked_only_when_the_series_crosses_2025():
    across = charts.mark_definition_break(go.Figure(), months("2024-10", 6), "2025年起口径调整")
    assert [pd.Timestamp(s.x0) for s in across.layout.shapes] == [pd.Timestamp("2025-01-01")]
    assert [a.text for a in across.layout.annotations if a.name == "definition_break"] == ["2025年起口径调整"]
    after = charts.mark_definition_break(go.Figure(), months("2025-01", 6), "x")
    before = charts.mark_definition_break(go.Figure(), months("2024-01", 12), "x")
    assert not after.layout.shapes and not before.layout.shapes and not after.layout.annotations


def test_sparkline_scales_values_marks_the_last_point_and_draws_a_target_in_range():
    trend = pd.Series([100_000.0, 110_000.0, 120_000.0], index=months("2026-08", 3))
    fig = charts.build_sparkline_figure(trend, scale=1e-4, decimals=1, unit="亿元", target=115_000.0)
    line, last = fig.data
    assert ys(line) == pytest.approx([10.0, 11.0, 12.0])
    assert dates(last.x) == [pd.Timestamp("2026-10-01")] and ys(last) == pytest.approx([12.0])
    assert "亿元" in line.hovertemplate and "%Y-%m" in line.hovertemplate
    assert [s.y0 for s in fig.layout.shapes] == pytest.approx([11.5])
    assert fig.layout.showlegend is False and fig.layout.xaxis.visible is False and fig.layout.height == 80


def test_sparkline_leaves_out_a_target_far_off_its_range_and_survives_an_empty_series():
    trend = pd.Series([100_000.0, 110_000.0], index=months("2026-09", 2))
    far = charts.build_sparkline_figure(trend, scale=1e-4, target=1_000_000.0)
    assert not far.layout.shapes
    empty = charts.build_sparkline_figure(pd.Series(dtype=float), target=1.0)
    assert len(empty.data) == 1 and len(empty.data[0].y) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_target_position_bars_share_of_the_gap_closed_against_time_elapsed(lang):
    rows = pd.DataFrame({"name": ["绿电消费占比", "碳排放总量", "绿色贷款余额"], "progress": [1.5, 0.256, -0.8],
                         "status": ["met", "behind", "behind"], "status_text": ["✔ 已达标", "▲ 落后", "▲ 落后"]})
    fig = charts.build_target_position_figure(rows, time_elapsed=0.5, title="目标进度", subtitle="园区 · 2026-10",
                                              source=SRC_ZH, axis_title="已完成差距（%）", lang=lang)
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["绿色贷款余额", "碳排放总量", "绿电消费占比"]  # first row drawn on top
    assert xs(bar) == pytest.approx([-50.0, 25.6, 120.0])  # clipped to -50 % .. 120 %
    assert list(bar.text) == ["-50% · ▲ 落后", "26% · ▲ 落后", "120% · ✔ 已达标"]
    assert list(bar.marker.pattern.shape) == ["/", "/", ""]  # behind is marked by a pattern, not colour alone
    assert [s.x0 for s in fig.layout.shapes] == [50.0]
    assert i18n.t("ov.time_elapsed", lang, pct="50") in [a.text for a in fig.layout.annotations]
    assert fig.layout.xaxis.title.text == "已完成差距（%）" and fig.layout.xaxis.ticksuffix == "%"
    assert fig.layout.xaxis.range[1] == pytest.approx(140.0)
    assert_source(fig, SRC_ZH)


def test_green_share_figure_shows_percent_bars_and_the_12_month_line():
    monthly = pd.DataFrame({"green_power_share": [0.2, None, 0.3], "green_power_share_t12": [0.22, 0.24, 0.26]},
                           index=months("2026-08", 3))
    fig = charts.build_green_share_figure(monthly, title="绿电占比", subtitle="s", source=SRC_ZH,
                                          names={"month": "当月", "t12": "近12个月"})
    bars, line = fig.data
    assert (bars.type, line.type) == ("bar", "scatter")
    assert ys(bars) == pytest.approx([20.0, 30.0]) and ys(line) == pytest.approx([22.0, 26.0])  # month without data left out
    assert dates(bars.x) == [pd.Timestamp("2026-08-01"), pd.Timestamp("2026-10-01")]
    assert (bars.name, line.name) == ("当月", "近12个月")
    assert fig.layout.yaxis.ticksuffix == "%"
    assert_source(fig, SRC_ZH)


def test_trajectory_figure_shades_the_gap_above_the_path():
    actual = pd.Series([1_650_000.0, 1_640_000.0, 1_600_000.0], index=months("2026-08", 3))
    path = pd.DataFrame({"period": months("2026-08", 5),
                         "path": [1_640_000.0, 1_620_000.0, 1_610_000.0, 1_600_000.0, 1_590_000.0]})
    names = {"actual": "实际", "path": "目标路径", "gap": "超出路径"}
    fig = charts.build_trajectory_figure(actual, path, title="排放", subtitle="s", source=SRC_ZH, names=names)
    base, gap, line, act = fig.data
    assert base.showlegend is False and ys(base) == pytest.approx([164.0, 162.0, 161.0])
    assert gap.fill == "tonexty" and gap.name == "超出路径" and ys(gap) == pytest.approx([165.0, 164.0, 161.0])
    assert line.name == "目标路径" and line.line.dash == "dash" and len(line.y) == 5
    assert act.name == "实际" and ys(act) == pytest.approx([165.0, 164.0, 160.0])
    assert fig.layout.yaxis.title.text == "万吨CO2" and "万吨CO2" in act.hovertemplate
    assert_source(fig, SRC_ZH)


def test_trajectory_figure_in_kt_and_without_a_path():
    actual = pd.Series([1_650_000.0, 1_600_000.0], index=months("2026-09", 2))
    fig = charts.build_trajectory_figure(actual, pd.DataFrame(columns=["period", "path"]), title="t", subtitle="s",
                                         source=SRC_EN, names={"actual": "Actual", "path": "", "gap": "Gap"},
                                         scale=1e-3, unit="kt CO2")
    assert len(fig.data) == 1 and ys(fig.data[0]) == pytest.approx([1650.0, 1600.0])
    assert fig.layout.yaxis.title.text == "kt CO2"


def test_line_with_threshold_scales_the_line_and_the_threshold():
    series = pd.Series([0.85, None, 0.87], index=months("2026-08", 3))
    fig = charts.build_line_with_threshold_figure(series, 0.9, title="清洁能源", subtitle="s", source=SRC_ZH,
                                                  name="清洁能源占比", threshold_name="引导值90%", scale=100, unit="%", decimals=1)
    assert len(fig.data) == 1 and ys(fig.data[0]) == pytest.approx([85.0, 87.0]) and fig.data[0].name == "清洁能源占比"
    assert [s.y0 for s in fig.layout.shapes] == pytest.approx([90.0])
    assert "引导值90%" in [a.text for a in fig.layout.annotations]
    assert fig.layout.yaxis.title.text == "%"
    assert_source(fig, SRC_ZH)
    no_line = charts.build_line_with_threshold_figure(series, None, title="t", subtitle="s", source=SRC_ZH, name="n",
                                                      threshold_name="x")
    assert not no_line.layout.shapes


def test_breakdown_figure_puts_the_largest_group_on_top_in_10k_tonnes():
    df = pd.DataFrame({"group": ["battery_materials", "smart_terminal"], "emissions_t": [300_000.0, 100_000.0],
                       "share": [0.75, 0.25]})
    fig = charts.build_breakdown_figure(df, labels={"battery_materials": "电池"}, colors={"smart_terminal": "#123456"},
                                        title="分行业", subtitle="s", source=SRC_ZH)
    bar = fig.data[0]
    assert list(bar.y) == ["smart_terminal", "电池"]  # an unlabelled code shows as itself, never disappears
    assert xs(bar) == pytest.approx([10.0, 30.0]) and list(bar.text) == ["10.0 · 25.0%", "30.0 · 75.0%"]
    assert list(bar.marker.color) == ["#123456", charts.LINE_COLOR]
    assert fig.layout.xaxis.title.text == "万吨CO2"
    assert_source(fig, SRC_ZH)


def hourly_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "ts": pd.to_datetime(["2026-10-31 00:00", "2026-10-31 01:00", "2026-10-31 02:00"]),
        "electricity_grid_kwh": [3_000.0, 4_000.0, 0.0],
        "electricity_own_renewable_kwh": [1_000.0, 0.0, 0.0],
        "electricity_direct_green_kwh": [1_000.0, 500.0, 0.0],
    })


def test_live_figure_stacks_green_supply_under_the_load_in_mwh():
    names = {"load": "负荷", "own": "自发", "direct": "直供", "share": "绿电占比"}
    fig = charts.build_live_figure(hourly_frame(), title="实时", subtitle="s", source=SRC_ZH, names=names)
    load, own, direct, share = fig.data
    assert [t.type for t in fig.data] == ["scatter", "bar", "bar", "scatter"]
    assert ys(load) == pytest.approx([5.0, 4.5, 0.0])
    assert ys(own) == pytest.approx([1.0, 0.0, 0.0]) and ys(direct) == pytest.approx([1.0, 0.5, 0.0])
    assert ys(share)[:2] == pytest.approx([40.0, 100 / 9]) and math.isnan(ys(share)[2])  # no load: no share, not 0 %
    assert share.yaxis == "y2" and fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "MWh" and fig.layout.yaxis2.title.text == "%"
    assert list(fig.layout.yaxis2.range) == [0, 100]
    assert [t.name for t in fig.data] == ["负荷", "自发", "直供", "绿电占比"]
    assert_source(fig, SRC_ZH)


def test_enterprise_figure_bars_emissions_and_lines_energy_on_the_right_axis():
    monthly = pd.DataFrame({"period": months("2026-08", 3), "total_emissions_t": [1200.0, 1100.0, 1300.0],
                            "energy_tce": [500.0, 480.0, 520.0]})
    fig = charts.build_enterprise_figure(monthly, title="企业", subtitle="s", source=SRC_ZH,
                                         names={"emissions": "排放", "energy": "能耗"})
    bars, line = fig.data
    assert (bars.type, line.type, line.yaxis) == ("bar", "scatter", "y2")
    assert ys(bars) == pytest.approx([1200.0, 1100.0, 1300.0]) and ys(line) == pytest.approx([500.0, 480.0, 520.0])
    assert fig.layout.yaxis.title.text == "tCO2" and fig.layout.yaxis2.title.text == "tce"
    assert "tCO2" in bars.hovertemplate and "tce" in line.hovertemplate
    assert_source(fig, SRC_ZH)


def test_fan_figure_draws_history_interval_required_path_and_target():
    history = pd.Series([40.0, 42.0, 44.0], index=pd.period_range("2026-08", periods=3, freq="M"))
    fan = pd.DataFrame({"mean": [45.0, 46.0], "lower": [43.0, 43.5], "upper": [47.0, 48.5]},
                       index=pd.period_range("2026-11", periods=2, freq="M"))
    required = pd.Series([45.5, 47.0], index=fan.index)
    names = {"history": "历史", "forecast": "预测", "fan": "80%区间", "required": "所需路径", "target": "目标",
             "year_end": "{year}年末"}
    fig = charts.build_fan_figure(history, fan, required, 50.0, scale=10, unit="亿元", decimals=1, title="预测",
                                  subtitle="s", source=SRC_ZH, names=names)
    upper, lower, mean, hist, req, star = fig.data
    assert ys(upper) == pytest.approx([470.0, 485.0]) and ys(lower) == pytest.approx([430.0, 435.0])
    assert lower.fill == "tonexty" and lower.name == "80%区间" and upper.showlegend is False
    assert ys(mean) == pytest.approx([450.0, 460.0]) and ys(hist) == pytest.approx([400.0, 420.0, 440.0])
    assert req.name == "所需路径" and ys(req) == pytest.approx([455.0, 470.0])
    assert star.name == "目标" and ys(star) == pytest.approx([500.0]) and dates(star.x) == [pd.Timestamp("2026-12-01")]
    assert fig.layout.yaxis.title.text == "亿元"
    assert list(fig.layout.xaxis.ticktext) == ["2026年末"]
    assert_source(fig, SRC_ZH)


def test_fan_figure_marks_the_definition_break_when_asked():
    history = pd.Series([1.0] * 6, index=pd.period_range("2024-10", periods=6, freq="M"))
    fan = pd.DataFrame({"mean": 1.0, "lower": 0.9, "upper": 1.1}, index=pd.period_range("2025-04", periods=3, freq="M"))
    fig = charts.build_fan_figure(history, fan, pd.Series(dtype=float), None, scale=1, unit="%", decimals=1, title="t",
                                  subtitle="s", source=SRC_ZH, names={"history": "h", "forecast": "f", "fan": "i",
                                                                      "break": "口径调整"})
    assert len(fig.data) == 4  # no required path, no target
    assert any(a.text == "口径调整" for a in fig.layout.annotations)


def map_points() -> pd.DataFrame:
    return pd.DataFrame({"lon": [113.5, 113.6, 113.7], "lat": [37.8, 37.9, 37.85], "emissions_t": [3000.0, 1500.0, 0.0],
                         "grade": [1.0, float("nan"), 5.0], "name": ["甲", "乙", "丙"]})


def test_park_deck_draws_boundary_and_columns_with_no_basemap():
    boundary = {"type": "Polygon", "coordinates": [[[113.4, 37.7], [113.8, 37.7], [113.8, 38.0], [113.4, 37.7]]]}
    deck = charts.build_park_deck(boundary, map_points(), centre=(37.85, 113.6), tooltip="{name}")
    assert [layer.type for layer in deck.layers] == ["PolygonLayer", "ColumnLayer"]
    assert deck.layers[0].data == [{"polygon": boundary["coordinates"][0]}]
    columns = deck.layers[1].data
    assert [p["elevation"] for p in columns] == pytest.approx([1500.0, 750.0, 0.0])  # tallest = largest emitter
    assert [p["color"] for p in columns] == [charts.GRADE_COLORS[1], charts.NO_GRADE_COLOR, charts.GRADE_COLORS[5]]
    assert deck.map_style == charts.OFFLINE_MAP_STYLE and deck.map_style.startswith("data:application/json,")
    assert "http" not in deck.map_style and "http" not in deck.to_json()  # nothing fetched from the internet
    assert (deck.initial_view_state.latitude, deck.initial_view_state.longitude) == (37.85, 113.6)
    assert deck._tooltip == {"html": "{name}"}


def test_park_deck_with_a_tile_url_puts_the_tiles_underneath():
    deck = charts.build_park_deck(None, map_points(), centre=(37.85, 113.6), tooltip="{name}",
                                  tile_url="http://tiles.internal/{z}/{x}/{y}.png")
    assert [layer.type for layer in deck.layers] == ["TileLayer", "ColumnLayer"]
    assert deck.layers[0].data == "http://tiles.internal/{z}/{x}/{y}.png"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_group_bar_figure_shows_balances_in_100m_yuan_with_yoy_labels(lang):
    labels = {"state_owned": "国有<银行>", "joint_stock": "股份制银行"}
    fig = fv.group_bar_figure(group_summary(), kind="inst_type", labels=labels, colors=charts.INSTITUTION_TYPE_COLORS,
                              title="按类型", subtitle="s", source=SRC_ZH, lang=lang)
    bar = fig.data[0]
    assert list(bar.y) == ["股份制银行", "国有&lt;银行&gt;"]  # largest on top; names escaped
    assert xs(bar) == pytest.approx([12.0, 45.5])  # 万元 -> 亿元
    assert list(bar.customdata) == ["joint_stock", "state_owned"]  # a click drills down by code
    assert list(bar.marker.color) == [charts.INSTITUTION_TYPE_COLORS[c] for c in ("joint_stock", "state_owned")]
    expected = (["12.0亿 · 同比+0.0%", "45.5亿 · 同比+8.6%"] if lang == "zh" else ["12.0 · YoY +0.0%", "45.5 · YoY +8.6%"])
    assert list(bar.text) == expected  # a yoy that rounds to zero never reads -0.0%
    assert fig.layout.xaxis.title.text == ("亿元" if lang == "zh" else "CNY 100m")
    assert fig.layout.xaxis.range[1] == pytest.approx(45.5 * 1.8)
    assert_language(visible_text(fig), lang)
    assert_source(fig, SRC_ZH)


def test_group_bar_figure_leaves_out_a_group_without_green_loans_now_or_a_year_ago():
    summary = pd.concat([group_summary(), pd.DataFrame({"group": ["general", "policy"], "green_balance": [0.0, 0.0],
                                                        "green_balance_prev": [0.0, 30_000.0], "yoy": [None, -1.0]})])
    fig = fv.group_bar_figure(summary, kind="product_line", labels={}, colors=None, title="t", subtitle="s", source=SRC_ZH,
                              lang="zh")
    assert "general" not in list(fig.data[0].customdata)  # general lending is never green: no "0.0亿" row
    assert "policy" in list(fig.data[0].customdata)  # a group that fell to zero keeps its bar: the fall is news


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_figure_plots_green_and_all_lending_in_100m_yuan(lang):
    frame = pd.DataFrame({"period": months("2024-11", 4), "green_balance": [400_000.0, 410_000.0, 420_000.0, 455_000.0],
                          "total_balance": [1_400_000.0, 1_420_000.0, 1_430_000.0, 1_456_000.0]})
    row = {"green_balance": 455_000.0, "yoy": 0.086}
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    names = {"green": t("gf.trend.green"), "all": t("gf.trend.all"), "unit": t("gf.axis.yi"), "break": t("gf.break")}
    fig = fv.trend_figure(frame, frame, title=fv.trend_title(row, -0.012, lang), subtitle="s", source=t("gf.source"),
                          names=names)
    total, green = fig.data
    assert (total.name, green.name) == (names["all"], names["green"])
    assert ys(total) == pytest.approx([140.0, 142.0, 143.0, 145.6]) and ys(green) == pytest.approx([40.0, 41.0, 42.0, 45.5])
    assert green.fill == "tozeroy"
    assert fig.layout.yaxis.title.text == names["unit"]
    assert list(fig.layout.yaxis.range) == pytest.approx([0, 145.6 * 1.2])  # room above the lines for the break's label
    if lang == "zh":
        assert charts.title_text(fig) == "绿色贷款余额45.5亿元，同比增长8.6%，各项贷款下降1.2%"
    else:
        assert flat(charts.title_text(fig)) == flat("Green loans 45.5 CNY 100m, up 8.6% year on year; all lending down 1.2%")
    assert any(a.text == names["break"] for a in fig.layout.annotations)  # the series crosses 2025-01
    assert_language(visible_text(fig), lang)
    assert_source(fig, t("gf.source"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_completion_figure_puts_the_lowest_completion_on_top_and_counts_overdue(lang):
    df = pd.DataFrame({"inst_type": ["policy", "state_owned", "joint_stock"], "completion": [1.0, 0.6, 0.85],
                       "n_overdue": [0, 2, 1]})
    labels = {c: i18n.label("inst_type", c, lang) for c in df["inst_type"]}
    fig = fv.completion_figure(df, by="inst_type", labels=labels, title="完成率", subtitle="s", source=SRC_ZH, lang=lang)
    bar = fig.data[0]
    assert list(bar.y) == [labels["policy"], labels["joint_stock"], labels["state_owned"]]  # drawn bottom to top
    assert xs(bar) == pytest.approx([100.0, 85.0, 60.0])
    overdue = i18n.t("task_status.overdue", lang)
    assert list(bar.text) == ["100%", f"85% · {overdue} 1", f"60% · {overdue} 2"]
    assert list(bar.marker.pattern.shape) == ["", "", "/"]  # below 80 % marked by a pattern too
    assert fig.layout.xaxis.title.text == ("完成率（%）" if lang == "zh" else "Done (%)")
    assert max(fig.layout.xaxis.tickvals) == 100 and fig.layout.xaxis.ticksuffix == "%"
    assert fig.layout.xaxis.range[1] == (135 if lang == "zh" else 160)  # the longer English label keeps its end
    assert_source(fig, SRC_ZH)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tool_monthly_figure_stacks_one_bar_per_tool_in_100m_yuan(lang):
    tools = pd.DataFrame({
        "period": [dt.date(2026, 9, 1), dt.date(2026, 9, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)],
        "institution_id": [1, 2, 1, 1],
        "tool": ["carbon_reduction_tool", "carbon_reduction_tool", "interest_subsidy", "carbon_reduction_tool"],
        "loan_amount": [4_000.0, 6_000.0, 600.0, 5_000.0],
    })
    fig = fv.tool_monthly_figure(tools, title=i18n.t("pt.monthly.title", lang, value="1.56"), subtitle="s",
                                 source=SRC_EN, lang=lang)
    assert [t.type for t in fig.data] == ["bar", "bar"] and fig.layout.barmode == "stack"
    crt, sub = fig.data
    assert crt.name == i18n.label("policy_tool", "carbon_reduction_tool", lang)
    assert sub.name == i18n.label("policy_tool", "interest_subsidy", lang)
    assert ys(crt) == pytest.approx([1.0, 0.5]) and ys(sub) == pytest.approx([0.06, 0.0])  # summed over institutions
    assert dates(crt.x) == [pd.Timestamp("2026-09-01"), pd.Timestamp("2026-10-01")]
    assert fig.layout.yaxis.title.text == ("亿元" if lang == "zh" else "CNY 100m")
    assert_language(visible_text(fig), lang)
    assert_source(fig, SRC_EN)


def test_summary_table_in_chinese_has_localized_columns_and_values_in_100m_yuan():
    table = fv.summary_table(group_summary(), kind="inst_type", names=None, lang="zh")
    assert list(table.columns) == ["类别", "绿色贷款余额（亿元）", "同比（%）", "占园区绿色贷款（%）", "绿色占各项贷款（%）",
                                   "绿色贷款利率（%）", "不良率（%）", "今年新发放（亿元）", "借款企业数"]
    first = table.iloc[0].to_dict()
    assert first == {"类别": "国有银行", "绿色贷款余额（亿元）": 45.5, "同比（%）": 8.6, "占园区绿色贷款（%）": 79.1,
                     "绿色占各项贷款（%）": 31.2, "绿色贷款利率（%）": 3.12, "不良率（%）": 0.12, "今年新发放（亿元）": 5.2,
                     "借款企业数": 14}
    assert table["借款企业数"].dtype.kind == "i"


def test_summary_table_in_english_names_institutions_and_states_units():
    table = fv.summary_table(group_summary().assign(group=[7, 9]), kind="institution", names={7: "ICBC Yangquan"}, lang="en")
    assert list(table.columns)[:3] == ["Group", "Green loans (CNY 100m)", "YoY (%)"]
    assert table["Group"].tolist() == ["ICBC Yangquan", "9"]  # an unnamed id still shows
    assert_language(" ".join(table.columns), "en")


def test_summary_table_never_shows_a_negative_zero():
    table = fv.summary_table(group_summary(), kind="inst_type", names=None, lang="zh")
    assert_clean_cells(table)


def facilities() -> pd.DataFrame:
    """`load_facilities` rows (万元)."""
    return pd.DataFrame({
        "contract_no": ["SO-1-2026-0001", "JS-1-2025-0107"], "institution": ["工行阳泉", "兴业阳泉"],
        "enterprise": ["泉鑫电池", "晋华智算"], "product_line": ["new_power_system", "general"], "is_green": [True, False],
        "start_date": [dt.date(2026, 3, 15), dt.date(2025, 7, 1)], "balance": [11_500.04, 0.0], "rate": [2.951, 3.45],
        "status": ["normal", "npl"], "carbon_product": ["carbon_quota_pledge", None],
    })


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finance_loans_table_names_codes_and_leaves_no_none(lang):
    table = fv.loans_table(facilities(), lang)
    if lang == "zh":
        assert list(table.columns) == ["合同编号", "机构", "企业", "产品线", "绿色", "起始日", "最新余额（万元）", "利率（%）",
                                       "状态", "碳挂钩/碳金融产品"]
        assert table.iloc[0].tolist() == ["SO-1-2026-0001", "工行阳泉", "泉鑫电池", "新型电力系统建设", "是", "2026-03-15",
                                          11500.0, 2.95, "正常", "碳配额质押贷款"]
        assert table.iloc[1][["绿色", "状态", "碳挂钩/碳金融产品"]].tolist() == ["否", "不良", ""]
    else:
        assert "Latest balance (CNY 10k)" in table.columns and "Rate (%)" in table.columns
        assert table.iloc[1][["Green", "Status", "Carbon link / product"]].tolist() == ["no", "non-performing", ""]
        assert_language(" ".join(table.columns), "en")
    assert_clean_cells(table)


def test_tasks_table_marks_overdue_tasks_by_word_and_icon():
    tasks = pd.DataFrame({
        "institution": ["工行阳泉", "工行阳泉", "兴业阳泉"], "title": ["制定专项方案", "报送季度进展", "开展培训"],
        "seed_section": ["§一", "§七", "§三"],
        "due_date": [dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 12, 31)],
        "status": ["done", "in_progress", "not_started"], "evidence": ["方案.pdf", None, None],
    })
    zh = fv.tasks_table(tasks, "zh", dt.date(2026, 10, 31))
    assert list(zh.columns) == ["机构", "任务", "条款", "截止日", "状态", "佐证"]
    assert zh["状态"].tolist() == ["✔ 已完成", "▲ 逾期", "○ 未开始"]  # done late is done; past due and not done is overdue
    assert zh["截止日"].tolist() == ["2026-06-30", "2026-09-30", "2026-12-31"]
    assert zh["佐证"].tolist() == ["方案.pdf", "", ""]
    en = fv.tasks_table(tasks, "en", dt.date(2026, 10, 31))
    assert en["Status"].tolist() == ["✔ done", "▲ overdue", "○ not started"]
    assert_clean_cells(zh)


def test_alerts_table_names_rules_severity_and_state():
    zh = fv.alerts_table(alerts_frame(), "zh")
    assert list(zh.columns) == ["规则", "等级", "状态", "识别日期"]
    assert zh.iloc[0].tolist() == [i18n.label("rule", "credit_npl", "zh"), "高", "识别", "2026-09-05"]
    en = fv.alerts_table(alerts_frame(), "en")
    assert en.iloc[2].tolist() == [i18n.label("rule", "concentration_hhi", "en"), "low", "closed", "2026-10-07"]
    assert "credit_npl" not in cells(zh) + cells(en)  # never a raw rule code


def test_tools_table_shows_amounts_in_100m_yuan_and_use_in_percent():
    summary = pd.DataFrame({"tool": ["carbon_reduction_tool"], "eligible": [50_000.0], "loans": [40_000.0], "use_rate": [0.8],
                            "funding": [24_000.0], "carbon_per_yi": [3_012.4], "fiscal_cost": [0.0], "n_institutions": [3]})
    zh = fv.tools_table(summary, "zh")
    assert zh.iloc[0].to_dict() == {"工具": "碳减排支持工具", "符合条件贷款（亿元）": 5.0, "工具支持贷款（亿元）": 4.0,
                                    "使用率（%）": 80.0, "再贷款/资金（亿元）": 2.4, "每亿元减排（tCO2e）": 3012.0,
                                    "财政成本（万元）": 0.0, "机构数": 3}
    en = fv.tools_table(summary, "en")
    assert en.columns[1] == "Eligible (CNY 100m)" and en.iloc[0, 0] == "Carbon emission reduction tool"
    assert_language(" ".join(en.columns), "en")


def test_rates_table_marks_an_assumed_refinance_share():
    rates = pd.DataFrame({"tool": ["carbon_reduction_tool", "sci_tech_relending"],
                          "from": [dt.date(2021, 11, 8), dt.date(2024, 4, 7)], "rate": [1.75, 1.75],
                          "source": ["中国人民银行，2021-11-08", "中国人民银行，2024-04-07"]})
    zh = fv.rates_table(rates, "zh")
    assert list(zh.columns) == ["工具", "起始日期", "利率（%）", "再贷款比例", "来源"]
    assert zh["再贷款比例"].tolist() == ["60%", "60%（假设值）"]  # the sci-tech share is our assumption
    en = fv.rates_table(rates, "en")
    assert en["Refinanced share"].tolist() == ["60%", "60% (assumption)"]
    assert en["Tool"].tolist() == ["Carbon emission reduction tool", "Sci-tech and renovation relending"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_flow_figure_groups_raised_and_closed_alerts_by_month(lang):
    flow = rv.compute_monthly_flow(alerts_frame())
    assert flow["month"].astype(str).tolist() == ["2026-08", "2026-09", "2026-10"]
    fig = rv.flow_figure(flow, title=i18n.t("rk.flow", lang), subtitle="s", source=SRC_EN, lang=lang)
    raised, closed = fig.data
    assert (raised.type, closed.type, fig.layout.barmode) == ("bar", "bar", "group")
    assert ys(raised) == [1.0, 1.0, 2.0] and ys(closed) == [0.0, 1.0, 1.0]
    assert dates(raised.x) == [pd.Timestamp(f"2026-{m:02d}-01") for m in (8, 9, 10)]
    assert (raised.name, closed.name) == (i18n.t("rk.raised", lang), i18n.t("rk.closed", lang))
    assert fig.layout.yaxis.title.text == ("条" if lang == "zh" else "alerts")
    assert charts.title_text(fig) == i18n.t("rk.flow", lang)
    assert_source(fig, SRC_EN)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_by_rule_figure_stacks_open_and_finished_alerts_per_rule(lang):
    alerts = alerts_frame()
    is_open = pd.Series([True, True, False, False])
    fig = rv.by_rule_figure(alerts, is_open, title="按规则", subtitle="s", source=SRC_ZH, lang=lang)
    opened, done = fig.data
    labels = [i18n.label("rule", r, lang) for r in ("concentration_hhi", "data_late", "credit_npl")]
    assert list(opened.y) == labels  # most open last, drawn on top
    assert xs(opened) == [0.0, 0.0, 2.0] and xs(done) == [1.0, 1.0, 0.0]
    assert (opened.name, done.name) == (i18n.t("rk.open", lang), i18n.t("rk.done", lang))
    assert done.marker.pattern.shape == "/" and fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == ("预警数（条）" if lang == "zh" else "Alerts") and fig.layout.xaxis.dtick == 1
    assert_source(fig, SRC_ZH)


@pytest.mark.parametrize("lang, scale, unit", [("zh", 1e-4, "万吨CO2"), ("en", 1e-3, "kt CO2")])
def test_evidence_figure_sets_emissions_against_the_path_in_the_readers_unit(lang, scale, unit):
    evidence = {"path_t": 1_500_000.0, "emissions_12m_t": 1_625_000.0, "above_pct": 8.3}
    fig = rv.evidence_figure("trajectory_emissions", evidence, title="路径", subtitle="s", source=SRC_ZH, lang=lang)
    bar = fig.data[0]
    assert list(bar.x) == [i18n.label("evidence", "path_t", lang), i18n.label("evidence", "emissions_12m_t", lang)]
    assert ys(bar) == pytest.approx([1_500_000 * scale, 1_625_000 * scale])
    assert list(bar.marker.color) == ["#999999", "#D55E00"]  # what was found in the alert colour
    assert fig.layout.yaxis.title.text == unit
    assert list(bar.text) == ([f"150.00 {unit}", f"162.50 {unit}"] if lang == "zh" else [f"1,500.00 {unit}", f"1,625.00 {unit}"])
    assert_language(visible_text(fig), lang)
    assert_source(fig, SRC_ZH)


@pytest.mark.parametrize("lang, unit, values", [("zh", "万kWh", [80.0, 1.5]), ("en", "MWh", [800.0, 15.0])])
def test_evidence_figure_shows_electricity_in_the_readers_unit(lang, unit, values):
    evidence = {"months": 12, "own_and_direct_kwh": 15_000.0, "electricity_kwh": 800_000.0}
    fig = rv.evidence_figure("fake_zero_label_no_supply", evidence, title="t", subtitle="s", source=SRC_ZH, lang=lang)
    assert ys(fig.data[0]) == pytest.approx(values) and fig.layout.yaxis.title.text == unit


def test_evidence_figure_shows_ratios_in_percent_and_intensities_with_their_unit():
    npl = rv.evidence_figure("credit_npl_rising", {"npl_ratio_before": 0.012, "npl_ratio_now": 0.0255}, title="t",
                             subtitle="s", source=SRC_ZH, lang="zh")
    assert ys(npl.data[0]) == pytest.approx([1.2, 2.55]) and list(npl.data[0].text) == ["1.20%", "2.55%"]
    assert npl.layout.yaxis.title.text == "%"
    linked = rv.evidence_figure("greenwashing_linked_discount", {"target": 0.5, "intensity": 0.62, "discount_bp": 20},
                                title="t", subtitle="s", source=SRC_ZH, lang="en")
    assert ys(linked.data[0]) == pytest.approx([0.5, 0.62]) and linked.layout.yaxis.title.text == "tCO2 per CNY 10k"
    assert linked.layout.showlegend is False


def test_evidence_figure_is_none_when_there_is_nothing_to_compare():
    assert rv.evidence_figure("data_late", {"reported_before": "2026-09-01", "missing": "2026-10-01"}, title="t",
                              subtitle="s", source=SRC_ZH, lang="zh") is None
    assert rv.evidence_figure("credit_npl", {"overdue_loans": "n/a"}, title="t", subtitle="s", source=SRC_ZH, lang="zh") is None


@pytest.mark.parametrize("rule, evidence", [
    ("credit_npl", {"overdue_loans": 2, "npl_loans": 1, "balance_wan": 500.0}),
    ("data_meter_gaps", {"readings": 600.0, "expected": 744.0, "coverage": 0.806}),
])
def test_evidence_figure_does_not_call_loans_or_readings_alerts(rule, evidence):
    fig = rv.evidence_figure(rule, evidence, title="t", subtitle="s", source=SRC_EN, lang="en")
    assert "alert" not in (fig.layout.yaxis.title.text or "").lower()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_queue_table_names_everything_and_leaves_blanks_blank(lang):
    table = rv.queue_table(alerts_frame(), lang)
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    assert list(table.columns) == [t("rk.col.no"), t("tbl.rule"), t("rk.col.period"), t("tbl.severity"), t("rk.subject"),
                                   t("tbl.status"), t("tbl.raised"), t("rk.action")]
    row = table.iloc[1].tolist()
    assert row == [102, i18n.label("rule", "credit_npl", lang), "2026-10", i18n.label("severity", "medium", lang), "",
                   i18n.t("alert_state.assessed", lang), "2026-10-06", ""]
    assert_clean_cells(table)


def test_evidence_table_names_each_measure_with_its_unit():
    evidence = {"balance_wan": 500.0, "above_pct": 8.26, "gap_pp": 2.04, "discount_bp": 20, "path_share": 0.305,
                "own_and_direct_kwh": 15_000.0}
    zh = rv.evidence_table(evidence, "zh")
    assert list(zh.columns) == ["指标", "数值"]
    assert zh["指标"].tolist()[:2] == ["余额", "高出路径"]
    assert zh["数值"].tolist() == ["500.0 万元", "8.3%", "2.0个百分点", "20 bp", "30.5%", "1.5 万kWh"]
    en = rv.evidence_table(evidence, "en")
    assert en["Value"].tolist()[:2] == ["500.0 CNY 10k", "8.3%"] and en["Value"].iloc[-1] == "15.0 MWh"
    assert_language(" ".join(en["Value"]), "en")


def test_evidence_table_shows_counts_as_whole_numbers():
    zh = rv.evidence_table({"readings": 600.0, "expected": 744.0, "coverage": 0.806}, "zh")
    assert zh["数值"].tolist() == ["600", "744", "80.6%"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_energy_green_share_figure_title_states_the_value_and_its_change(lang):
    fig = ev.green_share_figure(energy_monthly(), view(lang))
    bars, line = fig.data
    assert len(bars.y) == 22 and dates(bars.x)[-1] == pd.Timestamp(PERIOD)  # the month after PERIOD is not shown
    assert ys(line)[-1] == pytest.approx(30.5) and ys(bars)[-1] == pytest.approx(41.0)
    expected = {"zh": "绿电消费占比近12个月为30.5%，较上年同期+6.0个百分点",
                "en": "Green-power share over 12 months is 30.5%, +6.0 pp on a year earlier"}[lang]
    assert flat(charts.title_text(fig)) == flat(expected)
    assert fig.layout.title.subtitle.text == {"zh": "测试园区 · 2025-11至2026-10 · 数据截至2026-10-31",
                                              "en": "Test Park · 2025-11 to 2026-10 · data to 2026-10-31"}[lang]
    assert (bars.name, line.name) == (i18n.t("en.green.month", lang), i18n.t("en.green.t12", lang))
    assert fig.layout.yaxis.ticksuffix == "%"
    assert_source(fig, i18n.t("en.source", lang))


def emission_targets() -> pd.DataFrame:
    return pd.DataFrame({"indicator": ["total_emissions"], "year": [2030], "value": [1_000_000.0], "is_assumption": [True]})


@pytest.mark.parametrize("lang, scale, unit", [("zh", 1e-4, "万吨CO2"), ("en", 1e-3, "kt CO2")])
def test_energy_trajectory_figure_in_the_readers_unit(lang, scale, unit):
    monthly = energy_monthly()
    fig = ev.trajectory_figure(monthly, emission_targets(), view(lang), base_year=2025, target_year=2030)
    actual = next(t for t in fig.data if t.name == i18n.t("en.traj.actual", lang))
    assert ys(actual)[-1] == pytest.approx(1_595_000 * scale) and len(actual.y) == 22
    assert fig.layout.yaxis.title.text == unit
    # The path runs at a constant rate from December 2025 (1,645,000 t) to 1,000,000 t in December 2030.
    on_path = 1_645_000 * (1_000_000 / 1_645_000) ** (10 / 60)
    gap = (1_595_000 - on_path) * scale
    value = f"{1_595_000 * scale:,.1f}"
    expected = {"zh": f"近12个月排放{value}万吨CO2，高于目标路径{gap:,.1f}万吨",
                "en": f"12-month emissions {value} kt CO2, {gap:,.1f} kt above the target path"}[lang]
    assert flat(charts.title_text(fig)) == flat(expected)
    path = next(t for t in fig.data if t.line.dash == "dash")
    assert ys(path)[0] == pytest.approx(1_645_000 * scale) and ys(path)[-1] == pytest.approx(1_000_000 * scale)
    assert path.name == i18n.t("en.traj.path", lang, base=2025, year=2030, target=f"{1_000_000 * scale:,.1f}",
                               mark=i18n.t("ov.target_assumption", lang))
    assert_language(visible_text(fig), lang)
    assert_source(fig, i18n.t("en.source", lang))


def test_energy_trajectory_figure_without_a_target_says_so():
    fig = ev.trajectory_figure(energy_monthly(), pd.DataFrame(), view("zh"), base_year=2025, target_year=2030)
    assert len(fig.data) == 1 and charts.title_text(fig) == "近12个月排放159.5万吨CO2（未设定排放目标）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_core_indicator_figure_draws_the_band_threshold(lang):
    fig = ev.core_indicator_figure(energy_monthly(), view(lang), "当量值")
    line = fig.data[0]
    assert len(line.y) == 22 and ys(line)[-1] == pytest.approx(0.258)
    assert [s.y0 for s in fig.layout.shapes] == pytest.approx([0.2])  # 50万 tce a year: the ≤0.2 band
    assert i18n.t("en.core.threshold", lang, value="≤0.2") in [a.text for a in fig.layout.annotations]
    expected = {"zh": "单位能耗碳排放近12个月为0.26 tCO2/tce，阈值≤0.2",
                "en": "Carbon per energy over 12 months is 0.26 tCO2/tce; threshold ≤0.2"}[lang]
    assert flat(charts.title_text(fig)) == flat(expected)
    assert fig.layout.yaxis.title.text == "tCO2/tce"
    assert fig.layout.title.subtitle.text.endswith("· 当量值")
    assert_source(fig, i18n.t("en.source", lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clean_share_figure_in_percent_against_the_90_percent_guide(lang):
    fig = ev.clean_share_figure(energy_monthly(), view(lang))
    assert ys(fig.data[0])[-1] == pytest.approx(84.2) and ys(fig.data[0])[0] == pytest.approx(80.0)
    assert [s.y0 for s in fig.layout.shapes] == pytest.approx([90.0])
    assert fig.layout.yaxis.title.text == "%"
    assert flat(charts.title_text(fig)) == flat(i18n.t("en.clean.title", lang, value="84.2"))
    assert_source(fig, i18n.t("en.source", lang))


def emission_breakdown() -> pd.DataFrame:
    return pd.DataFrame({"group": ["battery_materials", "smart_terminal"], "emissions_t": [300_000.0, 100_000.0],
                         "share": [0.75, 0.25]})


def test_energy_breakdown_figure_in_chinese_labels_sectors_in_10k_tonnes():
    fig = ev.breakdown_figure(emission_breakdown(), view("zh"), "sector")
    bar = fig.data[0]
    assert list(bar.y) == ["智能终端", "新能源电池及材料"] and xs(bar) == pytest.approx([10.0, 30.0])
    assert charts.title_text(fig) == "分行业排放：新能源电池及材料占75.0%"
    assert fig.layout.xaxis.title.text == "万吨CO2"
    assert_source(fig, i18n.t("en.source", "zh"))


def test_energy_breakdown_figure_in_english_is_in_kilotonnes():
    fig = ev.breakdown_figure(emission_breakdown(), view("en"), "class")
    bar = fig.data[0]
    assert xs(bar) == pytest.approx([100.0, 300.0])
    assert fig.layout.xaxis.title.text == "kt CO2"
    assert_language(visible_text(fig), "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_energy_live_figure_titles_the_day_and_names_the_series(lang):
    day, now = dt.date(2026, 10, 31), dt.datetime(2026, 10, 31, 2, 30, 5)
    fig = ev.live_figure(hourly_frame(), view(lang), day, now, 60)
    keys = ("en.live.load", "en.live.own", "en.live.direct", "en.live.share")
    assert [t.name for t in fig.data] == [i18n.t(k, lang) for k in keys]
    assert ys(fig.data[0]) == pytest.approx([5.0, 4.5, 0.0])
    assert flat(charts.title_text(fig)) == flat(i18n.t("en.live.title", lang, day="2026-10-31", seconds=60))
    assert "02:30:05" in fig.layout.title.subtitle.text and "2026-10-31" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis.title.text == "MWh"
    assert_source(fig, i18n.t("en.source", lang))
    older = ev.live_figure(hourly_frame(), view(lang), day, now + dt.timedelta(days=36), 60)  # a day five weeks old
    assert flat(charts.title_text(older)) == flat(i18n.t("en.live.title_last", lang, day="2026-10-31", seconds=60))


def emitters() -> pd.DataFrame:
    return pd.DataFrame({"name": ["泉鑫电池", "晋华智算"], "sector": ["battery_materials", "computing_ai"],
                         "emissions_t": [123_456.7, 54_321.2], "share": [0.4123, 0.1811],
                         "emissions_prev_t": [130_000.4, 50_000.0], "change_t": [-6_543.7, 4_321.2],
                         "change_pct": [-5.0336, 8.6424]})


def test_ranking_table_of_top_emitters():
    zh = ev.ranking_table(emitters(), "zh", with_change=False)
    assert list(zh.columns) == ["企业", "行业", "排放（tCO2）", "占园区（%）"]
    assert zh.iloc[0].tolist() == ["泉鑫电池", "新能源电池及材料", 123457.0, 41.2]
    en = ev.ranking_table(emitters(), "en", with_change=False)
    assert list(en.columns) == ["Enterprise", "Sector", "Emissions (tCO2)", "Share of park (%)"]
    assert en["Sector"].tolist() == ["Battery and materials", "Computing and AI"]


def test_ranking_table_of_improvers_shows_the_change():
    zh = ev.ranking_table(emitters(), "zh", with_change=True)
    assert list(zh.columns) == ["企业", "行业", "排放（tCO2）", "上年同期（tCO2）", "变化（tCO2）", "变化（%）"]
    assert zh.iloc[0, 3:].tolist() == [130000.0, -6544.0, -5.0]


def enterprise_loans() -> pd.DataFrame:
    """`load_enterprise_loans` rows as the loader builds them: rate_discount_bp is an integer column with NULLs, so
    pandas holds it as float."""
    return pd.DataFrame([
        dict(contract_no="SO-1-2025-0001", institution="工行阳泉", product_line="new_power_system", is_green=True,
             start_date=dt.date(2025, 3, 1), amount=12_000.0, balance=11_500.0, rate=2.95, status="normal",
             carbon_product="carbon_performance_linked", carbon_linked=True, carbon_target_intensity=0.35, rate_discount_bp=20),
        dict(contract_no="JS-1-2024-0107", institution="兴业阳泉", product_line="general", is_green=False,
             start_date=dt.date(2024, 7, 1), amount=800.0, balance=None, rate=3.45, status=None, carbon_product=None,
             carbon_linked=False, carbon_target_intensity=None, rate_discount_bp=None),
    ])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_energy_loans_table_columns_and_blanks(lang):
    table = ev.loans_table(enterprise_loans(), lang)
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    assert list(table.columns) == [t("ca.col.contract"), t("ca.col.institution"), t("ca.col.product"), t("ca.col.green"),
                                   t("ca.col.start"), t("ca.col.amount"), t("ca.col.balance"), t("ca.col.rate"),
                                   t("ca.col.status"), t("ca.col.carbon")]
    second = table.iloc[1]
    assert second[t("ca.col.status")] == "" and second[t("ca.col.carbon")] == "" and second[t("ca.col.balance")] == 0.0
    assert table.iloc[0][t("ca.col.product")] == i18n.label("product_line", "new_power_system", lang)
    assert table.iloc[0][t("ca.col.amount")] == 12000.0
    assert_clean_cells(table)
    if lang == "en":
        assert_language(" ".join(table.columns), "en")


def test_energy_loans_table_writes_the_discount_in_whole_basis_points():
    zh = ev.loans_table(enterprise_loans(), "zh")
    assert zh.iloc[0]["碳挂钩/碳金融产品"] == "碳表现挂钩（目标强度0.35，优惠20bp）"


def test_factor_table_labels_factors_and_counts_unconfirmed_ones():
    factors = pd.DataFrame({"factor": ["grid_average", "grid_fossil"], "region": ["north_china", "national"],
                            "year": [2022.0, float("nan")], "value": [0.5366, 0.853], "unit": ["tCO2/MWh", "tCO2/MWh"],
                            "status": ["sourced", "unconfirmed"], "note": [None, "推算"], "source": ["生态环境部公告", None]})
    zh = tables.factor_table(factors, "zh")
    assert list(zh.columns) == ["因子", "区域", "年份", "数值", "单位", "状态", "说明", "来源"]
    assert zh.iloc[0].tolist() == ["全国/区域电网平均排放因子", "华北电网", "2022", 0.5366, "tCO2/MWh", "有来源", "", "生态环境部公告"]
    assert zh.iloc[1][["年份", "状态", "来源"]].tolist() == ["—", "⚠ 待核实（假设）", ""]
    assert zh.attrs["n_unconfirmed"] == 1
    assert_clean_cells(zh)
    en = tables.factor_table(factors, "en")
    assert en["Factor"].iloc[0] == "Grid average emission factor" and en["Status"].iloc[1] == "⚠ unconfirmed (assumption)"


@pytest.mark.parametrize("lang, shown", [("zh", "100.0 万吨CO2"), ("en", "1,000.0 kt CO2")])
def test_target_table_states_values_in_the_readers_unit_and_marks_assumptions(lang, shown):
    targets = pd.DataFrame({"indicator": ["total_emissions", "green_power_share", "made_up"], "year": [2030, 2030, 2028],
                            "value": [1_000_000.0, 0.9, 1.5], "is_assumption": [True, False, True],
                            "assumption_part": ["value", "value", "year"], "source": ["假设", "国家文件", None]})
    table = tables.target_table(targets, lang)
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    assert list(table.columns) == [t("ind.col.name"), t("ind.col.target_year"), t("ind.col.target_value"),
                                   t("ind.col.assumption"), t("ind.col.source")]
    assert table.iloc[0].tolist() == [t("kpi.total_emissions"), 2030, shown, t("ind.target.assumption"), "假设"]
    assert table.iloc[1][t("ind.col.target_value")] == "90.0 %"
    assert table.iloc[1][t("ind.col.assumption")] == t("ind.target.adopted")
    assert table.iloc[2].tolist() == ["made_up", 2028, "1.5", t("ind.target.year_assumption"), ""]
    assert_language(" ".join(table.iloc[:, 2]), lang)
    assert tables.target_table(targets.iloc[0:0], lang).empty


def test_users_table_never_shows_a_hash_and_words_the_status():
    users = [
        {"username": "analyst", "display_name": "人民银行分析员", "role": "pboc_analyst", "institution_id": None,
         "is_active": True, "locked_until": None, "last_login_at": dt.datetime(2026, 10, 30, 9, 5), "password_hash": "$argon2$x"},
        {"username": "reporter", "display_name": "工行填报员", "role": "institution_reporter", "institution_id": 3,
         "is_active": True, "locked_until": dt.datetime(2099, 1, 1, 8, 0), "last_login_at": None, "password_hash": "$argon2$y"},
        {"username": "old", "display_name": "旧账户", "role": "leader", "institution_id": 99, "is_active": False,
         "locked_until": None, "last_login_at": None, "password_hash": "$argon2$z"},
    ]
    institutions = pd.DataFrame({"id": [3], "short_name": ["工行阳泉"]})
    zh = tables.users_table(users, institutions, "zh")
    assert list(zh.columns) == ["用户名", "姓名/单位", "角色", "所属机构", "状态", "最近登录"]
    assert zh["角色"].tolist() == ["人民银行分析员", "机构填报员", "市领导"]
    assert zh["所属机构"].tolist() == ["", "工行阳泉", ""]
    assert zh["状态"].tolist() == ["启用", "锁定至2099-01-01 08:00", "停用"]
    assert zh["最近登录"].tolist() == ["2026-10-30 09:05", "", ""]
    assert not any("argon2" in c for c in cells(zh))
    en = tables.users_table(users, institutions, "en")
    assert en["Status"].tolist() == ["active", "locked until 2099-01-01 08:00", "disabled"]


def test_display_tokens_table_shows_the_park_in_the_readers_language_and_never_the_token():
    tokens = pd.DataFrame({"name": ["联席会议室大屏", "大厅"], "park": ["测试园区", "测试园区"], "park_en": ["Test Park", "Test Park"],
                           "created_by": ["admin", "admin"],
                           "created_at": pd.to_datetime(["2026-10-01 09:00", "2026-10-02 10:30"]),
                           "revoked_at": pd.to_datetime([None, "2026-10-05 17:45"]), "token_digest": ["abc123", "def456"]})
    zh = tables.display_tokens_table(tokens, "zh")
    assert list(zh.columns) == ["名称（如：联席会议室大屏）", "园区", "处理人", "时间", "状态"]
    assert zh["状态"].tolist() == ["有效", "已于2026-10-05 17:45撤销"]
    assert zh["时间"].tolist() == ["2026-10-01 09:00", "2026-10-02 10:30"]
    en = tables.display_tokens_table(tokens, "en")
    assert en["Park"].tolist() == ["Test Park", "Test Park"] and en["Status"].tolist() == ["active", "revoked 2026-10-05 17:45"]
    assert not any(d in cells(zh) + cells(en) for d in ("abc123", "def456"))


def test_upload_preview_of_policy_tool_use_names_tools_and_keeps_units():
    preview = pd.DataFrame([{"_row": 2, "institution_code": "SO-1", "park_code": "YQ-HTZ", "tool": "interest_subsidy",
                             "period": "2026-10", "eligible_amount": 600.0, "loan_amount": 600.0, "funding_amount": None,
                             "tool_rate": float("nan"), "carbon_reduction_t": 12000.0, "fiscal_cost": 6.0}])
    zh = tables.upload_preview_table(preview, "policy_tool_use", "zh")
    row = zh.iloc[0].to_dict()
    assert row["政策工具"] == "财政贴息" and row["发放贷款（万元）"] == 600.0 and row["带动碳减排（tCO2）"] == 12000.0
    assert row["获得资金支持（万元）"] == "" and row["工具利率（%）"] == ""
    assert "_row" not in zh.columns
    assert_clean_cells(zh)
    en = tables.upload_preview_table(preview, "policy_tool_use", "en")
    assert en.iloc[0]["Tool"] == "Fiscal interest subsidy" and "Carbon reduction (tCO2)" in en.columns


def test_upload_history_in_english_names_the_kind_and_blanks_a_missing_checksum():
    history = pd.DataFrame([{"id": 8, "uploaded_at": dt.datetime(2026, 11, 2, 14, 7, 59), "uploaded_by": "reporter",
                             "kind": "task_progress", "file_name": "tasks.xlsx", "sha256": None, "rows_added": 0,
                             "rows_changed": 3}])
    en = tables.upload_history_table(history, "en")
    assert list(en.columns) == ["Import no.", "When", "By", "Kind of report", "File", "File checksum (SHA-256, first 12)",
                                "Added", "Corrected"]
    assert en.iloc[0].tolist() == [8, "2026-11-02 14:07", "reporter", "Task-list progress", "tasks.xlsx", "", 0, 3]


def test_by_rule_title_names_a_tie_instead_of_one_winner():
    """Two rules with 7 open alerts each: the title says they tie, never that one has most (review of 2026-12-06)."""
    alerts = pd.DataFrame({"rule_code": ["credit_npl"] * 7 + ["data_late"] * 7 + ["data_revised"] * 2})
    is_open = pd.Series([True] * 16)
    title = rv.by_rule_title(alerts, is_open, "zh")
    assert title == f"按规则：16条未办结，“{i18n.label('rule', 'credit_npl', 'zh')}”等2项规则并列最多（各7条）"
    rest = alerts.iloc[2:].reset_index(drop=True)
    alone = rv.by_rule_title(rest, pd.Series([True] * 14), "en")
    assert alone == f"By rule: 14 open, most for '{i18n.label('rule', 'data_late', 'en')}'"


def test_history_names_people_by_display_name_and_machines_in_words():
    history = pd.DataFrame({"from_state": [None, "identified"], "to_state": ["identified", "assessed"],
                            "actor": ["rules", "demo_analyst"], "actor_name": [None, "人民银行分析员（演示）"],
                            "note": [None, "已核实"], "at": pd.to_datetime(["2026-11-01 08:00", "2026-11-03 10:30"])})
    table = rv.history_table(history, "zh")
    assert table["处理人"].tolist() == ["规则引擎（自动）", "人民银行分析员（演示）"]
    assert rv.history_table(history, "en")["By"].tolist()[0] == "Rule engine (automatic)"


def test_live_figure_ticks_hours_and_shares_in_quarters():
    """One day by the hour: ticks read 06:00, not the date under every tick; the share axis reads 0/25/50/75/100."""
    hours = pd.DataFrame({"ts": pd.date_range("2026-10-31", periods=24, freq="h"), "electricity_grid_kwh": [1e5] * 24,
                          "electricity_own_renewable_kwh": [1e4] * 24, "electricity_direct_green_kwh": [2e4] * 24})
    fig = charts.build_live_figure(hours, title="t", subtitle="s", source="src",
                                   names={"load": "a", "own": "b", "direct": "c", "share": "d"})
    assert fig.layout.xaxis.tickformat == "%H:%M" and not fig.layout.xaxis.tickformatstops
    assert (fig.layout.yaxis2.tick0, fig.layout.yaxis2.dtick, tuple(fig.layout.yaxis2.range)) == (0, 25, (0, 100))
