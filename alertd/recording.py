"""Recording screened crossings: each crossing with its matches, its alerts and their
audit events, in the caller's transaction, several crossings at a time.

``alertd.batching`` hands this module the crossings of concurrent requests to
write in one transaction; one multi-row statement inserts their crossings and another
their ``crossing.screen`` audit events, so a batch costs a few round trips, not a few
per crossing. An Idempotency-Key is claimed first thing, in the same transaction: a
crossing whose key another submission holds is not written (its result is None) and
its request reads the answer stored by the holder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit, idempotency
from alertd.alerts import AlertNotice
from alertd.audit import Actor, AuditEvent
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


class CrossingRecorder:
    """Writes batches of crossings (a ``batching.BatchWriter``)."""

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
    keyed = sorted(
        (i for i, p in enumerate(batch) if p.key is not None),
        key=lambda i: (batch[i].who.user_id, batch[i].key or ""),
    )
    for i in keyed:
        pending = batch[i]
        claimed[i] = await idempotency.claim(
            conn, pending.who.user_id, pending.key or "", pending.request_hash, pending.now
        )
    return claimed


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
