"""assessment weights

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:46:07.916500
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('assessment_weight',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("part IN ('quantitative', 'qualitative')", name=op.f('ck_assessment_weight_part_code')),
    sa.CheckConstraint('weight >= 0 AND weight <= 1', name=op.f('ck_assessment_weight_weight_range')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_assessment_weight'))
    )
    # The PBOC bank green-finance evaluation template: 80 % quantitative in four equal parts, 20 %
    # qualitative split 30 / 40 / 30 (domain/facts.md §2). Admins may change them later.
    weights = sa.table("assessment_weight", sa.column("code", sa.String), sa.column("part", sa.String),
                       sa.column("weight", sa.Float), sa.column("updated_by", sa.String))
    op.bulk_insert(weights, [
        {"code": "green_share", "part": "quantitative", "weight": 0.20, "updated_by": "template"},
        {"code": "market_share", "part": "quantitative", "weight": 0.20, "updated_by": "template"},
        {"code": "growth", "part": "quantitative", "weight": 0.20, "updated_by": "template"},
        {"code": "risk", "part": "quantitative", "weight": 0.20, "updated_by": "template"},
        {"code": "policy_execution", "part": "qualitative", "weight": 0.06, "updated_by": "template"},
        {"code": "internal_rules", "part": "qualitative", "weight": 0.08, "updated_by": "template"},
        {"code": "green_support", "part": "qualitative", "weight": 0.06, "updated_by": "template"},
    ])


def downgrade() -> None:
    op.drop_table('assessment_weight')
