"""Group commit: the writes of concurrent requests share one transaction and one
durable commit.

A durable commit waits for the disk (an fsync costs 2 to 3 ms on the bench machine),
and on PostgreSQL the audit chain's lock is held through that wait (migration 0005:
it is released when the transaction ends, after the WAL flush), so commits that carry
audit events follow one another and never share a flush: a few hundred commits a
second at most, whatever the CPU. Here, requests that arrive while a batch is
committing queue up, and the first of them then writes them all in one transaction:
one chain lock, one flush, and multi-row statements instead of round trips per row.
Each request's records still commit together, and before its answer is sent.

Leadership instead of a background task: the request at the head of the queue writes
the batch in its own task, so an unexpected error is that request's own logged 500,
never a dead writer that everyone else waits for. When a batch of several fails,
nobody knows whose item was at fault: each then writes alone, in a transaction of its
own, and gets its own answer or its own error.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd.errors import AlertdError

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
# Writes the items in the caller's transaction; one result per item, in order.
BatchWriter = Callable[[AsyncConnection, Sequence[ItemT]], Awaitable[list[ResultT]]]
# The failures after which a batch of several is retried one item at a time (what
# could be one item's fault: a database error, a domain refusal).
RETRYABLE_ALONE = (SQLAlchemyError, AlertdError)


class _Call(enum.Enum):
    LEAD = "write the batch at the head of the queue"
    ALONE = "write your item in a transaction of its own"


@dataclass(frozen=True)
class _Written(Generic[ResultT]):
    result: ResultT


@dataclass(eq=False)
class _Turn(Generic[ItemT, ResultT]):
    item: ItemT
    called: asyncio.Future[_Call | _Written[ResultT]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class CommitGroup(Generic[ItemT, ResultT]):
    """Commits items in batches of at most ``max_batch``, one batch at a time."""

    def __init__(
        self, engine: AsyncEngine, write: BatchWriter[ItemT, ResultT], max_batch: int
    ) -> None:
        self._engine = engine
        self._write = write
        self._max_batch = max_batch
        self._queue: list[_Turn[ItemT, ResultT]] = []
        self._leading = False

    async def commit(self, item: ItemT) -> ResultT:
        """Write ``item`` in a committed transaction (shared with others) and return
        what the writer made of it."""
        turn: _Turn[ItemT, ResultT] = _Turn(item)
        self._queue.append(turn)
        if not self._leading:  # nobody is writing: this request writes, now
            self._leading = True
            turn.called.set_result(_Call.LEAD)
        try:
            call = await turn.called
        except asyncio.CancelledError:
            self._abandon(turn)
            raise
        if call is _Call.LEAD:
            call = await self._lead()
        if isinstance(call, _Written):
            return call.result
        return (await self._in_transaction([item]))[0]

    async def _lead(self) -> _Call | _Written[ResultT]:
        """Write the batch at the head of the queue (this request's item first), tell
        every other member how it went, and hand the lead to the next in line."""
        batch = self._queue[: self._max_batch]
        del self._queue[: self._max_batch]
        outcomes: list[_Call | _Written[ResultT]] = [_Call.ALONE] * len(batch)
        try:
            if len(batch) == 1:  # alone already: whatever fails is this request's error
                outcomes = [_Written(r) for r in await self._in_transaction([batch[0].item])]
            else:
                outcomes = await self._write_together(batch)
        finally:
            for turn, outcome in zip(batch[1:], outcomes[1:], strict=True):
                if not turn.called.done():  # done: its request was cancelled meanwhile
                    turn.called.set_result(outcome)
            self._hand_over()
        return outcomes[0]

    async def _write_together(
        self, batch: Sequence[_Turn[ItemT, ResultT]]
    ) -> list[_Call | _Written[ResultT]]:
        try:
            results = await self._in_transaction([turn.item for turn in batch])
        except RETRYABLE_ALONE:
            return [_Call.ALONE] * len(batch)
        return [_Written(result) for result in results]

    async def _in_transaction(self, items: Sequence[ItemT]) -> list[ResultT]:
        async with self._engine.begin() as conn:
            return await self._write(conn, items)

    def _hand_over(self) -> None:
        while self._queue and self._queue[0].called.done():  # cancelled while queued
            self._queue.pop(0)
        if self._queue:
            self._queue[0].called.set_result(_Call.LEAD)
        else:
            self._leading = False

    def _abandon(self, turn: _Turn[ItemT, ResultT]) -> None:
        """A request cancelled while it waited: out of the queue, and if it had just
        been handed the lead, the lead goes on to the next (else nobody would write)."""
        called = turn.called
        handed_lead = called.done() and not called.cancelled() and called.result() is _Call.LEAD
        if turn in self._queue:
            self._queue.remove(turn)
        if handed_lead:
            self._hand_over()
