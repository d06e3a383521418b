"""What the checkpoint officer (and everyone else) may see of an entry: never its
reason; of an entry not released to the officer's agency, only what the counter needs."""

from __future__ import annotations

from typing import Any

from alertd.clock import FrozenClock
from tests.conftest import Client
from tests.screening.conftest import ALL_AGENCIES, SOK, Desks, alerts_for, cross, publish
from tests.watchlist.helpers import entry_body

SECRET = "Informant 77 says he moves girls through Poipet"


async def test_the_reason_never_leaks_in_any_answer(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    body = entry_body(clock, category="trafficking_suspect", reason=SECRET, release_to=ALL_AGENCIES)
    await publish(client, desks, body)
    answers: list[str] = []
    keyed = await client.post(
        "/api/v1/crossings",
        json={"checkpoint": "POI", "direction": "exit", "traveller": SOK},
        headers=desks.officer | {"Idempotency-Key": "k1"},
    )
    answers.append(await keyed.text())
    replay = await client.post(
        "/api/v1/crossings",
        json={"checkpoint": "POI", "direction": "exit", "traveller": SOK},
        headers=desks.officer | {"Idempotency-Key": "k1"},
    )
    answers.append(await replay.text())
    screening = await client.post(
        "/api/v1/screenings", json={"traveller": SOK}, headers=desks.officer
    )
    answers.append(await screening.text())
    alert_id = (await keyed.json())["matches"][0]["alert_id"]
    for headers in (desks.ncct_hq, desks.ncct_poipet, desks.police, desks.immigration):
        listed = await client.get("/api/v1/alerts", headers=headers)
        answers.append(await listed.text())
        acked = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=headers)
        answers.append(await acked.text())
    resolved = await client.post(
        f"/api/v1/alerts/{alert_id}/resolve",
        json={"resolution": "confirmed", "note": "held"},
        headers=desks.ncct_hq,
    )
    answers.append(await resolved.text())
    assert len(answers) == 12
    for text in answers:
        assert SECRET not in text
        assert "Informant" not in text


async def test_an_entry_not_released_to_the_officer_shows_only_what_the_counter_needs(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    body = entry_body(clock, release_to=["GCNP"], external_ref="SECRET-REF-9")
    await publish(client, desks, body)
    response = await client.post(
        "/api/v1/crossings",
        json={"checkpoint": "POI", "direction": "entry", "traveller": SOK},
        headers=desks.officer,
    )
    answer = await response.json()
    assert answer["outcome"] == "hit"
    (match,) = answer["matches"]
    shown = {key for key, value in match.items() if value is not None} - {"category"}
    assert shown <= {"entry_id", "band", "score", "instructions", "alert_id"}, match
    assert match["band"] == "hit" and match["category"] == "restricted"
    assert match["external_ref"] is None and match["explanation"] is None
    assert "Detain" in match["instructions"]
    text = await response.text()
    for secret in ("SECRET-REF-9", "Sokh Chann", "Arrest warrant", 'N01234567", "listed'):
        assert secret not in text
    (alert,) = await alerts_for(client, desks.police)  # the police may see it all
    assert alert["entry"]["external_ref"] == "SECRET-REF-9"


async def test_a_released_entry_shows_category_and_explanation(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    await publish(client, desks, entry_body(clock, release_to=["GDI", "GCNP"]))
    (match,) = (await cross(client, desks))["matches"]
    assert match["category"] == "wanted_person" and match["external_ref"] == "UN-QDi.001"
    explanation: dict[str, Any] = match["explanation"]
    assert explanation["document"]["kind"] == "exact"
    assert explanation["date_of_birth"]["kind"] == "exact"


async def test_discreet_check_tells_the_officer_to_let_the_traveller_pass(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    for release_to in (["GDI"], []):
        ref = f"DC-{len(release_to)}"
        body = entry_body(
            clock,
            category="discreet_check",
            release_to=release_to,
            external_ref=ref,
            instructions="",
        )
        await publish(client, desks, body)
    answer = await cross(client, desks)
    assert len(answer["matches"]) == 2
    for match in answer["matches"]:
        assert match["instructions"].startswith("Let the traveller pass without remark")
        assert "Detain" not in match["instructions"]
