"""`alertctl listen`: a desk's live alerts over the WebSocket channel, missing none.

The protocol is alertd's (alertd/channels/protocol.py): the first message authenticates
with the access token (never in the URL), then `resume` replays what came after the last
seq this machine stored for the user, then alerts arrive live. The token is renewed on
the open socket before it expires; a dropped connection is retried with growing,
jittered delays (so desks do not all come back at once after a restart) and resumes
where it stopped. The last seq is kept in ``<host>-<port>.seq.json`` next to the tokens.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import click
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from yarl import URL

from clients.alertctl.context import Globals, pass_globals, run
from clients.alertctl.errors import AlertctlError, Refused, Unavailable
from clients.alertctl.output import Output
from clients.alertctl.session import server_key, write_private_file

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

WS_PATH: Final = "/api/v1/ws"
READY_TIMEOUT_SECONDS: Final = 10.0
# Close codes (alertd/channels/protocol.py) that end `listen` instead of reconnecting.
CLOSE_UNAUTHENTICATED: Final = 4401
CLOSE_FORBIDDEN: Final = 4403
CLOSE_PROTOCOL: Final = 4400
# Reconnect after 1 s, doubling to at most 30 s, each delay ±20 %.
FIRST_DELAY_SECONDS: Final = 1.0
MAX_DELAY_SECONDS: Final = 30.0
JITTER: Final = 0.2
# Never renew more often than this, whatever the clocks say.
MIN_RENEWAL_WAIT_SECONDS: Final = 1.0


@dataclass(frozen=True)
class ListenOptions:
    ack: bool
    count: int | None  # stop after this many new alerts
    from_seq: int | None  # replay from here instead of the stored seq


class SeqStore:
    """The last alert seq shown to one user of one server."""

    def __init__(self, directory: Path, url: URL) -> None:
        self.path = directory / f"{server_key(url)}.seq.json"

    def load(self, username: str) -> int | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # none yet (or unreadable): start live
        if not isinstance(data, dict) or data.get("username") != username:
            return None
        seq = data.get("last_seq")
        return seq if isinstance(seq, int) else None

    def save(self, username: str, seq: int) -> None:
        write_private_file(self.path, json.dumps({"username": username, "last_seq": seq}).encode())


class Backoff:
    def __init__(self) -> None:
        self._next = FIRST_DELAY_SECONDS

    def reset(self) -> None:
        self._next = FIRST_DELAY_SECONDS

    def delay(self) -> float:
        current, self._next = self._next, min(self._next * 2, MAX_DELAY_SECONDS)
        return current * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (jitter, not a secret)


class Stop(Exception):
    """Enough alerts were shown (--count)."""


@click.command()
@click.option("--ack", is_flag=True, help="Acknowledge each new alert for your agency as shown.")
@click.option("--count", type=click.IntRange(min=1), help="Exit after this many new alerts.")
@click.option(
    "--from-seq",
    type=click.IntRange(min=0),
    help="Replay alerts after this seq (0: all you may see) instead of the stored one.",
)
@pass_globals
def listen(g: Globals, ack: bool, count: int | None, from_seq: int | None) -> None:
    """Print your desk's alerts as they come; with --json, one JSON message a line."""
    seqs = SeqStore(g.store.directory, g.url)
    run(g, lambda api: Listener(api, g, seqs, ListenOptions(ack, count, from_seq)).run())


class Listener:
    def __init__(self, api: ApiClient, g: Globals, seqs: SeqStore, options: ListenOptions):
        self.api, self.url, self.output, self.seqs = api, g.url, g.output, seqs
        self.options = options
        self.username = api.session.current().username
        self.shown = 0
        self.from_seq = (
            options.from_seq if options.from_seq is not None else seqs.load(self.username)
        )

    async def run(self) -> None:
        backoff = Backoff()
        while True:
            try:
                await self._connection(backoff)
            except Stop:
                return
            except ConnectionClosed as exc:
                await self._closed(exc)
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                self.output.note(f"cannot reach {self.url}: {exc or type(exc).__name__}")
            delay = backoff.delay()
            self.output.note(f"reconnecting in {delay:.1f} s (from seq {self.from_seq or 0})")
            await asyncio.sleep(delay)

    async def _closed(self, closed: ConnectionClosed) -> None:
        code = closed.rcvd.code if closed.rcvd else None
        reason = closed.rcvd.reason if closed.rcvd else "connection lost"
        if code == CLOSE_UNAUTHENTICATED:
            await self.api.session.refresh()  # NotSignedIn (exit 3) if the session has ended
        elif code == CLOSE_FORBIDDEN:
            raise Refused(f"the server refused the alert channel: {reason}")
        elif code == CLOSE_PROTOCOL:
            raise Unavailable(f"the server does not understand this client: {reason}")
        self.output.note(f"connection closed ({code}: {reason})")

    async def _connection(self, backoff: Backoff) -> None:
        try:
            socket = connect(ws_url(self.url), proxy=None, open_timeout=READY_TIMEOUT_SECONDS)
        except InvalidURI as exc:
            raise Unavailable(str(exc)) from None
        async with socket as ws:
            await self._authenticate(ws)
            backoff.reset()
            renewal = asyncio.create_task(self._renew(ws))
            try:
                async for raw in ws:
                    await self._message(ws, _decode(raw))
            finally:
                renewal.cancel()
            failure = renewal.exception() if renewal.done() and not renewal.cancelled() else None
            if failure is not None:
                raise failure  # the session ended while renewing: exit 3
            # A normal close (1000, 1001: the server is stopping) ends the loop quietly.
            self.output.note(
                f"the server closed the connection ({ws.close_code}: {ws.close_reason})"
            )

    async def _authenticate(self, ws: ClientConnection) -> None:
        await ws.send(json.dumps({"type": "auth", "token": await self.api.session.access_token()}))
        ready = _decode(await asyncio.wait_for(ws.recv(), READY_TIMEOUT_SECONDS))
        if ready.get("type") != "ready":
            raise Unavailable(f"the server answered {ready.get('type')!r} instead of 'ready'")
        if self.from_seq is not None:
            await ws.send(json.dumps({"type": "resume", "after_seq": self.from_seq}))
        start = self.from_seq if self.from_seq is not None else ready.get("last_seq")
        self.output.note(
            f"Listening for alerts on {self.url} as {self.username} (after seq {start})"
        )

    async def _renew(self, ws: ClientConnection) -> None:
        """Send a fresh token when the session's margin before expiry begins."""
        while True:
            stored = self.api.session.current()
            await asyncio.sleep(max(stored.refresh_at - time.time(), MIN_RENEWAL_WAIT_SECONDS))
            try:
                renewed = await self.api.session.refresh(stored)  # or another process's pair
            except AlertctlError:
                await ws.close()  # ends the message loop, which raises this
                raise
            await ws.send(json.dumps({"type": "auth", "token": renewed.access_token}))

    async def _message(self, ws: ClientConnection, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "ping":
            await ws.send(json.dumps({"type": "pong"}))
        elif kind in ("alert", "alert_update"):
            await self._alert(ws, str(kind), message)
        elif kind == "ack_result":
            self.output.note(f"alert {message.get('alert_id')}: {message.get('status')}")
        elif kind == "authenticated":
            self.output.note("token renewed on the channel")
        elif kind == "replayed":
            self.output.note(f"caught up (seq {message.get('last_seq')}); live from here")
        elif kind == "error":
            self.output.note(f"the server says: {message.get('detail')}")

    async def _alert(self, ws: ClientConnection, kind: str, message: Mapping[str, Any]) -> None:
        alert = message.get("alert")
        if not isinstance(alert, Mapping):
            return
        self.output.stream(dict(message), lambda: _show(self.output, kind, alert))
        if kind != "alert":
            return  # an update keeps its alert's seq: nothing new to remember
        seq = message.get("seq")
        if isinstance(seq, int):
            self.from_seq = seq
            self.seqs.save(self.username, seq)
        if self.options.ack and alert.get("status") == "new":
            await ws.send(json.dumps({"type": "ack", "alert_id": alert.get("id")}))
        self.shown += 1
        if self.options.count is not None and self.shown >= self.options.count:
            await self._drain_ack(ws)
            raise Stop

    async def _drain_ack(self, ws: ClientConnection) -> None:
        """With --ack, wait for the last acknowledgement's result before leaving."""
        if not self.options.ack:
            return
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            message = _decode(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
            if message.get("type") == "ack_result":
                await self._message(ws, message)
                return
            if message.get("type") == "ping":
                await self._message(ws, message)


def _show(output: Output, kind: str, alert: Mapping[str, Any]) -> None:
    output.alert(kind, alert)
    output.echo()


def ws_url(url: URL) -> str:
    scheme = "wss" if url.scheme == "https" else "ws"
    return str(url.with_scheme(scheme).with_path(url.path.rstrip("/") + WS_PATH))


def _decode(raw: str | bytes) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except ValueError:
        raise Unavailable("the server sent a message that is not JSON") from None
    if not isinstance(message, dict):
        raise Unavailable("the server sent a message that is not a JSON object")
    return message
