"""Each routed agency handles an alert on its own: new -> acknowledged -> resolved."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Client
from tests.screening.conftest import SOK, Desks, alerts_for, audit_actions, cross


async def _alert(client: Client, desks: Desks) -> int:
    alert_id: int = (await cross(client, desks))["matches"][0]["alert_id"]
    return alert_id


def _statuses(alert: dict[str, Any]) -> dict[str, str]:
    return {a["agency"]: a["status"] for a in alert["agencies"]}


async def test_one_agency_ack_leaves_the_other_new(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    alert_id = await _alert(client, desks)
    acked = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police)
    assert acked.status == 200
    body = await acked.json()
    assert body["status"] == "acknowledged" and "Arrest" not in await acked.text()
    again = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police)
    assert (await again.json())["status"] == "acknowledged"
    assert len(await audit_actions(engine, "alert.ack")) == 1  # the retry changed nothing
    (gdi,) = await alerts_for(client, desks.immigration)
    assert gdi["status"] == "new"
    assert _statuses(gdi) == {"GCNP": "acknowledged", "GDI": "new"}
    police = next(a for a in gdi["agencies"] if a["agency"] == "GCNP")
    assert police["acknowledged_by"] == "gcnp-poipet" and police["acknowledged_at"]


async def test_resolve_is_idempotent_and_per_agency(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    alert_id = await _alert(client, desks)
    path = f"/api/v1/alerts/{alert_id}/resolve"
    body = {"resolution": "referred", "note": "handed to the duty officer"}
    first = await client.post(path, json=body, headers=desks.police)
    assert first.status == 200, await first.text()
    resolved = await first.json()
    assert resolved["status"] == "resolved"
    own = next(a for a in resolved["agencies"] if a["agency"] == "GCNP")
    assert own["resolution"] == "referred" and own["resolved_by"] == "gcnp-poipet"
    assert own["acknowledged_by"] == "gcnp-poipet"  # resolving acknowledges too
    same = await client.post(path, json=body, headers=desks.police)
    assert same.status == 200 and (await same.json())["status"] == "resolved"
    other = await client.post(path, json={"resolution": "confirmed"}, headers=desks.police)
    assert other.status == 409
    assert (await other.json())["type"].endswith("/conflict")
    assert len(await audit_actions(engine, "alert.resolve")) == 1
    ack_after = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police)
    assert (await ack_after.json())["status"] == "resolved"
    (gdi,) = await alerts_for(client, desks.immigration)
    assert _statuses(gdi) == {"GCNP": "resolved", "GDI": "new"}
    gdi_resolves = await client.post(
        path, json={"resolution": "confirmed"}, headers=desks.immigration
    )
    assert gdi_resolves.status == 200
    assert _statuses(await gdi_resolves.json()) == {"GCNP": "resolved", "GDI": "resolved"}


async def test_status_filter_and_resume_after_seq(
    client: Client, desks: Desks, wanted: int
) -> None:
    ids = [await _alert(client, desks) for _ in range(3)]
    listed = await alerts_for(client, desks.immigration)
    seqs = [a["seq"] for a in listed]
    assert [a["id"] for a in listed] == ids
    assert seqs == list(range(seqs[0], seqs[0] + 3))  # gap-free, increasing
    resumed = await alerts_for(client, desks.immigration, after_seq=str(seqs[0]))
    assert [a["seq"] for a in resumed] == seqs[1:]
    await client.post(f"/api/v1/alerts/{ids[1]}/ack", headers=desks.immigration)
    news = await alerts_for(client, desks.immigration, status="new")
    assert [a["id"] for a in news] == [ids[0], ids[2]]
    acked = await alerts_for(client, desks.immigration, status="acknowledged")
    assert [a["id"] for a in acked] == [ids[1]]
    police_new = await alerts_for(client, desks.police, status="new")
    assert len(police_new) == 3  # immigration's acknowledgement is not the police's
    page = await client.get("/api/v1/alerts", params={"limit": "2"}, headers=desks.police)
    body = await page.json()
    assert len(body["alerts"]) == 2 and body["last_seq"] == seqs[1]


async def test_alert_shows_the_traveller_and_explanation_to_the_desk(
    client: Client, desks: Desks, wanted: int
) -> None:
    alert_id = await _alert(client, desks)
    (alert,) = await alerts_for(client, desks.police)
    assert alert["id"] == alert_id and alert["checkpoint"] == "POI"
    assert alert["category"] == "wanted_person" and alert["severity"] == "high"
    assert alert["traveller"]["documents"] == SOK["documents"]
    assert alert["entry"]["id"] == wanted and alert["entry"]["primary_name"] == "SOK Chan"
    assert alert["explanation"]["document"]


async def test_concurrent_actions_by_one_agency_settle_cleanly(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    """Two officers of one agency at once: one acknowledgement recorded; of two
    different resolutions one wins and the other is told so (409), never both."""
    alert_id = await _alert(client, desks)
    acks = await asyncio.gather(
        *(client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police) for _ in range(4))
    )
    assert [r.status for r in acks] == [200] * 4
    assert len(await audit_actions(engine, "alert.ack")) == 1
    path = f"/api/v1/alerts/{alert_id}/resolve"
    resolutions = await asyncio.gather(
        client.post(path, json={"resolution": "confirmed"}, headers=desks.police),
        client.post(path, json={"resolution": "no_action"}, headers=desks.police),
    )
    assert sorted(r.status for r in resolutions) == [200, 409]
    assert len(await audit_actions(engine, "alert.resolve")) == 1
