"""display links for the big screen: named, revocable, stored hashed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 23:30:00

A meeting-room PC opens `/?screen=1&token=…` and keeps showing the big screen of one park through reloads, network
drops and server restarts, without anyone signing in in front of the leaders. Only the SHA-256 of the token is
stored; an admin names and revokes each link.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'display_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('park_id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_display_token_park_id_park')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_display_token')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_display_token_token_sha256')),
    )


def downgrade() -> None:
    op.drop_table('display_token')
