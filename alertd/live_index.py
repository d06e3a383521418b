"""The node's matching index, kept in step with the published watchlist.

At start-up it is rebuilt from the database; afterwards every committed change
(publish, withdraw, expire) is applied incrementally, never by a full rebuild. Expiry
needs no change at all to take effect: the index refuses expired entries on every query.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Coroutine, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd.heap import freeze_after_indexing
from alertd.matching import BandThresholds, DocumentInput, EntryInput, MatchIndex, NameInput
from alertd.tables import watchlist_entries, watchlist_versions
from alertd.watchlist import EntryChange

log = logging.getLogger("alertd.index")
REBUILD_BATCH_ROWS = 5000
# Applying this many published versions at once (a chunk of an approved batch) is followed
# by freezing the heap (heap.py): one entry published now and then is left to the
# collector, whose full collections a few new objects do not trigger.
FREEZE_AFTER_PUBLISHED = 500
# A batch of this many entries or more is merged into the index's sorted postings once
# indexed (``MatchIndex.settle``); a smaller one is left in the postings' delta, whose
# merge walks the whole index.
SETTLE_AFTER_BATCH = 1000


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
    """A ``ChangeFeed`` that keeps a ``MatchIndex`` equal to the published watchlist.

    Changes may arrive out of order: a batch is indexed from rows read a while before
    they are applied, and a withdrawal can be applied in between. So a version older
    than the one indexed, or not newer than the entry's last removal, is ignored (the
    database is read afresh at every rebuild, which settles anything else).
    """

    def __init__(self, thresholds: Mapping[str, BandThresholds] | None = None) -> None:
        self.index = MatchIndex(thresholds)
        self.backlog = Backlog()
        self._versions: dict[int, int] = {}  # entry id -> the version indexed
        self._removed: dict[int, int] = {}  # entry id -> the version of its last removal

    def apply(self, changes: Sequence[EntryChange]) -> None:
        published = 0
        for change in changes:
            if change.kind == "publish":
                self._publish(change)
                published += 1
            else:
                self.index.remove(str(change.entry_id))
                self._versions.pop(change.entry_id, None)
                removed = max(change.version, self._removed.get(change.entry_id, -1))
                self._removed[change.entry_id] = removed
        if published >= FREEZE_AFTER_PUBLISHED:
            freeze_after_indexing()

    def batch_indexed(self, count: int) -> None:
        """An approved batch of ``count`` changes has been applied (in chunks, each filed
        into the postings' delta): a large one is merged into the sorted postings now.
        Left in the delta, it made every later search on this node cost more (each key
        the delta holds is visited in Python: 5% of the worker's CPU in bench/screening.py
        at 100,000 entries)."""
        if count >= SETTLE_AFTER_BATCH:
            self.index.settle()

    def _publish(self, change: EntryChange) -> None:
        assert change.content is not None
        if self._wanted(change.entry_id, change.version):
            self.index.add(entry_input(change.entry_id, change.version, change.content))
            self._versions[change.entry_id] = change.version

    def _wanted(self, entry_id: int, version: int) -> bool:
        """Whether this version is to be indexed: not withdrawn or expired after it was
        read, and neither it nor a newer one indexed already."""
        return version > self._removed.get(entry_id, -1) and version > self._versions.get(
            entry_id, -1
        )

    async def apply_from_database(
        self, engine: AsyncEngine, changes: Sequence[EntryChange]
    ) -> None:
        """Apply changes named by another node: published contents come from the database."""
        for change in changes:
            if change.kind == "publish":
                self.apply(await _contents(engine, [change.entry_id]))
            else:
                self.apply([change])

    async def rebuild(self, engine: AsyncEngine, now: datetime) -> int:
        """Bring the index in line with the database (at start-up, and after a node lost
        notifications): only entries whose published version differs are touched.
        Returns how many entries the index holds."""
        started = time.perf_counter()
        published = await _published_versions(engine, now)
        stale = [e for e in self._versions if e not in published]
        self.apply([EntryChange("remove", entry_id, 0) for entry_id in stale])
        wanted = [(e, v) for e, v in published.items() if self._versions.get(e) != v]
        loaded: list[EntryInput] = []
        for chunk_start in range(0, len(wanted), REBUILD_BATCH_ROWS):
            chunk = wanted[chunk_start : chunk_start + REBUILD_BATCH_ROWS]
            changes = await _contents(engine, [entry_id for entry_id, _ in chunk])
            loaded += (entry_input(c.entry_id, c.version, c.content or {}) for c in changes)
        # One bulk load once all is read (MatchIndex.extend: 40 s CPU instead of 67 s for
        # adding one by one, 1,000,000 synthetic entries). No await from here on: each
        # version is checked against the changes applied meanwhile right before it is
        # indexed.
        fresh = [e for e in loaded if self._wanted(int(e.entry_id), e.version)]
        self.index.extend(fresh)  # frozen with the rest of the heap after start-up (heap.py)
        self._versions.update((int(e.entry_id), e.version) for e in fresh)
        log.info(
            "matching index brought up to date",
            extra={
                "entries": len(self._versions),
                "added_or_changed": len(wanted),
                "removed": len(stale),
                "seconds": round(time.perf_counter() - started, 2),
            },
        )
        return len(self._versions)


class Backlog:
    """Work the index still has to catch up with, running in the background: a large
    approved batch is committed (published, and found by every rebuild) before the
    node has indexed all of it. Tracked so tests and benchmarks can wait for it and
    the API can say whether this node matches a batch yet."""

    def __init__(self) -> None:
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def start(self, batch_id: int, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work, name=f"index-batch-{batch_id}")
        self._tasks[batch_id] = task
        task.add_done_callback(lambda done: self._finished(batch_id, done))

    def _finished(self, batch_id: int, task: asyncio.Task[None]) -> None:
        self._tasks.pop(batch_id, None)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "indexing an approved batch failed; the next rebuild will catch up",
                exc_info=task.exception(),
                extra={"batch": batch_id},
            )

    def holds(self, batch_id: int) -> bool:
        """Whether this node is still indexing the batch."""
        return batch_id in self._tasks

    async def settled(self) -> None:
        """Wait until every batch started so far is indexed (or has failed)."""
        while self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)


async def _published_versions(engine: AsyncEngine, now: datetime) -> dict[int, int]:
    query = select(watchlist_entries.c.id, watchlist_entries.c.published_version).where(
        watchlist_entries.c.status == "published", watchlist_entries.c.expires_at > now
    )
    async with engine.connect() as conn:
        return {row.id: row.published_version for row in await conn.execute(query)}


async def _contents(engine: AsyncEngine, entry_ids: Sequence[int]) -> list[EntryChange]:
    async with engine.connect() as conn:
        return await published_contents(conn, entry_ids)


async def published_contents(conn: AsyncConnection, entry_ids: Sequence[int]) -> list[EntryChange]:
    """The version of each entry that is published now, found by primary keys alone
    (the entries, then their versions), for entries still published.

    Naming (entry, version) pairs instead had PostgreSQL scan every version for each
    chunk: 8 s a chunk of 5,000 at 100,000 entries, a start-up of minutes. A version
    newer than the one asked for is as good (it is what is published).
    """
    versions = watchlist_versions
    rows = await conn.execute(
        select(versions.c.entry_id, versions.c.version, versions.c.content)
        .select_from(watchlist_entries)
        .join(
            versions,
            and_(
                versions.c.entry_id == watchlist_entries.c.id,
                versions.c.version == watchlist_entries.c.published_version,
            ),
        )
        .where(watchlist_entries.c.id.in_(entry_ids), watchlist_entries.c.status == "published")
    )
    return [
        EntryChange("publish", row.entry_id, row.version, json.loads(row.content)) for row in rows
    ]
