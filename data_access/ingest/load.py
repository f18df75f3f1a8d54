"""One code path for every import (CLI and page): read, check, then write everything in one transaction or
nothing. History is kept: a row that differs from what is stored becomes a new revision and the old one stays;
a row equal to what is stored changes nothing. Every import is recorded (who, when, file, SHA-256, rows added
and changed) and the raw file archived."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from data_access import settings
from data_access.db import retry_locked, writing
from data_access.ingest.kinds import KINDS
from data_access.ingest.parse import FileRefused, Problem, read_table
from data_access.ingest.validate import check_table
from data_access.models import (
    AuditLog,
    CreditFacility,
    CreditSnapshot,
    DirectFinancing,
    Enterprise,
    EnterpriseFinancials,
    GreenPowerTransaction,
    Institution,
    LedgerEntry,
    Meter,
    MeterReading,
    Milestone,
    Park,
    PolicyToolUse,
    Project,
    Task,
    Upload,
)
from data_access.meter_store import insert_readings
from data_access.sqlfuncs import batches, select_in
from data_access.rollups import add_to_rollups


@dataclass
class ImportResult:
    kind: str
    file_name: str
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)  # what a new revision changed: key, column, old, new
    upload_id: int | None = None
    written: bool = False
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)  # the first rows as read and typed

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    """Raised inside the transaction to undo a preview or a write that found a problem."""


def archive_dir() -> Path:
    return Path(settings.setting("ARCHIVE_DIR", "data/uploads"))


def safe_file_name(name: str) -> str:
    """A file name fit to store, show and log: no control characters (a NUL broke the import and PostgreSQL), no
    folders, at most 200 characters; 'upload' when nothing is left."""
    import unicodedata

    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return cleaned[:200] or "upload"


def run_import(engine: Engine, kind_code: str, content: bytes, file_name: str, *, actor: str, institution_id: int | None = None,
               confirm: bool = True, today: dt.date | None = None) -> ImportResult:
    """Check a file and, when `confirm` and it has no problem, write it in one transaction. With `confirm=False`
    (the page's preview) the same checks and comparisons run on a read-only connection and nothing is written, so
    a preview never holds the write lock that a feed or another import needs."""
    kind = KINDS[kind_code]
    file_name = safe_file_name(file_name)
    result = ImportResult(kind_code, file_name, hashlib.sha256(content).hexdigest())
    if institution_id is not None and kind.owner_column is None:
        result.problems = [Problem(file_name, "", None, None, None, f"“{kind.zh}”由园区管委会或能碳平台报送，机构填报员不能导入",
                                   f"'{kind.en}' is sent by the park committee or the platform, not by an institution")]
        return result
    try:
        table = read_table(content, file_name)
    except FileRefused as refused:
        result.problems = [refused.problem]
        return result
    if not confirm:
        with engine.connect() as conn:
            frame, problems = check_table(table, kind, conn, institution_id=institution_id, today=today)
            result.rows, result.preview, result.problems = len(frame), frame.head(50), problems
            if not problems:
                WRITERS[kind_code](conn, frame, None, result, dry=True)
            conn.rollback()
        return result

    def attempt() -> bool:
        """One write transaction; False when it found a problem and wrote nothing. Re-run from scratch when SQLite
        was locked by another writer past its busy timeout."""
        result.problems, result.changes, result.added, result.changed, result.unchanged = [], [], 0, 0, 0
        try:
            with writing(engine) as conn:
                _write(conn, kind, table, result, actor=actor, institution_id=institution_id, today=today)
        except _Rollback:
            return False
        return True

    if not retry_locked(attempt, what=f"import {file_name}"):
        return result
    result.written = True
    path = archive_dir() / f"{result.sha256}{Path(file_name).suffix.lower()}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(content)
    return result


def _write(conn: Connection, kind, table, result: ImportResult, *, actor: str, institution_id: int | None,
           today: dt.date | None) -> None:
    """Check and write a file inside the caller's transaction; raises _Rollback when it found a problem."""
    frame, problems = check_table(table, kind, conn, institution_id=institution_id, today=today)
    result.rows, result.preview = len(frame), frame.head(50)
    if problems:
        result.problems = problems
        raise _Rollback
    upload_id = conn.execute(insert(Upload).values(
        kind=kind.code, file_name=result.file_name, sha256=result.sha256, uploaded_by=actor, institution_id=institution_id)
        .returning(Upload.id)).scalar_one()
    WRITERS[kind.code](conn, frame, upload_id, result)
    if result.problems:
        raise _Rollback
    conn.execute(update(Upload).where(Upload.id == upload_id).values(
        rows_added=result.added, rows_changed=result.changed,
        archive_path=str(archive_dir() / f"{result.sha256}{Path(result.file_name).suffix.lower()}")))
    conn.execute(insert(AuditLog).values(actor=actor, action="import", entity="upload", entity_id=str(upload_id),
                                         detail={"kind": kind.code, "file": result.file_name, "sha256": result.sha256,
                                                 "added": result.added, "changed": result.changed}))
    result.upload_id = upload_id


# --- writers: one per kind ---------------------------------------------------------------------------

MAX_CHANGES = 5000  # changed cells listed in a result; the counts cover every row


def _ids(conn: Connection, model, code_col, codes) -> dict:
    return {code: id_ for code, id_ in select_in(conn, select(code_col, model.id), code_col, codes)}


def _money(v) -> float:
    return 0.0 if v is None or pd.isna(v) else round(float(v), 4)


def _note_changes(result: ImportResult, changes: list[dict]) -> None:
    room = MAX_CHANGES - len(result.changes)
    if room > 0:
        result.changes += changes[:room]


def _write_credit(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    """Facilities first (new ones inserted in batches, changed ones updated), then the month-end snapshots: a new
    (facility, month) is inserted, a different one becomes the next revision, an equal one changes nothing."""
    F, S = CreditFacility, CreditSnapshot
    inst = {r.code: (r.id, r.inst_type) for r in conn.execute(select(Institution.code, Institution.id, Institution.inst_type))}
    ents = {r.uscc: (r.id, r.park_id) for r in select_in(conn, select(Enterprise.uscc, Enterprise.id, Enterprise.park_id),
                                                           Enterprise.uscc, frame["uscc"].unique().tolist())}
    projects = _ids(conn, Project, Project.code, frame["project_code"])
    facilities = frame.drop_duplicates(["institution_code", "contract_no"])
    existing = {(r.institution_id, r.contract_no): r for r in select_in(conn, select(F), F.contract_no, facilities["contract_no"].tolist())}
    fac_id, fac_park, fresh, updates = {}, {}, [], []
    for r in facilities.itertuples():
        inst_id = inst[r.institution_code][0]
        ent_id, park_id = ents[r.uscc]
        values = dict(park_id=park_id, institution_id=inst_id, enterprise_id=ent_id, project_id=projects.get(r.project_code),
                      contract_no=r.contract_no, product_line=r.product_line, is_green=bool(r.is_green), start_date=r.start_date,
                      maturity_date=r.maturity_date, amount=_money(r.amount), rate=float(r.rate), policy_tool=r.policy_tool or None,
                      collateral_type=r.collateral_type)
        old = existing.get((inst_id, r.contract_no))
        fac_park[(inst_id, r.contract_no)] = park_id if old is None else old.park_id  # a facility never moves park
        if old is None:
            fresh.append(values)
            continue
        fac_id[(inst_id, r.contract_no)] = old.id
        diff = {k: (getattr(old, k), v) for k, v in values.items()
                if k not in ("park_id", "institution_id", "contract_no") and _differs(getattr(old, k), v)}
        if diff:
            updates.append((old.id, {k: v for k, (_, v) in diff.items()}))
            _note_changes(result, [{"key": r.contract_no, "period": "", "column": k, "old": str(o), "new": str(n)} for k, (o, n) in diff.items()])
    if dry:  # a new facility has no id yet: a stand-in keeps its months apart, and all of them are new
        fac_id.update({(v["institution_id"], v["contract_no"]): -i for i, v in enumerate(fresh, start=1)})
    for part in ([] if dry else batches(fresh)):
        for row in conn.execute(insert(F).returning(F.id, F.institution_id, F.contract_no), part):
            fac_id[(row.institution_id, row.contract_no)] = row.id
    for facility_id, values in ([] if dry else updates):
        conn.execute(update(F).where(F.id == facility_id).values(**values))

    snaps = frame.assign(facility_id=[fac_id[(inst[c][0], n)] for c, n in zip(frame["institution_code"], frame["contract_no"])])
    wanted = set(zip(snaps["facility_id"], snaps["period"]))
    current = {(r.facility_id, r.period): r for r in select_in(conn, select(S).where(S.is_current.is_(True)), S.facility_id,
                                                                 snaps["facility_id"].unique().tolist())
               if (r.facility_id, r.period) in wanted}
    superseded, rows = [], []
    for r in snaps.itertuples():
        new = dict(balance=_money(r.balance), disbursed=_money(r.disbursed), rate=float(r.rate), status=r.status,
                   overdue_days=int(r.overdue_days or 0))
        old = current.get((r.facility_id, r.period))
        if old is not None and not any(_differs(getattr(old, k), v) for k, v in new.items()):
            result.unchanged += 1
            continue
        if old is not None:
            superseded.append(old.id)
            _note_changes(result, [{"key": r.contract_no, "period": str(r.period), "column": k, "old": str(getattr(old, k)), "new": str(v)}
                                   for k, v in new.items() if _differs(getattr(old, k), v)])
            result.changed += 1
        else:
            result.added += 1
        rows.append(dict(facility_id=int(r.facility_id), park_id=fac_park[(inst[r.institution_code][0], r.contract_no)],
                         period=r.period, inst_type=inst[r.institution_code][1],
                         revision=1 if old is None else old.revision + 1, is_current=True, upload_id=upload_id, **new))
    if dry:
        return
    for part in batches(superseded):
        conn.execute(update(S).where(S.id.in_(part)).values(is_current=False))
    for part in batches(rows):
        conn.execute(insert(S), part)


def _differs(old, new) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        return abs(float(old) - float(new)) > 1e-6
    return old != new


def _write_policy_tools(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    T = PolicyToolUse
    inst = _ids(conn, Institution, Institution.code, frame["institution_code"])
    parks = _ids(conn, Park, Park.code, frame["park_code"])
    cols = ("eligible_amount", "loan_amount", "funding_amount", "tool_rate", "carbon_reduction_t", "fiscal_cost")
    for r in frame.itertuples():
        key = dict(park_id=parks[r.park_code], institution_id=inst[r.institution_code], tool=r.tool, period=r.period)
        new = {c: (None if getattr(r, c) is None or pd.isna(getattr(r, c)) else float(getattr(r, c))) for c in cols}
        for c in ("eligible_amount", "loan_amount", "funding_amount", "fiscal_cost"):
            new[c] = new[c] or 0.0
        old = conn.execute(select(T).where(*[getattr(T, k) == v for k, v in key.items()], T.is_current.is_(True))).first()
        if old is not None and not any(_differs(getattr(old, c), v) for c, v in new.items()):
            result.unchanged += 1
            continue
        if old is not None and not dry:
            conn.execute(update(T).where(T.id == old.id).values(is_current=False))
        if old is not None:
            _note_changes(result, [{"key": f"{r.institution_code} {r.tool}", "period": str(r.period), "column": c,
                                    "old": str(getattr(old, c)), "new": str(v)} for c, v in new.items() if _differs(getattr(old, c), v)])
            result.changed += 1
        else:
            result.added += 1
        if not dry:
            conn.execute(insert(T).values(**key, **new, revision=1 if old is None else old.revision + 1, is_current=True,
                                          upload_id=upload_id))


def _write_meter_readings(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    """New readings are inserted; a reading equal to the stored one is skipped; a different value for a stored
    hour is refused (meter history is corrected on the platform, not by overwriting)."""
    meters = {r.code: r.id for r in select_in(conn, select(Meter.code, Meter.id), Meter.code, frame["meter_code"].unique().tolist())}
    df = frame.assign(meter_id=frame["meter_code"].map(meters))
    stored = {}
    for mid, part in df.groupby("meter_id"):
        lo, hi = part["ts"].min(), part["ts"].max()
        stored.update({(mid, ts): v for ts, v in conn.execute(
            select(MeterReading.ts, MeterReading.value).where(MeterReading.meter_id == mid, MeterReading.ts >= lo, MeterReading.ts <= hi))})
    fresh = []
    for row_no, meter_id, ts, value in zip(df["_row"], df["meter_id"], df["ts"], df["value"]):
        old = stored.get((meter_id, ts))
        if old is None:
            fresh.append((int(meter_id), ts, float(value)))
        elif abs(old - float(value)) > 1e-9:
            result.problems.append(Problem(result.file_name, "", int(row_no), "读数", str(value),
                                           f"该小时已有读数{old:g}，计量历史不能覆盖（如需更正请通过能碳平台）",
                                           f"this hour already holds {old:g}; meter history is not overwritten"))
        else:
            result.unchanged += 1
    if result.problems or not fresh:
        return
    if dry:
        result.added = len(fresh)
        return
    result.added = insert_readings(conn, fresh)
    add_to_rollups(conn, fresh)  # none of them was stored: checked above, in this transaction


def _upsert(conn: Connection, model, where: dict, values: dict, result: ImportResult, key: str, entity: str,
            upload_id: int | None = None, *, dry: bool = False) -> int | None:
    """Insert a row, or update the fields that differ and keep the old values in the audit log (tables without
    revisions: direct financing, tasks, projects, milestones). Returns the row's id."""
    cols = [getattr(model, k) for k in where] + [getattr(model, k) for k in values]
    old = conn.execute(select(model.id, *cols).where(*[getattr(model, k) == v for k, v in where.items()])).first()
    extra = {"upload_id": upload_id} if upload_id is not None and hasattr(model, "upload_id") else {}
    if old is None:
        result.added += 1
        if dry:
            return None
        return conn.execute(insert(model).values(**where, **values, **extra).returning(model.id)).scalar_one()
    diff = {k: (getattr(old, k), v) for k, v in values.items() if _differs(getattr(old, k), v)}
    if not diff:
        result.unchanged += 1
        return old.id
    result.changed += 1
    _note_changes(result, [{"key": key, "period": "", "column": k, "old": str(o), "new": str(n)} for k, (o, n) in diff.items()])
    if dry:
        return old.id
    conn.execute(update(model).where(model.id == old.id).values(**{k: v for k, (_, v) in diff.items()}, **extra))
    conn.execute(insert(AuditLog).values(actor="import", action="import_changed", entity=entity, entity_id=str(old.id),
                                         detail={k: {"old": str(o), "new": str(n)} for k, (o, n) in diff.items()}))
    return old.id


def _write_direct(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    inst = _ids(conn, Institution, Institution.code, frame["institution_code"])
    ents = {r.uscc: (r.id, r.park_id) for r in select_in(conn, select(Enterprise.uscc, Enterprise.id, Enterprise.park_id),
                                                           Enterprise.uscc, frame["uscc"].unique().tolist())}
    projects = _ids(conn, Project, Project.code, frame["project_code"])
    for r in frame.itertuples():
        ent_id, park_id = ents[r.uscc]
        _upsert(conn, DirectFinancing, {"institution_id": inst[r.institution_code], "name": r.name},
                dict(park_id=park_id, enterprise_id=ent_id, project_id=projects.get(r.project_code), instrument=r.instrument,
                     issue_date=r.issue_date, maturity_date=r.maturity_date, amount=_money(r.amount),
                     rate=None if r.rate is None or pd.isna(r.rate) else float(r.rate)),
                result, r.name, "direct_financing", upload_id, dry=dry)


def _write_tasks(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    inst = _ids(conn, Institution, Institution.code, frame["institution_code"])
    parks = _ids(conn, Park, Park.code, frame["park_code"])
    for row_no, r in zip(frame["_row"], frame.itertuples()):
        task = conn.execute(select(Task.id).where(Task.institution_id == inst[r.institution_code], Task.park_id == parks[r.park_code],
                                                  Task.code == r.code, Task.year == int(r.year))).first()
        if task is None:  # tasks are set by the PBOC branch; a report can only move them on
            result.problems.append(Problem(result.file_name, "", int(row_no), "任务编号", r.code, f"{int(r.year)}年没有该机构的任务{r.code}",
                                           f"no task {r.code} of this institution in {int(r.year)}"))
            continue
        _upsert(conn, Task, {"id": task.id}, dict(status=r.status, completed_on=r.completed_on,
                                                  evidence=r.evidence or None), result, f"{r.institution_code} {r.code}", "task", dry=dry)


def _write_projects(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    parks = _ids(conn, Park, Park.code, frame["park_code"])
    ents = _ids(conn, Enterprise, Enterprise.uscc, frame["uscc"])
    banks = _ids(conn, Institution, Institution.code, frame["lead_bank_code"])
    for row_no, r in zip(frame["_row"], frame.itertuples()):
        if r.financing_need > r.investment:
            result.problems.append(Problem(result.file_name, "", int(row_no), "融资需求（万元）", str(r.financing_need),
                                           "融资需求不能超过总投资", "the financing need exceeds the investment"))
            continue
        if r.start_date and r.planned_completion and r.planned_completion < r.start_date:
            result.problems.append(Problem(result.file_name, "", int(row_no), "计划完工日期", str(r.planned_completion),
                                           f"计划完工日期早于开工日期{r.start_date}", f"planned completion before the start {r.start_date}"))
            continue
        _upsert(conn, Project, {"code": r.project_code},
                dict(park_id=parks[r.park_code], name=r.name, enterprise_id=ents[r.uscc], category=r.category, stage=r.stage,
                     investment=_money(r.investment), financing_need=_money(r.financing_need), lead_bank_id=banks.get(r.lead_bank_code),
                     expected_reduction_t=None if r.expected_reduction_t is None or pd.isna(r.expected_reduction_t) else float(r.expected_reduction_t),
                     start_date=r.start_date, planned_completion=r.planned_completion),
                result, r.project_code, "project", dry=dry)


def _write_milestones(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    projects = _ids(conn, Project, Project.code, frame["project_code"])
    today = dt.date.today()
    for row_no, r in zip(frame["_row"], frame.itertuples()):
        if r.actual_date and r.actual_date > today:
            result.problems.append(Problem(result.file_name, "", int(row_no), "实际完成日期", str(r.actual_date),
                                           "实际完成日期晚于今天", "the actual date is in the future"))
            continue
        status = "done" if r.actual_date else ("overdue" if r.planned_date < today else "planned")
        pid = projects[r.project_code]
        _upsert(conn, Milestone, {"project_id": pid, "name": r.name},
                dict(planned_date=r.planned_date, actual_date=r.actual_date, status=status), result, f"{r.project_code} {r.name}", "milestone",
                dry=dry)
        if dry:
            continue
        conn.execute(insert(AuditLog).values(actor="import", action="milestone_imported", entity="project", entity_id=str(pid),
                                             detail={"milestone": r.name, "planned": str(r.planned_date),
                                                     "actual": str(r.actual_date) if r.actual_date else None}))


def _write_green_power(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    ents = {r.uscc: (r.id, r.park_id) for r in select_in(conn, select(Enterprise.uscc, Enterprise.id, Enterprise.park_id),
                                                           Enterprise.uscc, frame["uscc"].unique().tolist())}
    for r in frame.itertuples():
        ent_id, park_id = ents[r.uscc]
        serials = {"serial_start": None if r.serial_start is None or pd.isna(r.serial_start) else int(r.serial_start),
                   "serial_end": None if r.serial_end is None or pd.isna(r.serial_end) else int(r.serial_end)}
        _upsert(conn, GreenPowerTransaction, {"enterprise_id": ent_id, "kind": r.kind, "reference": r.reference, "period": r.period},
                dict(park_id=park_id, mwh=float(r.mwh), **serials), result, r.reference, "green_power_transaction", upload_id, dry=dry)


def _write_financials(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    ents = _ids(conn, Enterprise, Enterprise.uscc, frame["uscc"])
    for r in frame.itertuples():
        _upsert(conn, EnterpriseFinancials, {"enterprise_id": ents[r.uscc], "year": int(r.year)},
                dict(total_equity=_money(r.total_equity), total_debt=_money(r.total_debt), revenue=_money(r.revenue),
                     ebit=_money(r.ebit), interest_expense=_money(r.interest_expense)),
                result, f"{r.uscc} {int(r.year)}", "enterprise_financials", upload_id, dry=dry)


_LIST_STATUSES, _CASE_STATUSES = ("in_force", "withdrawn"), ("applied", "granted", "refused")
_LEDGER_FIELDS = ("entry_date", "category", "status", "title", "participants", "quantity", "amount", "amount_usd", "attendance",
                  "reach", "due_date", "closed_on")


def _participants(text: str | None) -> tuple[str | None, list[str]]:
    """A consultation's departments, written by name or code and separated by 、 , ， ; or spaces: the codes joined
    by "," and the words that name no department."""
    import re

    from data_access.taxonomy import DEPARTMENTS, LABELS

    names = {zh: code for code, (zh, en) in LABELS["department"].items()} | {en.lower(): code for code, (_zh, en) in LABELS["department"].items()}
    codes, unknown = [], []
    for word in (w.strip() for w in re.split(r"[、,，;；\n]+", text or "") if w.strip()):
        code = word if word in DEPARTMENTS else names.get(word, names.get(word.lower()))
        if code is None:
            unknown.append(word)
        elif code not in codes:
            codes.append(code)
    return (",".join(codes) or None), unknown


def _write_ledger(conn: Connection, frame: pd.DataFrame, upload_id: int | None, result: ImportResult, *, dry: bool = False) -> None:
    """A work ledger's entries (`models.LedgerEntry`): checks that span columns (the enterprise is the park's, the
    loan is the institution's, a status fits its category, a follow-up has a date), then one upsert per entry."""
    from data_access.ingest.kinds import KINDS
    from data_access.taxonomy import FISCAL_POLICY_TOOL

    kind = KINDS[result.kind]
    ledger = kind.code.removeprefix("ledger_")
    cols = {c.key for c in kind.columns}
    parks = _ids(conn, Park, Park.code, frame["park_code"])
    inst = _ids(conn, Institution, Institution.code, frame["institution_code"]) if "institution_code" in cols else {}
    ents = ({r.uscc: (r.id, r.park_id) for r in select_in(conn, select(Enterprise.uscc, Enterprise.id, Enterprise.park_id),
                                                           Enterprise.uscc, frame["uscc"].dropna().unique().tolist())}
            if "uscc" in cols else {})
    projects = _ids(conn, Project, Project.code, frame["project_code"].dropna()) if "project_code" in cols else {}
    loans = ({(r.institution_id, r.contract_no): r.id for r in select_in(
        conn, select(CreditFacility.id, CreditFacility.institution_id, CreditFacility.contract_no), CreditFacility.contract_no,
        frame["contract_no"].dropna().unique().tolist())} if "contract_no" in cols else {})

    def refuse(row_no, key: str, value, zh: str, en: str) -> None:
        result.problems.append(Problem(result.file_name, "", int(row_no), kind.col(key).header, None if value is None else str(value), zh, en))

    def value(r, key):
        v = getattr(r, key, None) if key in cols else None
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    for row_no, r in zip(frame["_row"], frame.itertuples()):
        park_id = parks[r.park_code]
        problems_before = len(result.problems)
        ent = ents.get(value(r, "uscc"))
        if ent is not None and ent[1] != park_id:
            refuse(row_no, "uscc", r.uscc, f"该企业不在园区{r.park_code}", f"the enterprise is not in park {r.park_code}")
        inst_id = inst.get(value(r, "institution_code"))
        facility = None
        if value(r, "contract_no"):
            facility = loans.get((inst_id, r.contract_no))
            if facility is None:
                refuse(row_no, "contract_no", r.contract_no, f"{r.institution_code}没有合同编号为{r.contract_no}的贷款",
                       f"{r.institution_code} has no loan with contract number {r.contract_no}")
        status = value(r, "status") or "done"
        if ledger == "exemption":
            allowed = _CASE_STATUSES if r.category == "case" else _LIST_STATUSES
            if status not in allowed:
                refuse(row_no, "status", status, "清单条目的状态为有效或已废止；免责认定申请的状态为已申请待认定、认定免责或不予免责",
                       "a list item is in force or withdrawn; a case is applied, exempted or not exempted")
            if r.category == "case" and status in ("granted", "refused") and value(r, "closed_on") is None:
                refuse(row_no, "closed_on", None, "已认定的申请须填写认定日期", "a decided case needs the day it was decided")
        if (ledger, status) in (("adviser", "following"), ("consultation", "open")) and value(r, "due_date") is None:
            refuse(row_no, "due_date", None, "跟进中或落实中的事项须填写日期", "an open entry needs the day it is due")
        closed = value(r, "closed_on")
        if closed is not None and closed < r.entry_date:
            refuse(row_no, "closed_on", closed, f"早于{kind.col('entry_date').zh}{r.entry_date}", f"before the entry's date {r.entry_date}")
        participants, unknown = _participants(value(r, "participants")) if "participants" in cols else (None, [])
        if unknown:
            refuse(row_no, "participants", "、".join(unknown), f"不是已登记的部门：{'、'.join(unknown)}", f"not a known department: {', '.join(unknown)}")
        if len(result.problems) > problems_before:
            continue
        fields = {k: value(r, k) for k in _LEDGER_FIELDS if k in cols}
        fields.update(status=status, participants=participants)
        for k in ("amount", "amount_usd"):
            if k in fields and fields[k] is not None:
                fields[k] = _money(fields[k])
        owner = r.institution_code if "institution_code" in cols else r.department
        _upsert(conn, LedgerEntry, {"ledger": ledger, "owner": owner, "ref": r.ref},
                dict(park_id=park_id, institution_id=inst_id, department=value(r, "department"),
                     enterprise_id=ent[0] if ent else None, project_id=projects.get(value(r, "project_code")), facility_id=facility,
                     policy_tool=FISCAL_POLICY_TOOL.get(r.category) if ledger == "consultation" else None, **fields),
                result, f"{owner} {r.ref}", "ledger_entry", upload_id, dry=dry)


WRITERS = {"green_power": _write_green_power, "credit": _write_credit, "direct_financing": _write_direct, "policy_tool_use": _write_policy_tools,
           "task_progress": _write_tasks, "projects": _write_projects, "milestones": _write_milestones,
           "meter_readings": _write_meter_readings, "financials": _write_financials,
           **{f"ledger_{code}": _write_ledger for code in ("adviser", "fx", "exemption", "payment", "outreach", "consultation")}}


def load_uploads(conn: Connection, *, institution_id: int | None = None, limit: int = 50) -> pd.DataFrame:
    """The latest imports (a reporter's own when institution_id is given): id, at, by, kind, file, sha256, added, changed."""
    U = Upload
    stmt = select(U.id, U.uploaded_at, U.uploaded_by, U.kind, U.file_name, U.sha256, U.rows_added, U.rows_changed)
    if institution_id is not None:
        stmt = stmt.where(U.institution_id == institution_id)
    r = conn.execute(stmt.order_by(U.id.desc()).limit(limit))
    return pd.DataFrame(r.fetchall(), columns=list(r.keys()))
