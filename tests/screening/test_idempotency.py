"""Idempotency-Key: a retried submission gets the first answer, never a second crossing."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.tables import alerts, crossings
from tests.conftest import Client
from tests.screening.conftest import SOK, Desks, count_rows, crossing


async def _post(client: Client, desks: Desks, key: str, body: dict[str, Any]) -> Any:
    return await client.post(
        "/api/v1/crossings", json=body, headers=desks.officer | {"Idempotency-Key": key}
    )


async def test_a_retry_returns_the_first_answer(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    first = await _post(client, desks, "retry-1", crossing(**SOK))
    second = await _post(client, desks, "retry-1", crossing(**SOK))
    assert first.status == second.status == 201
    one, two = await first.json(), await second.json()
    assert two["crossing_id"] == one["crossing_id"]
    assert two["matches"] == one["matches"] and two["outcome"] == "hit"
    assert "screened_in_ms" in two
    assert await count_rows(engine, crossings) == 1
    assert await count_rows(engine, alerts) == 1


async def test_the_same_key_with_another_body_is_a_conflict(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    assert (await _post(client, desks, "k", crossing(**SOK))).status == 201
    other = crossing(**(SOK | {"nationality": "THA"}))
    response = await _post(client, desks, "k", other)
    assert response.status == 409
    assert (await response.json())["type"].endswith("/conflict")
    assert await count_rows(engine, crossings) == 1
    fresh = await _post(client, desks, "k2", other)
    assert fresh.status == 201
    assert await count_rows(engine, crossings) == 2


async def test_concurrent_duplicates_make_one_crossing(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    responses = await asyncio.gather(
        *(_post(client, desks, "burst", crossing(**SOK)) for _ in range(8))
    )
    assert [r.status for r in responses] == [201] * 8
    answers = [await r.json() for r in responses]
    assert len({a["crossing_id"] for a in answers}) == 1
    assert await count_rows(engine, crossings) == 1
    assert await count_rows(engine, alerts) == 1


async def test_a_bad_key_is_refused_by_name(client: Client, desks: Desks) -> None:
    for key in ("x" * 101, "tab\there"):
        response = await _post(client, desks, key, crossing(**SOK))
        assert response.status == 422
        problem = await response.json()
        assert problem["errors"][0]["field"] == "Idempotency-Key"
