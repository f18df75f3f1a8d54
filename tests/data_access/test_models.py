"""The schema refuses bad rows through any path: codes, signs, references."""

import datetime as dt

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from data_access.db import bump_data_version, data_version
from data_access.models import CreditFacility, CreditSnapshot, Enterprise, Institution, Park


def _park(conn):
    conn.execute(insert(Park).values(id=1, code="P", name_zh="园区", name_en="Park", centre_lat=37.8, centre_lon=113.5))


def _enterprise(conn, **kw):
    row = dict(id=1, park_id=1, uscc="91350200776049653A", name="示例企业", sector="equipment",
               enterprise_class="green_low_carbon")
    row.update(kw)
    conn.execute(insert(Enterprise).values(**row))


def test_enterprise_with_unknown_sector_is_refused(migrated_db):
    with pytest.raises(IntegrityError), migrated_db.engine.begin() as conn:
        _park(conn)
        _enterprise(conn, sector="steel")


def test_enterprise_in_a_missing_park_is_refused(migrated_db):
    with pytest.raises(IntegrityError), migrated_db.engine.begin() as conn:
        _enterprise(conn, park_id=99)


def test_negative_balance_is_refused(migrated_db):
    with migrated_db.engine.begin() as conn:
        _park(conn)
        _enterprise(conn)
        conn.execute(insert(Institution).values(id=1, code="B1", name="银行", short_name="银行", inst_type="state_owned"))
        conn.execute(insert(CreditFacility).values(
            id=1, park_id=1, institution_id=1, enterprise_id=1, contract_no="C1", product_line="energy_saving",
            is_green=True, start_date=dt.date(2024, 1, 1), maturity_date=dt.date(2027, 1, 1), amount=100, rate=3.1))
    with pytest.raises(IntegrityError), migrated_db.engine.begin() as conn:
        conn.execute(insert(CreditSnapshot).values(facility_id=1, park_id=1, period=dt.date(2024, 1, 1), balance=-5, disbursed=0,
                                                   rate=3.1, status="normal", inst_type="state_owned"))
    with migrated_db.engine.connect() as conn:
        assert conn.execute(select(CreditSnapshot)).first() is None


def test_unknown_institution_type_is_refused(migrated_db):
    with pytest.raises(IntegrityError), migrated_db.engine.begin() as conn:
        conn.execute(insert(Institution).values(code="X", name="x", short_name="x", inst_type="shadow_bank"))


def test_data_version_changes_on_every_bump(migrated_db):
    with migrated_db.engine.begin() as conn:
        before = data_version(conn)
        first = bump_data_version(conn)
        second = bump_data_version(conn)
        assert before == "0"
        assert first != second
        assert data_version(conn) == second


def test_an_enterprise_with_a_wrong_check_character_is_refused():
    with pytest.raises(ValueError, match="check character is 'B', expected 'A'"):
        Enterprise(park_id=1, uscc="91350200776049653B", name="x", sector="equipment", enterprise_class="green_low_carbon")
    ok = Enterprise(park_id=1, uscc="91350200776049653A", name="x", sector="equipment", enterprise_class="green_low_carbon")
    assert ok.uscc.endswith("A")
