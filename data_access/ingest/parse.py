"""Reading what reporters send: .xlsx and .csv (UTF-8, UTF-8 with BOM, GBK/GB18030), and turning messy cells
into values: full-width characters, thousands separators, 万元 mixed with 亿元, Chinese date forms.

Every problem becomes a `Problem` located by file, sheet, row and column; nothing here touches the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_BYTES = 40 * 1024 * 1024  # a monthly report is far smaller; larger files are refused before parsing
# A workbook is a zip: a 240 KB file can inflate to a 53 MB sheet (a "decompression bomb"). Before openpyxl sees it,
# its parts are inflated as a stream and counted; then the sheet is read row by row (read-only mode) and stops at
# a row count, a cell count and a time limit, so memory (about 350 MB at most) and time stay bounded whatever the
# file holds. A 100,000-row credit report (1.7 million cells, about 90 MB inflated) is within all four.
MAX_XLSX_INFLATED = 256 * 1024 * 1024
MAX_ROWS = 200_000
MAX_CELLS = 3_000_000
MAX_COLUMNS = 100  # cells right of this column are not read (a report has at most 20 columns)
MAX_PARSE_SECONDS = 90


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None  # 1-based, as the spreadsheet shows it; None for the whole file
    column: str | None
    value: str | None
    zh: str
    en: str

    def line(self) -> str:
        where = f"{self.file}"
        if self.sheet:
            where += f" · {self.sheet}"
        if self.row:
            where += f" · 第{self.row}行"
        if self.column:
            where += f" · {self.column}"
        value = f" · 值“{self.value}”" if self.value not in (None, "") else ""
        return f"{where}{value}：{self.zh} / {self.en}"


class FileRefused(Exception):
    """The file as a whole cannot be read (encoding, size, no header, empty)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.line())
        self.problem = problem


@dataclass
class RawTable:
    file: str
    sheet: str
    header: list[str]
    rows: list[list[object]]  # cell values as read (str for CSV; str, number, date or None for xlsx)
    row_numbers: list[int]  # the spreadsheet's own number of each row (blank rows are skipped)


def _refuse(file: str, zh: str, en: str, sheet: str = "") -> FileRefused:
    return FileRefused(Problem(file, sheet, None, None, None, zh, en))


def read_table(content: bytes, file_name: str, *, sheet_hint: str | None = None) -> RawTable:
    """The data sheet of a workbook (the first sheet, or `sheet_hint`) or a CSV file, with its header row."""
    if not content:
        raise _refuse(file_name, "文件为空", "the file is empty")
    if len(content) > MAX_BYTES:
        raise _refuse(file_name, f"文件超过{MAX_BYTES // 1024 // 1024}MB上限，请按月分文件报送",
                      f"the file exceeds {MAX_BYTES // 1024 // 1024} MB; send one file per month")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content, file_name, sheet_hint)
    if file_name.lower().endswith(".csv"):
        return _read_csv(content, file_name)
    raise _refuse(file_name, "只接受 .xlsx 或 .csv 文件", "only .xlsx and .csv files are accepted")


def decode_text(content: bytes, file_name: str) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM) or GBK/GB18030, decoded strictly. The encoding is
    decided line by line: a line with non-ASCII bytes that is valid UTF-8 is UTF-8 (GBK text almost never is).
    A file mixing both (one GBK row in a UTF-8 file was stored as mojibake) is refused, naming the first line
    that differs from the rest; so is a line that neither encoding reads."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    utf8_lines, other_lines = [], []
    for number, line in enumerate(content.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines.append(number)
        except UnicodeDecodeError:
            other_lines.append(number)
    if utf8_lines and other_lines:
        odd = min(other_lines) if len(utf8_lines) >= len(other_lines) else min(utf8_lines)
        major, minor = ("UTF-8", "GBK") if len(utf8_lines) >= len(other_lines) else ("GBK", "UTF-8")
        raise _refuse(file_name, f"文件编码不一致：全文为{major}，第{odd}行却是{minor}等其他编码，请整份另存为UTF-8后重新上传",
                      f"mixed encodings: the file is {major} but line {odd} is not; save the whole file as UTF-8 and upload it again")
    encoding = "utf-8" if not other_lines else "gb18030"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as err:
        line = content[:err.start].count(b"\n") + 1
        raise _refuse(file_name, f"文件编码无法识别：第{line}行无法按UTF-8或GBK/GB18030解码（可能是UTF-16或二进制文件），请另存为UTF-8后重新上传",
                      f"unknown encoding: line {line} cannot be decoded as UTF-8 or GBK/GB18030 (it may be UTF-16 or binary); "
                      "save the file as UTF-8 and upload it again") from None


def _read_csv(content: bytes, file_name: str) -> RawTable:
    text = decode_text(content, file_name)
    if "\ufffd" in text or "\x00" in text:
        raise _refuse(file_name, "文件编码无法识别（支持UTF-8、GBK/GB18030），可能是UTF-16或二进制文件",
                      "unknown encoding (UTF-8 or GBK/GB18030 expected); it may be UTF-16 or binary")
    rows = []
    for i, r in enumerate(csv.reader(io.StringIO(text)), start=1):
        if i > MAX_ROWS + 1:
            raise _refuse(file_name, f"文件超过{MAX_ROWS:,}行，请拆分文件", f"the file has more than {MAX_ROWS:,} rows; split the file")
        if any(c.strip() for c in r):
            rows.append((i, r))
    if not rows:
        raise _refuse(file_name, "文件没有内容", "the file has no rows")
    return RawTable(file_name, "", [c.strip() for c in rows[0][1]], [list(r) for _, r in rows[1:]], [i for i, _ in rows[1:]])


def _check_inflated_size(content: bytes, file_name: str) -> None:
    """Inflate every part of the workbook as a stream, counting bytes, and refuse it past MAX_XLSX_INFLATED."""
    limit_mb = MAX_XLSX_INFLATED // 1024 // 1024
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        total = 0
        for info in archive.infolist():
            with archive.open(info) as part:
                while block := part.read(1 << 20):
                    total += len(block)
                    if total > MAX_XLSX_INFLATED:
                        raise _refuse(file_name, f"工作簿解压后超过{limit_mb}MB（可能是“压缩炸弹”），不予读取；请删除多余内容或拆分文件",
                                      f"the workbook inflates to more than {limit_mb} MB (a possible decompression bomb); "
                                      "remove what is not needed or split the file")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise _refuse(file_name, f"无法作为Excel文件打开（{type(exc).__name__}）", f"cannot be opened as an Excel file ({type(exc).__name__})") from None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def _merged_ranges(content: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range, read from the sheet's XML as a stream (openpyxl's
    read-only mode does not give them)."""
    from openpyxl.utils import column_index_from_string as col

    out, tail = [], b""
    with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(sheet_path.lstrip("/")) as part:
        while block := part.read(1 << 20):
            text, tail = tail + block, b""
            cut = text.rfind(b"<")
            text, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            for m in _MERGE.finditer(text):
                c1, r1 = col(m.group(1).decode()), int(m.group(2))
                c2, r2 = (col(m.group(3).decode()), int(m.group(4))) if m.group(3) else (c1, r1)
                out.append((r1, c1, r2, c2))
        out += [(int(m.group(2)), col(m.group(1).decode()), int(m.group(4) or m.group(2)), col((m.group(3) or m.group(1)).decode()))
                for m in _MERGE.finditer(tail)]
    return out


def _read_xlsx(content: bytes, file_name: str, sheet_hint: str | None) -> RawTable:
    import openpyxl

    _check_inflated_size(content, file_name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), data_only=False, read_only=True)
        ws = wb[sheet_hint] if sheet_hint and sheet_hint in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()  # the declared size is not trusted: a bomb declares a million rows
        started, cells, rows = time.monotonic(), 0, []
        for r_idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
            values = list(row[:MAX_COLUMNS])
            cells += len(values)
            if cells > MAX_CELLS or r_idx > MAX_ROWS:
                raise _refuse(file_name, f"工作表超过{MAX_ROWS:,}行或{MAX_CELLS:,}个单元格，请拆分文件",
                              f"the sheet has more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells; split the file", ws.title)
            if r_idx % 10_000 == 0 and time.monotonic() - started > MAX_PARSE_SECONDS:
                raise _refuse(file_name, f"读取工作表超过{MAX_PARSE_SECONDS}秒，请拆分文件或另存为CSV",
                              f"reading the sheet took more than {MAX_PARSE_SECONDS} s; split the file or save it as CSV", ws.title)
            rows.append((r_idx, values))
        merged = _merged_ranges(content, ws._worksheet_path)
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl raises several types for a broken or disguised file
        raise _refuse(file_name, f"无法作为Excel文件打开（{type(exc).__name__}）", f"cannot be opened as an Excel file ({type(exc).__name__})") from None
    finally:
        if "wb" in locals():
            wb.close()
    # Merged header cells: the value sits in the top-left cell; give it to every cell of the range that was read.
    by_number = dict(rows)
    for r1, c1, r2, c2 in merged:
        top = by_number.get(r1, [])
        value = top[c1 - 1] if c1 - 1 < len(top) else None
        for r in range(r1, min(r2, len(rows)) + 1):
            cells_of_row = by_number.get(r)
            if cells_of_row is None:
                continue
            last = min(c2, MAX_COLUMNS)
            cells_of_row.extend([None] * (last - len(cells_of_row)))
            for c in range(c1, last + 1):
                cells_of_row[c - 1] = value
    rows = [(i, v) for i, v in rows if any(x not in (None, "") for x in v)]
    if not rows:
        raise _refuse(file_name, "工作表没有内容", "the sheet has no rows", ws.title)
    header = [("" if h is None else str(h)).strip() for h in rows[0][1]]
    return RawTable(file_name, ws.title, header, [v for _, v in rows[1:]], [i for i, _ in rows[1:]])


# --- cells -------------------------------------------------------------------------------------------

def clean_text(value) -> str:
    """NFKC folds full-width digits, letters and punctuation to their ASCII forms; spaces are trimmed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


# A signed number, optionally followed by a unit ("-17.0%", "+0.00 tCO2/tce", "+1.2 万吨CO2"): nothing a formula
# needs to do harm (no = + @ | ! ( ) quotes or semicolons after the number).
_PLAIN_SIGNED = re.compile(r"""^[+-]\s?[\d.,]+(\s*[^=+@|!()"';]*)?$""")


def is_formula(value, *, strict: bool = False) -> bool:
    """Text a spreadsheet would run as a formula, as it stands or once normalised: it begins (after spaces, tabs
    and line breaks, full-width forms folded) with = or @, or with + or - (OWASP CSV injection: =HYPERLINK(...),
    ＝1+1, +cmd|..., @SUM(...)). Unless `strict`, a plain signed number ("-17.0%", "+3") is not counted: imports
    and tables on screen keep those; files written for spreadsheets escape them too."""
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value).lstrip(" \t\r\n")
    if not text:
        return False
    if text[0] in "=@":
        return True
    return text[0] in "+-" and (strict or not _PLAIN_SIGNED.match(text))


_UNIT_FACTORS = {"亿元": 10_000.0, "亿": 10_000.0, "万元": 1.0, "万": 1.0, "元": 0.0001}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(value, *, money: bool = False) -> float:
    """A number from a cell: 1,234.5 / １２３４ / 1.2亿 (money in 万元: 亿 x 10,000, 元 / 10,000) / 3.5%. Raises ValueError,
    also for infinity and NaN (1e309, 'inf'), which no column may hold."""
    if isinstance(value, bool):
        raise ValueError("boolean")
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            raise ValueError("not finite")
        return float(value)
    text = clean_text(value).replace(",", "").replace(" ", "")
    factor = 1.0
    if money:
        for unit, f in _UNIT_FACTORS.items():
            if text.endswith(unit):
                text, factor = text[: -len(unit)], f
                break
    text = text.rstrip("%")
    if not _NUMBER.match(text):
        raise ValueError(text)
    number = float(text) * factor
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


_DATE_FORMS = [
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), "ymd"), (re.compile(r"^(\d{4})年(\d{1,2})月?$"), "ym"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), "ymd"), (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"), (re.compile(r"^(\d{4})(\d{2})$"), "ym"),
]


def parse_date(value, *, month: bool = False) -> dt.date:
    """2025年3月 / 2025年3月31日 / 2025-03 / 2025/3/31 / 20250331 / an Excel date; a month gives its first day."""
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    else:
        text = clean_text(value).split(" ")[0]
        for pattern, form in _DATE_FORMS:
            m = pattern.match(text)
            if m:
                y, mo = int(m.group(1)), int(m.group(2))
                d = dt.date(y, mo, int(m.group(3)) if form == "ymd" else 1)
                break
        else:
            raise ValueError(text)
    return d.replace(day=1) if month else d


def parse_datetime(value) -> dt.datetime:
    """A reading's hour: 2026-10-01 13:00 / 2026/10/1 13:00:00 / an Excel date-time."""
    if isinstance(value, dt.datetime):
        return value.replace(minute=0, second=0, microsecond=0) if value.minute == value.second == 0 else value
    text = clean_text(value).replace("/", "-").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "绿色"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "非绿色"}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(text)
