"""Idempotency-Key: a retried submission gets the first answer, never a second crossing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.tables import alerts, crossings
from tests.conftest import Client
from tests.screening.conftest import NOBODY, SOK, Desks, count_rows, crossing

# A listed traveller (a hit, with an alert) and a clear one: on PostgreSQL a batch of
# clear crossings is written on the driver, the others through SQLAlchemy.
TRAVELLERS = pytest.mark.parametrize(
    ("traveller", "raised"), [(SOK, 1), (NOBODY, 0)], ids=["hit", "clear"]
)


async def _post(client: Client, desks: Desks, key: str, body: dict[str, Any]) -> Any:
    return await client.post(
        "/api/v1/crossings", json=body, headers=desks.officer | {"Idempotency-Key": key}
    )


@TRAVELLERS
async def test_a_retry_returns_the_first_answer(
    client: Client,
    desks: Desks,
    engine: AsyncEngine,
    wanted: int,
    traveller: dict[str, Any],
    raised: int,
) -> None:
    first = await _post(client, desks, "retry-1", crossing(**traveller))
    second = await _post(client, desks, "retry-1", crossing(**traveller))
    assert first.status == second.status == 201
    one, two = await first.json(), await second.json()
    assert two["crossing_id"] == one["crossing_id"]
    assert two["matches"] == one["matches"]
    assert two["outcome"] == one["outcome"] == ("hit" if raised else "clear")
    assert "screened_in_ms" in two
    assert await count_rows(engine, crossings) == 1
    assert await count_rows(engine, alerts) == raised


@TRAVELLERS
async def test_the_same_key_with_another_body_is_a_conflict(
    client: Client,
    desks: Desks,
    engine: AsyncEngine,
    wanted: int,
    traveller: dict[str, Any],
    raised: int,
) -> None:
    assert (await _post(client, desks, "k", crossing(**traveller))).status == 201
    other = crossing(**(traveller | {"nationality": "THA"}))
    response = await _post(client, desks, "k", other)
    assert response.status == 409
    assert (await response.json())["type"].endswith("/conflict")
    assert await count_rows(engine, crossings) == 1
    fresh = await _post(client, desks, "k2", other)
    assert fresh.status == 201
    assert await count_rows(engine, crossings) == 2


@TRAVELLERS
async def test_concurrent_duplicates_make_one_crossing(
    client: Client,
    desks: Desks,
    engine: AsyncEngine,
    wanted: int,
    traveller: dict[str, Any],
    raised: int,
) -> None:
    responses = await asyncio.gather(
        *(_post(client, desks, "burst", crossing(**traveller)) for _ in range(8))
    )
    assert [r.status for r in responses] == [201] * 8
    answers = [await r.json() for r in responses]
    assert len({a["crossing_id"] for a in answers}) == 1
    assert await count_rows(engine, crossings) == 1
    assert await count_rows(engine, alerts) == raised


async def test_a_bad_key_is_refused_by_name(client: Client, desks: Desks) -> None:
    for key in ("x" * 101, "tab\there"):
        response = await _post(client, desks, key, crossing(**SOK))
        assert response.status == 422
        problem = await response.json()
        assert problem["errors"][0]["field"] == "Idempotency-Key"
