"""credit_snapshot carries its facility's park (issue 19)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:30:00

Every park-level credit query filtered the snapshots through their facility's park, so PostgreSQL read every park's
month-end rows and threw most away (7 page statements scanned credit_snapshot at M). The snapshot now carries the
park of its facility (a facility never moves park), filled from credit_facility, and an index on (park_id, is_current,
period) serves the park's current rows directly.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('credit_snapshot', sa.Column('park_id', sa.Integer(), nullable=True))
    op.execute("UPDATE credit_snapshot SET park_id = (SELECT f.park_id FROM credit_facility f WHERE f.id = credit_snapshot.facility_id)")
    with op.batch_alter_table('credit_snapshot') as batch:
        batch.alter_column('park_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key('fk_credit_snapshot_park_id_park', 'park', ['park_id'], ['id'])
    op.create_index('ix_credit_snapshot_park_current', 'credit_snapshot', ['park_id', 'is_current', 'period'])


def downgrade() -> None:
    op.drop_index('ix_credit_snapshot_park_current', table_name='credit_snapshot')
    with op.batch_alter_table('credit_snapshot') as batch:
        batch.drop_constraint('fk_credit_snapshot_park_id_park', type_='foreignkey')
        batch.drop_column('park_id')
