"""Bulk imports through the real API: all or nothing, four eyes, re-imports update."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import imports
from alertd.api.watchlist import INDEX_BEFORE_ANSWER_MAX
from alertd.clock import FrozenClock
from alertd.state import LIVE_INDEX
from alertd.tables import (
    audit_events,
    entry_releases,
    watchlist_entries,
    watchlist_events,
    watchlist_imports,
    watchlist_versions,
)
from tests.conftest import Client
from tests.watchlist.helpers import (
    ENTRIES,
    IMPORTS,
    WatchlistApi,
    count_rows,
    entry_body,
    fields,
    matched_ids,
    ndjson,
    person,
    problem,
)

TABLES = (
    watchlist_entries,
    watchlist_versions,
    watchlist_imports,
    watchlist_events,
    entry_releases,
)


def people(clock: FrozenClock, count: int = 3, **overrides: Any) -> list[dict[str, Any]]:
    names = [("CHEA", "Sophea"), ("HENG", "Vanna"), ("KEO", "Pisey"), ("LIM", "Kosal")]
    return [
        entry_body(clock, **person(f"{f} {g}", f, g, external_ref=f"LIST-{i}"), **overrides)
        for i, (f, g) in enumerate(names[:count])
    ]


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    return {table.name: await count_rows(engine, table) for table in TABLES}


async def upload(api: WatchlistApi, entries: list[dict[str, Any]], who: str = "editor") -> int:
    response = await api.upload(who, ndjson(entries))
    created = await response.json()
    assert response.status == 201, created
    assert created["status"] == "pending" and created["count"] == len(entries)
    return int(created["id"])


async def test_one_bad_line_stores_nothing_and_every_bad_line_is_named(
    api: WatchlistApi, engine: AsyncEngine, clock: FrozenClock
) -> None:
    await api.staff("editor")
    before = await row_counts(engine)
    audit_before = await count_rows(engine, audit_events)
    good = people(clock, 1)[0]
    lines: list[dict[str, Any] | str] = [
        good,
        good | {"external_ref": "B-2", "nationalities": ["XYZ"]},
        good | {"external_ref": "B-3", "dates_of_birth": ["1985-02-30"]},
        good | {"external_ref": "B-4", "release_to": ["GDI", "NOPE"]},
        good | {"external_ref": "B-5", "colour": "blue"},
        '{"external_ref": "B-6", oops',
        good | {"external_ref": "B-7", "expires_at": "2001-01-01"},
        good,  # repeats line 1's external_ref
    ]
    body = await problem(await api.upload("editor", ndjson(lines)), 422)
    assert fields(body) == [
        "line 2: nationalities.0",
        "line 3: dates_of_birth.0",
        "line 4: release_to.1",
        "line 5: colour",
        "line 6",
        "line 7: expires_at",
        "line 8: external_ref",
    ]
    assert "nothing was stored" in body["detail"]
    assert await row_counts(engine) == before
    assert await count_rows(engine, audit_events) == audit_before  # no half-written record


async def test_import_and_approve_with_four_eyes(
    api: WatchlistApi, client: Client, engine: AsyncEngine, clock: FrozenClock
) -> None:
    batch = await upload(api, people(clock))
    assert await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "pending") == 3
    state = await api.ok("GET", f"{IMPORTS}/{batch}", "approver")
    assert (state["status"], state["count"], state["versions"]) == ("pending", 3, 3)
    assert await api.listed("gdi_desk") == []  # pending: not released yet
    assert matched_ids(client, clock, "CHEA Sophea", date_of_birth="1985-03-02") == set()
    await problem(await api.call("POST", f"{IMPORTS}/{batch}/approve", "editor"), 403)
    await problem(await api.call("POST", f"{IMPORTS}/{batch}/approve", "gdi_approver"), 404)
    await problem(await api.call("GET", f"{IMPORTS}/{batch}", "gdi_editor"), 404)
    # An import's version is decided with its batch, never on its own.
    entry_id = (await api.listed("editor", q="chea sophea"))[0]
    await problem(await api.action(entry_id, "approve", "approver"), 409)
    edit = await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", people(clock, 1)[0])
    await problem(edit, 409)

    approved = await api.ok("POST", f"{IMPORTS}/{batch}/approve", "approver")
    assert approved == {"id": batch, "count": 3, "status": "published", "indexed": True}
    assert client.app[LIVE_INDEX].index.unsettled() > 0  # a merge walks the whole index
    assert (
        await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "published") == 3
    )
    assert len(await api.listed("gdi_desk", status="published")) == 3
    assert matched_ids(client, clock, "CHEA Sophea", date_of_birth="1985-03-02") == {entry_id}
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "editor")
    assert [(e["action"], e["actor"]) for e in history["events"]] == [
        ("import", "editor"),
        ("approve", "approver"),
    ]
    await problem(await api.call("POST", f"{IMPORTS}/{batch}/approve", "approver2"), 409)


async def test_the_importer_cannot_approve_even_as_an_approver(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    batch = await upload(api, people(clock), who="both")
    body = await problem(await api.call("POST", f"{IMPORTS}/{batch}/approve", "both"), 403)
    assert "four eyes" in body["detail"]
    await problem(await api.call("POST", f"{IMPORTS}/{batch}/reject", "both", {"reason": "x"}), 403)


async def test_reject_discards_the_batch_and_the_list_can_be_imported_again(
    api: WatchlistApi, client: Client, engine: AsyncEngine, clock: FrozenClock
) -> None:
    batch = await upload(api, people(clock))
    reject = f"{IMPORTS}/{batch}/reject"
    body = await problem(await api.call("POST", reject, "approver", {}), 422)
    assert fields(body) == ["reason"]
    rejected = await api.ok("POST", reject, "approver", {"reason": "Wrong list version"})
    assert rejected == {"id": batch, "count": 3, "status": "rejected"}
    assert (
        await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "rejected") == 3
    )
    assert await api.listed("gdi_desk") == []
    assert matched_ids(client, clock, "CHEA Sophea", date_of_birth="1985-03-02") == set()
    await problem(await api.call("POST", f"{IMPORTS}/{batch}/approve", "approver2"), 409)

    again = await upload(api, people(clock))  # same references: the same entries, again
    assert await count_rows(engine, watchlist_entries) == 3
    assert await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "pending") == 3
    await api.ok("POST", f"{IMPORTS}/{again}/approve", "approver")
    entry_id = (await api.listed("gdi_desk", q="chea sophea"))[0]
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "editor")
    assert [(v["version"], v["status"]) for v in history["versions"]] == [
        (1, "rejected"),
        (2, "published"),
    ]
    assert [e["action"] for e in history["events"]] == ["import", "reject", "import", "approve"]
    assert history["events"][1]["note"] == "Wrong list version"


async def test_reimporting_updates_instead_of_duplicating(
    api: WatchlistApi, client: Client, engine: AsyncEngine, clock: FrozenClock
) -> None:
    first = await upload(api, people(clock, 2))
    await api.ok("POST", f"{IMPORTS}/{first}/approve", "approver")
    chea = (await api.listed("editor", q="chea sophea"))[0]
    updated = people(clock, 3)
    updated[0]["names"] = [{"full": "PHAN Bopha", "family": "PHAN", "given": "Bopha"}]
    second = await upload(api, updated)
    assert await count_rows(engine, watchlist_entries) == 3  # two updated, one new
    assert await count_rows(engine, watchlist_versions) == 5
    # Until the second batch is approved, the published version keeps matching.
    assert matched_ids(client, clock, "CHEA Sophea", date_of_birth="1985-03-02") == {chea}
    assert (await api.detail(chea, "gdi_desk"))["version"] == 1
    # A third import may not touch entries while the second one is under review.
    body = await problem(await api.upload("editor", ndjson(people(clock, 1))), 422)
    assert fields(body) == ["line 1: external_ref"]
    await api.ok("POST", f"{IMPORTS}/{second}/approve", "approver")
    assert matched_ids(client, clock, "PHAN Bopha", date_of_birth="1985-03-02") == {chea}
    assert matched_ids(client, clock, "CHEA Sophea", date_of_birth="1985-03-02") == set()
    detail = await api.detail(chea, "gdi_desk")
    assert (detail["version"], detail["published_version"]) == (2, 2)
    assert len(await api.listed("gdi_desk", status="published")) == 3


async def test_reimporting_a_withdrawn_entry_is_refused(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    entry_id = await api.publish(**person("CHEA Sophea", "CHEA", "Sophea", external_ref="LIST-0"))
    await api.action(entry_id, "withdraw", "editor", reason="Deceased")
    await api.action(entry_id, "approve", "approver")
    body = await problem(await api.upload("editor", ndjson(people(clock, 2))), 422)
    assert fields(body) == ["line 1: external_ref"]
    assert "withdrawn" in body["errors"][0]["message"]


async def test_bad_requests(api: WatchlistApi, clock: FrozenClock) -> None:
    headers = await api.staff("editor")
    response = await api.client.post(IMPORTS, json=people(clock, 1)[0], headers=headers)
    await problem(response, 400)
    body = await problem(await api.upload("editor", b"\n\n"), 422)
    assert fields(body) == ["body"]
    long_line = ndjson([entry_body(clock, instructions="x" * 300_000)])
    await problem(await api.upload("editor", long_line), 413)
    await problem(await api.upload("approver", ndjson(people(clock, 1))), 403)


async def test_large_batches_refresh_the_planner_statistics(
    api: WatchlistApi, engine: AsyncEngine, clock: FrozenClock
) -> None:
    """Without them SQLite lists a page at 100,000 entries by sorting every visible row."""
    await upload(api, people(clock))
    await imports.refresh_statistics(engine, imports.STATISTICS_AFTER)
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'watchlist_entries'"
        else:
            query = (
                "SELECT count(*) FROM pg_stat_user_tables WHERE "
                "(relname = 'watchlist_entries' AND last_analyze IS NOT NULL) "
                "OR (relname = 'entry_releases' AND last_vacuum IS NOT NULL)"
            )
        expected = 1 if conn.dialect.name == "sqlite" else 2
        assert (await conn.exec_driver_sql(query)).scalar_one() >= expected


async def test_a_large_batch_is_answered_at_once_and_indexed_after(
    api: WatchlistApi, client: Client, engine: AsyncEngine, clock: FrozenClock
) -> None:
    """Published at the commit (every node's rebuild finds it); this node's index catches
    up after the answer, and the import says when it has."""
    count = INDEX_BEFORE_ANSWER_MAX + 1
    entries = [
        entry_body(clock, **person(f"TEST{i:05d} Subject", f"TEST{i:05d}", "Subject"))
        for i in range(count)
    ]
    batch = await upload(api, entries)
    approved = await api.ok("POST", f"{IMPORTS}/{batch}/approve", "approver")
    assert approved == {"id": batch, "count": count, "status": "published", "indexed": False}
    assert (
        await count_rows(engine, watchlist_entries, watchlist_entries.c.status == "published")
        == count
    )

    await client.app[LIVE_INDEX].backlog.settled()
    state = await api.ok("GET", f"{IMPORTS}/{batch}", "approver")
    assert (state["status"], state["indexed"]) == ("published", True)
    assert len(client.app[LIVE_INDEX].index) == count
    assert client.app[LIVE_INDEX].index.unsettled() == 0  # merged: lookups all in arrays
    (last,) = await api.listed("editor", q=f"test{count - 1:05d} subject")
    assert last in matched_ids(client, clock, f"TEST{count - 1:05d} Subject")


async def test_a_pending_batch_is_not_indexed(api: WatchlistApi, clock: FrozenClock) -> None:
    batch = await upload(api, people(clock))
    state = await api.ok("GET", f"{IMPORTS}/{batch}", "editor")
    assert (state["status"], state["indexed"]) == ("pending", False)
