"""Crossings through the real API: the officer's answer, alerts, routing, idempotency."""

from __future__ import annotations

import json

from alertd.clock import FrozenClock
from tests.conftest import Client
from tests.screening.conftest import Desks, crossing, publish
from tests.watchlist.helpers import entry_body

SOK = {
    "names": [{"full": "Chan Sok"}],
    "date_of_birth": "1985-03-02",
    "nationality": "KHM",
    "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
}


async def test_listed_traveller_is_a_hit_and_routed_desks_see_the_alert(
    client: Client, desks: Desks, wanted: int
) -> None:
    response = await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
    assert response.status == 201, await response.text()
    answer = await response.json()
    assert answer["outcome"] == "hit"
    match = answer["matches"][0]
    assert match["entry_id"] == wanted and match["band"] == "hit"
    assert "Detain" in match["instructions"]
    assert "reason" not in match and "Arrest warrant" not in json.dumps(answer)
    alert_id = match["alert_id"]
    police = await (await client.get("/api/v1/alerts", headers=desks.police)).json()
    assert [a["id"] for a in police["alerts"]] == [alert_id]
    assert {a["agency"] for a in police["alerts"][0]["agencies"]} == {"GCNP", "GDI"}
    customs = await (await client.get("/api/v1/alerts", headers=desks.customs)).json()
    assert customs["alerts"] == []


async def test_one_agency_ack_leaves_the_other_new(
    client: Client, desks: Desks, wanted: int
) -> None:
    answer = await (
        await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
    ).json()
    alert_id = answer["matches"][0]["alert_id"]
    acked = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police)
    assert (await acked.json())["status"] == "acknowledged"
    again = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police)
    assert (await again.json())["status"] == "acknowledged"
    gdi = await (await client.get("/api/v1/alerts", headers=desks.immigration)).json()
    assert gdi["alerts"][0]["status"] == "new"
    statuses = {a["agency"]: a["status"] for a in gdi["alerts"][0]["agencies"]}
    assert statuses == {"GCNP": "acknowledged", "GDI": "new"}


async def test_idempotent_retry_returns_the_first_answer(
    client: Client, desks: Desks, wanted: int
) -> None:
    headers = desks.officer | {"Idempotency-Key": "retry-1"}
    first = await (
        await client.post("/api/v1/crossings", json=crossing(**SOK), headers=headers)
    ).json()
    second = await (
        await client.post("/api/v1/crossings", json=crossing(**SOK), headers=headers)
    ).json()
    assert second["crossing_id"] == first["crossing_id"]
    other = crossing(**(SOK | {"nationality": "THA"}))
    response = await client.post("/api/v1/crossings", json=other, headers=headers)
    assert response.status == 409


async def test_clear_traveller(client: Client, desks: Desks, wanted: int) -> None:
    body = crossing(names=[{"full": "Maria Gonzalez"}], date_of_birth="1990-01-01")
    answer = await (await client.post("/api/v1/crossings", json=body, headers=desks.officer)).json()
    assert answer["outcome"] == "clear" and answer["matches"] == []


async def test_victim_alert_goes_to_social_affairs_not_police(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    body = entry_body(
        clock,
        external_ref="V-1",
        category="potential_victim",
        release_to=["MOSVY", "GCNP"],
        instructions="Refer to shelter",
    )
    await publish(client, desks, body)
    answer = await (
        await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
    ).json()
    match = answer["matches"][0]
    assert "NOT a suspect" in match["instructions"]
    social = await (await client.get("/api/v1/alerts", headers=desks.social)).json()
    assert len(social["alerts"]) == 1 and social["alerts"][0]["protection"] is True
    police = await (await client.get("/api/v1/alerts", headers=desks.police)).json()
    assert police["alerts"] == []
