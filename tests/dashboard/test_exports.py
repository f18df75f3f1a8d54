"""Downloads open in a spreadsheet with exactly the table shown, and formula-like cells are escaped."""

import io

import openpyxl
import pandas as pd

from dashboard.exports import escape_cells, to_csv, to_excel


def test_excel_round_trip_and_escaping():
    table = pd.DataFrame({"机构": ["国有行甲", "=HYPERLINK(\"http://x\")", "+1", "-2", "@cmd", "a=b"], "余额（亿元）": [1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    wb = openpyxl.load_workbook(io.BytesIO(to_excel({"对比": table})))
    ws = wb["对比"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("机构", "余额（亿元）")
    assert [r[0] for r in rows[1:]] == ["国有行甲", "'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@cmd", "a=b"]
    assert [r[1] for r in rows[1:]] == [1.5, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_csv_has_a_bom_and_escapes():
    data = to_csv(pd.DataFrame({"x": ["=1+1", "ok"]}))
    assert data.startswith("\ufeff".encode("utf-8"))
    assert "'=1+1" in data.decode("utf-8-sig")
    assert escape_cells(pd.DataFrame({"n": [-5]}))["n"].tolist() == [-5]  # numbers stay numbers


def test_formulas_hidden_behind_spaces_tabs_and_full_width_forms_are_escaped():
    """Issue 22.7: ' =HYPERLINK(...)', '＝1+1' and tab + '=' got through."""
    tricky = [" =HYPERLINK(\"http://evil.example\")", "＝1+1", "\t=1+1", "＠SUM(A1)", "+cmd|' /C calc'!A0"]
    escaped = escape_cells(pd.DataFrame({"x": tricky}))["x"].tolist()
    assert all(v.startswith("'") for v in escaped)
    on_screen = escape_cells(pd.DataFrame({"x": [*tricky, "-17.0%", "+3.2个百分点", "项目-一期"]}), strict=False)["x"].tolist()
    assert all(v.startswith("'") for v in on_screen[:5]) and on_screen[5:] == ["-17.0%", "+3.2个百分点", "项目-一期"]
