"""watchlist name search: an index for the list's ``q=`` filter

The list's ``q=`` filter finds entries whose folded names contain the text asked for.
Without an index that is a scan of every entry; each backend gets the substring index
it is good at, and the query (``watchlist_read``) uses it for needles of three
characters or more (trigrams need three):

- PostgreSQL: a GIN trigram index (``pg_trgm``) on ``watchlist_entries.names_text``,
  which serves ``LIKE '%needle%'`` directly. ``CREATE EXTENSION pg_trgm`` needs a
  superuser, or (pg_trgm being a trusted extension since PostgreSQL 13) a role with
  CREATE on the database; where neither is possible, have an administrator run
  ``CREATE EXTENSION pg_trgm`` in the database once before ``alertd db upgrade``.
- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34 or later) whose content
  is ``watchlist_entries.names_text``, kept in step by triggers, so every write path
  (REST, imports, approvals) updates it in the same transaction.

Neither object is in ``alertd/tables.py``, since each exists on one backend only;
``tables.SEARCH_OBJECTS`` names them for the schema comparison.

Also an ordinary index on ``external_ref``, which ``q=`` matches exactly.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 11:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Spelled out rather than formatted in: plain SQL, as sqlite3 would show it.
SQLITE_UP = (
    "CREATE VIRTUAL TABLE watchlist_names_search USING fts5(names_text, "
    "content='watchlist_entries', content_rowid='id', tokenize='trigram')",
    "INSERT INTO watchlist_names_search(watchlist_names_search) VALUES ('rebuild')",
    "CREATE TRIGGER watchlist_names_search_insert AFTER INSERT ON watchlist_entries BEGIN "
    "INSERT INTO watchlist_names_search(rowid, names_text) VALUES (new.id, new.names_text); "
    "END",
    # Only when the names change: approving an imported batch rewrites every entry row,
    # mostly with the names they already had.
    "CREATE TRIGGER watchlist_names_search_update AFTER UPDATE OF names_text "
    "ON watchlist_entries WHEN old.names_text IS NOT new.names_text BEGIN "
    "INSERT INTO watchlist_names_search(watchlist_names_search, rowid, names_text) "
    "VALUES ('delete', old.id, old.names_text); "
    "INSERT INTO watchlist_names_search(rowid, names_text) VALUES (new.id, new.names_text); "
    "END",
    "CREATE TRIGGER watchlist_names_search_delete AFTER DELETE ON watchlist_entries BEGIN "
    "INSERT INTO watchlist_names_search(watchlist_names_search, rowid, names_text) "
    "VALUES ('delete', old.id, old.names_text); "
    "END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS watchlist_names_search_delete",
    "DROP TRIGGER IF EXISTS watchlist_names_search_update",
    "DROP TRIGGER IF EXISTS watchlist_names_search_insert",
    "DROP TABLE IF EXISTS watchlist_names_search",
)
POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_watchlist_entries_names_trgm ON watchlist_entries "
    "USING gin (names_text gin_trgm_ops)",
)
# The extension stays: other objects in the database may have come to use it.
POSTGRES_DOWN = ("DROP INDEX IF EXISTS ix_watchlist_entries_names_trgm",)


def upgrade() -> None:
    with op.batch_alter_table("watchlist_entries", schema=None) as batch_op:
        batch_op.create_index("ix_watchlist_entries_external_ref", ["external_ref"], unique=False)
    for statement in SQLITE_UP if _sqlite() else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if _sqlite() else POSTGRES_DOWN:
        op.execute(statement)
    with op.batch_alter_table("watchlist_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_watchlist_entries_external_ref")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
