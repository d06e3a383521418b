"""The node's matching index, kept in step with the published watchlist.

At start-up it is rebuilt from the database; afterwards every committed change
(publish, withdraw, expire) is applied incrementally, never by a full rebuild. Expiry
needs no change at all to take effect: the index refuses expired entries on every query.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.matching import BandThresholds, DocumentInput, EntryInput, MatchIndex, NameInput
from alertd.tables import watchlist_entries, watchlist_versions
from alertd.watchlist import EntryChange

log = logging.getLogger("alertd.index")
REBUILD_BATCH_ROWS = 5000


def entry_input(entry_id: int, version: int, content: Mapping[str, Any]) -> EntryInput:
    """The shape the matching index takes, from a stored version's content."""
    return EntryInput(
        entry_id=str(entry_id),
        version=version,
        category=content["category"],
        names=tuple(
            NameInput(n["full"], n.get("family"), n.get("given")) for n in content["names"]
        ),
        dates_of_birth=tuple(content.get("dates_of_birth", ())),
        nationalities=tuple(content.get("nationalities", ())),
        sex=content.get("sex"),
        documents=tuple(
            DocumentInput(d["type"], d["number"], d.get("country"))
            for d in content.get("documents", ())
        ),
        expires_at=datetime.fromisoformat(content["expires_at"]),
    )


class LiveIndex:
    """A ``ChangeFeed`` that keeps a ``MatchIndex`` equal to the published watchlist."""

    def __init__(self, thresholds: Mapping[str, BandThresholds] | None = None) -> None:
        self.index = MatchIndex(thresholds)

    def apply(self, changes: Sequence[EntryChange]) -> None:
        for change in changes:
            if change.kind == "publish":
                assert change.content is not None
                self.index.add(entry_input(change.entry_id, change.version, change.content))
            else:
                self.index.remove(str(change.entry_id))

    async def rebuild(self, engine: AsyncEngine, now: datetime) -> int:
        """Load every published, unexpired entry; returns how many."""
        started = time.perf_counter()
        query = (
            select(
                watchlist_versions.c.entry_id,
                watchlist_versions.c.version,
                watchlist_versions.c.content,
            )
            .join(
                watchlist_entries,
                and_(
                    watchlist_entries.c.id == watchlist_versions.c.entry_id,
                    watchlist_entries.c.published_version == watchlist_versions.c.version,
                ),
            )
            .where(watchlist_entries.c.status == "published", watchlist_entries.c.expires_at > now)
        )
        count = 0
        async with engine.connect() as conn:
            result = await conn.stream(query)
            async for rows in result.partitions(REBUILD_BATCH_ROWS):
                for row in rows:
                    self.index.add(entry_input(row.entry_id, row.version, json.loads(row.content)))
                    count += 1
        log.info(
            "matching index rebuilt",
            extra={"entries": count, "seconds": round(time.perf_counter() - started, 2)},
        )
        return count
