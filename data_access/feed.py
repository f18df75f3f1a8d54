"""The energy-carbon platform feed (§三 区域能碳管理平台): hourly readings per meter, loaded incrementally.

Feed format (one reading per line, UTF-8), either CSV with a header
    meter_code,ts,value
    YQ-HTZ-001-electricity_grid,2026-11-01T13:00:00,812.5
or JSON lines
    {"meter_code": "YQ-HTZ-001-electricity_grid", "ts": "2026-11-01T13:00:00", "value": 812.5}
`ts` is the start of the hour: local park time (China Standard Time, UTC+8) when it has no offset; with one
("2026-11-01T05:00:00Z", "…T13:00:00+08:00") it is converted to park time. `value` is the use in that hour in
the meter's unit.

`load_feed(engine, path)` takes a file or a folder (files in name order). It is safe to run every few minutes:
each file's progress is kept in `feed_file`, committed with the readings chunk by chunk, so an interrupted run
resumes after the last committed chunk. Progress belongs to the content (SHA-256), not the name: a file whose
content changed under the same name is read again from the top, and what is already stored is skipped. A reading
already stored is skipped (a different value for a stored hour is counted as a conflict and the stored value
kept); rollups are refreshed for the touched days only.

A line that is not a reading (unknown meter, unreadable time, a time before 2000 or in the future, not the start
of an hour, a bad or negative value, a broken line) is quarantined in `feed_rejection` with its reason and the
rest loads. One file that fails for any other reason is reported and the folder moves on to the next file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import logging
import re

import numpy as np
from sqlalchemy import Engine, insert, select, update

from data_access.db import retry_locked, writing
from data_access.models import FeedFile, FeedRejection, Meter, MeterReading
from data_access.meter_store import insert_readings
from data_access.rollups import add_to_rollups

CHUNK = 50_000  # lines per transaction
PARK_TZ = dt.timezone(dt.timedelta(hours=8), "CST")  # China Standard Time, no daylight saving
EARLIEST = dt.datetime(2000, 1, 1)
KEEP_REJECTED = 1_000  # quarantined lines kept per file and run; every one is counted
REASONS = {  # reason code -> (zh, en)
    "line": ("不是一条读数（格式错误或缺列）", "not a reading (malformed line or missing field)"),
    "meter": ("计量表未登记", "unknown meter"),
    "time": ("时间无法识别", "unreadable time"),
    "early": ("时间早于2000年", "time before 2000"),
    "future": ("时间晚于当前（未来读数）", "time in the future"),
    "hour": ("不是整点", "not the start of an hour"),
    "value": ("读数不是有限数字", "value is not a finite number"),
    "negative": ("读数为负", "negative value"),
}
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$", re.I)
log = logging.getLogger(__name__)


@dataclass
class FeedReport:
    files: int = 0
    lines: int = 0
    added: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    touched_days: set = field(default_factory=set)
    reasons: dict = field(default_factory=dict)  # reason code -> lines quarantined for it
    failed: list = field(default_factory=list)  # (file name, error) of files that could not be read at all

    @property
    def days(self) -> int:
        return len(self.touched_days)


Rejection = tuple[int, str, str]  # line number (1-based, header = line 1 of a CSV), reason code, the line as sent


def to_park_time(stamp: dt.datetime) -> dt.datetime:
    """A time with an offset in park time (naive); a naive time is park time already."""
    return stamp if stamp.tzinfo is None else stamp.astimezone(PARK_TZ).replace(tzinfo=None)


def check_reading(meter_code, ts_text, value, meters: dict[str, int], now: dt.datetime):
    """(meter_id, ts, value), None) for a good reading, (None, reason) for a bad one (see REASONS)."""
    mid = meters.get(str(meter_code).strip()) if meter_code is not None else None
    if mid is None:
        return None, "meter"
    text = str(ts_text).strip() if ts_text is not None else ""
    try:
        ts = to_park_time(dt.datetime.fromisoformat(text))
    except ValueError:
        year = int(text[:4]) if text[:4].isdigit() else None
        return None, "future" if year and year > now.year else "early" if year and year < EARLIEST.year else "time"
    if ts < EARLIEST:
        return None, "early"
    if ts > now:
        return None, "future"
    if ts.minute or ts.second or ts.microsecond:
        return None, "hour"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, "value"
    if not math.isfinite(number):
        return None, "value"
    if number < 0:
        return None, "negative"
    return (mid, ts, number), None


def feed_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".jsonl", ".json") and p.is_file())
    return [path]


def load_feed(engine: Engine, path: Path, *, chunk: int = CHUNK, now: dt.datetime | None = None) -> FeedReport:
    """Load a feed file or folder; `now` (park time, default the clock) is the latest hour a reading may start."""
    now = now or dt.datetime.now(PARK_TZ).replace(tzinfo=None)
    report = FeedReport()
    with engine.connect() as conn:
        meters = dict(conn.execute(select(Meter.code, Meter.id)).all())
    for file in feed_files(path):
        try:
            _load_file(engine, file, meters, chunk, now, report)
        except Exception as error:  # one broken file must not block the folder: report it, go on
            log.exception("feed file %s failed", file.name)
            report.failed.append((file.name, f"{type(error).__name__}: {str(error)[:200]}"))
    return report


def _load_file(engine: Engine, file: Path, meters: dict[str, int], chunk: int, now: dt.datetime, report: FeedReport) -> None:
    content = file.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    with writing(engine, bump=False) as conn:  # the file's progress record only; its readings bump in _commit
        state = conn.execute(select(FeedFile).where(FeedFile.file_name == file.name)).first()
        if state is None:
            conn.execute(insert(FeedFile).values(file_name=file.name, sha256=sha, lines_done=0))
            done = 0
        elif state.sha256 == sha:
            if state.finished:
                return  # loaded before and unchanged
            done = state.lines_done  # an interrupted run of this very content resumes
        else:  # new content under an old name (appended or replaced): read it all again; stored readings are skipped
            conn.execute(update(FeedFile).where(FeedFile.id == state.id).values(
                sha256=sha, lines_done=0, finished=False, readings_added=0, duplicates=0, conflicts=0, rejected=0))
            done = 0
    report.files += 1
    kept = [0]  # quarantined lines kept for this file in this run
    chunks = _csv_chunks(content, done, meters, chunk, now) if file.suffix.lower() == ".csv" else _line_chunks(content, done, meters, chunk, now)
    pending = None
    for part in chunks:  # commit each chunk once the next is known, so the last one is marked finished
        if pending is not None:
            _commit(engine, file.name, sha, *pending, report, kept, finished=False)
        pending = part
    _commit(engine, file.name, sha, *(pending or ([], [], None, 0)), report, kept, finished=True)


Chunk = tuple[list[tuple[int, dt.datetime, float]], list[Rejection], int | None, int]  # readings, rejections, lines done after it, lines


def _line_chunks(content: bytes, start: int, meters: dict[str, int], size: int, now: dt.datetime):
    """JSON lines, line by line; `start` lines are skipped."""
    readings, rejected, n, last = [], [], 0, None
    text = content.decode("utf-8-sig", errors="replace")
    for i, line in enumerate(text.splitlines()):
        if i < start:
            continue
        n, last = n + 1, i + 1
        if line.strip():
            try:
                row = json.loads(line)
                reading, reason = check_reading(row.get("meter_code"), row.get("ts"), row.get("value"), meters, now) \
                    if isinstance(row, dict) else (None, "line")
            except (json.JSONDecodeError, RecursionError):
                reading, reason = None, "line"
            if reading is None:
                rejected.append((i + 1, reason, line))
            else:
                readings.append(reading)
        if n >= size:
            yield readings, rejected, last, n
            readings, rejected, n = [], [], 0
    if n:
        yield readings, rejected, last, n


def _csv_chunks(content: bytes, start: int, meters: dict[str, int], size: int, now: dt.datetime):
    """CSV files with pandas' C parser, each physical line read whole and split on commas (the feed has no quoted
    commas), so every line keeps its number and a broken one is quarantined, not skipped; checked column-wise by
    the same rules as `check_reading`."""
    import io

    import pandas as pd

    text = content.decode("utf-8-sig", errors="replace")
    first, _, body = text.partition("\n")
    header = [h.strip().strip('"') for h in first.strip().split(",")]
    if not body.strip() or not {"meter_code", "ts", "value"} <= set(header):
        lines = body.splitlines()[start:]
        if lines:
            yield [], [(start + k + 2, "line", raw) for k, raw in enumerate(lines[:KEEP_REJECTED]) if raw.strip()], start + len(lines), len(lines)
        return
    pos = {name: header.index(name) for name in ("meter_code", "ts", "value")}
    reader = pd.read_csv(io.StringIO(body), sep="\x01", header=None, names=["raw"], dtype=str, chunksize=size, skiprows=start,
                         quoting=3, keep_default_na=False, skip_blank_lines=False, engine="c")
    line = start
    for df in reader:
        raw = df["raw"].fillna("")
        parts = raw.str.split(",", expand=True).reindex(columns=range(len(header) + 1))
        field = {k: parts[i].str.strip(' "\r') for k, i in pos.items()}
        blank = (parts[0].str.strip(" \r") == "") & parts[1].isna()
        broken = ~blank & (parts[len(header) - 1].isna() | parts[len(header)].notna())  # too few or too many fields
        mid = field["meter_code"].map(meters)
        ts_text = field["ts"]
        aware = ts_text.str.contains(_OFFSET, na=False) if ts_text.str.len().max() > 19 else pd.Series(False, index=df.index)
        ts = pd.to_datetime(ts_text.where(~aware), format="ISO8601", errors="coerce")
        if aware.any():
            ts[aware] = (pd.to_datetime(ts_text[aware], format="ISO8601", errors="coerce", utc=True)
                         .dt.tz_convert(PARK_TZ).dt.tz_localize(None))
        year = pd.to_numeric(ts_text.str[:4], errors="coerce")
        value = pd.to_numeric(field["value"], errors="coerce")
        finite = np.isfinite(value.fillna(np.nan).astype(float))
        reason = pd.Series(np.select(
            [blank, broken, mid.isna(),
             (ts.isna() & (year > now.year)) | (ts > now),
             (ts.isna() & (year < EARLIEST.year)) | (ts < EARLIEST),
             ts.isna(),
             (ts.dt.minute != 0) | (ts.dt.second != 0) | (ts.dt.microsecond != 0),
             ~finite, value < 0],
            ["", "line", "meter", "future", "early", "time", "hour", "value", "negative"], default="ok"), index=df.index)
        ok = reason == "ok"
        bad = ~ok & ~blank
        readings = list(zip(mid[ok].astype(int).tolist(), ts[ok].to_numpy(dtype="datetime64[us]").astype(object).tolist(),
                            value[ok].astype(float).tolist()))
        numbers = np.arange(line, line + len(df)) + 2  # the header is line 1
        rejected = list(zip(numbers[bad.to_numpy()].tolist(), reason[bad].tolist(), raw[bad].tolist()))
        line += len(df)
        yield readings, rejected, line, len(df)


def _commit(engine: Engine, name: str, sha: str, readings: list, rejected: list[Rejection], last_line: int | None, n_lines: int,
            report: FeedReport, kept: list[int], *, finished: bool) -> None:
    """Write one chunk, its quarantined lines and the file's progress in one transaction (retried while another
    writer holds SQLite)."""
    def attempt():
        with writing(engine) as conn:
            return _write_chunk(conn, name, sha, readings, rejected, last_line, kept[0], finished=finished)

    added, dup, conflict, days, stored_rejections = retry_locked(attempt, what=f"feed {name}")
    kept[0] += stored_rejections
    report.lines += n_lines
    report.added += added
    report.duplicates += dup
    report.conflicts += conflict
    report.rejected += len(rejected)
    for _, reason, _ in rejected:
        report.reasons[reason] = report.reasons.get(reason, 0) + 1
    report.touched_days |= days


def _write_chunk(conn, name: str, sha: str, readings: list, rejected: list[Rejection], last_line: int | None, kept: int, *,
                 finished: bool):
    stored = {}
    if readings:  # one range query per chunk: the feed runs forward in time, so the range is narrow
        stamps = [ts for _, ts, _ in readings]
        ids = sorted({mid for mid, _, _ in readings})
        stored = {(mid, ts): v for mid, ts, v in conn.execute(
            select(MeterReading.meter_id, MeterReading.ts, MeterReading.value)
            .where(MeterReading.ts >= min(stamps), MeterReading.ts <= max(stamps), MeterReading.meter_id.in_(ids)))}
    fresh, seen, dup, conflict = [], {}, 0, 0
    for mid, ts, v in readings:
        key = (mid, ts)
        old = stored.get(key, seen.get(key))
        seen.setdefault(key, v)
        if old is None:
            fresh.append((mid, ts, v))
        elif abs(old - v) > 1e-9:
            conflict += 1
        else:
            dup += 1
    added = insert_readings(conn, fresh) if fresh else 0
    days = {ts.date() for _, ts, _ in fresh}
    add_to_rollups(conn, fresh)  # none of them was stored: checked above, in this transaction
    keep = rejected[:max(0, KEEP_REJECTED - kept)]
    if keep:
        conn.execute(insert(FeedRejection), [dict(file_name=name, sha256=sha, line_no=n, reason=r, raw=raw[:500]) for n, r, raw in keep])
    values = dict(sha256=sha, finished=finished)
    if last_line is not None:
        values["lines_done"] = last_line
    conn.execute(update(FeedFile).where(FeedFile.file_name == name).values(
        **values, readings_added=FeedFile.readings_added + added, duplicates=FeedFile.duplicates + dup,
        conflicts=FeedFile.conflicts + conflict, rejected=FeedFile.rejected + len(rejected)))
    return added, dup, conflict, days, len(keep)


def load_rejections(conn, *, limit: int = 200):
    """The latest quarantined feed lines: at, file_name, line_no, reason (code), raw."""
    import pandas as pd

    R = FeedRejection
    r = conn.execute(select(R.created_at.label("at"), R.file_name, R.line_no, R.reason, R.raw).order_by(R.id.desc()).limit(limit))
    return pd.DataFrame(r.fetchall(), columns=list(r.keys()))


def simulate(engine: Engine, out_dir: Path, *, park_code: str, hours: int = 24, start: dt.datetime | None = None,
             seed: int = 7) -> list[Path]:
    """Write hourly feed files (one CSV per hour) for a park's meters, continuing after the last stored reading:
    each meter's value repeats the same hour a week earlier, with a little noise, so the live panels move."""
    from data_access.models import Park

    rng = np.random.default_rng(seed)
    with engine.connect() as conn:
        park_id = conn.execute(select(Park.id).where(Park.code == park_code)).scalar_one()
        meters = conn.execute(select(Meter.id, Meter.code).where(Meter.park_id == park_id).order_by(Meter.id)).all()
        last = conn.execute(select(MeterReading.ts).join(Meter, Meter.id == MeterReading.meter_id)
                            .where(Meter.park_id == park_id).order_by(MeterReading.ts.desc()).limit(1)).scalar()
        first = start or ((last + dt.timedelta(hours=1)) if last else dt.datetime.now().replace(minute=0, second=0, microsecond=0))
        week_ago = {(m, ts): v for m, ts, v in conn.execute(
            select(MeterReading.meter_id, MeterReading.ts, MeterReading.value).join(Meter, Meter.id == MeterReading.meter_id)
            .where(Meter.park_id == park_id, MeterReading.ts >= first - dt.timedelta(days=7),
                   MeterReading.ts < first - dt.timedelta(days=7) + dt.timedelta(hours=hours)))}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for h in range(hours):
        ts = first + dt.timedelta(hours=h)
        path = out_dir / f"feed-{park_code}-{ts:%Y%m%d%H}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["meter_code", "ts", "value"])
            for mid, code in meters:
                base = week_ago.get((mid, ts - dt.timedelta(days=7)))
                if base is None:
                    continue
                w.writerow([code, ts.isoformat(), round(max(0.0, base * float(rng.normal(1.0, 0.04))), 4)])
        written.append(path)
    return written
