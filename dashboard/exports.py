"""Downloads: tables to Excel or CSV bytes. Cells that begin with =, +, -, @ are escaped so a spreadsheet
never runs them as formulas."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@")


def escape_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula get a leading apostrophe."""
    return df.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)


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
