"""Reference data every deployment needs, shipped as CSV in data_access/reference/ with a source per row:
the emission factors (loaded into the database), and the thresholds, bands, yields, grading cut-offs, policy
and market rates and sector benchmarks the computations use (read from the files, one place each).

Every row's status says what it is: sourced (an official document named in the source column), unconfirmed
(read only in secondary sources), derived (arithmetic on sourced values) or assumption (ours; the UI marks it
假设 / assumption wherever it is used).
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sqlalchemy import Connection, delete, insert

from data_access.models import EmissionFactor

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
FACTORS_CSV = REFERENCE_DIR / "emission_factors.csv"
STATUSES = ("sourced", "unconfirmed", "derived", "assumption")
_STATUS = re.compile(r"^(sourced|unconfirmed|derived)\s*(?:\((.*)\))?$")


def read_factor_rows(path: Path = FACTORS_CSV) -> list[dict]:
    """Rows of the factor CSV as dicts for `emission_factor`; 'any' becomes NULL year / region 'any'."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line_no, rec in enumerate(csv.DictReader(fh), start=2):
            m = _STATUS.match(rec["status"].strip())
            if not m:
                raise ValueError(f"{path.name} line {line_no}, column status: {rec['status']!r} is not sourced/unconfirmed/derived")
            rows.append(
                {
                    "factor": rec["factor"],
                    "region": rec["region"],
                    "year": None if rec["year"] == "any" else int(rec["year"]),
                    "value": float(rec["value"]),
                    "unit": rec["unit"],
                    "status": m.group(1),
                    "note": m.group(2),
                    "source": rec["source"] or None,
                }
            )
    return rows


def load_reference_factors(conn: Connection) -> int:
    """Replace the emission-factor table with the shipped set. Returns the number of rows."""
    rows = read_factor_rows()
    conn.execute(delete(EmissionFactor))
    conn.execute(insert(EmissionFactor), rows)
    return len(rows)


@dataclass(frozen=True)
class ReferenceValue:
    code: str
    value: float
    unit: str
    status: str  # one of STATUSES
    source: str

    @property
    def is_assumption(self) -> bool:
        """Ours, or not confirmed by an official document: shown with a 假设 / assumption mark."""
        return self.status in ("assumption", "unconfirmed")


def _read(name: str) -> list[dict]:
    path = REFERENCE_DIR / name
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for line_no, rec in enumerate(rows, start=2):
        if rec.get("status") not in STATUSES:
            raise ValueError(f"{name} line {line_no}, column status: {rec.get('status')!r} is not one of {STATUSES}")
        if not (rec.get("source") or "").strip():
            raise ValueError(f"{name} line {line_no}, column source: every reference value names its source")
    return rows


@functools.cache
def reference_values() -> dict[str, ReferenceValue]:
    """reference_values.csv by code."""
    return {r["code"]: ReferenceValue(r["code"], float(r["value"]), r["unit"], r["status"], r["source"])
            for r in _read("reference_values.csv")}


def reference_value(code: str) -> ReferenceValue:
    """One reference value; an unknown code raises KeyError naming it."""
    try:
        return reference_values()[code]
    except KeyError:
        raise KeyError(f"reference value {code!r} is not in reference_values.csv") from None


def policy_tool_rates() -> pd.DataFrame:
    """Rates of the structural policy tools by date: tool, from (date), rate (%), status, source."""
    df = pd.DataFrame(_read("policy_tool_rates.csv"))
    df["from"] = pd.to_datetime(df["from"]).dt.date
    df["rate"] = df["rate"].astype(float)
    return df[["tool", "from", "rate", "status", "source"]]


@functools.cache
def _steps(table: str, code: str) -> tuple[tuple, tuple]:
    """(dates, rates) of one tool or market rate, in date order, read once: a lookup runs for every demo loan."""
    rates = policy_tool_rates() if table == "policy_tool_rates.csv" else market_rates()
    column = "tool" if table == "policy_tool_rates.csv" else "rate_code"
    rows = rates[rates[column] == code].sort_values("from")
    if rows.empty:
        raise KeyError(f"no rates for {code!r} in {table}")
    return tuple(rows["from"]), tuple(float(r) for r in rows["rate"])


def _in_force(table: str, code: str, day) -> float:
    """The rate of the latest row whose `from` is on or before `day` (the first row's before any is in force)."""
    dates, rates = _steps(table, code)
    return rates[max(bisect.bisect_right(dates, day) - 1, 0)]


def policy_tool_rate(tool: str, day) -> float:
    """The rate of `tool` in force on `day`, % (the first published rate before the tool existed)."""
    return _in_force("policy_tool_rates.csv", tool, day)


@functools.cache
def market_rates() -> pd.DataFrame:
    """Market reference rates by date (the one-year LPR): rate_code, from (date), rate (%), status, source."""
    df = pd.DataFrame(_read("market_rates.csv"))
    df["from"] = pd.to_datetime(df["from"]).dt.date
    return df.assign(rate_code=df["rate"], rate=df["value"].astype(float))[["rate_code", "from", "rate", "status", "source"]]


def market_rate(code: str, day) -> float:
    """The market rate `code` (e.g. lpr_1y) in force on `day`, %."""
    return _in_force("market_rates.csv", code, day)


@functools.cache
def carbon_price_paths() -> dict[str, dict[int, float]]:
    """The preset carbon-price paths of the stress test, 元/tCO2 by year: {path: {year: price}}. All assumptions
    (carbon_price_paths.csv says so, row by row, with the basis of each path)."""
    out: dict[str, dict[int, float]] = {}
    for rec in _read("carbon_price_paths.csv"):
        out.setdefault(rec["path"], {})[int(rec["year"])] = float(rec["price"])
    return out


def sector_intensities() -> pd.DataFrame:
    """National intensity per sector (tCO2 per 万元 value added) for the carbon-grade fallback: sector, value,
    unit, status, source."""
    df = pd.DataFrame(_read("sector_intensity.csv"))
    df["value"] = df["value"].astype(float)
    return df
