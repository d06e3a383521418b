"""audit events chained at COMMIT on PostgreSQL

The audit chain needs one writer at a time: each event's hash covers the previous
event's hash, and sequence numbers must follow commit order. A transaction-scoped
advisory lock gives that, and it is held until the transaction ends. Taken when the
event was written, it was held across every round trip from there to COMMIT; under
load the server's event loop takes milliseconds to come back to a transaction and send
its COMMIT, and every other writer in the system waited that long.

Now the event is inserted "pending" (a temporary negative ``seq`` and ``prev_hash`` =
``'pending'``), without the lock, and a deferred constraint trigger chains it when the
transaction commits: it takes the lock, reads the chain head, and gives the event its
sequence number, previous hash and hash. The lock is then held only inside COMMIT,
with no client round trip under it. Pending events are never seen by anyone else: they
are chained before the transaction's changes become visible, or vanish with it.

Why the head read is sound: under READ COMMITTED each statement of a VOLATILE function
(a trigger function is one) takes a fresh snapshot, so the head read after
``pg_advisory_xact_lock`` sees every event committed before the lock was granted; and
a transaction's lock is released only after its commit is visible.

The hash is SHA-256 over ``prev_hash + "\\n" + canonical JSON of the event``, as
``alertd.audit.chain_hash`` computes it. The writer cannot know the sequence number, so
it stores the canonical JSON's UTF-8 bytes before and after that number (base64, with
the event's real details) in the pending row's ``details``; the trigger splices the
number in and puts the real details back.

SQLite needs nothing: ``BEGIN IMMEDIATE`` already serialises writers, and
``alertd.audit.record`` chains each event in Python as it writes it.

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

# alertd.audit.AUDIT_CHAIN_LOCK_ID and alertd.audit.PENDING: the same on every node.
POSTGRES_UP = (
    r"""
CREATE FUNCTION alertd_audit_chain() RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    head_seq bigint;
    head_hash varchar;
    new_seq bigint;
    pending json;
BEGIN
    IF NEW.prev_hash <> 'pending' THEN
        RETURN NULL;  -- written already chained (not by alertd.audit.record)
    END IF;
    PERFORM pg_advisory_xact_lock(7020097461417148417);
    SELECT e.seq, e.hash INTO head_seq, head_hash
        FROM audit_events e WHERE e.seq > 0 ORDER BY e.seq DESC LIMIT 1;
    new_seq := coalesce(head_seq, 0) + 1;
    head_hash := coalesce(head_hash, repeat('0', 64));
    pending := NEW.details::json;
    UPDATE audit_events SET
        seq = new_seq,
        details = pending->>'details',
        prev_hash = head_hash,
        hash = encode(
            sha256(
                convert_to(head_hash || chr(10), 'UTF8')
                || decode(pending->>'before_seq', 'base64')
                || convert_to(new_seq::text, 'UTF8')
                || decode(pending->>'after_seq', 'base64')
            ),
            'hex'
        )
    WHERE seq = NEW.seq;
    RETURN NULL;
END
$$
""",
    "CREATE CONSTRAINT TRIGGER audit_events_chain_at_commit AFTER INSERT ON audit_events "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION alertd_audit_chain()",
)
POSTGRES_DOWN = (
    "DROP TRIGGER IF EXISTS audit_events_chain_at_commit ON audit_events",
    "DROP FUNCTION IF EXISTS alertd_audit_chain()",
)


def upgrade() -> None:
    if not _sqlite():
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if not _sqlite():
        for statement in POSTGRES_DOWN:
            op.execute(statement)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
