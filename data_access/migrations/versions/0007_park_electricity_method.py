"""park electricity conversion method as a park setting; the core-indicator target is derived, not stored

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 07:30:00

The national zero-carbon-park core indicator (tCO2 per tce) and the band that sets its threshold (≤0.2 below
100万 tce a year, ≤0.3 at or above) both depend on how electricity is converted to tce. The method is now a
setting of each park ('calorific' = 当量值, GB/T 2589-2020; 'coal_equivalent' = 等价值, the coal-equivalent
method of national energy statistics) and the 2030 core target is derived from the band under that method,
so stored carbon_per_energy target rows are removed.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('park', schema=None) as batch_op:
        batch_op.add_column(sa.Column('electricity_method', sa.String(length=32), nullable=False,
                                      server_default='calorific'))
        batch_op.create_check_constraint('electricity_method_code',
                                         "electricity_method IN ('calorific', 'coal_equivalent')")
    op.execute("DELETE FROM target WHERE indicator = 'carbon_per_energy'")


def downgrade() -> None:
    with op.batch_alter_table('park', schema=None) as batch_op:
        batch_op.drop_constraint('electricity_method_code', type_='check')
        batch_op.drop_column('electricity_method')
