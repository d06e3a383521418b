"""Batching concurrent requests' work (alertd.batching): who does what, and failures."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from alertd.batching import Batcher
from alertd.errors import Conflict


class Work:
    """Doubles numbers after letting other requests queue up; refuses 13 (a domain
    error) and 666 (a bug)."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.running = self.most_at_once = 0

    async def __call__(self, items: Sequence[int]) -> list[int]:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            self.batches.append(list(items))
            await asyncio.sleep(0.01)
            if 13 in items:
                raise Conflict("13 is refused")
            if 666 in items:
                raise ZeroDivisionError("a bug")
            return [2 * item for item in items]
        finally:
            self.running -= 1


async def test_requests_waiting_meanwhile_share_the_next_batch() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=4)
    results = await asyncio.gather(*(batcher.do(n) for n in range(10)))
    assert results == [2 * n for n in range(10)]
    # The first is alone (nobody was waiting), the others follow in batches of <= 4.
    assert work.batches == [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9]]
    assert work.most_at_once == 1


async def test_with_join_ready_requests_ready_together_share_the_first_batch() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=4, join_ready=True)
    results = await asyncio.gather(*(batcher.do(n) for n in range(6)))
    assert results == [2 * n for n in range(6)]
    # All six were ready in the same turn of the loop: the first waits for the others.
    assert work.batches == [[0, 1, 2, 3], [4, 5]]


async def test_with_join_ready_a_lead_cancelled_while_it_waits_is_handed_on() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=4, join_ready=True)
    first = asyncio.ensure_future(batcher.do(1))
    await asyncio.sleep(0)  # it leads, and waits for the tasks ready now
    first.cancel()
    assert await batcher.do(2) == 4
    assert first.cancelled()
    assert work.batches == [[2]]


async def test_a_lone_request_is_done_at_once() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=4)
    assert await batcher.do(1) == 2
    assert await batcher.do(2) == 4
    assert work.batches == [[1], [2]]


async def test_a_failed_batch_is_done_again_one_by_one_and_only_the_culprit_fails() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=8)
    results = await asyncio.gather(*(batcher.do(n) for n in (1, 2, 13, 4)), return_exceptions=True)
    assert results[:2] == [2, 4] and results[3] == 8
    assert isinstance(results[2], Conflict)
    assert work.batches[:2] == [[1], [2, 13, 4]]
    assert sorted(work.batches[2:]) == [[2], [4], [13]]  # each alone, in its own request


async def test_a_bug_fails_the_request_that_ran_the_batch_and_the_others_go_on() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=8)
    first = asyncio.create_task(batcher.do(1))
    await asyncio.sleep(0)  # the first leads; the others queue behind it
    others = [asyncio.create_task(batcher.do(n)) for n in (666, 3)]
    assert await first == 2
    done = await asyncio.gather(*others, return_exceptions=True)
    assert isinstance(done[0], ZeroDivisionError)
    assert done[1] == 6
    assert await batcher.do(5) == 10  # nobody is left stuck as the leader


async def test_a_request_cancelled_while_queued_does_not_stop_the_others() -> None:
    work = Work()
    batcher = Batcher(work, max_batch=1)
    first = asyncio.create_task(batcher.do(1))
    await asyncio.sleep(0)
    second = asyncio.create_task(batcher.do(2))
    third = asyncio.create_task(batcher.do(3))
    await asyncio.sleep(0)
    second.cancel()  # queued next in line: the lead must pass on to the third
    assert await first == 2
    with pytest.raises(asyncio.CancelledError):
        await second
    assert await asyncio.wait_for(third, 1) == 6
