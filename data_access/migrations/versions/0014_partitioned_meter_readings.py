"""meter_reading partitioned by month on PostgreSQL (issue 19)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 07:30:00

PostgreSQL only (SQLite keeps one table): the table is rebuilt as a declaratively partitioned one, range on `ts`, with
a partition per month from the first reading to twelve months ahead and a default partition, and the readings are
copied over (data_access.partitions). The columns, the primary key (meter_id, ts) and the foreign key keep their names.
"""
import datetime as dt
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from data_access import partitions


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_COLUMNS = ("meter_id integer NOT NULL, ts timestamp without time zone NOT NULL, value double precision NOT NULL, "
            "CONSTRAINT pk_meter_reading PRIMARY KEY (meter_id, ts), "
            "CONSTRAINT fk_meter_reading_meter_id_meter FOREIGN KEY (meter_id) REFERENCES meter (id)")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE meter_reading RENAME TO meter_reading_plain")
    op.execute("ALTER TABLE meter_reading_plain RENAME CONSTRAINT pk_meter_reading TO pk_meter_reading_plain")
    op.execute(f"CREATE TABLE meter_reading ({_COLUMNS}) PARTITION BY RANGE (ts)")
    op.execute(f"CREATE TABLE {partitions.DEFAULT} PARTITION OF meter_reading DEFAULT")
    first, last = conn.execute(sa.text("SELECT MIN(ts), MAX(ts) FROM meter_reading_plain")).one()
    today = dt.date.today()
    months = partitions.months_between((first.date() if first else today), (last.date() if last else today))
    partitions.ensure_months(conn, months)
    partitions.ensure_ahead(conn, today=today, ahead=12)
    op.execute("INSERT INTO meter_reading (meter_id, ts, value) SELECT meter_id, ts, value FROM meter_reading_plain")
    op.execute("DROP TABLE meter_reading_plain")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE meter_reading RENAME TO meter_reading_partitioned")
    op.execute("ALTER TABLE meter_reading_partitioned RENAME CONSTRAINT pk_meter_reading TO pk_meter_reading_partitioned")
    op.execute(f"CREATE TABLE meter_reading ({_COLUMNS})")
    op.execute("INSERT INTO meter_reading (meter_id, ts, value) SELECT meter_id, ts, value FROM meter_reading_partitioned")
    op.execute("DROP TABLE meter_reading_partitioned")  # drops its partitions with it
