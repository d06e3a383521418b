"""Batching the database work of concurrent requests: group commit for their writes,
one query for their lookups.

Every round trip to the database costs the server, the database and the kernel's
loopback between them CPU time, whatever it carries, and a durable commit also waits
for the disk. Requests that need the same kind of work while a batch of it is under
way queue up, and the first of them then does the work of all of them at once.

Group commit: a durable commit waits for the disk (an fsync costs 2 to 3 ms on the bench machine),
and on PostgreSQL the audit chain's lock is held through that wait (migration 0005:
it is released when the transaction ends, after the WAL flush), so commits that carry
audit events follow one another and never share a flush: a few hundred commits a
second at most, whatever the CPU. Batched, the crossings of concurrent requests are written in
one transaction: one chain lock, one flush, and multi-row statements instead of round
trips per row. Each request's records still commit together, and before its answer
is sent.

Leadership instead of a background task: the request at the head of the queue does
the batch in its own task, so an unexpected error is that request's own logged 500,
never a dead worker that everyone else waits for. When a batch of several fails,
nobody knows whose item was at fault: each is then done alone, and gets its own
answer or its own error.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from alertd.errors import AlertdError

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
# Does the work of a batch of items; one result per item, in order.
BatchWork = Callable[[Sequence[ItemT]], Awaitable[list[ResultT]]]
# The failures after which a batch of several is done again one item at a time (what
# could be one item's fault: a database error, a domain refusal).
RETRYABLE_ALONE = (SQLAlchemyError, AlertdError)


class _Call(enum.Enum):
    LEAD = "do the batch at the head of the queue"
    ALONE = "do your item alone"


@dataclass(frozen=True)
class _Done(Generic[ResultT]):
    result: ResultT


@dataclass(eq=False)
class _Turn(Generic[ItemT, ResultT]):
    item: ItemT
    called: asyncio.Future[_Call | _Done[ResultT]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Batcher(Generic[ItemT, ResultT]):
    """Does ``work`` on batches of at most ``max_batch`` items, one batch at a time.

    With ``join_ready``, a request that finds nobody working lets the event loop run
    the other tasks that are ready first, and the items they ask for join its batch:
    requests that arrive together (clients answered by the same commit send their next
    ones at once) then share one batch, where the first would otherwise go alone and
    the rest in a second. It delays the first by the others' steps up to that point: for
    short steps (reading a request up to its sign-in lookup), not long ones (matching).
    """

    def __init__(
        self, work: BatchWork[ItemT, ResultT], max_batch: int, *, join_ready: bool = False
    ) -> None:
        self._work = work
        self._max_batch = max_batch
        self._join_ready = join_ready
        self._queue: list[_Turn[ItemT, ResultT]] = []
        self._leading = False

    async def do(self, item: ItemT) -> ResultT:
        """Do the work on ``item`` (in a batch with others) and return its result."""
        turn: _Turn[ItemT, ResultT] = _Turn(item)
        self._queue.append(turn)
        if not self._leading:  # nobody is writing: this request writes, now
            self._leading = True
            turn.called.set_result(_Call.LEAD)
        try:
            call = await turn.called
            if call is _Call.LEAD and self._join_ready:
                await asyncio.sleep(0)  # the tasks ready now run, and queue behind this one
        except asyncio.CancelledError:
            self._abandon(turn)
            raise
        if call is _Call.LEAD:
            call = await self._lead()
        if isinstance(call, _Done):
            return call.result
        return (await self._work([item]))[0]

    async def _lead(self) -> _Call | _Done[ResultT]:
        """Do the batch at the head of the queue (this request's item first), tell every
        other member how it went, and hand the lead to the next in line."""
        batch = self._queue[: self._max_batch]
        del self._queue[: self._max_batch]
        outcomes: list[_Call | _Done[ResultT]] = [_Call.ALONE] * len(batch)
        try:
            if len(batch) == 1:  # alone already: whatever fails is this request's error
                outcomes = [_Done(r) for r in await self._work([batch[0].item])]
            else:
                outcomes = await self._together(batch)
        finally:
            for turn, outcome in zip(batch[1:], outcomes[1:], strict=True):
                if not turn.called.done():  # done: its request was cancelled meanwhile
                    turn.called.set_result(outcome)
            self._hand_over()
        return outcomes[0]

    async def _together(
        self, batch: Sequence[_Turn[ItemT, ResultT]]
    ) -> list[_Call | _Done[ResultT]]:
        try:
            results = await self._work([turn.item for turn in batch])
        except RETRYABLE_ALONE:
            return [_Call.ALONE] * len(batch)
        return [_Done(result) for result in results]

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
