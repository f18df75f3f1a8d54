"""Checking a file against its kind, all at once: headers, every cell's type, pandera column checks (ranges,
codes, USCC check character, periods not in the future), repeated rows, references to what must exist, and
whose rows they are. Returns the typed rows and every problem, each located by file, sheet, row and column."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sqlalchemy import Connection, select

from data_access.ingest.kinds import Col, Kind
from data_access.ingest.parse import (
    Problem,
    RawTable,
    clean_text,
    is_formula,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_number,
)
from data_access.sqlfuncs import select_in
from data_access.models import Enterprise, GreenPowerTransaction, Institution, Meter, Park, Project
from data_access.uscc import uscc_problem

TYPE_WORDS = {  # what a cell of each type must look like
    "money": ("数字（万元，可写“亿”）", "a number (万元; '亿' is understood)"), "number": ("数字", "a number"),
    "int": ("整数", "a whole number"), "date": ("日期，如2026-10-31或2026年10月31日", "a date such as 2026-10-31"),
    "month": ("月份，如2026-10或2026年10月", "a month such as 2026-10"), "datetime": ("时间，如2026-10-01 13:00", "a time such as 2026-10-01 13:00"),
    "bool": ("是或否", "yes or no"),
}


def _labels(kind: str | None) -> dict[str, str]:
    """Chinese and English names of codes -> code (the template's drop-downs show the Chinese names)."""
    if not kind:
        return {}
    from data_access.taxonomy import LABELS  # the one table of names, beside the codes

    out = {}
    for code, (zh, en) in LABELS.get(kind, {}).items():
        out[zh], out[en.lower()] = code, code
    return out


def _parse(col: Col, value):
    """The typed value of a cell, None when empty; raises ValueError when it is not of the column's type."""
    if value is None or (isinstance(value, str) and clean_text(value) == ""):
        return None
    if col.type in ("money", "number"):
        return parse_number(value, money=col.type == "money")
    if col.type == "int":
        v = parse_number(value)
        if v != int(v):
            raise ValueError(value)
        return int(v)
    if col.type in ("date", "month"):
        return parse_date(value, month=col.type == "month")
    if col.type == "datetime":
        return parse_datetime(value)
    if col.type == "bool":
        return parse_bool(value)
    text = clean_text(value)
    if col.type == "code":
        return _labels(col.label_kind).get(text, _labels(col.label_kind).get(text.lower(), text))
    return text.upper() if col.type == "uscc" else text


# The largest plausible value of a numeric column that states no maximum of its own: a single cell above it is
# a typing or unit error (1e20 万元 is more than the world's money), refused with row and column.
PLAUSIBLE_MAX = {"money": 1e8, "number": 1e10, "int": 1e6}  # 万元 (1万亿元), any measure, counts and days
# Dates a report may carry: from 2000 to ten years ahead (a milestone dated 9999-12-31 crashed two pages).
EARLIEST_DATE = dt.date(2000, 1, 1)
YEARS_AHEAD = 10


def _schema(kind: Kind, today: dt.date) -> pa.DataFrameSchema:
    """Column checks as pandera checks; each check's name is the message key in MESSAGES."""
    cols = {}
    latest = today.replace(year=today.year + YEARS_AHEAD) if not (today.month == 2 and today.day == 29) else today.replace(
        year=today.year + YEARS_AHEAD, day=28)
    for c in kind.columns:
        checks = []
        if c.min is not None:
            checks.append(pa.Check(lambda s, lo=c.min: s >= lo, name=f"min:{c.min:g}"))
        hi = c.max if c.max is not None else PLAUSIBLE_MAX.get(c.type)
        if hi is not None:
            checks.append(pa.Check(lambda s, hi=hi: s <= hi, name=f"max:{hi:g}"))
        if c.type in ("date", "month", "datetime"):
            checks.append(pa.Check(lambda s, lo=EARLIEST_DATE, hi=latest: s.map(
                lambda v: lo <= (v.date() if isinstance(v, dt.datetime) else v) <= hi), name=f"window:{EARLIEST_DATE}:{latest}"))
        if c.codes:
            checks.append(pa.Check(lambda s, codes=frozenset(c.codes): s.isin(codes), name="code"))
        if c.type == "uscc":
            checks.append(pa.Check(lambda s: s.map(lambda v: uscc_problem(v) is None), name="uscc"))
        if c.type == "month":
            checks.append(pa.Check(lambda s: s.map(lambda v: v <= today.replace(day=1)), name="future"))
        if c.type in ("date", "datetime") and c.key in ("ts",):
            checks.append(pa.Check(lambda s: s.map(lambda v: v <= dt.datetime.combine(today, dt.time(23))), name="future"))
        cols[c.key] = pa.Column(checks=checks, nullable=True, required=False, coerce=False)
    return pa.DataFrameSchema(cols)


def _message(check: str, col: Col, value) -> tuple[str, str]:
    if check.startswith("min:"):
        return (f"不能小于{check[4:]}" + ("（余额、金额不能为负）" if col.type == "money" else ""), f"must not be below {check[4:]}")
    if check.startswith("max:"):
        return f"不能大于{check[4:]}", f"must not be above {check[4:]}"
    if check == "code":
        shown = "、".join(col.codes[:12])
        return f"不在代码表内（可选：{shown}）", f"not an allowed code ({shown})"
    if check == "uscc":
        return f"统一社会信用代码无效：{uscc_problem(value)}", f"invalid USCC: {uscc_problem(value)}"
    if check.startswith("window:"):
        _, lo, hi = check.split(":")
        return f"日期须在{lo}至{hi}之间", f"the date must lie between {lo} and {hi}"
    if check == "future":
        return "报告期不能晚于当前月份", "the period is in the future"
    return check, check


def check_table(table: RawTable, kind: Kind, conn: Connection, *, institution_id: int | None,
                today: dt.date | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed rows (one column per kind column, plus `_row` with the spreadsheet row number) and every problem.

    institution_id: the importing reporter's institution; rows of another institution are refused (None: anyone's).
    """
    today = today or dt.date.today()
    problems: list[Problem] = []
    def problem(row, col, value, zh, en):
        problems.append(Problem(table.file, table.sheet, row, col, None if value is None else str(value)[:60], zh, en))

    # 1. headers: each column found by its Chinese name (with or without unit), English name or code.
    index = {}
    for pos, h in enumerate(table.header):
        name = clean_text(h).split("（")[0].split("(")[0].strip().lower()
        for c in kind.columns:
            if name in (c.zh.lower(), c.en.lower(), c.key) and c.key not in index:
                index[c.key] = pos
    missing = [c for c in kind.columns if c.required and c.key not in index]
    for c in missing:
        problem(None, c.header, None, f"缺少必填列“{c.header}”（请使用{kind.zh}模板）", f"required column '{c.en}' is missing")
    if missing:
        return pd.DataFrame(), problems
    if not table.rows:
        problem(None, None, None, "文件只有表头，没有数据行", "the file has a header but no rows")
        return pd.DataFrame(), problems

    # 2. every cell parsed by its column's type.
    records = []
    for raw, row_no in zip(table.rows, table.row_numbers):
        rec = {"_row": row_no}
        for c in kind.columns:
            pos = index.get(c.key)
            value = raw[pos] if pos is not None and pos < len(raw) else None
            if is_formula(value):
                problem(row_no, c.header, value, "单元格是公式或以=、+、-、@开头（可能被电子表格当作公式执行），请改为纯文本或数值",
                        "the cell holds a formula or starts with =, +, -, @ (a spreadsheet would run it); enter plain text or a value")
                rec[c.key] = None
                continue
            try:
                rec[c.key] = _parse(c, value)
            except (ValueError, TypeError):
                zh, en = TYPE_WORDS.get(c.type, ("文本", "text"))
                problem(row_no, c.header, value, f"应为{zh}", f"expected {en}")
                rec[c.key] = None
                continue
            if rec[c.key] is None and c.required:
                problem(row_no, c.header, None, "必填项为空", "required value is empty")
        records.append(rec)
    frame = pd.DataFrame(records)
    for c in kind.columns:
        if c.key not in frame:
            frame[c.key] = None

    # 3. pandera column checks on the values that parsed.
    rows = frame.set_index("_row", drop=False)
    for c in kind.columns:
        present = rows[c.key].dropna()
        if present.empty:
            continue
        try:
            _schema(kind, today).select_columns([c.key]).validate(present.to_frame(c.key).astype(object), lazy=True)
        except SchemaErrors as err:
            for fc in err.failure_cases.itertuples():
                if fc.index is None or pd.isna(fc.index):
                    continue
                zh, en = _message(str(fc.check), c, fc.failure_case)
                problem(int(fc.index), c.header, fc.failure_case, zh, en)

    # 4. a row's identity may appear once.
    key_cols = list(kind.key)
    dup = frame[frame.duplicated(key_cols, keep="first") & frame[key_cols].notna().all(axis=1)]
    first_rows = frame.drop_duplicates(key_cols).set_index(key_cols)["_row"]
    names_zh, names_en = "、".join(kind.col(k).zh for k in key_cols), ", ".join(kind.col(k).en for k in key_cols)
    for _, r in dup.iterrows():
        first = first_rows.loc[tuple(r[k] for k in key_cols) if len(key_cols) > 1 else r[key_cols[0]]]
        problem(int(r["_row"]), names_zh, None, f"与第{first}行重复（同一{names_zh}只能出现一次）",
                f"repeats row {first} (the same {names_en} may appear once)")

    # 5. references to what must exist, and whose rows they are.
    lookups = _lookups(conn, kind, frame, institution_id)
    for c in kind.columns:
        if not c.ref:
            continue
        known = lookups[c.ref]
        for row_no, v in zip(frame["_row"], frame[c.key]):
            if v is not None and v not in known:
                what = {"institution": ("机构代码", "institution code"), "enterprise": ("园区企业", "park enterprise"),
                        "project": ("项目编号", "project code"), "meter": ("计量表", "meter"), "park": ("园区代码", "park code")}[c.ref]
                problem(row_no, c.header, v, f"{what[0]}不存在（未在系统登记）", f"unknown {what[1]} (not registered)")
    if kind.code == "meter_readings":
        units = lookups["meter_unit"]
        for row_no, m, u in zip(frame["_row"], frame["meter_code"], frame["unit"]):
            if m in units and u is not None and u != units[m]:
                problem(row_no, kind.col("unit").header, u, f"单位与表计登记的“{units[m]}”不一致", f"unit differs from the meter's '{units[m]}'")
    if kind.code == "credit":
        for row_no, start, end in zip(frame["_row"], frame["start_date"], frame["maturity_date"]):
            if start and end and end < start:
                problem(row_no, kind.col("maturity_date").header, end, f"到期日早于起始日{start}", f"maturity before the start {start}")
    if kind.code == "green_power":
        _check_serials(conn, kind, frame, problem)
    if kind.code == "financials":
        for row_no, equity, debt in zip(frame["_row"], frame["total_equity"], frame["total_debt"]):
            if not pd.isna(equity) and not pd.isna(debt) and float(equity) + float(debt) <= 0:
                problem(row_no, kind.col("total_equity").header, equity, f"所有者权益与负债合计（{float(equity) + float(debt):,.0f}万元）须大于0",
                        f"equity plus debt ({float(equity) + float(debt):,.0f} 万元) must be above 0")
    if institution_id is not None and kind.owner_column:
        own = lookups["own_code"]
        for row_no, code in zip(frame["_row"], frame[kind.owner_column]):
            if code is not None and code != own:
                problem(row_no, kind.col(kind.owner_column).header, code,
                        f"只能报送本机构（{own}）的数据，整份文件不予导入", f"you may only send rows of your institution ({own}); the whole file is refused")
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return frame, problems


def _check_serials(conn: Connection, kind: Kind, frame: pd.DataFrame, problem) -> None:
    """GEC serials: present where the kind needs them, as many as the MWh (1 certificate = 1 MWh), and claimed
    once: not overlapping another row of the file, nor a claim already stored (a re-sent row of the same kind
    and reference may repeat its own serials)."""
    head_lo, head_hi = kind.col("serial_start").header, kind.col("serial_end").header
    ranges = []
    for row_no, r in zip(frame["_row"], frame.itertuples()):
        lo = None if pd.isna(r.serial_start) else int(r.serial_start)
        hi = None if pd.isna(r.serial_end) else int(r.serial_end)
        if lo is None and hi is None:
            if r.kind in ("certificate", "own_sold"):
                problem(row_no, head_lo, None, "绿证核销或已售出须填写绿证序列号", "certificates need their serial numbers")
            continue
        if lo is None or hi is None:
            problem(row_no, head_hi if hi is None else head_lo, None, "起始和终止序列号须同时填写", "give both the first and the last serial")
            continue
        if hi < lo:
            problem(row_no, head_hi, hi, f"终止序列号小于起始序列号{lo}", f"the last serial is below the first {lo}")
            continue
        if not pd.isna(r.mwh) and hi - lo + 1 != round(r.mwh):
            problem(row_no, kind.col("mwh").header, r.mwh, f"序列号{lo}–{hi}共{hi - lo + 1}张，与电量{r.mwh:g} MWh不符（1张=1 MWh）",
                    f"serials {lo}-{hi} are {hi - lo + 1} certificates, not {r.mwh:g} MWh (1 certificate = 1 MWh)")
            continue
        ranges.append((int(lo), int(hi), int(row_no), r.kind, r.reference))
    ranges.sort()
    reach = None  # the range reaching furthest so far
    for lo2, hi2, row2, _k, _r in ranges:
        if reach is not None and lo2 <= reach[1]:
            row1 = reach[2]
            problem(max(row1, row2), head_lo, lo2, f"绿证序列号{lo2}–{min(reach[1], hi2)}与第{min(row1, row2)}行重复，同一绿证只能计入一次",
                    f"serials {lo2}-{min(reach[1], hi2)} repeat row {min(row1, row2)}; a certificate counts once")
        if reach is None or hi2 > reach[1]:
            reach = (lo2, hi2, row2)
    if not ranges:
        return
    g = GreenPowerTransaction
    stored = conn.execute(select(g.kind, g.reference, g.period, g.serial_start, g.serial_end)
                          .where(g.serial_start <= max(r[1] for r in ranges), g.serial_end >= min(r[0] for r in ranges))).all()
    for lo, hi, row, k, ref in ranges:
        for s in stored:
            if s.serial_start <= hi and s.serial_end >= lo and not (s.kind == k and s.reference == ref):
                a, b = max(lo, s.serial_start), min(hi, s.serial_end)
                problem(row, head_lo, lo, f"绿证序列号{a}–{b}（{b - a + 1}张）已由{s.reference}（{s.period:%Y-%m}）申报，同一绿证只能计入一次",
                        f"serials {a}-{b} ({b - a + 1}) were already claimed by {s.reference} ({s.period:%Y-%m}); a certificate counts once")
                break


def _lookups(conn: Connection, kind: Kind, frame: pd.DataFrame, institution_id: int | None) -> dict:
    out = {"institution": set(), "enterprise": set(), "project": set(), "meter": set(), "park": set(), "meter_unit": {},
           "own_code": own_code(conn, institution_id)}
    refs = {c.ref for c in kind.columns if c.ref}
    if "institution" in refs or kind.owner_column:
        out["institution"] = set(conn.execute(select(Institution.code)).scalars())
    if "enterprise" in refs:
        out["enterprise"] = set(conn.execute(select(Enterprise.uscc)).scalars())
    if "project" in refs:
        out["project"] = set(conn.execute(select(Project.code)).scalars())
    if "park" in refs:
        out["park"] = set(conn.execute(select(Park.code)).scalars())
    if "meter" in refs:
        rows = select_in(conn, select(Meter.code, Meter.unit), Meter.code, frame["meter_code"].dropna().unique().tolist())
        out["meter"], out["meter_unit"] = {r.code for r in rows}, {r.code: r.unit for r in rows}
    return out


def own_code(conn: Connection, institution_id: int | None) -> str | None:
    if institution_id is None:
        return None
    return conn.execute(select(Institution.code).where(Institution.id == institution_id)).scalar_one_or_none()
