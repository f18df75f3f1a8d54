"""The energy-carbon platform feed (§三 区域能碳管理平台): hourly readings per meter, loaded incrementally.

Feed format (one reading per line, UTF-8), either CSV with a header
    meter_code,ts,value
    YQ-HTZ-001-electricity_grid,2026-11-01T13:00:00,812.5
or JSON lines
    {"meter_code": "YQ-HTZ-001-electricity_grid", "ts": "2026-11-01T13:00:00", "value": 812.5}
`ts` is the local start of the hour (Asia/Shanghai); `value` the use in that hour in the meter's unit.

`load_feed(engine, path)` takes a file or a folder (files in name order). It is safe to run every few minutes:
each file's progress is kept in `feed_file`, committed with the readings chunk by chunk, so an interrupted run
resumes after the last committed chunk; a reading already stored is skipped (a different value for a stored
hour is counted as a conflict and the stored value kept); rollups are refreshed for the touched days only.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, insert, select, update

from data_access.db import bump_data_version
from data_access.models import FeedFile, Meter, MeterReading
from data_access.readings import insert_readings
from data_access.rollups import refresh_rollups

CHUNK = 50_000  # lines per transaction


@dataclass
class FeedReport:
    files: int = 0
    lines: int = 0
    added: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    touched_days: set = field(default_factory=set)

    @property
    def days(self) -> int:
        return len(self.touched_days)


def _lines(path: Path, start: int) -> Iterator[tuple[int, dict | None]]:
    """(line number, reading or None when the line is not one), from line `start` (0-based, header excluded)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        if path.suffix.lower() == ".csv":
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader, [])]
            for i, row in enumerate(reader):
                if i >= start:
                    yield i, dict(zip(header, row))
        else:
            for i, line in enumerate(f):
                if i < start:
                    continue
                try:
                    yield i, json.loads(line) if line.strip() else None
                except json.JSONDecodeError:
                    yield i, None


def _parse(row: dict | None, meters: dict[str, int]) -> tuple[int, dt.datetime, float] | None:
    if not row:
        return None
    try:
        mid = meters[str(row["meter_code"]).strip()]
        ts = dt.datetime.fromisoformat(str(row["ts"]).strip())
        value = float(row["value"])
    except (KeyError, ValueError, TypeError):
        return None
    if not math.isfinite(value) or value < 0 or ts.minute or ts.second:
        return None
    return mid, ts, value


def feed_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".jsonl", ".json") and p.is_file())
    return [path]


def load_feed(engine: Engine, path: Path, *, chunk: int = CHUNK) -> FeedReport:
    report = FeedReport()
    with engine.connect() as conn:
        meters = dict(conn.execute(select(Meter.code, Meter.id)).all())
    for file in feed_files(path):
        sha = hashlib.sha256(file.read_bytes()).hexdigest()
        with engine.begin() as conn:
            state = conn.execute(select(FeedFile).where(FeedFile.file_name == file.name)).first()
            if state is None:
                conn.execute(insert(FeedFile).values(file_name=file.name, sha256=sha, lines_done=0))
                done = 0
            elif state.finished and state.sha256 == sha:
                continue  # loaded before and unchanged
            else:
                done = state.lines_done  # resume (an appended file continues after what was loaded)
        report.files += 1
        chunks = _csv_chunks(file, done, meters, chunk) if file.suffix.lower() == ".csv" else _line_chunks(file, done, meters, chunk)
        pending = None
        for part in chunks:  # commit each chunk once the next is known, so the last one is marked finished
            if pending is not None:
                _commit(engine, file.name, sha, *pending, report, finished=False)
            pending = part
        _commit(engine, file.name, sha, *(pending or ([], 0, None, 0)), report, finished=True)
    return report


Chunk = tuple[list[tuple[int, dt.datetime, float]], int, int | None, int]  # readings, rejected, lines done after it, lines


def _line_chunks(path: Path, start: int, meters: dict[str, int], size: int):
    """JSON lines, line by line."""
    readings, rejected, n, last = [], 0, 0, None
    for line_no, row in _lines(path, start):
        r = _parse(row, meters)
        if r is None:
            rejected += 1
        else:
            readings.append(r)
        n, last = n + 1, line_no + 1
        if n >= size:
            yield readings, rejected, last, n
            readings, rejected, n = [], 0, 0
    if n:
        yield readings, rejected, last, n


def _csv_chunks(path: Path, start: int, meters: dict[str, int], size: int):
    """CSV files with pandas' C parser, checked column-wise (the same rules as `_parse`)."""
    import pandas as pd

    try:
        reader = pd.read_csv(path, dtype=str, chunksize=size, skiprows=range(1, start + 1), encoding="utf-8-sig",
                             keep_default_na=False, on_bad_lines="warn")
    except pd.errors.EmptyDataError:
        return
    line = start
    for df in reader:
        if not {"meter_code", "ts", "value"} <= set(df.columns):
            yield [], len(df), line + len(df), len(df)
            line += len(df)
            continue
        mid = df["meter_code"].str.strip().map(meters)
        ts = pd.to_datetime(df["ts"].str.strip(), format="ISO8601", errors="coerce")
        value = pd.to_numeric(df["value"], errors="coerce")
        ok = mid.notna() & ts.notna() & value.notna() & (value >= 0) & np.isfinite(value.fillna(-1)) \
            & (ts.dt.minute == 0) & (ts.dt.second == 0)
        readings = list(zip(mid[ok].astype(int).tolist(), ts[ok].to_numpy(dtype="datetime64[us]").astype(object).tolist(), value[ok].astype(float).tolist()))
        line += len(df)
        yield readings, int((~ok).sum()), line, len(df)


def _commit(engine: Engine, name: str, sha: str, readings: list, rejected: int, last_line: int | None, n_lines: int,
            report: FeedReport, *, finished: bool) -> None:
    """Write one chunk and the file's progress in one transaction."""
    with engine.begin() as conn:
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
        refresh_rollups(conn, {m for m, _, _ in fresh}, days)
        values = dict(sha256=sha, finished=finished)
        if last_line is not None:
            values["lines_done"] = last_line
        conn.execute(update(FeedFile).where(FeedFile.file_name == name).values(
            **values, readings_added=FeedFile.readings_added + added, duplicates=FeedFile.duplicates + dup,
            conflicts=FeedFile.conflicts + conflict, rejected=FeedFile.rejected + rejected))
        if added:
            bump_data_version(conn)
    report.lines += n_lines
    report.added += added
    report.duplicates += dup
    report.conflicts += conflict
    report.rejected += rejected
    report.touched_days |= days


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
