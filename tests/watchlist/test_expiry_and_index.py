"""Expiry and the live matching index: what matches, when, and after a restart."""

from __future__ import annotations

import gc
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import watchlist
from alertd.app import create_app
from alertd.clock import FrozenClock, isoformat
from alertd.config import Settings
from alertd.entries import EntryBody
from alertd.live_index import FREEZE_AFTER_PUBLISHED, LiveIndex
from alertd.state import LIVE_INDEX, WATCHLIST_FEED
from alertd.tables import watchlist_entries, watchlist_events
from alertd.watchlist import EntryChange
from tests.conftest import Client
from tests.watchlist.helpers import (
    ENTRIES,
    IMPORTS,
    WatchlistApi,
    audit_trail,
    count_rows,
    entry_body,
    matched_ids,
    ndjson,
    person,
)

HOUR = 3600


async def test_an_expired_entry_stops_matching_at_its_instant(
    api: WatchlistApi, client: Client, clock: FrozenClock, engine: AsyncEngine
) -> None:
    expires = clock.now() + timedelta(hours=2)
    entry_id = await api.publish(expires_at=isoformat(expires))
    other = await api.publish(**person("CHEA Sophea", "CHEA", "Sophea"))
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    assert (await api.detail(entry_id, "gdi_desk"))["status"] == "published"

    api.staff.advance(2 * HOUR - 1)
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    api.staff.advance(1)  # the instant itself: no background job has run
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == set()
    assert matched_ids(client, clock, "CHEA Sophea", date_of_birth="1985-03-02") == {other}
    assert (await api.detail(entry_id, "gdi_desk"))["status"] == "expired"
    assert await api.listed("editor", status="expired") == [entry_id]
    assert await api.listed("editor", status="published") == [other]
    assert await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "expired") == 0

    async with engine.begin() as conn:
        changes = await watchlist.expire_due(conn, clock.now())
    assert [(c.kind, c.entry_id) for c in changes] == [("remove", entry_id)]
    client.app[WATCHLIST_FEED].apply(changes)
    assert str(entry_id) not in {e.entry_id for e in client.app[LIVE_INDEX].index.live_entries()}
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == set()
    assert await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "expired") == 1
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "gdi_desk")
    assert history["events"][-1]["action"] == "expire"
    assert ("watchlist.expire", "system") in await audit_trail(engine, f"entry:{entry_id}")
    async with engine.begin() as conn:  # a second sweep finds nothing more
        assert await watchlist.expire_due(conn, clock.now()) == []


async def test_a_bare_date_expires_at_the_end_of_that_day(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    today = clock.now().date()
    entry_id = await api.publish(expires_at=(today + timedelta(days=1)).isoformat())
    detail = await api.detail(entry_id, "editor")
    assert detail["entry"]["expires_at"] == f"{today + timedelta(days=2)}T00:00:00Z"
    assert detail["expires_at"] == detail["entry"]["expires_at"]


async def test_an_expired_entry_can_be_renewed_by_a_reviewed_edit(
    api: WatchlistApi, client: Client, clock: FrozenClock, engine: AsyncEngine
) -> None:
    entry_id = await api.publish(expires_at=isoformat(clock.now() + timedelta(hours=1)))
    api.staff.advance(2 * HOUR)
    async with engine.begin() as conn:
        client.app[WATCHLIST_FEED].apply(await watchlist.expire_due(conn, clock.now()))
    renewed = entry_body(clock)
    response = await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", renewed)
    assert await response.json() == {"id": entry_id, "version": 2, "status": "pending"}
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == set()
    await api.action(entry_id, "approve", "approver")
    assert (await api.detail(entry_id, "gdi_desk"))["status"] == "published"
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}


async def test_the_index_holds_published_entries_only(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    draft = await api.create(**person("KIM Malis", "KIM", "Malis"))
    pending = await api.create(**person("LIM Kosal", "LIM", "Kosal"))
    await api.action(pending, "submit", "editor")
    published = await api.publish()
    assert len(client.app[LIVE_INDEX].index) == 1
    assert matched_ids(client, clock, "KIM Malis", date_of_birth="1985-03-02") == set()
    assert matched_ids(client, clock, "LIM Kosal", date_of_birth="1985-03-02") == set()
    # Found by an alias in its original script, and by name and passport.
    assert matched_ids(client, clock, "សុខ ចាន់", date_of_birth="1985-03-02") == {published}
    passport = [("passport", "N01234567", "KHM")]
    assert matched_ids(client, clock, "Sok Chan", documents=passport) == {published}
    assert draft not in matched_ids(client, clock, "KIM Malis")


async def test_withdrawal_removes_the_entry_from_the_index(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    entry_id = await api.publish()
    await api.action(entry_id, "withdraw", "editor", reason="Arrested")
    assert len(client.app[LIVE_INDEX].index) == 1
    await api.action(entry_id, "approve", "approver")
    assert len(client.app[LIVE_INDEX].index) == 0
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == set()


async def test_a_restarted_app_rebuilds_the_index_from_the_database(
    api: WatchlistApi,
    client: Client,
    clock: FrozenClock,
    settings: Settings,
    aiohttp_client: Callable[..., Awaitable[Any]],
) -> None:
    kept = await api.publish()
    changed = await api.publish(**person("CHEA Sophea", "CHEA", "Sophea"))
    withdrawn = await api.publish(**person("KIM Malis", "KIM", "Malis"))
    expiring = await api.publish(
        **person("LIM Kosal", "LIM", "Kosal"),
        expires_at=isoformat(clock.now() + timedelta(hours=1)),
    )
    await api.create(**person("KEO Pisey", "KEO", "Pisey"))  # a draft
    await api.action(withdrawn, "withdraw", "editor", reason="Deceased")
    await api.action(withdrawn, "approve", "approver")
    renamed = entry_body(
        clock, **person("CHEA Sophy", "CHEA", "Sophy", external_ref="REF-CHEA-Sophea")
    )
    await api.call("PUT", f"{ENTRIES}/{changed}", "editor", renamed)
    await api.action(changed, "approve", "approver")
    clock.advance(2 * HOUR)  # `expiring` has expired; no sweep has run

    second = await aiohttp_client(create_app(settings, clock))
    index = second.app[LIVE_INDEX].index
    assert {(e.entry_id, e.version) for e in index.live_entries()} == {
        (str(kept), 1),
        (str(changed), 2),
    }
    assert matched_ids(second, clock, "SOK Chan", date_of_birth="1985-03-02") == {kept}
    assert matched_ids(second, clock, "CHEA Sophy", date_of_birth="1985-03-02") == {changed}
    assert matched_ids(second, clock, "KIM Malis", date_of_birth="1985-03-02") == set()
    assert matched_ids(second, clock, "LIM Kosal", date_of_birth="1985-03-02") == set()
    assert expiring not in matched_ids(second, clock, "LIM Kosal")


def test_the_index_ignores_changes_that_arrive_out_of_order(clock: FrozenClock) -> None:
    """A batch is indexed from rows read a moment before they are applied; a withdrawal
    (or a newer version) applied in between must not be undone by the older read."""
    content = EntryBody.model_validate_json(json.dumps(entry_body(clock))).content()
    live = LiveIndex()
    live.apply([EntryChange("publish", 7, 2, content)])
    live.apply([EntryChange("publish", 7, 1, content)])  # older than the one indexed
    assert [e.version for e in live.index.live_entries()] == [2]
    live.apply([EntryChange("remove", 7, 3)])  # withdrawal, version 3
    live.apply([EntryChange("publish", 7, 2, content)])  # read before the withdrawal
    assert len(live.index) == 0

    live.apply([EntryChange("publish", 8, 1, content)])
    live.apply([EntryChange("remove", 8, 1)])  # expired at version 1
    live.apply([EntryChange("publish", 8, 1, content)])
    assert len(live.index) == 0
    live.apply([EntryChange("publish", 8, 2, content)])  # renewed by a reviewed edit
    assert [e.entry_id for e in live.index.live_entries()] == ["8"]


async def test_a_list_that_expires_at_once_is_marked_a_bounded_sweep_at_a_time(
    api: WatchlistApi, clock: FrozenClock, engine: AsyncEngine
) -> None:
    """Each sweep's transaction is bounded; every entry still gets history and audit."""
    count = watchlist.EXPIRE_PER_SWEEP + 1
    expires = isoformat(clock.now() + timedelta(hours=2))
    lines = [
        entry_body(clock, expires_at=expires, **person(f"TEST{i:05d} X", f"TEST{i:05d}", "X"))
        for i in range(count)
    ]
    created = await (await api.upload("editor", ndjson(lines))).json()
    await api.ok("POST", f"{IMPORTS}/{created['id']}/approve", "approver")
    api.staff.advance(2 * HOUR)

    swept = []
    for _ in range(3):
        async with engine.begin() as conn:
            swept.append(len(await watchlist.expire_due(conn, clock.now())))
    assert swept == [watchlist.EXPIRE_PER_SWEEP, 1, 0]
    expired = watchlist_entries.c.status == "expired"
    assert await count_rows(engine, watchlist_entries, expired) == count
    expiry = watchlist_events.c.action == "expire"
    assert await count_rows(engine, watchlist_events, expiry) == count
    trail = await audit_trail(engine)
    assert trail.count(("watchlist.expire", "system")) == count


def test_a_large_chunk_of_published_entries_is_frozen_out_of_the_collectors_walks(
    clock: FrozenClock,
) -> None:
    """A chunk of an approved batch is followed by gc.freeze (heap.py): full collections
    walking the index took 1.6-1.8 s per worker in bench/screening.py."""
    content = EntryBody.model_validate_json(json.dumps(entry_body(clock))).content()
    live = LiveIndex()
    gc.unfreeze()
    try:
        live.apply([EntryChange("publish", 1, 1, content)])
        assert gc.get_freeze_count() == 0  # one entry now and then: left to the collector
        chunk = [
            EntryChange("publish", n, 1, content) for n in range(2, 2 + FREEZE_AFTER_PUBLISHED)
        ]
        live.apply(chunk)
        assert gc.get_freeze_count() > 0
        assert len(live.index) == 1 + FREEZE_AFTER_PUBLISHED
    finally:
        gc.unfreeze()
