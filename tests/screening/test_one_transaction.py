"""The crossing, its matches, its alerts and their audit events commit together: a
failure while writing an alert leaves nothing behind and answers a clean 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.audit import count_events
from alertd.tables import alert_routes, alerts, crossing_matches, crossings
from tests.conftest import Client
from tests.screening.conftest import NOBODY, SOK, Desks, count_rows, crossing

SQLITE_TRIGGER = [
    "CREATE TRIGGER refuse_alerts BEFORE INSERT ON alerts "
    "BEGIN SELECT RAISE(ABORT, 'alerts are refused by the test'); END"
]
POSTGRES_TRIGGER = [
    "CREATE FUNCTION refuse_alerts() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'alerts are refused by the test'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER refuse_alerts BEFORE INSERT ON alerts "
    "FOR EACH ROW EXECUTE FUNCTION refuse_alerts()",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS refuse_alerts"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS refuse_alerts ON alerts",
        "DROP FUNCTION IF EXISTS refuse_alerts()",
    ],
}


@pytest.fixture
async def alerts_refused(engine: AsyncEngine, backend: str) -> AsyncIterator[None]:
    """A real database failure on every INSERT INTO alerts, removed afterwards (the
    PostgreSQL test database outlives the test)."""
    create = SQLITE_TRIGGER if backend == "sqlite" else POSTGRES_TRIGGER
    async with engine.begin() as conn:
        for statement in create:
            await conn.execute(text(statement))
    yield
    async with engine.begin() as conn:
        for statement in DROP[backend]:
            await conn.execute(text(statement))


async def test_a_failure_while_writing_the_alert_leaves_no_crossing_behind(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int, alerts_refused: None
) -> None:
    async with engine.connect() as conn:
        events_before = await count_events(conn)
    response = await client.post(
        "/api/v1/crossings",
        json=crossing(**SOK),
        headers=desks.officer | {"Idempotency-Key": "doomed", "X-Request-Id": "req-doomed-1"},
    )
    assert response.status == 500
    assert response.content_type == "application/problem+json"
    problem = await response.json()
    assert problem["request_id"] == "req-doomed-1" == response.headers["X-Request-Id"]
    assert problem["type"].endswith("/internal-error")
    assert "refused" not in await response.text()  # no database detail to the caller
    for table in (crossings, crossing_matches, alerts, alert_routes):
        assert await count_rows(engine, table) == 0, table.name
    async with engine.connect() as conn:
        assert await count_events(conn) == events_before
    # The key was not kept either: the same submission can be retried once it can work.
    clear = await client.post(
        "/api/v1/crossings",
        json=crossing(**NOBODY),
        headers=desks.officer | {"Idempotency-Key": "doomed-2"},
    )
    assert clear.status == 201  # a crossing with no alert still records
    assert await count_rows(engine, crossings) == 1


async def test_the_refused_key_is_free_for_the_retry(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int, backend: str
) -> None:
    create = SQLITE_TRIGGER if backend == "sqlite" else POSTGRES_TRIGGER
    async with engine.begin() as conn:
        for statement in create:
            await conn.execute(text(statement))
    headers = desks.officer | {"Idempotency-Key": "retry-after-outage"}
    try:
        failed = await client.post("/api/v1/crossings", json=crossing(**SOK), headers=headers)
        assert failed.status == 500
    finally:
        async with engine.begin() as conn:
            for statement in DROP[backend]:
                await conn.execute(text(statement))
    retried = await client.post("/api/v1/crossings", json=crossing(**SOK), headers=headers)
    assert retried.status == 201
    assert (await retried.json())["matches"][0]["alert_id"] is not None
    assert await count_rows(engine, alerts) == 1
