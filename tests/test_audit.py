"""The hash-chained audit log: append, verify, concurrent writers, tamper detection."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import audit
from alertd.app import SchemaNotCurrent, create_app
from alertd.audit import GENESIS_HASH, Actor, AuditEvent
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.db import MIGRATIONS_DIR, create_engine
from alertd.tables import audit_events
from tests.conftest import run_alertd
from tests.databases import configured_backend

ALICE = Actor("alice", "GDI", "req-1")
WRITERS = 12
EVENTS_PER_WRITER = 5


async def record_events(engine: AsyncEngine, clock: FrozenClock, count: int) -> None:
    async with engine.begin() as conn:
        for n in range(count):
            event = AuditEvent("test.event", f"thing:{n}", "success", {"n": n, "name": "សុខ"})
            await audit.record(conn, ALICE, event, clock.now() + timedelta(microseconds=n))


async def verify(engine: AsyncEngine) -> audit.VerifyReport:
    async with engine.connect() as conn:
        return await audit.verify(conn)


async def test_an_empty_chain_verifies(engine: AsyncEngine) -> None:
    report = await verify(engine)
    assert (report.ok, report.events, report.head) == (True, 0, GENESIS_HASH)


async def test_events_chain_from_genesis(engine: AsyncEngine, clock: FrozenClock) -> None:
    await record_events(engine, clock, 3)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(audit_events).order_by(audit_events.c.seq))).all()
    assert [row.seq for row in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS_HASH
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash
    assert rows[0].actor == "alice"
    assert rows[0].agency == "GDI"
    assert rows[0].request_id == "req-1"
    report = await verify(engine)
    assert (report.ok, report.events, report.head) == (True, 3, rows[2].hash)


async def test_awkward_text_hashes_the_same_in_the_database_and_in_python(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    """On PostgreSQL the database computes each hash; verify recomputes it in Python."""
    awkward = [
        AuditEvent("test.event", '"seq":0,"subject":"x"', "success", {"seq": 0, "q": '"seq":0,'}),
        AuditEvent("test.event", "សុខ ចាន់ 😀 \\ \n", "failure", {"名": "王", "tab": "\t"}),
        AuditEvent("test.event", None, "denied", {}),
    ]
    async with engine.begin() as conn:
        for event in awkward:
            await audit.record(conn, Actor(None, None, None), event, clock.now())
            await audit.record(conn, Actor("ünïcode", "GDI", "r" * 64), event, clock.now())
    report = await verify(engine)
    assert (report.ok, report.events) == (True, 6), report


async def test_an_event_rolls_back_with_its_transaction(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    class Abandoned(Exception):
        pass

    async def record_then_fail() -> None:
        async with engine.begin() as conn:
            await audit.record(conn, ALICE, AuditEvent("test.event"), clock.now())
            raise Abandoned

    with pytest.raises(Abandoned):
        await record_then_fail()
    assert (await verify(engine)).events == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "mallory"),
        ("action", "test.nothing"),
        ("subject", "thing:other"),
        ("outcome", "failure"),
        ("details", '{"n":1}'),
        ("request_id", "req-2"),
        ("agency", "GCNP"),
    ],
)
async def test_editing_any_field_is_detected_at_that_row(
    engine: AsyncEngine, clock: FrozenClock, column: str, value: str
) -> None:
    await record_events(engine, clock, 4)
    async with engine.begin() as conn:
        await conn.execute(
            update(audit_events).where(audit_events.c.seq == 2).values({column: value})
        )
    report = await verify(engine)
    assert (report.ok, report.first_broken_seq, report.events) == (False, 2, 1)


async def test_an_edited_time_is_detected(engine: AsyncEngine, clock: FrozenClock) -> None:
    await record_events(engine, clock, 3)
    async with engine.begin() as conn:
        await conn.execute(
            update(audit_events)
            .where(audit_events.c.seq == 3)
            .values(occurred_at=clock.now() - timedelta(days=1))
        )
    report = await verify(engine)
    assert (report.ok, report.first_broken_seq) == (False, 3)


async def test_rehashing_an_edited_row_breaks_the_next_link(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    """A forger who recomputes the edited row's hash is caught by the row after it."""
    await record_events(engine, clock, 4)
    async with engine.begin() as conn:
        row = dict(
            (await conn.execute(select(audit_events).where(audit_events.c.seq == 2)))
            .mappings()
            .one()
        )
        row["actor"] = "mallory"
        await conn.execute(
            update(audit_events)
            .where(audit_events.c.seq == 2)
            .values(actor="mallory", hash=audit.chain_hash(row))
        )
    report = await verify(engine)
    assert (report.ok, report.first_broken_seq) == (False, 3)


async def test_a_deleted_row_is_detected(engine: AsyncEngine, clock: FrozenClock) -> None:
    await record_events(engine, clock, 4)
    async with engine.begin() as conn:
        await conn.execute(delete(audit_events).where(audit_events.c.seq == 2))
    report = await verify(engine)
    assert (report.ok, report.first_broken_seq) == (False, 2)
    assert report.problem is not None
    assert "missing" in report.problem


async def test_a_truncated_head_is_not_detected_without_an_anchor(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    """Deleting the newest rows leaves a valid shorter chain; the head hash is what an
    auditor keeps outside the database to catch that (verify reports it)."""
    await record_events(engine, clock, 4)
    head_before = (await verify(engine)).head
    async with engine.begin() as conn:
        await conn.execute(delete(audit_events).where(audit_events.c.seq == 4))
    report = await verify(engine)
    assert report.ok
    assert report.head != head_before


@pytest.mark.skipif(
    configured_backend() == "sqlite",
    reason="concurrent writers from separate connections need PostgreSQL "
    "(SQLite serialises every writer with BEGIN IMMEDIATE); runs in the PostgreSQL pass",
)
async def test_concurrent_writers_never_fork_the_chain(
    settings: Settings, clock: FrozenClock
) -> None:
    engine = create_engine(settings.database_url_value, pool_size=WRITERS)
    started = asyncio.Event()
    connections: set[int] = set()

    async def writer(number: int) -> None:
        async with engine.begin() as conn:
            raw = await conn.get_raw_connection()
            connections.add(id(raw.driver_connection))
            await started.wait()  # everybody holds an open transaction before anyone writes
            for n in range(EVENTS_PER_WRITER):
                event = AuditEvent("test.concurrent", f"writer:{number}", "success", {"n": n})
                await audit.record(conn, Actor(f"writer{number}"), event, clock.now())
                await asyncio.sleep(0)  # let the others interleave

    try:
        tasks = [asyncio.create_task(writer(n)) for n in range(WRITERS)]
        await asyncio.sleep(0.2)
        started.set()
        await asyncio.gather(*tasks)
        assert len(connections) == WRITERS, "each writer had its own connection"
        async with engine.connect() as conn:
            seqs = (await conn.execute(select(audit_events.c.seq).order_by("seq"))).scalars()
            assert list(seqs) == list(range(1, WRITERS * EVENTS_PER_WRITER + 1))
            report = await audit.verify(conn)
        assert report.ok, report
        assert report.events == WRITERS * EVENTS_PER_WRITER
    finally:
        await engine.dispose()


@pytest.mark.skipif(
    configured_backend() == "sqlite",
    reason="SQLite serialises every writer with BEGIN IMMEDIATE; runs in the PostgreSQL pass",
)
async def test_events_are_chained_in_commit_order_and_an_open_transaction_blocks_nobody(
    settings: Settings, clock: FrozenClock
) -> None:
    """The chain's lock is taken inside COMMIT: a transaction that wrote an event and
    has not committed holds up no other writer, and its event is numbered when it
    commits, after the events of those that committed first."""
    engine = create_engine(settings.database_url_value, pool_size=2)
    try:
        async with engine.begin() as slow:
            await audit.record(slow, Actor("slow"), AuditEvent("test.slow"), clock.now())

            async def quick() -> None:
                async with engine.begin() as conn:
                    await audit.record(conn, Actor("quick"), AuditEvent("test.quick"), clock.now())

            await asyncio.wait_for(quick(), 5)
            async with engine.connect() as reader:
                seen = (await reader.execute(select(audit_events.c.actor))).scalars().all()
            assert seen == ["quick"], "another transaction's pending event is never seen"
        async with engine.connect() as conn:
            rows = (await conn.execute(select(audit_events).order_by(audit_events.c.seq))).all()
            report = await audit.verify(conn)
        assert [(r.seq, r.actor, r.details) for r in rows] == [
            (1, "quick", "{}"),
            (2, "slow", "{}"),
        ]
        assert report.ok, report
    finally:
        await engine.dispose()


def test_the_commit_time_trigger_uses_the_chain_lock_and_pending_marker_of_the_code() -> None:
    """Migration 0005 spells both constants out (a migration must not import the code)."""
    migration = MIGRATIONS_DIR / "versions" / "0005_screening_perf.py"
    text = migration.read_text()
    assert f"pg_advisory_xact_lock({audit.AUDIT_CHAIN_LOCK_ID})" in text
    assert f"NEW.prev_hash <> '{audit.PENDING}'" in text


@pytest.mark.skipif(
    configured_backend() == "sqlite", reason="the commit-time trigger is PostgreSQL's"
)
async def test_the_server_refuses_to_start_without_the_commit_time_trigger(
    engine: AsyncEngine, settings: Settings, aiohttp_client: Callable[..., Any]
) -> None:
    """Without it, events would stay pending (unchained) and the chain would break."""
    toggle = "ALTER TABLE audit_events {} TRIGGER audit_events_chain_at_commit"
    async with engine.begin() as conn:
        await conn.execute(text(toggle.format("DISABLE")))
    try:
        with pytest.raises(SchemaNotCurrent, match="commit trigger"):
            await aiohttp_client(create_app(settings))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(toggle.format("ENABLE")))


async def test_the_cli_verifies_an_intact_chain(
    engine: AsyncEngine, clock: FrozenClock, settings: Settings
) -> None:
    await record_events(engine, clock, 3)
    result = await run_alertd(settings, "audit", "verify")
    assert result.exit_code == 0, result.stderr
    assert "intact: 3 events" in result.stdout


async def test_the_cli_finds_a_row_edited_behind_its_back(
    engine: AsyncEngine, clock: FrozenClock, settings: Settings
) -> None:
    await record_events(engine, clock, 5)
    async with engine.begin() as conn:
        await conn.execute(
            update(audit_events).where(audit_events.c.seq == 3).values(subject="thing:hidden")
        )
    result = await run_alertd(settings, "audit", "verify")
    assert result.exit_code == 1
    assert "BROKEN at sequence 3" in result.stderr
    assert "2 events verified before it" in result.stderr
