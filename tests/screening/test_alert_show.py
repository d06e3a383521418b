"""GET /api/v1/alerts/{id}: one alert, by the same rule as the list, and audited."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Client
from tests.screening.conftest import Desks, alerts_for, audit_actions, cross


async def test_a_routed_desk_sees_the_alert_as_the_list_shows_it(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    shown = await client.get(f"/api/v1/alerts/{alert_id}", headers=desks.police)
    assert shown.status == 200, await shown.text()
    (listed,) = await alerts_for(client, desks.police)
    assert await shown.json() == listed
    (read,) = await audit_actions(engine, "alert.read")
    assert read.subject == f"alert:{alert_id}" and read.outcome == "success"


async def test_an_alert_not_routed_to_the_caller_is_not_found(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    for headers in (desks.social, desks.customs, desks.iom):
        hidden = await client.get(f"/api/v1/alerts/{alert_id}", headers=headers)
        assert hidden.status == 404
        assert hidden.content_type == "application/problem+json"
        assert "SOK" not in await hidden.text()
    missing = await client.get(f"/api/v1/alerts/{alert_id + 1000}", headers=desks.police)
    assert missing.status == 404
    reads = await audit_actions(engine, "alert.read")
    assert [r.outcome for r in reads] == ["failure"] * 4


async def test_only_desk_officers_may_read_an_alert(
    client: Client, desks: Desks, wanted: int
) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    for headers in (desks.officer, desks.editor, desks.approver):
        refused = await client.get(f"/api/v1/alerts/{alert_id}", headers=headers)
        assert refused.status == 403
    huge = await client.get("/api/v1/alerts/99999999999999999999", headers=desks.police)
    assert huge.status == 404
