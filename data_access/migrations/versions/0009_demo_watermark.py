"""remember what the demo seed wrote, so that real data ends demo mode

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 08:30:00

Demo accounts work only while every row that can hold real data is demo data (`auth.only_demo_data`): the
seed now records the last id of each master-data table (park, institution, enterprise, meter) in `meta`. A
database seeded before this revision whose parks are all demo parks gets the watermark of what it holds now.
"""
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    conn = op.get_bind()
    total, demo = conn.execute(sa.text("SELECT COUNT(*), SUM(CASE WHEN is_demo THEN 1 ELSE 0 END) FROM park")).one()
    has_mark = conn.execute(sa.text("SELECT COUNT(*) FROM meta WHERE key = 'demo_watermark'")).scalar()
    if total and total == demo and not has_mark:
        marks = {t: int(conn.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")).scalar())
                 for t in ("park", "institution", "enterprise", "meter")}
        conn.execute(sa.text("INSERT INTO meta (key, value, updated_at) VALUES ('demo_watermark', :v, CURRENT_TIMESTAMP)"),
                     {"v": json.dumps(marks)})


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'demo_watermark'")
