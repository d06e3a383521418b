"""False-positive memory: once a desk clears a traveller against an entry version, the
same traveller (same document) comes back "possible" with who cleared them, not a hit."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.tables import alerts, false_positive_clearances
from tests.conftest import Client
from tests.screening.conftest import SOK, Desks, count_rows, cross


async def _clear(client: Client, headers: dict[str, str], alert_id: int) -> None:
    response = await client.post(
        f"/api/v1/alerts/{alert_id}/resolve",
        json={"resolution": "false_positive", "note": "namesake, different father's name"},
        headers=headers,
    )
    assert response.status == 200, await response.text()


async def test_the_same_traveller_comes_back_possible_with_who_cleared_them(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    first = await cross(client, desks)
    assert first["outcome"] == "hit"
    await _clear(client, desks.immigration, first["matches"][0]["alert_id"])
    again = await cross(client, desks)
    assert again["outcome"] == "possible"
    (match,) = again["matches"]
    assert match["band"] == "possible" and match["alert_id"] is None
    assert "gdi-desk" in match["note"] and "GDI" in match["note"]
    assert "false positive" in match["note"]
    assert await count_rows(engine, alerts) == 1
    # The document is the traveller: another spelling of the name is still cleared.
    respelled = await cross(client, desks, SOK | {"names": [{"full": "Sokh Chann"}]})
    assert respelled["outcome"] == "possible" and "note" in respelled["matches"][0]


async def test_a_different_traveller_is_not_cleared(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    first = await cross(client, desks)
    await _clear(client, desks.immigration, first["matches"][0]["alert_id"])
    other_document = SOK | {
        "documents": [{"type": "passport", "number": "N07777777", "country": "KHM"}]
    }
    answer = await cross(client, desks, other_document)
    assert answer["matches"] and "note" not in answer["matches"][0]
    undocumented = {key: value for key, value in SOK.items() if key != "documents"}
    answer = await cross(client, desks, undocumented)
    assert answer["outcome"] == "hit"
    assert answer["matches"][0]["alert_id"] is not None and "note" not in answer["matches"][0]
    assert await count_rows(engine, alerts) == 2


async def test_two_agencies_clearing_at_once_both_succeed(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    await asyncio.gather(
        _clear(client, desks.immigration, alert_id), _clear(client, desks.police, alert_id)
    )
    assert await count_rows(engine, false_positive_clearances) == 1
    assert (await cross(client, desks))["outcome"] == "possible"


async def test_screenings_honour_the_clearance_too(
    client: Client, desks: Desks, wanted: int
) -> None:
    first = await cross(client, desks)
    await _clear(client, desks.police, first["matches"][0]["alert_id"])
    response = await client.post(
        "/api/v1/screenings", json={"traveller": SOK}, headers=desks.officer
    )
    answer = await response.json()
    assert answer["outcome"] == "possible" and "gcnp-poipet" in answer["matches"][0]["note"]
