"""The node's hub: committed alert notices fan out to every local subscriber.

Each subscriber has a bounded queue; one that falls behind is marked overflowed and
dropped rather than allowed to slow the others (it recovers by resuming from the
database). Publishing never blocks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from alertd.alerts import AlertNotice

DEFAULT_QUEUE_SIZE = 256


class Subscription:
    def __init__(self, hub: Hub, size: int) -> None:
        self.queue: asyncio.Queue[AlertNotice] = asyncio.Queue(maxsize=size)
        self.overflowed = asyncio.Event()
        self._hub = hub

    def offer(self, notice: AlertNotice) -> None:
        if self.overflowed.is_set():
            return
        try:
            self.queue.put_nowait(notice)
        except asyncio.QueueFull:
            self.overflowed.set()

    def close(self) -> None:
        self._hub.unsubscribe(self)


class Hub:
    """An ``AlertNotifier``: what is committed on this node reaches its subscribers."""

    def __init__(self, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self._subscriptions: set[Subscription] = set()
        self._queue_size = queue_size

    def subscribe(self) -> Subscription:
        subscription = Subscription(self, self._queue_size)
        self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    def alerts_changed(self, notices: Sequence[AlertNotice]) -> None:
        for notice in notices:
            for subscription in tuple(self._subscriptions):
                subscription.offer(notice)

    def __len__(self) -> int:
        return len(self._subscriptions)
