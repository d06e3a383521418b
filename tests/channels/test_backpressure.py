"""Heartbeats and back-pressure: silent clients are closed with 4408; a desk that stops
reading is closed with 4429, without slowing the others, and recovers by resuming."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import ClientWebSocketResponse, WSMsgType

from alertd.channels import protocol
from alertd.state import HUB
from tests.channels.helpers import (
    AlertSpec,
    Inbox,
    desk_socket,
    listed,
    next_of,
    raise_alerts,
    read_into,
    specimen,
    token,
    until,
)
from tests.conftest import Client
from tests.screening.conftest import Desks

PING_INTERVAL = "0.3"
# The slow desk's send queue. In front of it sit the server's transport buffer and the
# kernel's socket buffers (over a megabyte on loopback, whose segments are 64 KB): big
# alerts and a small client receive buffer fill them with few alerts.
QUEUE_SIZE = "2"
CLIENT_RECEIVE_BUFFER = 4096
# Bursts of big alerts are raised until the slow desk is closed, at most MOST_BURSTS
# (50 MB: far beyond what the kernel's buffers hold).
BURST_SIZE, MOST_BURSTS = 10, 100
ALERT_PADDING = 50_000
# Limits for reading what was sent (megabytes through a tiny receive buffer): generous,
# since a loaded CI machine is slow; a passing run ends as soon as all has arrived.
READ_WITHIN = 30


@pytest.mark.parametrize("settings_overrides", [{"ws_ping_interval_seconds": PING_INTERVAL}])
async def test_a_client_that_never_pongs_is_closed_with_4408(client: Client, desks: Desks) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        assert (await next_of(ws, "ping"))["type"] == "ping"
        code = await _close_code_ignoring_pings(ws, within=4)
    assert code == protocol.CLOSE_HEARTBEAT


@pytest.mark.parametrize("settings_overrides", [{"ws_ping_interval_seconds": PING_INTERVAL}])
async def test_a_client_that_pongs_stays_open(client: Client, desks: Desks) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        answering = asyncio.create_task(_answer_pings(ws))
        await asyncio.sleep(2.5)  # several heartbeat periods and watchdog rounds
        assert not answering.done()
        answering.cancel()


async def _answer_pings(ws: ClientWebSocketResponse) -> None:
    async for message in ws:
        if message.type == WSMsgType.TEXT and message.json()["type"] == "ping":
            await ws.send_json({"type": "pong"})


async def _close_code_ignoring_pings(ws: ClientWebSocketResponse, within: float) -> int:
    async with asyncio.timeout(within):
        async for message in ws:
            assert message.type == WSMsgType.TEXT
        return int(ws.close_code or 0)


@pytest.mark.parametrize("settings_overrides", [{"ws_send_queue_size": QUEUE_SIZE}])
async def test_a_desk_that_stops_reading_is_closed_and_recovers_by_resuming(
    client: Client, desks: Desks, wanted: int
) -> None:
    app = client.server.app
    base = await specimen(client, desks)
    wanted_at_poipet = AlertSpec(
        "wanted_person", "GCNP", ("GCNP", "GDI"), base.checkpoint_id, ALERT_PADDING
    )
    healthy = Inbox()  # another desk that reads as it should
    async with _small_buffer_socket(client, token(desks.police)) as slow:
        (slow_side,) = app[HUB].connections  # the server's side of the slow desk
        async with desk_socket(client, token(desks.immigration), after_seq=0) as fast:
            reader = asyncio.create_task(read_into(fast, healthy))
            # The slow desk reads nothing meanwhile. How much the kernel's buffers absorb
            # before its queue fills depends on the machine's load (the sender's buffer
            # grows up to megabytes), so alerts are raised until the server closes it.
            bursts = 0
            while slow_side.close_code is None and bursts < MOST_BURSTS:
                await raise_alerts(app, base, [wanted_at_poipet] * BURST_SIZE)
                bursts += 1
            assert slow_side.close_code == protocol.CLOSE_TOO_SLOW
            got = Inbox()
            async with asyncio.timeout(READ_WITHIN):
                async for message in slow:  # now it reads what was sent before the close
                    got.take(message.json())
            assert slow.close_code == protocol.CLOSE_TOO_SLOW
            expected_fast = [a["seq"] for a in await listed(client, desks.immigration)]
            with contextlib.suppress(TimeoutError):
                await until(lambda: len(healthy.seqs) >= len(expected_fast), within=READ_WITHIN)
            assert healthy.seqs == expected_fast  # the slow desk did not hold the others back
            assert not reader.done()  # and it is still connected
            reader.cancel()
    last = got.seqs[-1] if got.seqs else 0
    async with desk_socket(client, token(desks.police), after_seq=last) as again:
        rest = Inbox()
        while (message := await next_of(again, "alert", "replayed"))["type"] == "alert":
            rest.take(message)
    expected = [a["seq"] for a in await listed(client, desks.police)]
    assert len(expected) == 1 + bursts * BURST_SIZE
    assert got.seqs + rest.seqs == expected[1:]  # the first came in the slow desk's replay


@contextlib.asynccontextmanager
async def _small_buffer_socket(
    client: Client, access_token: str
) -> AsyncIterator[ClientWebSocketResponse]:
    """A desk connection whose kernel receive buffer is tiny, resumed and up to date."""

    def small_buffer(addr_info: Any) -> socket.socket:
        family, kind, proto, _, _ = addr_info
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CLIENT_RECEIVE_BUFFER)
        return sock

    connector = aiohttp.TCPConnector(socket_factory=small_buffer)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.ws_connect(client.make_url("/api/v1/ws")) as ws,
    ):
        await ws.send_json({"type": "auth", "token": access_token})
        await next_of(ws, "ready")
        await ws.send_json({"type": "resume", "after_seq": 0})
        await next_of(ws, "replayed")
        yield ws
