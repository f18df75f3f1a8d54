"""The feed cannot stall (issue 22, item 15): time zones are converted to park time, a bad line is quarantined
with its reason and line number while the rest loads, a future reading is refused, progress follows the content
and not the name, and one file that fails does not block the folder. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from data_access import feed
from data_access.models import Enterprise, FeedFile, FeedRejection, Meter, MeterReading, Park
from data_access.uscc import make_uscc

NOW = dt.datetime(2026, 11, 28, 12, 0)  # park time


@pytest.fixture
def engine(migrated_db):
    with migrated_db.engine.begin() as conn:
        conn.execute(insert(Park).values(id=1, code="F", name_zh="接入园区", name_en="Feed park", centre_lat=37.8, centre_lon=113.5))
        conn.execute(insert(Enterprise).values(id=1, park_id=1, uscc=make_uscc("140300", 1), name="企业1", sector="equipment",
                                               enterprise_class="green_low_carbon"))
        conn.execute(insert(Meter), [dict(id=1, code="M-1", enterprise_id=1, park_id=1, carrier="electricity_grid", unit="kWh"),
                                     dict(id=2, code="M-2", enterprise_id=1, park_id=1, carrier="natural_gas", unit="m3")])
    return migrated_db.engine


def stored(engine) -> dict:
    with engine.connect() as conn:
        return {(m, ts): v for m, ts, v in conn.execute(select(MeterReading.meter_id, MeterReading.ts, MeterReading.value))}


def quarantined(engine, name: str) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(FeedRejection.line_no, FeedRejection.reason)
                                               .where(FeedRejection.file_name == name).order_by(FeedRejection.line_no))]


HOSTILE_CSV = "\n".join([
    "meter_code,ts,value",                      # line 1
    "M-1,2026-11-01T05:00:00Z,10",              # 2: UTC -> 13:00 park time
    "M-1,2026-11-01T14:00:00+08:00,11",         # 3: park time already
    "M-2,2026-11-01T15:00:00,12",               # 4: no offset: park time
    "M-1,9999-12-31T23:00,1",                   # 5: future (pandas cannot even hold it)
    "M-1,2031-01-01T00:00:00,1",                # 6: future
    "M-1,1999-12-31T23:00:00,1",                # 7: before 2000
    "M-1,2026-11-01T16:00:00,1,extra",          # 8: too many fields
    "NO-SUCH,2026-11-01T16:00:00,1",            # 9: unknown meter
    "M-1,2026-11-01T16:30:00,1",                # 10: not the start of an hour
    "M-1,2026-11-01T17:00:00,-3",               # 11: negative
    "M-1,2026-11-01T18:00:00,inf",              # 12: not finite
    "M-1,next tuesday,1",                       # 13: unreadable time
    "",                                         # 14: blank: neither loaded nor rejected
    "M-2,2026-11-01T19:00:00,13",               # 15
]) + "\n"
EXPECTED_REJECTIONS = [(5, "future"), (6, "future"), (7, "early"), (8, "line"), (9, "meter"), (10, "hour"), (11, "negative"),
                       (12, "value"), (13, "time")]
EXPECTED_READINGS = {(1, dt.datetime(2026, 11, 1, 13)): 10.0, (1, dt.datetime(2026, 11, 1, 14)): 11.0,
                     (2, dt.datetime(2026, 11, 1, 15)): 12.0, (2, dt.datetime(2026, 11, 1, 19)): 13.0}


def test_a_hostile_csv_loads_its_good_lines_and_quarantines_the_rest_with_reasons(engine, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(HOSTILE_CSV, encoding="utf-8")
    report = feed.load_feed(engine, path, now=NOW)
    assert report.failed == []
    assert stored(engine) == EXPECTED_READINGS
    assert quarantined(engine, "hostile.csv") == EXPECTED_REJECTIONS
    assert (report.added, report.rejected) == (4, 9)
    with engine.connect() as conn:
        assert conn.execute(select(FeedFile.finished, FeedFile.lines_done)).one() == (True, 14)
    again = feed.load_feed(engine, path, now=NOW)  # finished and unchanged: not read again
    assert (again.files, again.added) == (0, 0)


def test_json_lines_with_offsets_and_broken_lines(engine, tmp_path):
    path = tmp_path / "platform.jsonl"
    path.write_text("\n".join([
        '{"meter_code": "M-1", "ts": "2026-11-01T05:00:00Z", "value": 10}',
        '{"meter_code": "M-1", "ts": "2026-11-01T14:00:00+08:00", "value": 11}',
        '{"meter_code": "M-2", "ts": "2026-11-01T15:00:00", "value": 12}',
        '{"meter_code": "M-1", "ts": "9999-12-31T23:00", "value": 1}',
        '{"meter_code": "M-1", "ts": "2026-11-01T03:00:00-05:00", "value": 1}',  # 08:00 UTC: 16:00 park time
        "[1, 2, 3]",
        "not json",
        '{"meter_code": "M-2", "ts": "2026-11-01T19:00:00", "value": 13}',
    ]) + "\n", encoding="utf-8")
    report = feed.load_feed(engine, path, now=NOW)
    assert stored(engine) == {**EXPECTED_READINGS, (1, dt.datetime(2026, 11, 1, 16)): 1.0}
    assert quarantined(engine, "platform.jsonl") == [(4, "future"), (6, "line"), (7, "line")]
    assert report.reasons == {"future": 1, "line": 2}


def test_a_folder_moves_on_past_a_bad_file_and_a_reused_name_with_new_content_is_read(engine, tmp_path, monkeypatch):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    (folder / "b.csv").write_text("meter_code,ts,value\nM-2,2026-11-02T00:00:00,5\n", encoding="utf-8")
    (folder / "c.csv").write_text("meter_code,ts,value\nM-2,2026-11-02T01:00:00,6\n", encoding="utf-8")
    real = feed._csv_chunks

    def broken_for_b(content, *args):
        if b"2026-11-02T00:00" in content:
            raise MemoryError("simulated failure of one file")
        return real(content, *args)

    monkeypatch.setattr(feed, "_csv_chunks", broken_for_b)
    report = feed.load_feed(engine, folder, now=NOW)
    assert [name for name, _ in report.failed] == ["b.csv"]
    assert (2, dt.datetime(2026, 11, 2, 1)) in stored(engine)  # c.csv loaded after b.csv failed
    monkeypatch.setattr(feed, "_csv_chunks", real)
    assert feed.load_feed(engine, folder, now=NOW).added == 1  # b.csv loads on the next run

    # The platform reuses a name for the next hour's readings: same number of lines, new content.
    (folder / "c.csv").write_text("meter_code,ts,value\nM-2,2026-11-02T02:00:00,7\n", encoding="utf-8")
    report = feed.load_feed(engine, folder, now=NOW)
    assert (report.files, report.added) == (1, 1)
    assert stored(engine)[(2, dt.datetime(2026, 11, 2, 2))] == 7.0


def test_future_readings_never_reach_the_month_selector(engine, tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("meter_code,ts,value\nM-1,2031-01-01T00:00:00,1\nM-1,2026-11-28T12:00:00,2\nM-1,2026-11-28T13:00:00,3\n", encoding="utf-8")
    feed.load_feed(engine, path, now=NOW)
    assert max(ts for _, ts in stored(engine)) == dt.datetime(2026, 11, 28, 12)
    assert quarantined(engine, "late.csv") == [(2, "future"), (4, "future")]
