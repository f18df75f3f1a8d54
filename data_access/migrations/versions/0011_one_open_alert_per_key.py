"""at most one open risk alert per rule and subject in a park, enforced by the database

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:00:00

Two open alerts for one rule, subject and month (the demo's own alerts beside the rules' run) made the open count
differ across pages. Existing duplicates are dismissed (the earliest stays open, each dismissal recorded in the
alert's loop history); then a partial unique index on (park_id, dedup_key) over the open states keeps it so.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPEN = "state IN ('identified', 'assessed', 'alerted', 'feedback')"


def upgrade() -> None:
    conn = op.get_bind()
    dupes = conn.execute(sa.text(
        f"SELECT a.id, a.state, a.created_at FROM risk_alert a WHERE {OPEN.replace('state', 'a.state')} AND EXISTS ("
        f"SELECT 1 FROM risk_alert b WHERE b.park_id = a.park_id AND b.dedup_key = a.dedup_key "
        f"AND {OPEN.replace('state', 'b.state')} AND b.id < a.id)")).all()
    for alert_id, state, created_at in dupes:
        conn.execute(sa.text("UPDATE risk_alert SET state = 'dismissed', closed_at = :at WHERE id = :id"), {"at": created_at, "id": alert_id})
        conn.execute(sa.text("INSERT INTO risk_alert_event (alert_id, from_state, to_state, actor, note, at) "
                             "VALUES (:id, :s, 'dismissed', 'migration', :note, :at)"),
                     {"id": alert_id, "s": state, "at": created_at, "note": "重复预警（同一规则、对象已有未办结预警），迁移0011时撤销"})
    op.create_index('uq_risk_alert_open_key', 'risk_alert', ['park_id', 'dedup_key'], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index('uq_risk_alert_open_key', table_name='risk_alert')
