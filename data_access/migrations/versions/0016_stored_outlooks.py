"""stored 2030 outlooks, computed after each data load (issue 19)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 12:45:00

The forecast page fitted every candidate model on its first view after a restart or an import (6-7 s). The command
line now computes the outlooks after each import, feed run and seed, and keeps them here under a fingerprint of
their inputs (history, target, model version), with the data version they came from.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'stored_outlook',
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('park_id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=40), nullable=False),
        sa.Column('period', sa.Date(), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('data_version', sa.String(length=32), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_stored_outlook_park_id_park')),
        sa.PrimaryKeyConstraint('fingerprint', name=op.f('pk_stored_outlook')),
    )
    op.create_index(op.f('ix_stored_outlook_park_id'), 'stored_outlook', ['park_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_stored_outlook_park_id'), table_name='stored_outlook')
    op.drop_table('stored_outlook')
