"""saved carbon-price scenarios, one of them the park's central scenario (issue 20 §3)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 21:00:00

The stress test page saves an analyst's scenario (price path, covered share, threshold, year tested); the big screen
and the risk rule carbon_stress_exposure read the park's central one. A partial unique index keeps one central
scenario per park. The rule itself is data, added here with its threshold (an assumption).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0018'
down_revision: Union[str, None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'stress_scenario',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('park_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('preset', sa.String(length=20), nullable=False),
        sa.Column('prices', sa.JSON(), nullable=False),
        sa.Column('covered_share', sa.Float(), nullable=False),
        sa.Column('threshold', sa.Float(), nullable=False),
        sa.Column('test_year', sa.Integer(), nullable=False),
        sa.Column('is_central', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('covered_share >= 0 AND covered_share <= 1', name=op.f('ck_stress_scenario_covered_share_range')),
        sa.CheckConstraint('threshold > 0', name=op.f('ck_stress_scenario_threshold_positive')),
        sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_stress_scenario_park_id_park')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stress_scenario')),
        sa.UniqueConstraint('park_id', 'name', name=op.f('uq_stress_scenario_park_id_name')),
    )
    op.create_index('ix_stress_scenario_one_central', 'stress_scenario', ['park_id'], unique=True,
                    sqlite_where=sa.text('is_central'), postgresql_where=sa.text('is_central'))
    rules = sa.table("risk_rule", sa.column("code", sa.String), sa.column("family", sa.String), sa.column("name_zh", sa.String),
                     sa.column("name_en", sa.String), sa.column("description", sa.Text), sa.column("params", sa.JSON),
                     sa.column("severity", sa.String), sa.column("owner_role", sa.String), sa.column("active", sa.Boolean))
    op.bulk_insert(rules, [{
        "code": "carbon_stress_exposure", "family": "climate", "name_zh": "气候风险：碳价压力下承压企业敞口过高",
        "name_en": "Climate risk: exposure to borrowers stressed by a carbon price",
        "description": "Under the park's saved central carbon-price scenario, an institution's outstanding to borrowers whose "
                       "interest cover falls below the scenario's threshold exceeds max_share of its book (0.10 is an assumption).",
        "params": {"max_share": 0.10}, "severity": "medium", "owner_role": "pboc_analyst", "active": True}])


def downgrade() -> None:
    op.execute("DELETE FROM risk_rule WHERE code = 'carbon_stress_exposure'")
    op.drop_index('ix_stress_scenario_one_central', table_name='stress_scenario')
    op.drop_table('stress_scenario')
