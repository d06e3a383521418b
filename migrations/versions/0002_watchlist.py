"""watchlist

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:30:07.905872
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('watchlist_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('owner_agency_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('external_ref', sa.String(length=100), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=False),
    sa.Column('published_version', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('names_text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agencies.id'], name=op.f('fk_watchlist_entries_owner_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlist_entries')),
    sa.UniqueConstraint('owner_agency_id', 'external_ref', name='uq_watchlist_entries_owner_ref')
    )
    with op.batch_alter_table('watchlist_entries', schema=None) as batch_op:
        batch_op.create_index('ix_watchlist_entries_category', ['category', 'id'], unique=False)
        batch_op.create_index('ix_watchlist_entries_owner', ['owner_agency_id', 'id'], unique=False)
        batch_op.create_index('ix_watchlist_entries_status', ['status', 'id'], unique=False)

    op.create_table('watchlist_imports',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('owner_agency_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agencies.id'], name=op.f('fk_watchlist_imports_owner_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlist_imports'))
    )
    op.create_table('entry_releases',
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('agency_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_entry_releases_agency_id_agencies')),
    sa.ForeignKeyConstraint(['entry_id'], ['watchlist_entries.id'], name=op.f('fk_entry_releases_entry_id_watchlist_entries')),
    sa.PrimaryKeyConstraint('entry_id', 'agency_id', name=op.f('pk_entry_releases'))
    )
    with op.batch_alter_table('entry_releases', schema=None) as batch_op:
        batch_op.create_index('ix_entry_releases_agency', ['agency_id', 'entry_id'], unique=False)

    op.create_table('watchlist_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('agency', sa.String(length=16), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['watchlist_entries.id'], name=op.f('fk_watchlist_events_entry_id_watchlist_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlist_events'))
    )
    with op.batch_alter_table('watchlist_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watchlist_events_entry_id'), ['entry_id'], unique=False)

    op.create_table('watchlist_versions',
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_editor', sa.String(length=64), nullable=False),
    sa.Column('last_edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('import_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['watchlist_entries.id'], name=op.f('fk_watchlist_versions_entry_id_watchlist_entries')),
    sa.ForeignKeyConstraint(['import_id'], ['watchlist_imports.id'], name=op.f('fk_watchlist_versions_import_id_watchlist_imports')),
    sa.PrimaryKeyConstraint('entry_id', 'version', name=op.f('pk_watchlist_versions'))
    )
    with op.batch_alter_table('watchlist_versions', schema=None) as batch_op:
        batch_op.create_index('ix_watchlist_versions_import', ['import_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('watchlist_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_watchlist_versions_import')

    op.drop_table('watchlist_versions')
    with op.batch_alter_table('watchlist_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watchlist_events_entry_id'))

    op.drop_table('watchlist_events')
    with op.batch_alter_table('entry_releases', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_releases_agency')

    op.drop_table('entry_releases')
    op.drop_table('watchlist_imports')
    with op.batch_alter_table('watchlist_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_watchlist_entries_status')
        batch_op.drop_index('ix_watchlist_entries_owner')
        batch_op.drop_index('ix_watchlist_entries_category')

    op.drop_table('watchlist_entries')

