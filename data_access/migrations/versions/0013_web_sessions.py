"""web sessions: a password sign-in survives a browser reload through an HttpOnly cookie

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:00:00

The browser keeps a random token in an HttpOnly cookie; only its SHA-256 is stored, beside the one-time ticket the
sign-in page hands over to get it (data_access.session_store).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0013'
down_revision: Union[str, None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'web_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('ticket_sha256', sa.String(length=64), nullable=True),
        sa.Column('ticket_expires_at', sa.DateTime(), nullable=True),
        sa.Column('token_sha256', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_web_session_user_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_session')),
        sa.UniqueConstraint('ticket_sha256', name=op.f('uq_web_session_ticket_sha256')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_web_session_token_sha256')),
    )


def downgrade() -> None:
    op.drop_table('web_session')
