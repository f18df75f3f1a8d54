"""borrowers' yearly financials: the denominator of financed emissions and the EBIT of the stress test (issue 20)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 20:30:00

PCAF attributes a business loan's share of its borrower's emissions as outstanding / (total equity + debt); the
carbon-price stress test sets the extra cost against EBIT and interest. Reported once a year per borrower.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0017'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MONEY = sa.Numeric(precision=18, scale=4)


def upgrade() -> None:
    op.create_table(
        'enterprise_financials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('total_equity', MONEY, nullable=False),
        sa.Column('total_debt', MONEY, nullable=False),
        sa.Column('revenue', MONEY, nullable=False),
        sa.Column('ebit', MONEY, nullable=False),
        sa.Column('interest_expense', MONEY, nullable=False),
        sa.Column('upload_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('total_equity + total_debt > 0', name=op.f('ck_enterprise_financials_equity_plus_debt_positive')),
        sa.CheckConstraint('total_debt >= 0', name=op.f('ck_enterprise_financials_debt_non_negative')),
        sa.CheckConstraint('revenue >= 0', name=op.f('ck_enterprise_financials_revenue_non_negative')),
        sa.CheckConstraint('interest_expense >= 0', name=op.f('ck_enterprise_financials_interest_non_negative')),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_financials_enterprise_id_enterprise')),
        sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_enterprise_financials_upload_id_upload')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_financials')),
        sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_enterprise_financials_enterprise_id_year')),
    )
    op.create_index(op.f('ix_enterprise_financials_enterprise_id'), 'enterprise_financials', ['enterprise_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_enterprise_financials_enterprise_id'), table_name='enterprise_financials')
    op.drop_table('enterprise_financials')
