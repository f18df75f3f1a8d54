"""risk rules as data

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:23:23.374160
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# The shipped rule set (seed §十三: 伪零, 漂绿, concentration, 穿透式管理; plus credit quality, trajectory, data
# quality). Parameters are data; an admin may tune them later without a release.
DEFAULT_RULES = [
    ("greenwashing_intensity_rose", "greenwashing", "漂绿：绿色贷款企业排放强度上升", "Greenwashing: intensity rose under green loans",
     "Emission intensity (tCO2 per 万元 value added) of an enterprise with green loans rose from the year before its first green loan to the latest full year by more than min_rise_pct.",
     {"min_rise_pct": 5.0}, "high"),
    ("greenwashing_linked_discount", "greenwashing", "漂绿：碳挂钩贷款未达标仍享优惠", "Greenwashing: carbon-linked discount kept while missing the target",
     "A carbon-performance-linked loan keeps its rate discount while the borrower's latest intensity is above the loan's carbon target by more than tolerance_pct.",
     {"tolerance_pct": 0.0}, "medium"),
    ("fake_zero_reported_share", "fake_zero", "伪零：报告绿电占比高于计量", "Fake zero: reported green share above what is metered",
     "The green-power share an enterprise reports exceeds what meters, trades and certificates support over 12 months by more than margin_pp.",
     {"margin_pp": 10.0}, "high"),
    ("fake_zero_certificate_twice", "fake_zero", "伪零：绿证重复计入", "Fake zero: certificates counted twice",
     "The same certificate serial range is reported more than once.", {}, "high"),
    ("fake_zero_label_no_supply", "fake_zero", "伪零：零碳标识无计量绿电", "Fake zero: zero-carbon label without metered green power",
     "An enterprise claims a zero-carbon label but has no metered own renewable or direct green supply in the last `months` months.",
     {"months": 12}, "high"),
    ("concentration_institution", "concentration", "集中度：单一机构占园区绿色贷款过高", "Concentration: one institution's share of the park's green credit",
     "One institution holds more than max_share of the park's green-loan balance.", {"max_share": 0.30}, "medium"),
    ("concentration_borrower", "concentration", "集中度：单一借款人占机构绿色贷款过高", "Concentration: one borrower's share of an institution's green credit",
     "One borrower holds more than max_share of an institution's green-loan balance (institutions with at least min_balance 万元).",
     {"max_share": 0.40, "min_balance": 10000.0}, "medium"),
    ("concentration_hhi", "concentration", "集中度：机构集中度指数过高", "Concentration: HHI across institutions",
     "The Herfindahl-Hirschman index of institutions' shares of the park's green credit exceeds max_hhi.", {"max_hhi": 0.20}, "low"),
    ("credit_npl", "credit_quality", "信贷质量：绿色贷款逾期或不良", "Credit quality: overdue or non-performing green loans",
     "An institution has overdue or non-performing green loans at the period end.", {}, "high"),
    ("credit_npl_rising", "credit_quality", "信贷质量：机构类型不良率上升", "Credit quality: NPL ratio rising by institution type",
     "The green NPL ratio of an institution type rose by more than rise_pp over the last `months` months.", {"rise_pp": 0.5, "months": 6}, "medium"),
    ("fund_use_stalled", "fund_use", "穿透式管理：贷款项目进度停滞", "Fund use: project stalled after disbursement",
     "A green loan was disbursed to a project whose milestones are overdue by more than overdue_days.", {"overdue_days": 90}, "medium"),
    ("trajectory_emissions", "trajectory", "路径：园区排放高于目标路径", "Trajectory: park emissions above the target path",
     "The park's 12-month emissions exceed the path from the base year to the 2030 target by more than max_above_pct.", {"max_above_pct": 10.0}, "medium"),
    ("trajectory_green_share", "trajectory", "路径：绿电占比落后于路径", "Trajectory: green-power share behind the path",
     "The park's 12-month green-power share is more than max_behind_pp below the path to its 2030 target.", {"max_behind_pp": 5.0}, "medium"),
    ("data_late", "data_quality", "数据质量：机构月度报送迟延", "Data quality: late monthly report",
     "An institution that reported the month before has not reported the period.", {}, "low"),
    ("data_meter_gaps", "data_quality", "数据质量：计量数据缺失", "Data quality: meter gaps",
     "An enterprise's meters delivered fewer than min_coverage of the expected hourly readings in the period.", {"min_coverage": 0.95}, "low"),
    ("data_revised", "data_quality", "数据质量：报送后修改", "Data quality: figures changed after submission",
     "Loan snapshots of the period were replaced by a later revision.", {}, "low"),
]


def upgrade() -> None:
    op.create_table('risk_rule',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('owner_role', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("owner_role IN ('leader', 'pboc_analyst', 'park_committee', 'institution_reporter', 'publicity', 'admin')", name=op.f('ck_risk_rule_owner_role_code')),
    sa.CheckConstraint("severity IN ('high', 'medium', 'low')", name=op.f('ck_risk_rule_severity_code')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_risk_rule'))
    )
    rules = sa.table("risk_rule", sa.column("code", sa.String), sa.column("family", sa.String), sa.column("name_zh", sa.String),
                     sa.column("name_en", sa.String), sa.column("description", sa.Text), sa.column("params", sa.JSON),
                     sa.column("severity", sa.String), sa.column("owner_role", sa.String), sa.column("active", sa.Boolean))
    op.bulk_insert(rules, [
        {"code": c, "family": f, "name_zh": zh, "name_en": en, "description": d, "params": p, "severity": sev,
         "owner_role": "pboc_analyst", "active": True}
        for c, f, zh, en, d, p, sev in DEFAULT_RULES
    ])


def downgrade() -> None:
    op.drop_table('risk_rule')
