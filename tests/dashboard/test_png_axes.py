"""Publication PNGs keep their axes (issue 17): every gallery chart, rendered to PNG the way the gallery, the ZIP
and the briefing do, has its category or tick labels whole in the left part of the image; the legend sits above
the plot, not over the data."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard import charts, exports, publication
from data_access.scope import FULL_ACCESS

PERIOD = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def gallery(demo_sqlite):
    with demo_sqlite.engine.connect() as conn:
        bundle = publication.gather(conn, park_id=1, period=PERIOD, scope=FULL_ACCESS)
    return bundle, publication.build_charts(bundle, "zh")


def test_every_gallery_chart_has_its_axis_labels_in_the_png(gallery):
    bundle, figures = gallery
    assert len(figures) >= 6
    for code, fig in figures.items():
        out = publication.publication_figure(fig, data_end=bundle.data_end.get("energy"), lang="zh")
        image = np.asarray(Image.open(io.BytesIO(exports.to_png(out, scale=2))).convert("L"))
        h, w = image.shape
        band = image[int(h * 0.22):int(h * 0.78), : int(w * 0.12)]  # between the titles and the source line
        inked_rows = (band < 128).any(axis=1)
        inked_cols = (band < 128).any(axis=0)
        assert inked_rows.mean() > 0.05, f"{code}: no labels in the left 12 %"
        # Labels start inside the image, not cut at its edge: the first columns stay blank.
        assert not inked_cols[:4].any(), f"{code}: ink at the very edge (cut labels)"
        assert (band < 128).sum() > 400, f"{code}: labels shrunk to a character or two"


def test_legends_sit_above_the_plot_area(gallery):
    _, figures = gallery
    for code, fig in figures.items():
        if charts.has_legend(fig):
            assert fig.layout.legend.yanchor == "bottom" and fig.layout.legend.y >= 1.0, code


def test_the_2030_star_sits_on_the_2030_year_end_tick_and_dates_never_read_jan():
    history = pd.Series(range(36), index=pd.period_range("2024-01", periods=36, freq="M"), dtype=float)
    fan = pd.DataFrame({"mean": 40.0, "lower": 35.0, "upper": 45.0}, index=pd.period_range("2027-01", "2030-12", freq="M"))
    names = {"history": "历史", "forecast": "预测", "fan": "80%区间", "required": "所需路径", "target": "目标", "year_end": "{year}年末"}
    fig = charts.build_fan_figure(history, fan, pd.Series(dtype=float), 50.0, scale=1, unit="%", decimals=1, title="t", subtitle="s",
                                  source="src", names=names)
    star = next(t for t in fig.data if t.name == "目标")
    ticks = dict(zip(pd.to_datetime(list(fig.layout.xaxis.tickvals)), fig.layout.xaxis.ticktext))
    assert pd.Timestamp(star.x[0]) == pd.Timestamp(2030, 12, 1) and ticks[pd.Timestamp(2030, 12, 1)] == "2030年末"
    assert [s.value for s in fig.layout.xaxis.tickformatstops] == ["%Y-%m-%d", "%Y-%m", "%Y"]


def test_a_long_legend_gets_room_above_the_plot_instead_of_running_into_the_title():
    import plotly.graph_objects as go

    def fig(names):
        f = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], name=n) for n in names])
        f.update_layout(legend=charts.LEGEND)
        return charts.base_layout(f, title="近12个月排放162.6万吨CO2", subtitle="园区 · 数据截至2026-10-31", source="数据来源")

    short = fig(["实际", "目标"])
    long = fig(["实际（滚动12个月）", "目标路径（2025年末基准（假设）→2030年10.4万吨（假设值））", "超出路径部分"])
    assert charts.legend_rows(short) == 1 and charts.legend_rows(long) == 3
    assert long.layout.margin.t - short.layout.margin.t == 68 and long.layout.height - short.layout.height == 68
