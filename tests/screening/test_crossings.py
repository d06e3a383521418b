"""Crossings through the real API: the officer's answer, alerts, routing, idempotency."""

from __future__ import annotations

import json

from alertd.clock import FrozenClock
from tests.conftest import Client
from tests.screening.conftest import SOK, Desks, alerts_for, cross, crossing, publish
from tests.watchlist.helpers import entry_body


async def test_listed_traveller_is_a_hit_and_routed_desks_see_the_alert(
    client: Client, desks: Desks, wanted: int
) -> None:
    answer = await cross(client, desks)
    assert answer["outcome"] == "hit"
    assert isinstance(answer["crossing_id"], int) and answer["screened_in_ms"] >= 0
    match = answer["matches"][0]
    assert match["entry_id"] == wanted and match["band"] == "hit"
    assert match["category"] == "wanted_person" and match["external_ref"] == "UN-QDi.001"
    assert 0 < match["score"] <= 1 and match["explanation"]["name"]
    assert "Detain" in match["instructions"]
    assert "reason" not in match and "Arrest warrant" not in json.dumps(answer)
    alert_id = match["alert_id"]
    police = await alerts_for(client, desks.police)
    assert [a["id"] for a in police] == [alert_id]
    assert {a["agency"] for a in police[0]["agencies"]} == {"GCNP", "GDI"}
    assert police[0]["status"] == "new" and police[0]["retro"] is False
    assert await alerts_for(client, desks.customs) == []


async def test_clear_traveller(client: Client, desks: Desks, wanted: int) -> None:
    body = crossing(names=[{"full": "Maria Gonzalez"}], date_of_birth="1990-01-01")
    answer = await (await client.post("/api/v1/crossings", json=body, headers=desks.officer)).json()
    assert answer["outcome"] == "clear" and answer["matches"] == []


async def test_screening_answers_without_recording_a_crossing(
    client: Client, desks: Desks, wanted: int
) -> None:
    body = {"traveller": SOK}
    response = await client.post("/api/v1/screenings", json=body, headers=desks.officer)
    assert response.status == 200, await response.text()
    answer = await response.json()
    assert answer["outcome"] == "hit" and "crossing_id" not in answer
    assert answer["matches"][0]["alert_id"] is None
    assert await alerts_for(client, desks.police) == []


async def test_a_document_alone_is_enough_to_screen(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    await publish(
        client,
        desks,
        entry_body(clock, category="lost_stolen_document", release_to=["GDI"]),
    )
    traveller = {"documents": SOK["documents"]}
    answer = await cross(client, desks, traveller)
    assert answer["outcome"] == "hit"
    assert answer["matches"][0]["category"] == "lost_stolen_document"
