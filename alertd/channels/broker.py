"""Brokers tell every node what one node committed: new or changed alerts (for the
WebSocket hubs) and watchlist changes (for the matching indexes).

    Broker
    ├── InProcessBroker   one node (SQLite): straight to the local hub; nothing to share
    └── PostgresBroker    several nodes on one PostgreSQL: NOTIFY after commit, LISTEN on
                          a dedicated connection that reconnects by itself and then
                          catches up from the database (alerts by seq, the index by diff)

A notification is only a hint: what it names is read from the database, so a lost one
costs latency, never data.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.alerts import AlertNotice
from alertd.channels.hub import Hub
from alertd.clock import Clock
from alertd.live_index import LiveIndex
from alertd.watchlist import EntryChange

log = logging.getLogger("alertd.broker")
ALERTS_CHANNEL = "alertd_alerts"
WATCHLIST_CHANNEL = "alertd_watchlist"
# NOTIFY payloads must stay under 8000 bytes; larger batches ask nodes to resync.
MAX_CHANGES_PER_NOTICE = 200
RECONNECT_MAX_SECONDS = 10.0


class Broker(Protocol):
    """An ``AlertNotifier`` and a ``ChangeFeed`` that reach every node."""

    def alerts_changed(self, notices: Sequence[AlertNotice]) -> None: ...

    def apply(self, changes: Sequence[EntryChange]) -> None: ...

    async def run(self) -> None: ...


class InProcessBroker:
    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    def alerts_changed(self, notices: Sequence[AlertNotice]) -> None:
        self._hub.alerts_changed(notices)

    def apply(self, changes: Sequence[EntryChange]) -> None:
        """One node: its own index was already updated by the local feed."""

    async def run(self) -> None:
        await asyncio.Event().wait()


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


class PostgresBroker:
    def __init__(
        self, dsn: str, hub: Hub, live: LiveIndex, engine: AsyncEngine, clock: Clock
    ) -> None:
        self._dsn = dsn
        self._hub = hub
        self._live = live
        self._engine = engine
        self._clock = clock
        self.node_id = uuid.uuid4().hex
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._listening = asyncio.Event()

    # --- publishing (called after commit, never blocks) ------------------------------

    def alerts_changed(self, notices: Sequence[AlertNotice]) -> None:
        if not notices:
            return
        newest = max((n.seq for n in notices if n.kind == "alert"), default=0)
        updates = [n.alert_id for n in notices if n.kind == "alert_update"]
        self._hub.alerts_changed(notices)  # this node's desks need not wait for the round trip
        for start in range(0, max(len(updates), 1), MAX_CHANGES_PER_NOTICE):
            chunk = updates[start : start + MAX_CHANGES_PER_NOTICE]
            payload = {"origin": self.node_id, "newest": newest, "updates": chunk}
            self._outbox.put_nowait((ALERTS_CHANNEL, json.dumps(payload)))

    def apply(self, changes: Sequence[EntryChange]) -> None:
        if not changes:
            return
        if len(changes) > MAX_CHANGES_PER_NOTICE:
            payload: dict[str, Any] = {"origin": self.node_id, "resync": True}
        else:
            payload = {
                "origin": self.node_id,
                "changes": [[c.kind, c.entry_id, c.version] for c in changes],
            }
        self._outbox.put_nowait((WATCHLIST_CHANNEL, json.dumps(payload)))

    # --- the connection ----------------------------------------------------------------

    async def run(self) -> None:
        """Listen and send until cancelled; reconnect with back-off, catching up after."""
        applier = asyncio.create_task(self._apply_incoming(), name="broker-index-updates")
        try:
            await self._reconnecting()
        finally:
            applier.cancel()

    async def _reconnecting(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._session()
            # SQLAlchemyError: the catch-up after connecting reads through the engine,
            # whose pooled connections the same outage may have cut. Left uncaught, it
            # ended this task and the node never listened again.
            except (
                OSError,
                asyncpg.PostgresError,
                asyncpg.InterfaceError,
                SQLAlchemyError,
            ) as exc:
                self._listening.clear()
                log.warning(
                    "broker connection lost; reconnecting",
                    extra={"error": type(exc).__name__, "retry_in": delay},
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)
            else:
                delay = 0.5

    async def wait_listening(self) -> None:
        await self._listening.wait()

    async def _session(self) -> None:
        connection = await asyncpg.connect(self._dsn)
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _c: lost.set())
        try:
            await connection.add_listener(ALERTS_CHANNEL, self._on_alerts)
            await connection.add_listener(WATCHLIST_CHANNEL, self._on_watchlist)
            await self._catch_up()  # whatever happened while we were not listening
            self._listening.set()
            await self._pump(connection, lost)
        finally:
            self._listening.clear()
            if not connection.is_closed():
                await connection.close(timeout=2)

    async def _pump(self, connection: asyncpg.Connection, lost: asyncio.Event) -> None:
        while not lost.is_set():
            getter = asyncio.ensure_future(self._outbox.get())
            waiter = asyncio.ensure_future(lost.wait())
            done, _ = await asyncio.wait({getter, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if getter not in done:
                getter.cancel()
                break
            channel, payload = getter.result()
            try:
                await connection.execute("SELECT pg_notify($1, $2)", channel, payload)
            except BaseException:
                self._outbox.put_nowait((channel, payload))  # send it after reconnecting
                raise
        raise ConnectionResetError("broker connection terminated")

    async def _catch_up(self) -> None:
        await self._hub.catch_up()
        self._inbox.put_nowait({"resync": True})

    # --- receiving -------------------------------------------------------------------

    def _on_alerts(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        data = json.loads(payload)
        if data.get("origin") == self.node_id:
            return
        notices = [AlertNotice("alert_update", alert_id, 0) for alert_id in data["updates"]]
        if data.get("newest"):
            notices.append(AlertNotice("alert", 0, int(data["newest"])))
        self._hub.alerts_changed(notices)

    def _on_watchlist(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        data = json.loads(payload)
        if data.get("origin") != self.node_id:
            self._inbox.put_nowait(data)

    def _drop_queued(self) -> None:
        """Forget the notifications already waiting: a rebuild starting now reads all they
        announce (each was sent after its changes were committed). A large import sends a
        resync per chunk; without this every other node rebuilt once per chunk."""
        while not self._inbox.empty():
            self._inbox.get_nowait()

    async def _apply_incoming(self) -> None:
        """Apply other nodes' watchlist changes one notification at a time, in order,
        reading the published contents from the database."""
        while True:
            data = await self._inbox.get()
            try:
                if data.get("resync"):
                    self._drop_queued()
                    await self._live.rebuild(self._engine, self._clock.now())
                else:
                    changes = [EntryChange(k, int(e), int(v)) for k, e, v in data["changes"]]
                    await self._live.apply_from_database(self._engine, changes)
            except (SQLAlchemyError, OSError):
                log.exception("index update from another node failed; resyncing")
                await asyncio.sleep(1)
                self._inbox.put_nowait({"resync": True})
