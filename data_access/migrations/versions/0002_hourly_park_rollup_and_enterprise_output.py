"""hourly park rollup and enterprise output

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:29:52.317399
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('energy_hourly_park',
    sa.Column('park_id', sa.Integer(), nullable=False),
    sa.Column('ts', sa.DateTime(), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('n_meters', sa.Integer(), nullable=False),
    sa.CheckConstraint("carrier IN ('electricity_grid', 'electricity_own_renewable', 'electricity_direct_green', 'heat_purchased', 'natural_gas', 'coal')", name=op.f('ck_energy_hourly_park_carrier_code')),
    sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_energy_hourly_park_park_id_park')),
    sa.PrimaryKeyConstraint('park_id', 'ts', 'carrier', name=op.f('pk_energy_hourly_park'))
    )
    op.create_table('enterprise_output',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('output_value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('value_added', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('value_added >= 0', name=op.f('ck_enterprise_output_value_added_non_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_output_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_enterprise_output_upload_id_upload')),
    sa.PrimaryKeyConstraint('enterprise_id', 'year', name=op.f('pk_enterprise_output'))
    )
    # Backfill the hourly rollup from readings already loaded, so an upgraded database is complete.
    op.execute(
        "INSERT INTO energy_hourly_park (park_id, ts, carrier, value, n_meters) "
        "SELECT m.park_id, r.ts, m.carrier, SUM(r.value), COUNT(*) FROM meter_reading r "
        "JOIN meter m ON m.id = r.meter_id GROUP BY m.park_id, r.ts, m.carrier"
    )


def downgrade() -> None:
    op.drop_table('enterprise_output')
    op.drop_table('energy_hourly_park')
