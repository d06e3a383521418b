"""The node's hub: committed alert notices fan out to the WebSocket connections here.

A notice names an alert; the hub loads its snapshot from the database once, and offers
each connection whose reader may see it (``AlertReader.sees_snapshot``, the same rule as
the REST list) the alert rendered for that connection's agency. Each connection has a
bounded queue: one that falls behind is closed (``CLOSE_TOO_SLOW``) instead of slowing
the others, and recovers by resuming from the database. A watchdog offers the pings,
and closes connections whose token expired, whose session was revoked or whose
heartbeat stopped. Sign-ins and replays are batched by ``admission.Admissions``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd.alerts import AlertNotice, AlertReader, AlertSnapshot, load_snapshots
from alertd.channels import protocol
from alertd.channels.admission import Admissions
from alertd.channels.connection import Connection, Push
from alertd.clock import Clock
from alertd.tables import alerts, auth_sessions, users

log = logging.getLogger("alertd.channels")
WATCHDOG_INTERVAL_SECONDS = 1.0  # sessions are checked in the database this often
CATCH_UP_INTERVAL_SECONDS = 2.0
SESSIONS_PER_CHECK = 1000


class Hub:
    """An ``AlertNotifier`` for this node's connections."""

    def __init__(self, engine: AsyncEngine, clock: Clock, ping_interval: float) -> None:
        self._engine = engine
        self._clock = clock
        self._ping_interval = ping_interval
        self.connections: set[Connection] = set()
        # The same connections by agency, then by sight (``_sight``): an alert is decided
        # once per group of its routed agencies and offered to the groups that see it.
        self._groups: dict[int, dict[tuple[Any, ...], set[Connection]]] = {}
        self._pending: asyncio.Queue[AlertNotice] = asyncio.Queue()
        self.high_water = 0
        self._held: AsyncConnection | None = None  # the dispatcher's (see ``_read``)
        # Sign-ins and replays, batched: a reconnect storm takes one pooled connection
        # and a few queries per batch instead of the officers' whole pool.
        self.admissions = Admissions(engine)

    def alerts_changed(self, notices: Sequence[AlertNotice]) -> None:
        for notice in notices:
            self._pending.put_nowait(notice)

    def register(self, connection: Connection) -> None:
        """From now on the connection is offered every alert it may see."""
        connection.start_seq = self.high_water
        self.connections.add(connection)
        groups = self._groups.setdefault(connection.reader.who.agency_id, {})
        groups.setdefault(_sight(connection.reader), set()).add(connection)

    def unregister(self, connection: Connection) -> None:
        self.connections.discard(connection)
        agency, sight = connection.reader.who.agency_id, _sight(connection.reader)
        groups = self._groups.get(agency, {})
        members = groups.get(sight)
        if members is not None:
            members.discard(connection)
            if not members:
                del groups[sight]
            if not groups:
                del self._groups[agency]

    async def start_high_water(self) -> None:
        async with self._engine.connect() as conn:
            self.high_water = int(
                (await conn.execute(select(func.max(alerts.c.seq)))).scalar() or 0
            )

    async def run_dispatcher(self) -> None:
        """Push committed alerts; the admissions' worker runs alongside, started here
        because it lives and dies with the hub."""
        admissions = asyncio.create_task(self.admissions.run(), name="channel-admissions")
        admissions.add_done_callback(_report_stopped)
        try:
            await self._dispatch_forever()
        finally:
            admissions.cancel()
            if self._held is not None:
                await self._held.close()

    async def _dispatch_forever(self) -> None:
        while True:
            batch = [await self._pending.get()]
            while not self._pending.empty():
                batch.append(self._pending.get_nowait())
            try:
                await self._dispatch(batch)
            except (SQLAlchemyError, OSError):
                log.exception("dispatch failed; connections will catch up by resuming")
                self._close_all(protocol.CLOSE_GOING_AWAY, "dispatch failed: resume")

    async def _dispatch(self, notices: Sequence[AlertNotice]) -> None:
        """New alerts go out as the whole seq range up to the newest notified, read from
        the database in seq order: a notice that arrives late or never (another node, a
        lost notification) cannot open a gap, and none is sent twice. Seqs are assigned
        under a lock held to commit, so every seq below a committed one is committed."""
        newest = max((n.seq for n in notices if n.kind == "alert"), default=0)
        updated = list(dict.fromkeys(n.alert_id for n in notices if n.kind == "alert_update"))
        if not self.connections:  # nobody to tell: just move the mark
            self.high_water = max(self.high_water, newest)
            return
        try:
            fresh, changed = await self._read(newest, updated)
        except (SQLAlchemyError, OSError):
            # The held connection may have died with the database (a restart, a cut):
            # once more on a fresh one from the pool, which checks it before use.
            await self._drop_held_connection()
            fresh, changed = await self._read(newest, updated)
        for snapshot in fresh:
            self._fan_out("alert", snapshot)
            self.high_water = max(self.high_water, snapshot.seq)
            # Let the senders run between alerts: a burst (a retro-screening, a node
            # catching up) longer than the send queue must not close desks that keep up.
            await asyncio.sleep(0)
        for snapshot in changed:
            self._fan_out("alert_update", snapshot)

    async def _read(
        self, newest: int, updated: Sequence[int]
    ) -> tuple[list[AlertSnapshot], list[AlertSnapshot]]:
        """The new alerts up to ``newest`` and the changed ones, in one short transaction
        on the dispatcher's own connection: checking a pooled connection out and back
        in for every notice cost three more round trips (the pool's liveness check) on
        the path from commit to desk."""
        conn = await self._held_connection()
        try:
            fresh = await self._new_alerts(conn, newest) if newest > self.high_water else []
            changed = await load_snapshots(conn, updated)
        finally:
            await conn.rollback()  # never idle in a transaction between notices
        return fresh, changed

    async def _held_connection(self) -> AsyncConnection:
        if self._held is None or self._held.closed or self._held.invalidated:
            self._held = await self._engine.connect()
        return self._held

    async def _drop_held_connection(self) -> None:
        held, self._held = self._held, None
        if held is not None and not held.closed:
            await held.invalidate()

    async def _new_alerts(self, conn: AsyncConnection, newest: int) -> list[AlertSnapshot]:
        ids = (
            (
                await conn.execute(
                    select(alerts.c.id)
                    .where(alerts.c.seq > self.high_water, alerts.c.seq <= newest)
                    .order_by(alerts.c.seq)
                )
            )
            .scalars()
            .all()
        )
        return await load_snapshots(conn, list(ids))

    def _fan_out(self, kind: str, snapshot: AlertSnapshot) -> None:
        """Offer the alert to the connections of its routed agencies that may see it.

        ``AlertReader.sees_snapshot`` decides, once per group of readers it cannot tell
        apart (``_sight``), and the message is rendered and serialised once per agency:
        the cost follows the routed agencies' groups and the receiving connections, not
        every connection of the node."""
        for route in snapshot.routes:
            push = None
            for members in tuple(self._groups.get(route.agency_id, {}).values()):
                reader = next(iter(members)).reader
                if not reader.sees_snapshot(snapshot):
                    continue
                if push is None:
                    message = {"type": kind, "seq": snapshot.seq, "alert": reader.render(snapshot)}
                    push = Push(kind, snapshot.seq, json.dumps(message))
                for connection in tuple(members):
                    connection.offer(push)

    async def run_catch_up(self) -> None:
        """Safety net: alerts committed whose notice never came (a node died between
        commit and notify, a broker connection dropped) are dispatched all the same."""
        while True:
            await asyncio.sleep(CATCH_UP_INTERVAL_SECONDS)
            try:
                await self.catch_up()
            except (SQLAlchemyError, OSError):
                log.exception("catch-up failed; retrying")

    async def catch_up(self) -> None:
        async with self._engine.connect() as conn:
            newest = (await conn.execute(select(func.max(alerts.c.seq)))).scalar()
        if newest and newest > self.high_water:
            self.alerts_changed([AlertNotice("alert", 0, int(newest))])

    async def run_watchdog(self) -> None:
        # Ticks at least twice a ping interval, so pings go out on time when the
        # interval is short (tests); the database is asked at most once a second.
        tick = min(WATCHDOG_INTERVAL_SECONDS, self._ping_interval / 2)
        sessions_checked = 0.0
        while True:
            await asyncio.sleep(tick)
            self.check_heartbeats()
            if time.monotonic() - sessions_checked < WATCHDOG_INTERVAL_SECONDS:
                continue
            sessions_checked = time.monotonic()
            try:
                await self.check_connections()
            except (SQLAlchemyError, OSError):
                log.exception("connection check failed; retrying")

    def check_heartbeats(self) -> None:
        """Ping the connections that are due; close (4408) those that left a ping
        unanswered for a whole ping interval."""
        now = time.monotonic()
        deadline = now - self._ping_interval
        for connection in tuple(self.connections):
            pinged = connection.unanswered_ping_since
            if pinged is not None and pinged < deadline:
                connection.request_close(protocol.CLOSE_HEARTBEAT, "no pong")
            else:
                connection.ping_if_due(now, self._ping_interval)

    async def check_connections(self) -> None:
        """Close (4401) expired tokens, revoked sessions and disabled users."""
        now = self._clock.now()
        for connection in tuple(self.connections):
            if connection.expires_at <= now:
                connection.request_close(protocol.CLOSE_UNAUTHENTICATED, "access token expired")
        sessions = sorted({c.session_id for c in self.connections if not c.closing.is_set()})
        if not sessions:
            return
        ended: set[str] = set()
        async with self._engine.connect() as conn:
            # In chunks: SQLite caps the bound parameters of one statement.
            for start in range(0, len(sessions), SESSIONS_PER_CHECK):
                ended |= await _ended_sessions(conn, sessions[start : start + SESSIONS_PER_CHECK])
        for connection in tuple(self.connections):
            if connection.session_id in ended:
                connection.request_close(protocol.CLOSE_UNAUTHENTICATED, "session ended")

    def _close_all(self, code: int, reason: str) -> None:
        for connection in tuple(self.connections):
            connection.request_close(code, reason)

    def shutdown(self) -> None:
        self._close_all(protocol.CLOSE_GOING_AWAY, "server shutting down")

    def __len__(self) -> int:
        return len(self.connections)


async def _ended_sessions(conn: AsyncConnection, sessions: Sequence[str]) -> set[str]:
    """Those of ``sessions`` revoked (logout, refresh reuse, role change) or whose user
    was disabled."""
    query = (
        select(auth_sessions.c.id)
        .join(users, users.c.id == auth_sessions.c.user_id)
        .where(
            auth_sessions.c.id.in_(sessions),
            or_(auth_sessions.c.revoked_at.is_not(None), users.c.disabled_at.is_not(None)),
        )
    )
    return set((await conn.execute(query)).scalars())


def _report_stopped(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("channel admissions stopped", exc_info=task.exception())


def _sight(reader: AlertReader) -> tuple[Any, ...]:
    """What ``AlertReader.sees_snapshot`` reads of its reader: the principal's agency,
    desk and roles (the desk's details follow from its id; the routing policy is the
    node's). Readers with equal sights see the same alerts."""
    who = reader.who
    return who.agency_id, who.desk_id, who.roles
