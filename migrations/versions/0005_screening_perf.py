"""audit append in one round trip on PostgreSQL

``alertd_audit_append`` takes the audit chain's advisory lock, reads the chain head and
inserts the next event, hashed the way ``alertd.audit.chain_hash`` hashes it, in one
call. Before, the lock, the head read and the insert were three round trips, and the
lock is held from the first of them until COMMIT: every writer in the system waits
behind it, so each round trip under it cost all of them.

Why a function and not one plain statement: under READ COMMITTED a statement reads the
snapshot taken when it started, before it waited for the lock, so a head read in the
same statement as the lock could miss the event committed by the writer it waited for
(a fork). Each statement of a VOLATILE function takes a fresh snapshot, so the head
read after ``pg_advisory_xact_lock`` sees every event committed before the lock was
granted.

The hash: SHA-256 over ``prev_hash + "\\n" + canonical JSON of the event``. The caller
sends that JSON's UTF-8 bytes in two pieces, before and after the sequence number
(which only the function knows), and the function splices the number in.

SQLite needs nothing: ``BEGIN IMMEDIATE`` already serialises writers, and ``record``
does the same work in Python there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 11:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

POSTGRES_UP = r"""
CREATE FUNCTION alertd_audit_append(
    p_lock_id bigint,
    p_occurred_at timestamptz,
    p_actor varchar,
    p_agency varchar,
    p_action varchar,
    p_subject varchar,
    p_outcome varchar,
    p_request_id varchar,
    p_details text,
    p_json_before_seq bytea,
    p_json_after_seq bytea
) RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    head_seq bigint;
    head_hash varchar;
    new_seq bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock_id);
    SELECT e.seq, e.hash INTO head_seq, head_hash
        FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
    new_seq := coalesce(head_seq, 0) + 1;
    head_hash := coalesce(head_hash, repeat('0', 64));
    INSERT INTO audit_events (
        seq, occurred_at, actor, agency, action, subject, outcome, request_id, details,
        prev_hash, hash
    ) VALUES (
        new_seq, p_occurred_at, p_actor, p_agency, p_action, p_subject, p_outcome,
        p_request_id, p_details, head_hash,
        encode(
            sha256(
                convert_to(head_hash || chr(10), 'UTF8')
                || p_json_before_seq
                || convert_to(new_seq::text, 'UTF8')
                || p_json_after_seq
            ),
            'hex'
        )
    );
    RETURN new_seq;
END
$$
"""
POSTGRES_DOWN = (
    "DROP FUNCTION IF EXISTS alertd_audit_append("
    "bigint, timestamptz, varchar, varchar, varchar, varchar, varchar, varchar, text, "
    "bytea, bytea)"
)


def upgrade() -> None:
    if not _sqlite():
        op.execute(POSTGRES_UP)


def downgrade() -> None:
    if not _sqlite():
        op.execute(POSTGRES_DOWN)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
