"""The database layer: SQLite readers that never hold the write lock; pooled
PostgreSQL connections that die; statements run on the driver directly."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import audit
from alertd.audit import Actor, AuditEvent
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.db import (
    DriverStatement,
    KeptConnection,
    create_engine,
    create_read_engine,
    driver_statements,
    driver_transaction,
    fetch_direct,
)
from alertd.errors import NotReady
from alertd.tables import audit_events
from tests.databases import configured_backend

sqlite_only = pytest.mark.skipif(
    configured_backend() != "sqlite",
    reason="SQLite only: on PostgreSQL the read engine is the write engine (tested below)",
)
# Below the 10 s busy timeout, so a writer queued behind the reader would miss it.
WRITE_DEADLINE_SECONDS = 8.0


@sqlite_only
async def test_a_long_read_does_not_block_writers(
    engine: AsyncEngine, settings: Settings, clock: FrozenClock
) -> None:
    """What `alertd audit verify` relies on while a server keeps signing people in."""
    reader = create_read_engine(settings.database_url_value, engine)
    try:
        async with reader.begin() as reading:
            before = await reading.execute(select(func.count()).select_from(audit_events))
            assert before.scalar_one() == 0

            async def write() -> None:
                async with engine.begin() as conn:
                    await audit.record(conn, Actor("writer"), AuditEvent("test.event"), clock.now())

            await asyncio.wait_for(write(), WRITE_DEADLINE_SECONDS)
            again = await reading.execute(select(func.count()).select_from(audit_events))
            assert again.scalar_one() == 0, "the reader keeps its snapshot"
    finally:
        await reader.dispose()


@sqlite_only
async def test_the_read_engine_refuses_writes(
    engine: AsyncEngine, settings: Settings, clock: FrozenClock
) -> None:
    reader = create_read_engine(settings.database_url_value, engine)
    try:
        with pytest.raises(OperationalError, match="readonly"):
            async with reader.begin() as conn:
                await audit.record(conn, Actor("writer"), AuditEvent("test.event"), clock.now())
    finally:
        await reader.dispose()


def test_postgresql_reads_on_the_write_engine() -> None:
    url = "postgresql+asyncpg://u@127.0.0.1:1/none"
    writer = create_engine(url)
    assert create_read_engine(url, writer) is writer


postgresql_only = pytest.mark.skipif(
    configured_backend() != "postgresql",
    reason="PostgreSQL only: pooled connections that a server restart can kill",
)


@postgresql_only
async def test_an_idle_pooled_connection_that_died_is_replaced(settings: Settings) -> None:
    """Checkouts skip the ping while a connection is in steady use; one that sat idle
    is pinged, and if its server process is gone the pool hands out a fresh one."""
    engine = create_engine(settings.database_url_value, pool_size=1, idle_ping_seconds=0)
    backend_pid = select(func.pg_backend_pid())
    try:
        async with engine.connect() as conn:
            victim = (await conn.execute(backend_pid)).scalar_one()
        await _terminate_backend(settings, victim)
        async with engine.connect() as conn:
            assert (await conn.execute(backend_pid)).scalar_one() != victim
    finally:
        await engine.dispose()


@postgresql_only
async def test_a_driver_statement_on_a_lost_connection_is_a_503_then_recovers(
    settings: Settings,
) -> None:
    """The hot path's driver statements (``fetch_direct``) answer a dead connection as
    NotReady (503, retry) and invalidate it, so the next checkout gets a fresh one."""
    engine = create_engine(settings.database_url_value, pool_size=1, idle_ping_seconds=3600)
    backend_pid = DriverStatement.of(select(func.pg_backend_pid().label("pid")))
    try:
        async with engine.connect() as conn:
            victim = (await fetch_direct(conn, backend_pid, {}))[0]["pid"]
        await _terminate_backend(settings, victim)
        with pytest.raises(NotReady):
            async with engine.connect() as conn:
                await fetch_direct(conn, backend_pid, {})
        async with engine.connect() as conn:
            assert (await fetch_direct(conn, backend_pid, {}))[0]["pid"] != victim
    finally:
        await engine.dispose()


@postgresql_only
async def test_a_driver_transaction_on_a_lost_connection_is_a_503_then_recovers(
    settings: Settings,
) -> None:
    """The hot path's driver transactions too: NotReady (503, retry), a fresh
    connection next time."""
    engine = create_engine(settings.database_url_value, pool_size=1, idle_ping_seconds=3600)
    kept = KeptConnection(engine, idle_seconds=3600)
    try:
        async with kept.connect() as conn, driver_transaction(conn) as driver:
            victim = (await driver.fetch("SELECT pg_backend_pid() AS pid"))[0]["pid"]
        await _terminate_backend(settings, victim)
        with pytest.raises(NotReady):
            async with kept.connect() as conn, driver_transaction(conn) as driver:
                await driver.fetch("SELECT 1")
        async with kept.connect() as conn, driver_transaction(conn) as driver:
            assert (await driver.fetch("SELECT pg_backend_pid() AS pid"))[0]["pid"] != victim
    finally:
        await kept.close()
        await engine.dispose()


@postgresql_only
async def test_a_driver_transaction_is_rolled_back_by_a_database_error(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    """A database error on the driver is a DBAPIError, as through SQLAlchemy, and
    nothing of its transaction stays."""
    events = audit.pending_arrays([(Actor("tester"), AuditEvent("test.driver"), clock.now())])
    insert = audit.insert_pending_sql(first=1)

    async def audit_then_fail() -> None:
        async with engine.connect() as conn, driver_transaction(conn) as driver:
            await driver.fetch(insert, *events)
            await driver.fetch("SELECT 1 / 0")

    with pytest.raises(DBAPIError):
        await audit_then_fail()
    async with engine.connect() as conn:
        assert await audit.count_events(conn) == 0
    async with engine.connect() as conn, driver_transaction(conn) as driver:
        await driver.fetch(insert, *events)
    async with engine.connect() as conn:
        report = await audit.verify(conn)
    assert report.ok and report.events == 1


@postgresql_only
async def test_a_driver_statement_writing_events_is_its_own_transaction(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    """Outside a transaction each statement on the driver commits by itself: events it
    writes are chained at its commit, and a statement that fails (here after its events
    were inserted) leaves none of them; its error is a DBAPIError, as through SQLAlchemy."""
    events = [
        (Actor("tester"), AuditEvent("test.driver", f"thing:{n}"), clock.now()) for n in (1, 2)
    ]
    insert = audit.insert_pending_sql(first=1)
    failing = f"WITH events AS ({insert}) SELECT 1 / 0"
    with pytest.raises(DBAPIError):
        async with engine.connect() as conn, driver_statements(conn) as driver:
            await driver.fetch(failing, *audit.pending_arrays(events))
    async with engine.connect() as conn:
        assert await audit.count_events(conn) == 0
    async with engine.connect() as conn, driver_statements(conn) as driver:
        await driver.fetch(insert, *audit.pending_arrays(events))
    async with engine.connect() as conn:
        report = await audit.verify(conn)
        subjects = (await conn.execute(select(audit_events.c.subject))).scalars().all()
    assert report.ok and report.events == 2
    assert sorted(subjects) == ["thing:1", "thing:2"]


async def test_a_kept_connection_is_reused_and_never_carries_a_transaction(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    """One connection for batch after batch; a read's transaction ends with its batch
    (else its snapshot would hide later commits); overlapping work gets another."""
    kept = KeptConnection(engine)
    try:
        async with kept.connect() as first:
            assert await audit.count_events(first) == 0  # begins a transaction
        async with engine.begin() as conn:  # committed meanwhile, by someone else
            await audit.record(conn, Actor("tester"), AuditEvent("test.kept"), clock.now())
        async with kept.connect() as again:
            assert again is first
            assert not again.in_transaction()
            assert await audit.count_events(again) == 1
            async with kept.connect() as overlapping:
                assert overlapping is not first
    finally:
        await kept.close()


async def test_a_kept_connection_is_renewed_after_an_error_or_a_quiet_spell(
    engine: AsyncEngine,
) -> None:
    kept = KeptConnection(engine, idle_seconds=3600)
    quiet = KeptConnection(engine, idle_seconds=0)
    try:
        with pytest.raises(ZeroDivisionError):
            async with kept.connect() as broken:
                raise ZeroDivisionError
        async with kept.connect() as conn:
            assert conn is not broken and broken.closed
        async with quiet.connect() as before:
            pass
        async with quiet.connect() as after:
            assert after is not before
    finally:
        await kept.close()
        await quiet.close()


@postgresql_only
async def test_a_connection_lost_elsewhere_renews_every_kept_one(settings: Settings) -> None:
    """As the pool replaces its older connections after a loss (the server likely went
    away for all), kept ones are renewed too: one 503, not one per kept connection."""
    engine = create_engine(settings.database_url_value, pool_size=2, idle_ping_seconds=3600)
    lookups, writes = KeptConnection(engine, 3600), KeptConnection(engine, 3600)
    pid = "SELECT pg_backend_pid() AS pid"
    try:
        async with lookups.connect() as conn, driver_transaction(conn) as driver:
            victim = (await driver.fetch(pid))[0]["pid"]
        async with writes.connect() as conn, driver_transaction(conn) as driver:
            bystander = (await driver.fetch(pid))[0]["pid"]
        await _terminate_backend(settings, victim)
        with pytest.raises(NotReady):
            async with lookups.connect() as conn, driver_transaction(conn) as driver:
                await driver.fetch(pid)
        async with writes.connect() as conn, driver_transaction(conn) as driver:
            assert (await driver.fetch(pid))[0]["pid"] not in (victim, bystander)
    finally:
        await lookups.close()
        await writes.close()
        await engine.dispose()


def test_a_driver_statement_keeps_its_parameters_in_order() -> None:
    statement = DriverStatement.of(
        select(audit_events.c.seq).where(
            audit_events.c.actor == bindparam("who"), audit_events.c.seq > bindparam("after")
        )
    )
    assert statement.names == ("who", "after")
    assert "$1" in statement.sql and "$2" in statement.sql


async def _terminate_backend(settings: Settings, pid: int) -> None:
    """End a PostgreSQL server process from another connection, as a crash would."""
    killer = create_engine(settings.database_url_value)
    try:
        async with killer.connect() as conn:
            await conn.execute(select(func.pg_terminate_backend(pid)))
    finally:
        await killer.dispose()
