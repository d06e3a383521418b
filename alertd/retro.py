"""Retro-screening: when an entry is published, the crossings of the last N days are
screened against it, and matches raise alerts marked ``retro`` (the person already
crossed). It runs after the publishing transaction, in the background of the node that
published; each crossing is searched with the same matcher as live screening, on an
index holding only the new entries, a batch of crossings at a time.

One worker per node does the work: entries published while it runs wait for its next
round, so a large import fed to it a chunk at a time is screened in one pass, not in a
hundred concurrent ones. The index of new entries is built only once a crossing is
found to screen (a quiet window costs one query).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd.alerts import AlertNotice, AlertNotifier
from alertd.clock import Clock
from alertd.live_index import entry_input
from alertd.matching import Match, MatchIndex
from alertd.screening import Screener, retro_alerts, traveller_from_record
from alertd.tables import alerts, crossings
from alertd.watchlist import EntryChange

log = logging.getLogger("alertd.retro")
BATCH_ROWS = 1000


class RetroScreening:
    """A ``ChangeFeed`` that screens recent crossings against newly published entries."""

    def __init__(
        self,
        engine: AsyncEngine,
        screener: Screener,
        notifier: AlertNotifier,
        clock: Clock,
        days: int,
        read_engine: AsyncEngine | None = None,
    ) -> None:
        self._engine = engine
        # Scans of recent crossings only read: on SQLite they must not take the write lock.
        self._reader = read_engine or engine
        self._screener = screener
        self._notifier = notifier
        self._clock = clock
        self._window = timedelta(days=days)
        self._pending: list[EntryChange] = []
        self._worker: asyncio.Task[None] | None = None

    def apply(self, changes: Sequence[EntryChange]) -> None:
        published = [c for c in changes if c.kind == "publish"]
        if not published or not self._window:
            return
        self._pending.extend(published)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._work(), name="retro-screening")

    async def _work(self) -> None:
        while self._pending:
            changes, self._pending = self._pending, []
            await self._run(changes)

    async def drain(self, grace: float | None = None) -> None:
        """Wait for running retro-screenings (tests, shutdown). At shutdown, what has not
        finished within ``grace`` seconds is cancelled and logged: a huge batch must not keep
        the node from stopping, and the entries stay published for live screening."""
        try:
            async with asyncio.timeout(grace):
                while self._worker is not None and not self._worker.done():
                    await asyncio.shield(self._worker)
        except TimeoutError:
            worker, unscreened = self._worker, len(self._pending)
            self._pending = []
            if worker is not None:
                worker.cancel()
                await asyncio.gather(worker, return_exceptions=True)
            log.warning("retro-screening cancelled at shutdown", extra={"queued": unscreened})

    async def _run(self, changes: Sequence[EntryChange]) -> None:
        try:
            notices = await self.screen(changes, self._clock.now())
        except (SQLAlchemyError, OSError):
            log.exception(
                "retro-screening failed", extra={"entries": [c.entry_id for c in changes]}
            )
            return
        self._notifier.alerts_changed(notices)

    async def screen(self, changes: Sequence[EntryChange], now: datetime) -> list[AlertNotice]:
        """Screen the crossings recorded since ``now`` minus the window against the
        published entries, a batch at a time (memory stays flat whatever the traffic,
        and the event loop serves requests between batches)."""
        probe: MatchIndex | None = None
        notices: list[AlertNotice] = []
        since, after_id, scanned = now - self._window, 0, 0
        while True:
            batch = await self._crossings_after(since, after_id)
            if not batch:
                break
            if probe is None:
                probe = self._probe(changes)
            for row in batch:
                notices += await self._screen_crossing(probe, row, now)
            scanned, after_id = scanned + len(batch), batch[-1].id
            await asyncio.sleep(0)
        log.info("retro-screening done", extra={"crossings": scanned, "alerts": len(notices)})
        return notices

    def _probe(self, changes: Sequence[EntryChange]) -> MatchIndex:
        """An index of only the newly published entries."""
        probe = MatchIndex(self._screener.routing.thresholds())
        probe.extend(
            entry_input(change.entry_id, change.version, change.content or {}) for change in changes
        )
        return probe

    async def _crossings_after(self, since: datetime, after_id: int) -> Sequence[Any]:
        query = (
            select(crossings)
            .where(crossings.c.recorded_at >= since, crossings.c.id > after_id)
            .order_by(crossings.c.id)
            .limit(BATCH_ROWS)
        )
        async with self._reader.connect() as conn:
            return (await conn.execute(query)).all()

    async def _screen_crossing(
        self, probe: MatchIndex, row: Any, now: datetime
    ) -> list[AlertNotice]:
        """The same search as live screening, on an index of only the new entries: a
        crossing is matched in retrospect exactly when it would have been at the counter."""
        notices: list[AlertNotice] = []
        traveller = traveller_from_record(json.loads(row.traveller))
        for match in probe.search(traveller, now=now):
            if not self._screener.routing.rule(match.category).raises_alert(match.band):
                continue
            async with self._engine.begin() as conn:
                if not await _already_alerted(conn, row.id, match):
                    notices += await retro_alerts(conn, self._screener, now, row, match)
        return notices


async def _already_alerted(conn: AsyncConnection, crossing_id: int, match: Match) -> bool:
    found = await conn.execute(
        select(
            exists().where(
                alerts.c.crossing_id == crossing_id,
                alerts.c.entry_id == int(match.entry_id),
                alerts.c.entry_version == match.version,
            )
        )
    )
    return bool(found.scalar())
