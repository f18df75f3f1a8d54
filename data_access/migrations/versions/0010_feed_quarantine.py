"""quarantine feed lines that are not readings, with their reason

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:40:00

A bad line (unknown meter, unreadable or future time, bad value) used to be only counted; one the loader could
not handle stopped its file for good. Each is now kept in `feed_rejection` with its line number and reason, and
the rest of the file loads.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'feed_rejection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=300), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('line_no', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('raw', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_rejection')),
    )
    op.create_index('ix_feed_rejection_file', 'feed_rejection', ['file_name', 'sha256'])


def downgrade() -> None:
    op.drop_index('ix_feed_rejection_file', table_name='feed_rejection')
    op.drop_table('feed_rejection')
