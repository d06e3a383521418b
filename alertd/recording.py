"""Recording screened crossings: each crossing with its matches, its alerts and their
audit events, in one transaction, several crossings at a time.

``alertd.batching`` hands this module the crossings of concurrent requests to
write in one transaction; one multi-row statement inserts their crossings and another
their ``crossing.screen`` audit events, so a batch costs a few round trips, not a few
per crossing. An Idempotency-Key is claimed first thing, in the same transaction: a
crossing whose key another submission holds is not written (its result is None) and
its request reads the answer stored by the holder.

On PostgreSQL a batch whose crossings matched nothing (nearly every batch) is written
on the asyncpg driver directly: SQLAlchemy's execution layer cost more CPU than
everything else in writing such a batch (BEGIN, two inserts, COMMIT: about 730 us per
batch through SQLAlchemy, 350 on the driver, in a micro-benchmark). Without
Idempotency-Keys its crossings and audit events are one statement, which commits by
itself: every round trip to the database costs CPU here and in the kernel, and BEGIN and
COMMIT were two of four. Batches with matches and alerts, and SQLite, go through
SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd import audit, idempotency
from alertd.alerts import AlertNotice
from alertd.audit import Actor, AuditEvent
from alertd.db import (
    Driver,
    KeptConnection,
    driver_statements,
    driver_transaction,
    is_postgresql,
)
from alertd.principal import Principal
from alertd.routing import RoutingPolicy
from alertd.screening import (
    CrossingBody,
    Recorded,
    ScreenedMatch,
    Screener,
    Subject,
    matches_and_alerts,
    officer_view,
    outcome_of,
)
from alertd.tables import checkpoints, crossings

# Crossings written in one transaction at most: a bigger batch would make its first
# officer wait for the inserts of all the others.
MAX_BATCH = 64


@dataclass(frozen=True)
class PendingCrossing:
    """A screened crossing, ready to be written."""

    who: Principal
    actor: Actor
    now: datetime
    body: CrossingBody
    subject: Subject
    screened: tuple[ScreenedMatch, ...]
    key: str | None  # the Idempotency-Key, if the request sent one
    request_hash: str


@dataclass(frozen=True)
class Written:
    """A written crossing: the officer's answer, and the alert notices to push."""

    answer: dict[str, Any]
    notices: tuple[AlertNotice, ...]


class CrossingWriter:
    """Writes each batch of crossings in one transaction of ``engine`` (the work of the
    crossings' ``Batcher``), on a connection kept between batches."""

    def __init__(self, engine: AsyncEngine, screener: Screener) -> None:
        self._connection = KeptConnection(engine)
        self._recorder = CrossingRecorder(screener)
        self._routing = screener.routing
        self._on_driver = is_postgresql(engine)

    async def __call__(self, batch: Sequence[PendingCrossing]) -> list[Written | None]:
        async with self._connection.connect() as conn:
            if self._on_driver and not any(pending.screened for pending in batch):
                return await _write_unmatched(conn, self._routing, batch)
            async with conn.begin():
                return await self._recorder(conn, batch)

    async def close(self) -> None:
        await self._connection.close()


class CrossingRecorder:
    """Writes batches of crossings, any of them, in the caller's transaction."""

    def __init__(self, screener: Screener) -> None:
        self._screener = screener

    async def __call__(
        self, conn: AsyncConnection, batch: Sequence[PendingCrossing]
    ) -> list[Written | None]:
        claimed = await _claim_keys(conn, batch)
        mine = [pending for pending, ok in zip(batch, claimed, strict=True) if ok]
        written = iter(await self._record(conn, mine))
        return [next(written) if ok else None for ok in claimed]

    async def _record(
        self, conn: AsyncConnection, batch: Sequence[PendingCrossing]
    ) -> list[Written]:
        if not batch:
            return []
        rows = await conn.execute(_INSERT_CROSSING, [_crossing_row(p) for p in batch])
        ids = rows.all()
        recorded = [
            await self._matches(conn, pending, crossing_id, checkpoint_id)
            for pending, (crossing_id, checkpoint_id) in zip(batch, ids, strict=True)
        ]
        await audit.record_many(
            conn, [_screen_event(p, r.crossing_id) for p, r in zip(batch, recorded, strict=True)]
        )
        written = []
        for pending, record in zip(batch, recorded, strict=True):
            answer = crossing_answer(pending.who, self._screener.routing, pending.subject, record)
            if pending.key is not None:
                await idempotency.remember(conn, pending.who.user_id, pending.key, answer)
            written.append(Written(answer, record.notices))
        return written

    async def _matches(
        self, conn: AsyncConnection, pending: PendingCrossing, crossing_id: int, checkpoint_id: int
    ) -> Recorded:
        if not pending.screened:  # most crossings: nothing more to write
            return Recorded(crossing_id, (), ())
        with_alerts, notices = await matches_and_alerts(
            conn,
            self._screener,
            pending.actor,
            pending.now,
            crossing_id,
            checkpoint_id,
            pending.subject,
            pending.screened,
            retro=False,
            direction=pending.body.direction,
        )
        return Recorded(crossing_id, tuple(with_alerts), tuple(notices))


async def _claim_keys(conn: AsyncConnection, batch: Sequence[PendingCrossing]) -> list[bool]:
    """Claim each key (in (user, key) order, as every batch does, so two batches with
    the same keys wait for each other instead of deadlocking); True where claimed or
    where no key was sent."""
    claimed = [True] * len(batch)
    for i in _keyed_in_claim_order(batch):
        pending = batch[i]
        claimed[i] = await idempotency.claim(
            conn, pending.who.user_id, pending.key or "", pending.request_hash, pending.now
        )
    return claimed


def _keyed_in_claim_order(batch: Sequence[PendingCrossing]) -> list[int]:
    """The positions of the keyed crossings, in (user, key) order."""
    return sorted(
        (i for i, p in enumerate(batch) if p.key is not None),
        key=lambda i: (batch[i].who.user_id, batch[i].key or ""),
    )


def _crossing_row(pending: PendingCrossing) -> dict[str, Any]:
    body = pending.body
    return {
        "checkpoint": body.checkpoint,
        "direction": body.direction,
        "occurred_at": body.occurred_at or pending.now,
        "recorded_at": pending.now,
        "submitted_by": pending.who.username,
        "traveller": json.dumps(pending.subject.record, ensure_ascii=False),
        "outcome": outcome_of(pending.screened),
        "has_alert": False,
    }


def _screen_event(pending: PendingCrossing, crossing_id: int) -> tuple[Actor, AuditEvent, datetime]:
    details = {
        "crossing": crossing_id,
        "checkpoint": pending.body.checkpoint,
        "outcome": outcome_of(pending.screened),
        "matches": [int(s.match.entry_id) for s in pending.screened],
    }
    event = AuditEvent("crossing.screen", f"crossing:{crossing_id}", "success", details)
    return pending.actor, event, pending.now


def crossing_answer(
    who: Principal, routing: RoutingPolicy, subject: Subject, recorded: Recorded
) -> dict[str, Any]:
    """The officer's answer to a recorded crossing (also what an idempotent retry gets)."""
    return {
        "crossing_id": recorded.crossing_id,
        "outcome": outcome_of([item for item, _ in recorded.matches]),
        "matches": [
            officer_view(who, item, routing, alert_id) for item, alert_id in recorded.matches
        ],
        "warnings": list(subject.traveller.mrz_warnings),
    }


# Built once (every crossing runs it). The checkpoint's id comes back from the insert:
# one round trip fewer than looking it up first. Executed with one parameter set per
# crossing, it is one multi-row INSERT whose rows come back in the parameters' order.
_INSERT_CROSSING = (
    insert(crossings)
    .values(
        checkpoint_id=select(checkpoints.c.id)
        .where(checkpoints.c.code == bindparam("checkpoint"))
        .scalar_subquery()
    )
    .returning(crossings.c.id, crossings.c.checkpoint_id, sort_by_parameter_order=True)
)


# --- PostgreSQL: batches without matches, on the driver ------------------------------------


async def _write_unmatched(
    conn: AsyncConnection, routing: RoutingPolicy, batch: Sequence[PendingCrossing]
) -> list[Written | None]:
    """``CrossingRecorder`` for crossings that matched nothing, on the driver. Without
    Idempotency-Keys (nothing to claim first) the crossings and their audit events are
    one statement, a transaction by itself: two round trips, where BEGIN, the inserts and
    COMMIT took four. With keys: claims, the same statement, answers, in one transaction."""
    if not any(pending.key is not None for pending in batch):
        async with driver_statements(conn) as driver:
            return [*await _insert_unmatched(driver, routing, batch)]
    async with driver_transaction(conn) as driver:
        claimed = [True] * len(batch)
        for i in _keyed_in_claim_order(batch):
            pending = batch[i]
            claimed[i] = await idempotency.claim_on_driver(
                driver, pending.who.user_id, pending.key or "", pending.request_hash, pending.now
            )
        mine = [pending for pending, ok in zip(batch, claimed, strict=True) if ok]
        written = iter(await _insert_unmatched(driver, routing, mine))
        return [next(written) if ok else None for ok in claimed]


async def _insert_unmatched(
    driver: Driver, routing: RoutingPolicy, batch: Sequence[PendingCrossing]
) -> list[Written]:
    if not batch:
        return []
    # Each audit event names its crossing: the ids are drawn first, in the batch's order.
    drawn = await driver.fetch(_DRAW_CROSSING_IDS, len(batch))
    ids = sorted(int(row["id"]) for row in drawn)
    rows = [_crossing_row(p) | {"id": i} for p, i in zip(batch, ids, strict=True)]
    events = [_screen_event(p, crossing_id) for p, crossing_id in zip(batch, ids, strict=True)]
    await driver.fetch(
        _INSERT_UNMATCHED_WITH_EVENTS,
        *([row[name] for row in rows] for name in _UNNESTED),
        *audit.pending_arrays(events),
    )
    answers = [
        crossing_answer(p.who, routing, p.subject, Recorded(crossing_id, (), ()))
        for p, crossing_id in zip(batch, ids, strict=True)
    ]
    await idempotency.remember_on_driver(
        driver,
        [
            (p.who.user_id, p.key, answer)
            for p, answer in zip(batch, answers, strict=True)
            if p.key is not None
        ],
    )
    return [Written(answer, ()) for answer in answers]


# Ids from the crossings' own sequence (nextval is never rolled back, as for a default).
_DRAW_CROSSING_IDS = (
    "SELECT nextval(pg_get_serial_sequence('crossings', 'id')) AS id "
    "FROM generate_series(1, $1::integer)"
)
# The columns of ``_crossing_row`` sent as one array each (has_alert is false: no match).
_UNNESTED = (
    "id",
    "checkpoint",
    "direction",
    "occurred_at",
    "recorded_at",
    "submitted_by",
    "traveller",
    "outcome",
)
# _INSERT_CROSSING for a whole batch and its audit events, in one statement of fixed text
# (the driver prepares it once per connection, whatever the batch's size); the events'
# arrays follow the crossings'. The checkpoint's id is looked up as there; an unknown
# code fails the NOT NULL constraint, as there, and with it the whole statement.
# (The audit insert is built from its table's definition: S608 does not apply.)
_INSERT_UNMATCHED_WITH_EVENTS = f"""
WITH written AS (
    INSERT INTO crossings
        (id, checkpoint_id, direction, occurred_at, recorded_at, submitted_by, traveller,
         outcome, has_alert)
    SELECT given.id,
        (SELECT checkpoints.id FROM checkpoints WHERE checkpoints.code = given.checkpoint),
        given.direction, given.occurred_at, given.recorded_at, given.submitted_by,
        given.traveller, given.outcome, false
    FROM unnest(
        $1::bigint[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[],
        $6::varchar[], $7::text[], $8::varchar[]
    ) AS given(id, checkpoint, direction, occurred_at, recorded_at, submitted_by, traveller,
               outcome)
)
{audit.insert_pending_sql(first=len(_UNNESTED) + 1)}
"""  # noqa: S608
