"""The big screen (大屏): its style sheet and the HTML of its header and KPI tiles. Pure; pages/screen.py renders.

Sized for 1920x1080 read from the back of a room: tile values 56 px, labels 22 px, dark background with
light text (contrast above 12:1). Status is a word and an icon (from the status text) as well as a colour.
"""

from __future__ import annotations

import html

from dashboard import i18n
from dashboard.publication import SCREEN_BG, SCREEN_FG

STATUS_COLORS = {"met": "#56B4E9", "on_track": "#7CC8F2", "behind": "#F0A35E", "no_target": "#9FB3C8", "no_data": "#6B7F93"}

CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{display: none !important;}}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{background: {SCREEN_BG} !important; color: {SCREEN_FG};}}
[data-testid="stMainBlockContainer"], .block-container {{padding: 0.8rem 1.6rem 0 1.6rem !important; max-width: 100% !important;}}
.scr-head {{display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #24384A;
            padding-bottom: 6px; margin-bottom: 10px;}}
.scr-title {{font-size: 40px; font-weight: 700; color: {SCREEN_FG};}}
.scr-meta {{font-size: 22px; color: #9FB3C8; text-align: right;}}
.scr-demo {{background: #7A4D00; color: #FFF4CE; border-radius: 6px; padding: 2px 10px; margin-left: 12px; font-size: 22px;}}
.scr-tiles {{display: grid; grid-template-columns: repeat(6, 1fr); gap: 14px; margin-bottom: 8px;}}
.scr-tile {{background: #13222F; border-radius: 10px; padding: 12px 16px; border-top: 6px solid var(--c);}}
.scr-label {{font-size: 22px; color: #9FB3C8; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}}
.scr-value {{font-size: 56px; font-weight: 700; line-height: 1.1; color: {SCREEN_FG};}}
.scr-unit {{font-size: 22px; font-weight: 400; color: #9FB3C8; margin-left: 6px;}}
.scr-status {{font-size: 22px; color: var(--c);}}
.stApp p, .stApp span, .stApp label {{color: {SCREEN_FG};}}
.stApp button {{background: #13222F !important; border: 1px solid #3A5166 !important;}}
.stApp button p, .stApp a[data-testid="stPageLink-NavLink"] span {{color: #9FB3C8 !important; font-size: 18px;}}
/* Designed at 1920x1080 and fitted to the display, as meeting-room screens are: the header and tiles scale with the
   screen (--z), the charts take the height that is left, so 1366x768 projectors and 4K panels show everything,
   whole, without scrolling. */
:root {{--z: 1;}}
@media (max-width: 1700px), (max-height: 1000px) {{ :root {{--z: 0.7;}} }}
@media (min-width: 2800px) and (min-height: 1600px) {{ :root {{--z: 2;}} }}
.scr-ticker {{font-size: 22px; color: {SCREEN_FG}; background: #13222F; border-left: 6px solid #56B4E9; border-radius: 6px;
               padding: 4px 12px; margin-bottom: 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}}
.scr-ticker b {{color: #9FB3C8; font-weight: 400; margin-right: 10px;}}
.scr-head, .scr-tiles, .scr-ticker {{zoom: var(--z);}}
[data-testid="stMainBlockContainer"] {{padding-top: calc(0.8rem * var(--z)) !important;}}
.st-key-scr_charts .js-plotly-plot, .st-key-scr_charts [data-testid="stPlotlyChart"] {{
    height: calc(100vh - 430px * var(--z) - 1rem) !important;}}  /* Plotly sizes itself to this (autosize) */
[data-testid="stAppViewContainer"], [data-testid="stMain"] {{overflow: hidden !important;}}
/* Freeze and exit stay off the display: a small corner control that shows them when the mouse is over it. */
.st-key-scr_controls {{position: fixed; right: 12px; bottom: 8px; z-index: 1000; opacity: 0; transition: opacity .3s;
                       width: auto !important; padding: 8px; background: rgba(19,34,47,.9); border-radius: 8px;}}
.st-key-scr_controls:hover, .st-key-scr_controls:focus-within {{opacity: 1;}}
</style>
"""


def header_html(title: str, meta_lines: list[str], demo_mark: str | None = None) -> str:
    demo = f"<span class='scr-demo'>⚠ {html.escape(demo_mark)}</span>" if demo_mark else ""
    meta = "<br>".join(f"<span data-testid='scr-meta'>{html.escape(x)}</span>" for x in meta_lines)
    return (f"<div class='scr-head'><div class='scr-title' data-testid='scr-title'>{html.escape(title)}{demo}</div>"
            f"<div class='scr-meta'>{meta}</div></div>")


def tiles_html(tiles: list[dict], lang: str = "zh") -> str:
    """The headline KPI tiles (publication.kpi_tiles) as one grid. The change is named as the change on a year
    earlier, so "落后于进度 · 同比+17.3%" reads as two facts, not as a warning about growth."""
    cells = []
    for t in tiles:
        color = STATUS_COLORS.get(t["status"], "#9FB3C8")
        status = t["status_text"]  # carries its own icon (⚠ 落后于进度 ...)
        change = f" · {i18n.t('scr.yoy', lang, change=t['change'])}" if t["change"] else ""
        cells.append(
            f"<div class='scr-tile' style='--c:{color}' data-testid='scr-tile' data-kpi='{html.escape(t['code'])}'>"
            f"<div class='scr-label'>{html.escape(t['label'])}</div>"
            f"<div class='scr-value'>{html.escape(t['value'])}<span class='scr-unit'>{html.escape(t['unit'])}</span></div>"
            f"<div class='scr-status'>{html.escape(status + change)}</div></div>")
    return f"<div class='scr-tiles'>{''.join(cells)}</div>"


def ticker_html(label: str, sentence: str) -> str:
    """One line under the tiles: a work ledger's sentence (`ledgers.sentence`), one ledger per rotation step."""
    return f"<div class='scr-ticker' data-testid='scr-ticker'><b>{html.escape(label)}</b>{html.escape(sentence)}</div>"


def rotation_index(now_seconds: float, interval: int, n: int) -> int:
    """Which of `n` charts shows at a moment: driven by the clock, so reruns and refreshes never reset it."""
    return int(now_seconds // interval) % n if n else 0
