"""screening and alerts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:35:34.153175
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('crossings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('checkpoint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.Column('traveller', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('has_alert', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['checkpoints.id'], name=op.f('fk_crossings_checkpoint_id_checkpoints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crossings'))
    )
    with op.batch_alter_table('crossings', schema=None) as batch_op:
        batch_op.create_index('ix_crossings_occurred_at', ['occurred_at'], unique=False)

    op.create_table('crossing_matches',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('crossing_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_version', sa.Integer(), nullable=False),
    sa.Column('band', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['crossing_id'], ['crossings.id'], name=op.f('fk_crossing_matches_crossing_id_crossings')),
    sa.ForeignKeyConstraint(['entry_id'], ['watchlist_entries.id'], name=op.f('fk_crossing_matches_entry_id_watchlist_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crossing_matches'))
    )
    with op.batch_alter_table('crossing_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crossing_matches_crossing_id'), ['crossing_id'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('crossing_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('match_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_version', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('band', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('checkpoint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('retro', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['checkpoints.id'], name=op.f('fk_alerts_checkpoint_id_checkpoints')),
    sa.ForeignKeyConstraint(['crossing_id'], ['crossings.id'], name=op.f('fk_alerts_crossing_id_crossings')),
    sa.ForeignKeyConstraint(['entry_id'], ['watchlist_entries.id'], name=op.f('fk_alerts_entry_id_watchlist_entries')),
    sa.ForeignKeyConstraint(['match_id'], ['crossing_matches.id'], name=op.f('fk_alerts_match_id_crossing_matches')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agencies.id'], name=op.f('fk_alerts_owner_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('seq', name=op.f('uq_alerts_seq'))
    )
    op.create_table('idempotency_keys',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('alert_routes',
    sa.Column('alert_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('agency_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('desk_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_desk_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_alert_routes_agency_id_agencies')),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_routes_alert_id_alerts')),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_alert_routes_desk_id_desks')),
    sa.ForeignKeyConstraint(['escalated_desk_id'], ['desks.id'], name=op.f('fk_alert_routes_escalated_desk_id_desks')),
    sa.PrimaryKeyConstraint('alert_id', 'agency_id', name=op.f('pk_alert_routes'))
    )
    with op.batch_alter_table('alert_routes', schema=None) as batch_op:
        batch_op.create_index('ix_alert_routes_agency', ['agency_id', 'alert_id'], unique=False)
        batch_op.create_index('ix_alert_routes_due', ['status', 'deadline_at'], unique=False)

    op.create_table('false_positive_clearances',
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_version', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=64), nullable=False),
    sa.Column('cleared_by', sa.String(length=64), nullable=False),
    sa.Column('cleared_agency', sa.String(length=16), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('alert_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_false_positive_clearances_alert_id_alerts')),
    sa.ForeignKeyConstraint(['entry_id'], ['watchlist_entries.id'], name=op.f('fk_false_positive_clearances_entry_id_watchlist_entries')),
    sa.PrimaryKeyConstraint('entry_id', 'entry_version', 'document_key', name=op.f('pk_false_positive_clearances'))
    )



def downgrade() -> None:

    op.drop_table('false_positive_clearances')
    with op.batch_alter_table('alert_routes', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_routes_due')
        batch_op.drop_index('ix_alert_routes_agency')

    op.drop_table('alert_routes')
    op.drop_table('idempotency_keys')
    op.drop_table('alerts')
    with op.batch_alter_table('crossing_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crossing_matches_crossing_id'))

    op.drop_table('crossing_matches')
    with op.batch_alter_table('crossings', schema=None) as batch_op:
        batch_op.drop_index('ix_crossings_occurred_at')

    op.drop_table('crossings')

