"""The append-only, hash-chained audit log.

Every event is written by ``record`` inside the caller's transaction, so the event and
the change it records commit or vanish together. Each event's hash is SHA-256 over the
previous event's hash and a canonical JSON form of the event; editing, deleting or
reordering any row breaks every later hash, which ``verify`` detects offline.

On PostgreSQL, each event is chained when its transaction commits: a deferred trigger
(migration 0005) takes a transaction-scoped advisory lock, reads the chain head and
gives the event its sequence number and hashes, so two transactions never both append
after the same event (no fork) and sequence numbers follow commit order. The lock is
held only inside COMMIT, never across a round trip to this process. Until then the row
is "pending" and seen by nobody else. On SQLite, ``BEGIN IMMEDIATE`` already serialises
writers, and each event is chained here, in Python, as it is written.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import RowMapping, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd.clock import isoformat
from alertd.db import column_arrays, insert_from_arrays
from alertd.tables import audit_events

GENESIS_HASH = "0" * 64
# The previous hash of an event its transaction has not committed yet (PostgreSQL); a
# real one is 64 hexadecimal digits. Migration 0005's trigger knows this value.
PENDING = "pending"
# Any constant works; it only has to be the same on every node (and in migration 0005).
AUDIT_CHAIN_LOCK_ID = 0x616C657274640001
VERIFY_BATCH_ROWS = 5000

Outcome = Literal["success", "failure", "denied"]


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the audit log names them."""

    username: str | None
    agency: str | None = None
    request_id: str | None = None


SYSTEM = Actor(username="system")


@dataclass(frozen=True)
class AuditEvent:
    action: str
    subject: str | None = None
    outcome: Outcome = "success"
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    events: int
    head: str
    first_broken_seq: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        report: dict[str, Any] = {"ok": self.ok, "events": self.events, "head": self.head}
        if not self.ok:
            report |= {"first_broken_seq": self.first_broken_seq, "problem": self.problem}
        return report


async def record(conn: AsyncConnection, actor: Actor, event: AuditEvent, now: datetime) -> None:
    """Append ``event`` to the chain in the caller's transaction."""
    await record_many(conn, [(actor, event, now)])


async def record_many(
    conn: AsyncConnection, events: Sequence[tuple[Actor, AuditEvent, datetime]]
) -> None:
    """Append ``events``, in this order, in the caller's transaction: one statement
    (a batch of crossings records one event each)."""
    if not events:
        return
    rows = [_row(actor, event, now) for actor, event, now in events]
    if conn.dialect.name == "postgresql":
        await conn.execute(_INSERT, [_pending(row) for row in rows])
    else:
        await _append_in_python(conn, rows)


def insert_pending_sql(first: int) -> str:
    """An INSERT of pending events given as column arrays (``pending_arrays``), as
    parameters ``$first`` on: for a statement on the driver that writes the events
    together with the changes they record, which then commit together by construction."""
    return insert_from_arrays(audit_events, first)


def pending_arrays(events: Sequence[tuple[Actor, AuditEvent, datetime]]) -> list[list[Any]]:
    """The arguments of ``insert_pending_sql`` for ``events``: pending rows, chained at
    commit as ``record_many``'s are on PostgreSQL."""
    return column_arrays(audit_events, [_pending(_row(*event)) for event in events])


def _row(actor: Actor, event: AuditEvent, now: datetime) -> dict[str, Any]:
    return {
        "occurred_at": now,
        "actor": actor.username,
        "agency": actor.agency,
        "action": event.action,
        "subject": event.subject,
        "outcome": event.outcome,
        "request_id": actor.request_id,
        "details": canonical_json(dict(event.details)),
    }


async def chained_at_commit(conn: AsyncConnection) -> bool:
    """Whether events written here will be chained: on PostgreSQL, whether migration
    0005's trigger is in place and enabled (without it, pending events would stay
    unchained and the chain would no longer verify). SQLite needs no trigger."""
    if conn.dialect.name != "postgresql":
        return True
    found = await conn.execute(_CHAIN_TRIGGER)
    return found.first() is not None


def _pending(row: dict[str, Any]) -> dict[str, Any]:
    """The event as inserted for the commit-time trigger to chain (no lock taken).

    The trigger splices the sequence number into the hashed JSON; the real details
    travel with the JSON around it and are put back when the event is chained.
    """
    before_seq, after_seq = _hashed_json_around_seq(row)
    carried = {
        "before_seq": base64.b64encode(before_seq).decode(),
        "after_seq": base64.b64encode(after_seq).decode(),
        "details": row["details"],
    }
    return row | {
        # Unique among the transactions in flight; replaced when chained.
        "seq": -1 - secrets.randbits(62),
        "details": json.dumps(carried),
        "prev_hash": PENDING,
        "hash": PENDING,
    }


async def _append_in_python(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    head = (await conn.execute(_HEAD)).first()
    seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    chained = []
    for row in rows:
        seq += 1
        link = row | {"seq": seq, "prev_hash": prev_hash}
        link["hash"] = prev_hash = chain_hash(link)
        chained.append(link)
    await conn.execute(_INSERT, chained)


def _hashed_json_around_seq(row: dict[str, Any]) -> tuple[bytes, bytes]:
    """The UTF-8 canonical JSON that ``chain_hash`` hashes, split where the sequence
    number goes (only the commit-time trigger will know it).

    Keys are sorted, so ``"seq":`` comes right before ``"subject"``; every quote inside
    a string value is escaped, so the unescaped ``"seq":0,`` occurs exactly once.
    """
    text = canonical_json(_hashed_body(row | {"seq": 0}))
    before, marker, after = text.partition(_SEQ_MARK)
    if not marker:
        raise AssertionError("the canonical audit JSON has no sequence field")
    return (before + '"seq":').encode(), ("," + after).encode()


# Built once: every audited request runs them.
_SEQ_MARK = '"seq":0,'
_HEAD = select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc()).limit(1)
_INSERT = audit_events.insert()
_CHAIN_TRIGGER = text(
    "SELECT 1 FROM pg_trigger WHERE tgname = 'audit_events_chain_at_commit' "
    "AND tgrelid = 'audit_events'::regclass AND tgenabled <> 'D'"
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(row: Mapping[str, Any] | RowMapping) -> str:
    """SHA-256 over the previous hash and the event's canonical form."""
    material = row["prev_hash"] + "\n" + canonical_json(_hashed_body(row))
    return hashlib.sha256(material.encode()).hexdigest()


def _hashed_body(row: Mapping[str, Any] | RowMapping) -> dict[str, Any]:
    return {
        "seq": row["seq"],
        "occurred_at": isoformat(row["occurred_at"]),
        "actor": row["actor"],
        "agency": row["agency"],
        "action": row["action"],
        "subject": row["subject"],
        "outcome": row["outcome"],
        "request_id": row["request_id"],
        "details": row["details"],
    }


async def verify(conn: AsyncConnection) -> VerifyReport:
    """Recompute the whole chain; name the first sequence number that does not hold."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    result = await conn.stream(select(audit_events).order_by(audit_events.c.seq))
    async for batch in result.mappings().partitions(VERIFY_BATCH_ROWS):
        for row in batch:
            problem = _problem_with(row, expected_seq, prev_hash)
            if problem:
                broken = min(row["seq"], expected_seq)
                return VerifyReport(False, count, prev_hash, broken, problem)
            expected_seq, prev_hash, count = row["seq"] + 1, row["hash"], count + 1
    return VerifyReport(True, count, prev_hash)


def _problem_with(row: RowMapping, expected_seq: int, prev_hash: str) -> str | None:
    if row["seq"] != expected_seq:
        return f"sequence {expected_seq} is missing"
    if row["prev_hash"] != prev_hash:
        return "previous-hash link does not match the event before it"
    if chain_hash(row) != row["hash"]:
        return "event content does not match its hash"
    return None


async def count_events(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(audit_events))).scalar_one())
