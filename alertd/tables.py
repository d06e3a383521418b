"""The database schema as SQLAlchemy Core tables.

Alembic migrations in ``migrations/`` create exactly these tables on SQLite and
PostgreSQL; a test compares the two so they cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

# Stable constraint names, so migrations can refer to them on both backends.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out; SQLite stores it naive, PostgreSQL as timestamptz."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_datetime() -> UtcDateTime:
    return UtcDateTime()


agencies = Table(
    "agencies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", utc_datetime(), nullable=False),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", utc_datetime(), nullable=False),
)

desks = Table(
    "desks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("agency_id", Id, ForeignKey("agencies.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("checkpoint_id", Id, ForeignKey("checkpoints.id"), nullable=True),
    # Headquarters desks receive what no place-bound desk takes, and escalations.
    Column("is_headquarters", Boolean, nullable=False, default=False),
    # "all", "suspects" or "victims": a victim alert never reaches a suspects-only desk.
    Column("handles", String(16), nullable=False, default="all"),
    Column("created_at", utc_datetime(), nullable=False),
    UniqueConstraint("agency_id", "name", name="uq_desks_agency_name"),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("agency_id", Id, ForeignKey("agencies.id"), nullable=False),
    Column("desk_id", Id, ForeignKey("desks.id"), nullable=True),
    Column("password_hash", String(200), nullable=False),
    Column("totp_secret", String(64), nullable=True),
    # The last TOTP time step accepted, so a code cannot be replayed.
    Column("totp_last_step", BigInteger, nullable=True),
    Column("created_at", utc_datetime(), nullable=False),
    Column("disabled_at", utc_datetime(), nullable=True),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", Id, ForeignKey("users.id"), primary_key=True),
    Column("role", String(32), primary_key=True),
)

user_checkpoints = Table(
    "user_checkpoints",
    metadata,
    Column("user_id", Id, ForeignKey("users.id"), primary_key=True),
    Column("checkpoint_id", Id, ForeignKey("checkpoints.id"), primary_key=True),
)

# A session is one sign-in: the family of refresh tokens that descend from it. Access
# tokens name their session, so revoking it (logout, reuse detected, user disabled)
# refuses every token of the family on the next request.
auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", utc_datetime(), nullable=False),
    Column("client_address", String(64), nullable=True),
    Column("revoked_at", utc_datetime(), nullable=True),
    Column("revoked_reason", String(32), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    # SHA-256 of the opaque token: a stolen table cannot be replayed.
    Column("token_hash", String(64), primary_key=True),
    Column("session_id", String(36), ForeignKey("auth_sessions.id"), nullable=False, index=True),
    Column("issued_at", utc_datetime(), nullable=False),
    Column("expires_at", utc_datetime(), nullable=False),
    Column("used_at", utc_datetime(), nullable=True),
)

# Failed sign-ins, per account and per client address, shared by every node.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", utc_datetime(), nullable=False),
    Column("locked_until", utc_datetime(), nullable=True),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", utc_datetime(), nullable=False),
    Column("actor", String(64), nullable=True),
    Column("agency", String(16), nullable=True),
    Column("action", String(64), nullable=False),
    Column("subject", String(200), nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("request_id", String(64), nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_events_actor", audit_events.c.actor)
Index("ix_audit_events_action", audit_events.c.action)
Index("ix_audit_events_subject", audit_events.c.subject)
Index("ix_audit_events_occurred_at", audit_events.c.occurred_at)

# --- watchlists -------------------------------------------------------------------------

watchlist_imports = Table(
    "watchlist_imports",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_agency_id", Id, ForeignKey("agencies.id"), nullable=False),
    Column("status", String(16), nullable=False),  # pending | published | rejected
    Column("count", Integer, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", utc_datetime(), nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", utc_datetime(), nullable=True),
    Column("decision_note", Text, nullable=True),
)

# One row per entry: which version is published (and so matched) and which is newest.
watchlist_entries = Table(
    "watchlist_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_agency_id", Id, ForeignKey("agencies.id"), nullable=False),
    Column("external_ref", String(100), nullable=True),
    Column("category", String(32), nullable=False),
    # draft | pending | published | withdrawn | expired
    Column("status", String(16), nullable=False),
    Column("latest_version", Integer, nullable=False),
    Column("published_version", Integer, nullable=True),
    # Expiry of the published version: it stops matching at this instant.
    Column("expires_at", utc_datetime(), nullable=True),
    # Folded names of the newest version, for the list's `q=` filter.
    Column("names_text", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", utc_datetime(), nullable=False),
    Column("updated_at", utc_datetime(), nullable=False),
    UniqueConstraint("owner_agency_id", "external_ref", name="uq_watchlist_entries_owner_ref"),
)
Index("ix_watchlist_entries_status", watchlist_entries.c.status, watchlist_entries.c.id)
Index("ix_watchlist_entries_category", watchlist_entries.c.category, watchlist_entries.c.id)
Index("ix_watchlist_entries_owner", watchlist_entries.c.owner_agency_id, watchlist_entries.c.id)
# The list's `q=` filter matches external_ref exactly.
Index("ix_watchlist_entries_external_ref", watchlist_entries.c.external_ref)
# Substring search over names_text for `q=`, one backend's own index each (migration
# 0004): a pg_trgm GIN index on PostgreSQL; an FTS5 trigram table on SQLite, kept in
# step by triggers. Not declared above since each exists on one backend only; these
# are their names (FTS5 adds shadow tables named after its table) for schema checks.
NAMES_SEARCH_TABLE = "watchlist_names_search"
SEARCH_OBJECTS = frozenset(
    {
        "ix_watchlist_entries_names_trgm",
        NAMES_SEARCH_TABLE,
        *(f"{NAMES_SEARCH_TABLE}_{shadow}" for shadow in ("data", "idx", "config", "docsize")),
    }
)

# Every version ever written; nothing is deleted or rewritten after a decision.
watchlist_versions = Table(
    "watchlist_versions",
    metadata,
    Column("entry_id", Id, ForeignKey("watchlist_entries.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # content | withdrawal
    # draft | pending | published | superseded | withdrawn | rejected
    Column("status", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("author", String(64), nullable=False),
    Column("created_at", utc_datetime(), nullable=False),
    Column("last_editor", String(64), nullable=False),
    Column("last_edited_at", utc_datetime(), nullable=False),
    Column("submitted_by", String(64), nullable=True),
    Column("submitted_at", utc_datetime(), nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", utc_datetime(), nullable=True),
    Column("decision_note", Text, nullable=True),
    Column("import_id", Id, ForeignKey("watchlist_imports.id"), nullable=True),
)
Index("ix_watchlist_versions_import", watchlist_versions.c.import_id)

# Which agencies may see an entry besides its owner (the visible version's release_to).
entry_releases = Table(
    "entry_releases",
    metadata,
    Column("entry_id", Id, ForeignKey("watchlist_entries.id"), primary_key=True),
    Column("agency_id", Id, ForeignKey("agencies.id"), primary_key=True),
)
Index("ix_entry_releases_agency", entry_releases.c.agency_id, entry_releases.c.entry_id)

# The readable history of an entry: who did what to which version, and when.
watchlist_events = Table(
    "watchlist_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("entry_id", Id, ForeignKey("watchlist_entries.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("agency", String(16), nullable=True),
    Column("occurred_at", utc_datetime(), nullable=False),
    Column("note", Text, nullable=True),
)

# --- crossings, matches and alerts ------------------------------------------------------

crossings = Table(
    "crossings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("checkpoint_id", Id, ForeignKey("checkpoints.id"), nullable=False),
    Column("direction", String(8), nullable=False),  # entry | exit
    Column("occurred_at", utc_datetime(), nullable=False),
    Column("recorded_at", utc_datetime(), nullable=False),
    Column("submitted_by", String(64), nullable=False),
    Column("traveller", Text, nullable=False),  # JSON, as submitted (MRZ merged in)
    Column("outcome", String(16), nullable=False),  # clear | possible | hit
    # Crossings that raised an alert are kept; the others are purged after retention.
    Column("has_alert", Boolean, nullable=False, default=False),
)
Index("ix_crossings_occurred_at", crossings.c.occurred_at)

crossing_matches = Table(
    "crossing_matches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("crossing_id", Id, ForeignKey("crossings.id"), nullable=False, index=True),
    Column("entry_id", Id, ForeignKey("watchlist_entries.id"), nullable=False),
    Column("entry_version", Integer, nullable=False),
    Column("band", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),
)

# Retried submissions with the same Idempotency-Key get the first answer back.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", Id, ForeignKey("users.id"), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", utc_datetime(), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    # Global, gap-free and increasing: desks resume from the last seq they saw.
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("crossing_id", Id, ForeignKey("crossings.id"), nullable=False),
    Column("match_id", Id, ForeignKey("crossing_matches.id"), nullable=False),
    Column("entry_id", Id, ForeignKey("watchlist_entries.id"), nullable=False),
    Column("entry_version", Integer, nullable=False),
    Column("owner_agency_id", Id, ForeignKey("agencies.id"), nullable=False),
    Column("category", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("band", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("checkpoint_id", Id, ForeignKey("checkpoints.id"), nullable=False),
    Column("retro", Boolean, nullable=False, default=False),
    Column("created_at", utc_datetime(), nullable=False),
    # What desks see (traveller, explanation, instructions), redacted per reader on output.
    Column("payload", Text, nullable=False),
)

# One row per routed agency: each agency acknowledges and resolves on its own.
alert_routes = Table(
    "alert_routes",
    metadata,
    Column("alert_id", Id, ForeignKey("alerts.id"), primary_key=True),
    Column("agency_id", Id, ForeignKey("agencies.id"), primary_key=True),
    Column("desk_id", Id, ForeignKey("desks.id"), nullable=True),
    Column("status", String(16), nullable=False),  # new | acknowledged | resolved
    Column("acknowledged_by", String(64), nullable=True),
    Column("acknowledged_at", utc_datetime(), nullable=True),
    Column("resolved_by", String(64), nullable=True),
    Column("resolved_at", utc_datetime(), nullable=True),
    Column("resolution", String(16), nullable=True),
    Column("note", Text, nullable=True),
    Column("escalated_at", utc_datetime(), nullable=True),
    Column("escalated_desk_id", Id, ForeignKey("desks.id"), nullable=True),
    Column("deadline_at", utc_datetime(), nullable=False),
)
Index("ix_alert_routes_agency", alert_routes.c.agency_id, alert_routes.c.alert_id)
Index("ix_alert_routes_due", alert_routes.c.status, alert_routes.c.deadline_at)

# A desk cleared this traveller (by document) against this entry version.
false_positive_clearances = Table(
    "false_positive_clearances",
    metadata,
    Column("entry_id", Id, ForeignKey("watchlist_entries.id"), primary_key=True),
    Column("entry_version", Integer, primary_key=True),
    Column("document_key", String(64), primary_key=True),  # normalised number + country
    Column("cleared_by", String(64), nullable=False),
    Column("cleared_agency", String(16), nullable=False),
    Column("cleared_at", utc_datetime(), nullable=False),
    Column("alert_id", Id, ForeignKey("alerts.id"), nullable=False),
)
