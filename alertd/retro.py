"""Retro-screening: when an entry is published, the crossings of the last N days are
screened against it, and matches raise alerts marked ``retro`` (the person already
crossed). It runs after the publishing transaction, in the background of the node that
published; each crossing is scored with the same pure scorer as live screening.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.alerts import AlertNotice, AlertNotifier
from alertd.clock import Clock
from alertd.live_index import entry_input
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
    ) -> None:
        self._engine = engine
        self._screener = screener
        self._notifier = notifier
        self._clock = clock
        self._window = timedelta(days=days)
        self._tasks: set[asyncio.Task[None]] = set()

    def apply(self, changes: Sequence[EntryChange]) -> None:
        published = [c for c in changes if c.kind == "publish"]
        if published and self._window:
            task = asyncio.create_task(self._run(published), name="retro-screening")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for running retro-screenings (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*tuple(self._tasks))

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
        entries = [entry_input(c.entry_id, c.version, c.content or {}) for c in changes]
        notices: list[AlertNotice] = []
        since = now - self._window
        query = select(crossings).where(crossings.c.recorded_at >= since).order_by(crossings.c.id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        for row in rows:
            traveller = traveller_from_record(json.loads(row.traveller))
            for entry in entries:
                match = self._screener.index.score(traveller, entry)
                if match is None or not self._screener.routing.rule(match.category).raises_alert(
                    match.band
                ):
                    continue
                async with self._engine.begin() as conn:
                    already = (
                        await conn.execute(
                            select(
                                exists().where(
                                    alerts.c.crossing_id == row.id,
                                    alerts.c.entry_id == int(entry.entry_id),
                                    alerts.c.entry_version == entry.version,
                                )
                            )
                        )
                    ).scalar()
                    if not already:
                        notices += await retro_alerts(conn, self._screener, now, row, match)
        log.info("retro-screening done", extra={"crossings": len(rows), "alerts": len(notices)})
        return notices
