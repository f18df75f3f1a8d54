"""subscriptions and the notifications sent for them (issue 21 §3); saved Explore questions (§2)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 02:18:41

A user subscribes to new risk alerts (narrowed by rule, level, park, institution) or to the monthly briefing;
`python -m cli notify` records each message under a unique (subscription, subject, channel) before sending it, so a
rerun sends nothing twice. A saved question keeps an Explore question's link parameters under its owner's name,
with the users it is shared with and whether it is pinned to the owner's overview.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0020'
down_revision: Union[str, None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=16), nullable=False),
    sa.Column('rule_codes', sa.JSON(), nullable=False),
    sa.Column('severities', sa.JSON(), nullable=False),
    sa.Column('park_ids', sa.JSON(), nullable=False),
    sa.Column('institution_ids', sa.JSON(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('webhook', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("topic IN ('alerts', 'briefing')", name=op.f('ck_subscription_topic_code')),
    sa.CheckConstraint('email IS NOT NULL OR webhook', name=op.f('ck_subscription_has_channel')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_subscription_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription'))
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_user_id'), ['user_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'webhook')", name=op.f('ck_notification_channel_code')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_notification_subscription_id_subscription')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('subscription_id', 'subject', 'channel', name=op.f('uq_notification_subscription_id_subject_channel'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('saved_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('shared_with', sa.JSON(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_saved_question_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_question')),
    sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_saved_question_owner_id_name'))
    )
    with op.batch_alter_table('saved_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_question_owner_id'), ['owner_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saved_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_question_owner_id'))

    op.drop_table('saved_question')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_subscription_id'))

    op.drop_table('notification')
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_user_id'))

    op.drop_table('subscription')
