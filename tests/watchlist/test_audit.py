"""Every watchlist change and every read of watchlist data is an audit event."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import audit
from alertd.clock import FrozenClock
from alertd.tables import audit_events
from tests.watchlist.helpers import (
    ENTRIES,
    IMPORTS,
    WatchlistApi,
    audit_trail,
    entry_body,
    ndjson,
    person,
)


async def test_the_whole_workflow_is_audited(
    api: WatchlistApi, engine: AsyncEngine, clock: FrozenClock
) -> None:
    entry_id = await api.create()
    subject = f"entry:{entry_id}"
    await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor2", entry_body(clock, sex="F"))
    await api.action(entry_id, "submit", "editor")
    await api.action(entry_id, "reject", "approver", reason="Sex per file is M")
    await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(clock))
    await api.action(entry_id, "submit", "editor")
    await api.action(entry_id, "approve", "approver")
    await api.detail(entry_id, "gdi_desk")
    await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "ncct_auditor")
    await api.action(entry_id, "withdraw", "editor", reason="Arrested")
    await api.action(entry_id, "approve", "approver2")
    assert await audit_trail(engine, subject) == [
        ("watchlist.create", "editor"),
        ("watchlist.edit", "editor2"),
        ("watchlist.submit", "editor"),
        ("watchlist.reject", "approver"),
        ("watchlist.edit", "editor"),
        ("watchlist.submit", "editor"),
        ("watchlist.approve", "approver"),
        ("watchlist.read", "gdi-desk"),
        ("watchlist.history", "ncct-auditor"),
        ("watchlist.withdraw_request", "editor"),
        ("watchlist.withdraw", "approver2"),
    ]
    async with engine.connect() as conn:
        details = (
            await conn.execute(
                select(audit_events.c.details).where(
                    audit_events.c.subject == subject, audit_events.c.action == "watchlist.reject"
                )
            )
        ).scalar_one()
    assert '"reason":"Sex per file is M"' in details


async def test_lists_exports_and_imports_are_audited(
    api: WatchlistApi, engine: AsyncEngine, clock: FrozenClock
) -> None:
    await api.listed("gdi_desk", category="wanted_person", q="sok")
    await api.call("GET", "/api/v1/watchlist/export", "gcnp_desk")
    lines = [entry_body(clock, **person("CHEA Sophea", "CHEA", "Sophea"))]
    first = await (await api.upload("editor", ndjson(lines))).json()
    await api.ok("POST", f"{IMPORTS}/{first['id']}/reject", "approver", {"reason": "Old list"})
    second = await (await api.upload("editor", ndjson(lines))).json()
    await api.ok("POST", f"{IMPORTS}/{second['id']}/approve", "approver")
    trail = await audit_trail(engine)
    assert ("watchlist.list", "gdi-desk") in trail
    assert ("watchlist.export", "gcnp-desk") in trail
    assert await audit_trail(engine, f"import:{first['id']}") == [
        ("watchlist.import", "editor"),
        ("watchlist.import_reject", "approver"),
    ]
    assert await audit_trail(engine, f"import:{second['id']}") == [
        ("watchlist.import", "editor"),
        ("watchlist.import_approve", "approver"),
    ]


async def test_the_chain_verifies_after_the_workflow(
    api: WatchlistApi, engine: AsyncEngine
) -> None:
    entry_id = await api.publish()
    await api.detail(entry_id, "gdi_desk")
    async with engine.connect() as conn:
        report = await audit.verify(conn)
    assert report.ok
