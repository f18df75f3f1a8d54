"""Downloads: tables to Excel or CSV bytes. Text a spreadsheet would run as a formula (`is_formula`: =, @, or +/-
not followed by a plain number, after spaces, tabs and full-width forms) gets a leading apostrophe, in the
files and in the tables on screen (whose own toolbar download cannot be switched off)."""

from __future__ import annotations

import io

import pandas as pd

from data_access.ingest.parse import is_formula


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
