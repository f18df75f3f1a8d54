"""work ledgers (工作台账, issue 23): one table for the six ledgers of §六 §八 §九 §十六

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:26:12

Adviser services, FX and cross-border facilitation, due-diligence exemption, payment services, talent and
publicity, and cross-department consultations are lists of entries with a date, a category, a status and a few
counts or amounts; each import kind fills the columns it names. An entry is kept by an institution or by a
department (exactly one of the two), under the entry number its keeper gave it.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0019'
down_revision: Union[str, None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ledger', sa.String(length=20), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('park_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=30), nullable=True),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('participants', sa.String(length=300), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('policy_tool', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('amount_usd', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('reach', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(institution_id IS NULL) <> (department IS NULL)', name=op.f('ck_ledger_entry_one_owner')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_ledger_entry_amount_non_negative')),
    sa.CheckConstraint('amount_usd IS NULL OR amount_usd >= 0', name=op.f('ck_ledger_entry_amount_usd_non_negative')),
    sa.CheckConstraint('quantity IS NULL OR quantity >= 0', name=op.f('ck_ledger_entry_quantity_non_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_ledger_entry_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['facility_id'], ['credit_facility.id'], name=op.f('fk_ledger_entry_facility_id_credit_facility')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_ledger_entry_institution_id_institution')),
    sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_ledger_entry_park_id_park')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_ledger_entry_project_id_project')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_ledger_entry_upload_id_upload')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry')),
    sa.UniqueConstraint('ledger', 'owner', 'ref', name=op.f('uq_ledger_entry_ledger_owner_ref'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entry_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index('ix_ledger_entry_park_ledger_date', ['park_id', 'ledger', 'entry_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entry_park_ledger_date')
        batch_op.drop_index(batch_op.f('ix_ledger_entry_institution_id'))

    op.drop_table('ledger_entry')
