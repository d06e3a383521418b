"""Connections dealt to worker processes in turn (``alertd serve --workers N``).

The parent process listens and accepts; each connection it accepts goes to the next
worker in turn, handed over on a Unix socket (SCM_RIGHTS), and the worker serves it as
if it had accepted it itself. Node's cluster module spreads connections the same way.

Workers that each listened on the port (SO_REUSEPORT) got connections by a hash of the
addresses: 32 connections split 14 and 18 in a bench run, and the worker serving 18 was
the slower to answer while the other had time to spare. Dealt in turn, connections split
evenly; a connection is dealt once, so what this process does is once per connection,
not per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Sequence

from aiohttp import web

log = logging.getLogger("alertd")

# One connection per message: a byte of data (a message cannot be empty) and its
# descriptor.
_MESSAGE = b"c"


def listen(host: str, port: int, backlog: int = 128) -> socket.socket:
    """The listening socket the parent accepts on (IPv4 or IPv6, as ``host`` resolves)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    return socket.create_server((host, port), family=family, backlog=backlog)


def channels(count: int) -> list[tuple[socket.socket, socket.socket]]:
    """(parent's end, worker's end) of a channel per worker; each message keeps its
    boundary, so one descriptor arrives with its own message."""
    return [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(count)]


def deal(listener: socket.socket, to_workers: Sequence[socket.socket]) -> None:
    """Accept connections and hand each to the next worker, until the listener is shut
    down (run in a thread of the parent)."""
    turn = 0
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:  # shut down: the workers are stopping
            return
        with connection:  # the worker holds its own copy once it is handed over
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                socket.send_fds(to_workers[turn], [_MESSAGE], [connection.fileno()])
            except OSError:  # that worker has exited: the parent is stopping the set
                log.warning("a connection was dropped: its worker has exited")
        turn = (turn + 1) % len(to_workers)


class HandedOverSite(web.BaseSite):
    """An aiohttp site serving the connections handed over on ``channel``."""

    def __init__(self, runner: web.BaseRunner, channel: socket.socket) -> None:
        super().__init__(runner)
        self._channel = channel
        self._connecting: set[asyncio.Task[object]] = set()

    @property
    def name(self) -> str:
        return "connections dealt by the parent process"

    async def start(self) -> None:
        await super().start()
        self._channel.setblocking(False)
        asyncio.get_running_loop().add_reader(self._channel.fileno(), self._take)

    async def stop(self) -> None:
        asyncio.get_running_loop().remove_reader(self._channel.fileno())
        await super().stop()

    def _take(self) -> None:
        """Serve the connection waiting on the channel, if one is."""
        try:
            _, descriptors, _, _ = socket.recv_fds(self._channel, len(_MESSAGE), 1)
        except BlockingIOError:
            return
        loop = asyncio.get_running_loop()
        if not descriptors:  # the parent closed its end: no more connections will come
            loop.remove_reader(self._channel.fileno())
            return
        server = self._runner.server
        assert server is not None, "a started site's runner has its server"
        connection = socket.socket(fileno=descriptors[0])
        task = loop.create_task(loop.connect_accepted_socket(server, connection))
        self._connecting.add(task)
        task.add_done_callback(lambda done: self._connected(done, connection))

    def _connected(self, task: asyncio.Task[object], connection: socket.socket) -> None:
        self._connecting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            connection.close()  # e.g. the client went away before it was served


def run_handed_over(
    app: web.Application,
    channel: socket.socket,
    loop: asyncio.AbstractEventLoop,
    shutdown_timeout: float,
) -> None:
    """``web.run_app`` for a worker whose connections are dealt on ``channel``: serve
    until SIGTERM, then shut down gracefully, as run_app does."""
    asyncio.set_event_loop(loop)
    main = loop.create_task(_serve(app, channel, shutdown_timeout))
    try:
        loop.run_until_complete(main)
    except (web.GracefulExit, KeyboardInterrupt):
        pass
    finally:
        main.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(main)
        _cancel_leftovers(loop)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks still running after the app's cleanup, and let them finish (as
    run_app does), rather than destroy them pending when the loop closes."""
    leftovers = asyncio.all_tasks(loop)
    for task in leftovers:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))


async def _serve(app: web.Application, channel: socket.socket, shutdown_timeout: float) -> None:
    runner = web.AppRunner(
        app, handle_signals=True, access_log=None, shutdown_timeout=shutdown_timeout
    )
    await runner.setup()
    try:
        await HandedOverSite(runner, channel).start()
        await asyncio.Event().wait()  # until SIGTERM (GracefulExit) cancels this task
    finally:
        await runner.cleanup()
