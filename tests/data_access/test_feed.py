"""The platform feed: incremental, resumable after an interruption, never double-counting, rollups for the
touched days only; the simulator writes hours that continue the stored data."""

import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select, text

from data_access import feed
from data_access.db import make_engine
from data_access.models import FeedFile, MeterReading


@pytest.fixture
def engine(demo_sqlite, tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copy(demo_sqlite.url.removeprefix("sqlite:///"), copy)
    return make_engine(f"sqlite:///{copy}")


def readings(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(MeterReading)).scalar_one()


def test_simulated_hours_load_once_and_roll_up(engine, tmp_path):
    before = readings(engine)
    files = feed.simulate(engine, tmp_path / "feed", park_code="YQ-HTZ", hours=3)
    assert [f.name for f in files] == ["feed-YQ-HTZ-2026110100.csv", "feed-YQ-HTZ-2026110101.csv", "feed-YQ-HTZ-2026110102.csv"]
    lines = sum(len(f.read_text().splitlines()) - 1 for f in files)
    first = feed.load_feed(engine, tmp_path / "feed")
    assert (first.added, first.duplicates, first.rejected, first.days) == (lines, 0, 0, 1)
    again = feed.load_feed(engine, tmp_path / "feed")
    assert (again.files, again.added) == (0, 0)  # safe to run again: finished files are skipped
    assert readings(engine) == before + lines
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT SUM(r.value) FROM meter_reading r JOIN meter m ON m.id = r.meter_id "
                                "WHERE m.enterprise_id = 1 AND m.carrier = 'electricity_grid' AND r.ts >= '2026-11-01'")).scalar()
        rolled = conn.execute(text("SELECT value FROM energy_daily WHERE enterprise_id = 1 AND day = '2026-11-01' AND carrier = 'electricity_grid'")).scalar()
    assert rolled == pytest.approx(raw)


def test_an_interrupted_feed_resumes_without_double_counting(engine, tmp_path, monkeypatch):
    before = readings(engine)
    [file] = feed.simulate(engine, tmp_path / "feed", park_code="YQ-HTZ", hours=1)
    lines = len(file.read_text().splitlines()) - 1
    real, calls = feed._commit, []

    def dies_on_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the cron job is killed mid-file
        return real(*args, **kwargs)

    monkeypatch.setattr(feed, "_commit", dies_on_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        feed.load_feed(engine, file, chunk=100)
    assert readings(engine) == before + 100  # the first chunk and its progress were committed together
    monkeypatch.setattr(feed, "_commit", real)
    resumed = feed.load_feed(engine, file, chunk=100)
    assert (resumed.lines, resumed.added, resumed.duplicates) == (lines - 100, lines - 100, 0)
    assert readings(engine) == before + lines
    with engine.connect() as conn:
        state = conn.execute(select(FeedFile.lines_done, FeedFile.readings_added, FeedFile.finished)).one()
    assert tuple(state) == (lines, lines, True)


def test_duplicates_conflicts_and_bad_lines_are_counted_not_loaded(engine, tmp_path):
    with engine.connect() as conn:
        code, ts, value = conn.execute(text("SELECT m.code, r.ts, r.value FROM meter_reading r JOIN meter m ON m.id = r.meter_id "
                                            "ORDER BY r.ts DESC LIMIT 1")).one()
    stamp = dt.datetime.fromisoformat(str(ts)).isoformat()
    path = tmp_path / "platform.jsonl"
    path.write_text("\n".join([
        f'{{"meter_code": "{code}", "ts": "{stamp}", "value": {value}}}',  # already stored: skipped
        f'{{"meter_code": "{code}", "ts": "{stamp}", "value": {value + 5}}}',  # another value for a stored hour: kept old
        '{"meter_code": "NO-SUCH-METER", "ts": "2026-11-01T00:00:00", "value": 1}',
        f'{{"meter_code": "{code}", "ts": "2026-11-01T00:30:00", "value": 1}}',  # not the start of an hour
        "not json",
    ]) + "\n", encoding="utf-8")
    before = readings(engine)
    r = feed.load_feed(engine, path)
    assert (r.added, r.duplicates, r.conflicts, r.rejected) == (0, 1, 1, 3)
    assert readings(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meter_reading r JOIN meter m ON m.id = r.meter_id "
                                 "WHERE m.code = :c AND r.ts = :t"), {"c": code, "t": ts}).scalar() == value
