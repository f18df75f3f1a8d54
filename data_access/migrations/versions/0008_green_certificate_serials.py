"""GEC serial ranges on green-power claims, and certificates sold from own generation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 08:00:00

A trade's bundled certificates reported again as certificates, or own generation whose certificates were sold,
counted twice. Each claim now carries the serial numbers of the certificates it covers (1 GEC = 1 MWh, 发改能源
〔2023〕1044号), so each MWh counts once across kinds; 'own_sold' records certificates issued on own generation and
sold, which the enterprise can no longer claim.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('green_power_transaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('serial_start', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('serial_end', sa.BigInteger(), nullable=True))
        batch_op.drop_constraint(op.f('ck_green_power_transaction_kind_code'), type_='check')
        batch_op.create_check_constraint('kind_code', "kind IN ('trade', 'certificate', 'own_sold')")
        batch_op.create_check_constraint('serial_range_ordered', 'serial_end IS NULL OR serial_end >= serial_start')
        batch_op.create_index('ix_green_power_transaction_serials', ['serial_start', 'serial_end'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('green_power_transaction', schema=None) as batch_op:
        batch_op.drop_index('ix_green_power_transaction_serials')
        batch_op.drop_constraint(op.f('ck_green_power_transaction_serial_range_ordered'), type_='check')
        batch_op.drop_constraint(op.f('ck_green_power_transaction_kind_code'), type_='check')
        batch_op.create_check_constraint('kind_code', "kind IN ('trade', 'certificate')")
        batch_op.drop_column('serial_end')
        batch_op.drop_column('serial_start')
