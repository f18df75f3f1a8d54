"""Reference data every deployment needs: the sourced emission-factor set (data_access/reference/)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from sqlalchemy import Connection, delete, insert

from data_access.models import EmissionFactor

FACTORS_CSV = Path(__file__).resolve().parent / "reference" / "emission_factors.csv"
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
