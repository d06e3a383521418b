"""One desk's WebSocket as the hub sees it: what it may see, its send queue, its
heartbeat, and the way its pushes reach the socket.

A push is serialised once for every connection that receives it, into the very bytes of
a WebSocket text frame (a server's frames are not masked, and the channel does not
compress, so they are the same for every socket). A connection that keeps up is
written to directly, when the hub offers: no task wakes up, nothing waits, nothing is
allocated per socket. One that falls behind (its transport holds more than
``DIRECT_WRITE_LIMIT`` unsent bytes) or is still replaying gets the push in its bounded
queue instead, which its sender drains at the client's pace; when the queue is full
the connection is closed with ``CLOSE_TOO_SLOW``, and it recovers by resuming.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from websockets.frames import Frame, Opcode

from alertd.alerts import AlertReader
from alertd.channels import protocol

# Unsent bytes a socket's transport may hold before pushes go through its queue (and
# its sender waits for the client to read): the transport's default high-water mark.
DIRECT_WRITE_LIMIT = 64 * 1024


def text_frame(text: str) -> bytes:
    """A whole unmasked, uncompressed WebSocket text frame (RFC 6455, section 5.2).

    Built by the ``websockets`` library's frame serialiser (aiohttp, which serves the
    socket, only writes frames it builds itself): a server's frames are never masked.
    """
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


@dataclass(frozen=True)
class Push:
    kind: str  # "alert" | "alert_update" | "ping"
    seq: int
    text: str  # the whole message, serialised once for every connection of an agency
    frame: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", text_frame(self.text))


PING = Push("ping", 0, json.dumps({"type": "ping"}))


class Socket(Protocol):
    """Where a connection's frames go (the WebSocket's transport)."""

    def write(self, frame: bytes) -> None: ...

    def unsent(self) -> int: ...

    def is_closing(self) -> bool: ...


class Connection:
    """One desk's WebSocket, as the hub sees it."""

    def __init__(
        self,
        reader: AlertReader,
        session_id: str,
        expires_at: datetime,
        queue_size: int,
    ) -> None:
        self.reader = reader
        self.session_id = session_id
        self.expires_at = expires_at  # on the application clock, like the token's exp
        self.queue: asyncio.Queue[Push] = asyncio.Queue(maxsize=queue_size)
        self.queued = asyncio.Event()  # wakes the sender (see ``websocket._send``)
        # Set by the sender when its queue is empty and the replay is over; pushes are
        # then written straight to ``socket`` while it keeps up.
        self.socket: Socket | None = None
        self.direct = False
        # The newest alert sent; live alerts up to it (the replay sent them) are skipped.
        self.last_seq = 0
        # When the oldest ping the client has not answered yet was sent (None: every
        # ping was answered). On the monotonic clock: a wall-clock step (NTP, a test's
        # frozen clock) must neither kill every connection at once nor keep dead ones.
        self.unanswered_ping_since: float | None = None
        # When the watchdog pings next (monotonic); None until the connection is live,
        # so that a long replay is never mistaken for a dead client.
        self.next_ping: float | None = None
        self.start_seq = 0  # the hub's high-water mark when this connection joined
        self.close_code: int | None = None
        self.close_reason = ""
        self.closing = asyncio.Event()

    def offer(self, push: Push) -> None:
        if self.closing.is_set():
            return
        socket = self.socket
        if self.direct and socket is not None and socket.unsent() < DIRECT_WRITE_LIMIT:
            if not socket.is_closing() and self.wants(push):
                socket.write(push.frame)
                self.sent(push)
            return
        self.direct = False  # in order: behind what is queued
        try:
            self.queue.put_nowait(push)
        except asyncio.QueueFull:
            self.request_close(protocol.CLOSE_TOO_SLOW, "send queue full: reconnect and resume")
            return
        self.queued.set()

    def wants(self, push: Push) -> bool:
        """False for a live alert that the replay already sent."""
        return push.kind != "alert" or push.seq > self.last_seq

    def sent(self, push: Push) -> None:
        if push.kind == "alert":
            self.last_seq = push.seq

    def next_queued(self) -> Push | None:
        try:
            return self.queue.get_nowait()
        except asyncio.QueueEmpty:
            return None

    def start_pings(self, interval: float) -> None:
        self.next_ping = time.monotonic() + interval

    def ping_if_due(self, now: float, interval: float) -> None:
        """Offer a ping every ``interval`` seconds whatever the traffic: the client's
        pongs are what the heartbeat listens for, so a busy desk is pinged as surely as
        an idle one. Pings go the way pushes go: no timer per socket and message
        (thousands of them, each alive for a ping interval, made the garbage
        collector's full passes frequent and long)."""
        if self.next_ping is not None and now >= self.next_ping:
            self.next_ping = now + interval
            if self.unanswered_ping_since is None:
                self.unanswered_ping_since = now
            self.offer(PING)

    def heard(self) -> None:
        """Any message from the client answers the pings sent so far."""
        self.unanswered_ping_since = None

    def request_close(self, code: int, reason: str) -> None:
        if not self.closing.is_set():
            self.close_code, self.close_reason = code, reason
            self.direct = False
            self.closing.set()
