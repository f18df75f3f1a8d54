"""Imports: templates round-trip; a corpus of bad files is each refused with its own located error and leaves the
database unchanged; corrections become revisions; a reporter may send only its own rows; a killed import leaves
nothing."""

import datetime as dt
import hashlib
import io
import shutil

import openpyxl
import pytest
from sqlalchemy import inspect, select, text

from data_access.db import make_engine
from data_access.ingest import load
from data_access.ingest.kinds import KINDS
from data_access.ingest.templates import DATA_SHEET, HELP_SHEET, template_bytes
from data_access.models import MeterReading, Upload

TODAY = dt.date(2026, 11, 28)
USCC = "91140300MA31000140"  # demo enterprise 1 of the main park
HEADER = [c.header for c in KINDS["credit"].columns]
GOOD = ["SO-1", "SO-1-2026-9001", USCC, "", "新型电力系统建设", "是", "2026-03-15", "2031-03-14", "1.2亿", 2.95, "碳减排支持工具",
        "设备抵押", "2026年10月", "11,500", 0, "正常", 0]


def fingerprint(engine) -> str:
    """Every row of every table, hashed: equal fingerprints mean the database is unchanged. Rows are read through the
    driver as text (PostgreSQL writes each row as one string, SQLite's values are repr'd), not as Python objects:
    the demo's million rows took 5 s a call on PostgreSQL that way, twice per test."""
    h = hashlib.sha256()
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        cursor = conn.connection.driver_connection.cursor()
        for table in tables:
            if engine.dialect.name == "postgresql":
                cursor.execute(f'SELECT t::text FROM "{table}" t')
                rows = [r[0] for r in cursor.fetchall()]
            else:
                cursor.execute(f'SELECT * FROM "{table}"')
                rows = [repr(r) for r in cursor.fetchall()]
            h.update(table.encode())
            for r in sorted(rows):
                h.update(r.encode())
        cursor.close()
    return h.hexdigest()


def xlsx(rows, header=HEADER) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", header=HEADER) -> bytes:
    lines = [",".join(f'"{v}"' for v in header)] + [",".join(f'"{v}"' for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


@pytest.fixture
def demo_copy(demo_sqlite, tmp_path, monkeypatch):
    """A private copy of the demo database; archives go to tmp."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_sqlite.url.removeprefix("sqlite:///"), copy)
    monkeypatch.setenv("ARCHIVE_DIR", str(tmp_path / "archive"))
    return make_engine(f"sqlite:///{copy}")


def run(engine, content, name="credit.xlsx", kind="credit", institution_id=None, **kw):
    return load.run_import(engine, kind, content, name, actor="tester", institution_id=institution_id, today=TODAY, **kw)


def test_credit_template_round_trips(demo_copy, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("credit")))
    assert wb.sheetnames[:1] == [DATA_SHEET] and HELP_SHEET in wb.sheetnames
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[1]] == HEADER and "合同金额（万元）" in HEADER
    assert any("代码表" in dv.formula1 for dv in ws.data_validations.dataValidation)  # drop-downs read the code lists
    template = template_bytes("credit")
    result = run(demo_copy, template)  # the two example rows, as shipped
    assert result.ok, [p.line() for p in result.problems]
    assert (result.added, result.changed) == (2, 0)
    with demo_copy.connect() as conn:
        rows = conn.execute(text(
            "SELECT f.contract_no, f.amount, f.is_green, s.balance, s.status, s.period FROM credit_snapshot s "
            "JOIN credit_facility f ON f.id = s.facility_id WHERE s.upload_id = :u ORDER BY f.contract_no"), {"u": result.upload_id}).all()
        upload = conn.execute(select(Upload.file_name, Upload.sha256, Upload.rows_added)).all()
    assert [(r[0], float(r[1]), bool(r[2]), float(r[3]), r[4], str(r[5])) for r in rows] == [
        ("SO-1-2025-0107", 800.0, False, 0.0, "repaid", "2026-10-01"),
        ("SO-1-2026-0001", 12_000.0, True, 11_500.0, "normal", "2026-10-01")]  # "1.2亿" is 12,000 万元; "11,500" parsed
    assert upload == [("credit.xlsx", hashlib.sha256(template).hexdigest(), 2)]
    assert (tmp_path / "archive" / f"{upload[0][1]}.xlsx").read_bytes() == template  # the raw file is archived


@pytest.mark.parametrize(("kind", "added", "changed", "check"), [
    ("policy_tool_use", 2, 0, "SELECT COUNT(*) FROM policy_tool_use WHERE period = '2026-10-01' AND upload_id IS NOT NULL"),
    ("meter_readings", 2, 0, "SELECT COUNT(*) FROM meter_reading WHERE ts >= '2026-11-01'"),
    ("direct_financing", 2, 0, "SELECT COUNT(*) FROM direct_financing WHERE amount IN (30000, 2600)"),  # "3亿" is 30,000 万元
    ("task_progress", 0, 2, "SELECT COUNT(*) FROM task t JOIN institution i ON i.id = t.institution_id "
                            "WHERE i.code = 'SO-1' AND t.park_id = 1 AND t.code IN ('2026-04', '2026-05') AND t.status IN ('done', 'in_progress')"),
    ("projects", 2, 0, "SELECT COUNT(*) FROM project WHERE code IN ('YQ-HTZ-P21', 'YQ-HTZ-P22') AND investment IN (24000, 5200)"),
    ("milestones", 2, 0, "SELECT COUNT(*) FROM milestone WHERE name IN ('并网验收', '设备到货')"),
    ("green_power", 2, 0, "SELECT COUNT(*) FROM green_power_transaction WHERE reference IN ('GEC-2026-10-0001', 'GT-2026-10-017')"),
])
def test_other_templates_round_trip(demo_copy, kind, added, changed, check):
    result = run(demo_copy, template_bytes(kind), name=f"{kind}.xlsx", kind=kind)
    assert result.ok, [p.line() for p in result.problems]
    assert (result.added, result.changed) == (added, changed)
    with demo_copy.connect() as conn:
        assert conn.execute(text(check)).scalar_one() == 2
    again = run(demo_copy, template_bytes(kind), name=f"{kind}.xlsx", kind=kind)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)  # re-importing changes nothing


def test_a_reporter_cannot_send_the_committees_projects(demo_db):
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, template_bytes("projects"), kind="projects", institution_id=14)
    assert "由园区管委会或能碳平台报送" in result.problems[0].zh and fingerprint(demo_db.engine) == before


def test_gbk_csv_with_full_width_digits_and_a_correction_becomes_a_revision(demo_copy):
    row = list(GOOD)
    row[13] = "１１，５００"  # full-width digits and comma, as Excel on a Chinese system may save them
    first = run(demo_copy, csv_bytes([row], "gbk"), name="信贷月报.csv")
    assert first.ok, [p.line() for p in first.problems]
    again = run(demo_copy, csv_bytes([row], "gbk"), name="信贷月报.csv")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 1)  # the same file changes nothing
    row[13] = "11,800"
    fixed = run(demo_copy, csv_bytes([row], "utf-8"), name="信贷月报（更正）.csv")
    assert (fixed.added, fixed.changed) == (0, 1)
    assert [(c["key"], c["period"], c["column"], float(c["old"]), float(c["new"])) for c in fixed.changes] == [
        ("SO-1-2026-9001", "2026-10-01", "balance", 11_500.0, 11_800.0)]  # what changed is shown
    with demo_copy.connect() as conn:
        revs = conn.execute(text(
            "SELECT s.revision, s.is_current, s.balance FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.contract_no = 'SO-1-2026-9001' ORDER BY s.revision")).all()
    assert [(r[0], bool(r[1]), float(r[2])) for r in revs] == [(1, False, 11_500.0), (2, True, 11_800.0)]  # the old one is kept


def bad(row_changes: dict) -> list:
    row = list(GOOD)
    for i, v in row_changes.items():
        row[i] = v
    return row


CORPUS = {  # name: (file name, content builder, institution_id, expected fragment of the message, row, column)
    "utf16": ("credit.csv", lambda: csv_bytes([GOOD], "utf-16"), None, "文件编码无法识别", None, None),
    "missing column": ("credit.xlsx", lambda: xlsx([GOOD[:-2]], HEADER[:-2]), None, "缺少必填列“五级分类状态”", None, "五级分类状态"),
    "text in a number": ("credit.xlsx", lambda: xlsx([bad({13: "约一万"})]), None, "应为数字（万元", 2, "月末余额（万元）"),
    "negative balance": ("credit.xlsx", lambda: xlsx([bad({13: -5})]), None, "不能小于0（余额、金额不能为负）", 2, "月末余额（万元）"),
    "unknown institution": ("credit.xlsx", lambda: xlsx([bad({0: "XX-9"})]), None, "机构代码不存在", 2, "机构代码"),
    "wrong USCC": ("credit.xlsx", lambda: xlsx([bad({2: USCC[:-1] + "1"})]), None, "统一社会信用代码无效：check character", 2,
                   "借款人统一社会信用代码"),
    "future period": ("credit.xlsx", lambda: xlsx([bad({12: "2027年1月"})]), None, "报告期不能晚于当前月份", 2, "报告期"),
    "duplicate rows": ("credit.xlsx", lambda: xlsx([GOOD, GOOD]), None, "与第2行重复", 3, "机构代码、合同编号、报告期"),
    "another bank's rows": ("credit.xlsx", lambda: xlsx([GOOD]), 14, "只能报送本机构（LL-1）的数据", 2, "机构代码"),
    "empty file": ("credit.xlsx", lambda: b"", None, "文件为空", None, None),
    "header only": ("credit.xlsx", lambda: xlsx([]), None, "没有数据行", None, None),
    "50 MB": ("credit.csv", lambda: csv_bytes([GOOD]) + b" " * (50 * 1024 * 1024), None, "文件超过40MB上限", None, None),
    "formula cell": ("credit.xlsx", lambda: xlsx([bad({13: "=B2*2"})]), None, "单元格是公式", 2, "月末余额（万元）"),
    "not a workbook": ("credit.xlsx", lambda: b"PK\x03\x04 not really a zip", None, "无法作为Excel文件打开", None, None),
    "maturity before start": ("credit.xlsx", lambda: xlsx([bad({7: "2020-01-01"})]), None, "到期日早于起始日", 2, "到期日"),
    "unknown code": ("credit.xlsx", lambda: xlsx([bad({15: "可疑"})]), None, "不在代码表内", 2, "五级分类状态"),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_files_are_refused_with_a_located_error_and_change_nothing(demo_db, case):
    name, build, inst, message, row, column = CORPUS[case]
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, build(), name=name, institution_id=inst)
    assert not result.ok and not result.written
    hit = [p for p in result.problems if message in p.zh]
    assert hit, [p.line() for p in result.problems]
    assert (hit[0].row, hit[0].column) == (row, column)
    assert hit[0].en and hit[0].file == name
    assert fingerprint(demo_db.engine) == before


def test_every_problem_is_listed_at_once(demo_db):
    result = run(demo_db.engine, xlsx([bad({13: -5}), bad({1: "X-2", 2: "123"}), bad({1: "X-3", 12: "2030-01"})]))
    assert {(p.row, p.column) for p in result.problems} >= {(2, "月末余额（万元）"), (3, "借款人统一社会信用代码"), (4, "报告期")}


def test_a_killed_import_leaves_nothing(demo_copy, monkeypatch):
    before = fingerprint(demo_copy)
    real = load._write_credit

    def dies_halfway(conn, frame, upload_id, result):
        real(conn, frame.iloc[:1], upload_id, result)  # some rows are written ...
        raise RuntimeError("killed")  # ... then the process dies

    monkeypatch.setitem(load.WRITERS, "credit", dies_halfway)
    with pytest.raises(RuntimeError):
        run(demo_copy, xlsx([GOOD, bad({1: "SO-1-2026-9002"})]))
    assert fingerprint(demo_copy) == before


def test_a_meter_reading_is_never_overwritten(demo_copy):
    kind = KINDS["meter_readings"]
    header = [c.header for c in kind.columns]
    first = run(demo_copy, xlsx([["YQ-HTZ-001-electricity_grid", "2026-11-01 00:00", 812.5, "kWh"]], header), kind="meter_readings")
    assert first.ok and first.added == 1
    same = run(demo_copy, xlsx([["YQ-HTZ-001-electricity_grid", "2026-11-01 00:00", 812.5, "kWh"]], header), kind="meter_readings")
    assert (same.added, same.unchanged) == (0, 1)
    before = fingerprint(demo_copy)
    other = run(demo_copy, xlsx([["YQ-HTZ-001-electricity_grid", "2026-11-01 00:00", 900, "kWh"],
                                 ["YQ-HTZ-001-electricity_grid", "2026-11-01 01:00", 10, "GJ"]], header), kind="meter_readings")
    assert [(p.row, p.zh[:13]) for p in other.problems] == [(3, "单位与表计登记的“kWh”")]  # found first, before any write
    other = run(demo_copy, xlsx([["YQ-HTZ-001-electricity_grid", "2026-11-01 00:00", 900, "kWh"]], header), kind="meter_readings")
    assert [(p.row, p.zh[:12]) for p in other.problems] == [(2, "该小时已有读数812.5")]
    assert fingerprint(demo_copy) == before
    with demo_copy.connect() as conn:
        day = conn.execute(text("SELECT n_readings FROM energy_daily WHERE day = '2026-11-01' AND enterprise_id = 1")).all()
        n = conn.execute(select(MeterReading.value).where(MeterReading.ts == dt.datetime(2026, 11, 1))).all()
    assert n == [(812.5,)] and day  # the reading stands; the rollup for the touched day was refreshed


def test_a_certificate_claimed_twice_is_refused_with_the_row_named(demo_db):
    """Issue 16.6: a serial already claimed elsewhere (here by a trade's bundled certificates) is refused on import,
    the row and the earlier claim named, and nothing is written."""
    with demo_db.engine.connect() as conn:
        trade = conn.execute(text(
            "SELECT g.reference, g.serial_start, g.serial_end, e.uscc FROM green_power_transaction g "
            "JOIN enterprise e ON e.id = g.enterprise_id WHERE g.kind = 'trade' AND g.serial_start IS NOT NULL "
            "ORDER BY g.id LIMIT 1")).one()
    header = [c.header for c in KINDS["green_power"].columns]
    n = trade.serial_end - trade.serial_start + 1
    rows = [
        [trade.uscc, "2026-10", "绿证核销", 10, "GEC-NEW-1", 90_000_000_001, 90_000_000_010],  # fine on its own
        [trade.uscc, "2026-10", "绿证核销", n, "GEC-AGAIN", trade.serial_start, trade.serial_end],  # the trade's certificates
        [trade.uscc, "2026-10", "绿证核销", 5, "GEC-NEW-2", 90_000_000_008, 90_000_000_012],  # overlaps row 2 of the file
        [trade.uscc, "2026-10", "绿证核销", 7, "GEC-NEW-3", 90_000_000_100, 90_000_000_101],  # 2 serials for 7 MWh
        [trade.uscc, "2026-10", "绿证核销", 3, "GEC-NEW-4", "", ""],  # no serials
    ]
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, xlsx(rows, header=header), name="gec.xlsx", kind="green_power")
    lines = [p.line() for p in result.problems]
    assert not result.ok and not result.written
    by_row = {p.row: p for p in result.problems}
    assert set(by_row) == {3, 4, 5, 6}
    assert f"已由{trade.reference}" in by_row[3].zh and "同一绿证只能计入一次" in by_row[3].zh
    assert "与第2行重复" in by_row[4].zh
    assert "共2张，与电量7 MWh不符" in by_row[5].zh
    assert "须填写绿证序列号" in by_row[6].zh
    assert all("gec.xlsx" in line for line in lines)
    assert fingerprint(demo_db.engine) == before


@pytest.mark.parametrize("name", [" =HYPERLINK(\"http://evil.example\")", "＝1+1", "\t=1+1", "@SUM(A1)"])
def test_formula_text_is_refused_after_normalisation(demo_db, name):
    """Issue 22.7: formula-like names were stored once spaces were trimmed and full-width forms folded."""
    header = [c.header for c in KINDS["direct_financing"].columns]
    row = ["SO-1", name, "绿色债券", USCC, "", "2026-09-20", "2031-09-19", "3亿", 2.45]
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, xlsx([row], header=header), name="df.xlsx", kind="direct_financing")
    assert not result.ok and any("公式" in p.zh and p.row == 2 for p in result.problems)
    assert fingerprint(demo_db.engine) == before


def test_a_file_name_with_a_nul_byte_or_folders_is_cleaned_not_a_traceback(demo_copy):
    """Issue 22.9: a NUL byte in an upload's file name gave a traceback."""
    result = run(demo_copy, template_bytes("credit"), name="../../etc/本行\x00报表\r\n.xlsx")
    assert result.ok and result.written, [p.line() for p in result.problems]
    with demo_copy.connect() as conn:
        stored = conn.execute(select(Upload.file_name).where(Upload.id == result.upload_id)).scalar_one()
    assert stored == "本行报表.xlsx"


@pytest.mark.parametrize(("column", "value", "message"), [
    (13, "1e309", "应为数字"),  # balance: infinity was stored on SQLite and crashed PostgreSQL
    (13, "1e20", "不能大于"),  # balance: finite but not plausible
    (16, "1e400", "应为"),  # overdue days: OverflowError before
    (6, "9999-12-31", "日期须在2000-01-01至"),  # start date far in the future
    (6, "0001-01-01", "日期须在2000-01-01至"),
])
def test_extreme_numbers_and_dates_are_refused_with_row_and_column(demo_db, column, value, message):
    """Issue 22.12 and 22.13: every numeric column has a finite, plausible range and every date a window."""
    row = list(GOOD)
    row[column] = value
    before = fingerprint(demo_db.engine)
    result = run(demo_db.engine, xlsx([row]))
    assert not result.ok
    found = [p for p in result.problems if p.row == 2 and p.column == HEADER[column]]
    assert found and message in found[0].zh, [p.line() for p in result.problems]
    assert fingerprint(demo_db.engine) == before
