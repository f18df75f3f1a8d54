"""What a user takes away as a file: tables as Excel or CSV, figures as PNG (one, or a ZIP with a captions file),
and the settings of plotly's own camera button, so the browser's PNG has the same size and name as the server's.

Text a spreadsheet would run as a formula (`is_formula`: =, @, or +/- not followed by a plain number, after spaces,
tabs and full-width forms) gets a leading apostrophe, in the files and in the tables on screen (whose own toolbar
download cannot be switched off).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import threading
import zipfile

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n
from data_access.ingest.parse import is_formula

SCALES = (2, 3)
EXPORT_WIDTH = 1200  # CSS px; at scale 2 the PNG is 2400 px wide, enough for a printed news column
CHROMIUM = "/usr/bin/chromium"  # Debian's package; without it kaleido looks for a browser on PATH and BROWSER_PATH


# ---------------------------------------------------------------- tables

def escape_cells(df: pd.DataFrame, *, strict: bool = True) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula get a leading apostrophe (`is_formula`; on screen,
    strict=False leaves plain signed numbers such as "-17.0%" as they are)."""
    return df.map(lambda v: "'" + v if is_formula(v, strict=strict) else v)


def to_excel(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook with a sheet per table (sheet names cut to Excel's 31 characters)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            escape_cells(df).to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel opens Chinese text correctly."""
    return escape_cells(df).to_csv(index=False).encode("utf-8-sig")


# ---------------------------------------------------------------- figures

def file_stem(park_code: str, code: str, period: dt.date) -> str:
    return f"{park_code}_{code}_{period:%Y-%m}"


def camera_config(stem: str, fig: go.Figure, scale: int = 2) -> dict:
    """Plotly's own camera button set to the same size and file name as the server-side PNG."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": stem, "width": EXPORT_WIDTH,
                                     "height": max(int(fig.layout.height or 400), 420), "scale": scale}}


_kaleido_lock = threading.Lock()


class ExportError(RuntimeError):
    pass


def _ensure_kaleido() -> None:
    import kaleido

    # The browser is passed to kaleido, not written into the process environment.
    browser = {"path": CHROMIUM} if not os.environ.get("BROWSER_PATH") and os.path.exists(CHROMIUM) else {}
    try:
        # One headless Chromium for the process; no MathJax, so nothing is fetched from the web.
        kaleido.start_sync_server(n=1, timeout=90, mathjax=False, silence_warnings=True, **browser)
    except Exception as exc:  # noqa: BLE001 - every failure here means the same thing to the user
        raise ExportError(f"PNG export needs Chromium (apt-get install chromium, or set BROWSER_PATH): {exc}") from exc


def to_png(fig: go.Figure, *, scale: int = 2) -> bytes:
    """The figure as a PNG at `scale` times its layout size (kaleido, system Chromium)."""
    import kaleido

    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale}")
    width, height = int(fig.layout.width or EXPORT_WIDTH), int(fig.layout.height or 420)
    with _kaleido_lock:
        _ensure_kaleido()
        try:
            return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": width, "height": height, "scale": scale})
        except Exception as exc:  # noqa: BLE001
            raise ExportError(f"PNG export failed for '{charts.title_text(fig)}': {exc}") from exc


def zip_pngs(figures: dict[str, go.Figure], *, scale: int = 2, lang: str = "zh") -> bytes:
    """A ZIP of `{file stem: figure}` as PNGs, with a captions file an editor pastes from: a header row, then each
    image's file, title, subtitle (what, period, data end) and source line, tab-separated, UTF-8."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        lines = ["\t".join(i18n.t(f"gal.captions.{c}", lang) for c in ("file", "title", "subtitle", "source"))]
        for stem, fig in figures.items():
            z.writestr(f"{stem}.png", to_png(fig, scale=scale))
            subtitle = fig.layout.title.subtitle.text if fig.layout.title and fig.layout.title.subtitle else ""
            source = charts.source_annotation(fig)
            lines.append("\t".join(re.sub(r"<[^>]+>|\s+", " ", text or "").strip() for text in
                                   (f"{stem}.png", charts.title_text(fig), subtitle, source.text if source is not None else "")))
        z.writestr("captions.txt", "\n".join(lines) + "\n")
    return buf.getvalue()
