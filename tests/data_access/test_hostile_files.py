"""Files that must not hurt (issue 22, items 10 and 14): a workbook that inflates far beyond its size, a sheet with
too many rows, a parse that takes too long, a CSV mixing UTF-8 and GBK. Each is refused with a clear message
before it costs memory or time, and nothing is written."""

from __future__ import annotations

import io
import resource
import time
import zipfile

import openpyxl
import pytest

from data_access.ingest import parse as reading
from data_access.ingest.parse import FileRefused, read_table
from tests.data_access.test_ingest import GOOD, HEADER, csv_bytes, fingerprint, run

SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def crafted_xlsx(rows: int, *, padding_mb: int = 0, tail: bytes = b"") -> bytes:
    """A real workbook whose first sheet is rewritten: `rows` one-cell rows, then `padding_mb` MB of blanks (which
    deflate to almost nothing), then `tail` after the sheet data (e.g. merged ranges)."""
    wb = openpyxl.Workbook()
    wb.active.append(["机构代码"])
    plain = io.BytesIO()
    wb.save(plain)
    src = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, src.read(info.filename))
                continue
            with z.open(info.filename, "w") as f:
                f.write(SHEET_HEAD)
                for start in range(1, rows + 1, 1000):
                    f.write(b"".join(b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (i, i) for i in range(start, min(rows, start + 999) + 1)))
                for _ in range(padding_mb):
                    f.write(b" " * (1 << 20))
                f.write(b"</sheetData>" + tail + b"</worksheet>")
    return out.getvalue()


def test_a_decompression_bomb_is_refused_before_parsing_in_bounded_memory():
    bomb = crafted_xlsx(10, padding_mb=300)  # about 0.3 MB on disk, 300 MB inflated
    assert len(bomb) < 1_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(FileRefused) as refused:
        read_table(bomb, "bomb.xlsx")
    assert "工作簿解压后超过256MB" in refused.value.problem.zh and "decompression bomb" in refused.value.problem.en
    assert time.monotonic() - started < 30
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: it was never held whole


def test_too_many_rows_or_too_slow_a_sheet_is_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 1_000)
    with pytest.raises(FileRefused) as refused:
        read_table(crafted_xlsx(1_500), "long.xlsx")
    assert "工作表超过1,000行或3,000,000个单元格" in refused.value.problem.zh
    with pytest.raises(FileRefused) as refused:
        read_table(csv_bytes([GOOD] * 1_500), "long.csv")
    assert "文件超过1,000行" in refused.value.problem.zh

    monkeypatch.setattr(reading, "MAX_ROWS", 200_000)
    monkeypatch.setattr(reading, "MAX_PARSE_SECONDS", -1)  # every check is over budget
    with pytest.raises(FileRefused) as refused:
        read_table(crafted_xlsx(10_500), "slow.xlsx")
    assert "读取工作表超过-1秒" in refused.value.problem.zh


def test_a_merged_cell_gives_its_value_to_every_cell_of_the_range():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(GOOD)
    ws.append([None] + GOOD[1:])
    ws.merge_cells("A2:A3")  # one institution code for two rows
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), "merged.xlsx")
    assert [r[0] for r in table.rows] == ["SO-1", "SO-1"]
    assert table.header == HEADER


@pytest.mark.parametrize(("lines", "line", "major"), [
    (["中文行一", "园区共享储能"], 3, "UTF-8"),   # line 3 is GBK in a UTF-8 file
    (["中文行一", "中文行二", "园区共享储能"], 4, "GBK"),  # line 4 is UTF-8 in a GBK file
])
def test_a_csv_mixing_utf8_and_gbk_is_refused_naming_the_first_odd_line(lines, line, major):
    header = "项目,名称\n".encode("utf-8" if major == "UTF-8" else "gbk")
    body = b""
    for i, text in enumerate(lines, start=2):
        odd = i == line
        encoding = ("gbk" if odd else "utf-8") if major == "UTF-8" else ("utf-8" if odd else "gbk")
        body += f"P{i},{text}\n".encode(encoding)
    with pytest.raises(FileRefused) as refused:
        read_table(header + body, "mixed.csv")
    assert f"全文为{major}，第{line}行" in refused.value.problem.zh


def test_a_mixed_encoding_credit_file_changes_nothing(demo_db):
    other = list(GOOD)
    other[1], other[4] = "SO-1-2026-9002", "园区共享储能"  # a text cell whose GBK bytes are not UTF-8
    content = csv_bytes([GOOD]) + (",".join(f'"{v}"' for v in other) + "\n").encode("gbk")
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, content, name="credit.csv")
    assert not result.ok and "第3行却是GBK" in result.problems[0].zh
    assert fingerprint(demo_db.engine) == before


def test_plain_gbk_and_utf8_files_still_read():
    assert read_table("项目,名称\nP1,园区共享储能\n".encode("gbk"), "gbk.csv").rows == [["P1", "园区共享储能"]]
    assert read_table("\ufeff项目,名称\nP1,园区共享储能\n".encode("utf-8"), "utf8.csv").rows == [["P1", "园区共享储能"]]


def test_an_upload_is_read_once_per_file_and_data_version_not_on_every_rerun(demo_db, monkeypatch):
    from dashboard import data
    from data_access.ingest import load

    reads = []
    real = load.read_table
    monkeypatch.setattr(load, "read_table", lambda content, name: reads.append(name) or real(content, name))
    session, content = {}, csv_bytes([GOOD])
    kw = dict(actor="analyst", institution_id=None)
    for _ in range(3):  # three widget clicks
        preview = data.upload_preview(session, demo_db.url, "credit", content, "credit.csv", version="v1", **kw)
        assert preview.ok and preview.added == 1
    assert reads == ["credit.csv"]
    data.upload_preview(session, demo_db.url, "credit", content, "credit.csv", version="v2", **kw)  # data changed
    data.upload_preview(session, demo_db.url, "credit", content + b"\n", "credit.csv", version="v2", **kw)  # another file
    assert len(reads) == 3
