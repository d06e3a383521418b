"""The alert channel end to end: a hit pushed live, acknowledged over the socket, replayed."""

from __future__ import annotations

from tests.channels.helpers import SOK, desk_socket, next_of, token
from tests.conftest import Client
from tests.screening.conftest import Desks, crossing


async def test_live_alert_ack_and_resume(client: Client, desks: Desks, wanted: int) -> None:
    async with desk_socket(client, token(desks.police), after_seq=0) as ws:
        await next_of(ws, "replayed")
        answer = await (
            await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
        ).json()
        pushed = await next_of(ws, "alert")
        assert pushed["alert"]["id"] == answer["matches"][0]["alert_id"]
        listed = await (await client.get("/api/v1/alerts", headers=desks.police)).json()
        assert pushed["alert"] == listed["alerts"][0]
        await ws.send_json({"type": "ack", "alert_id": pushed["alert"]["id"]})
        result = await next_of(ws, "ack_result")
        assert result["status"] == "acknowledged"
        update = await next_of(ws, "alert_update")
        assert update["alert"]["status"] == "acknowledged"
        await ws.send_json({"type": "ack", "alert_id": pushed["alert"]["id"]})
        again = await next_of(ws, "ack_result")
        assert again["status"] == "acknowledged"  # idempotent
    async with desk_socket(client, token(desks.police), after_seq=0) as ws:
        replayed = await next_of(ws, "alert")
        assert replayed["seq"] == pushed["seq"]
        assert replayed["alert"]["status"] == "acknowledged"
        assert (await next_of(ws, "replayed"))["last_seq"] == pushed["seq"]


async def test_an_ack_for_an_alert_out_of_sight_is_an_error(
    client: Client, desks: Desks, wanted: int
) -> None:
    answer = await (
        await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
    ).json()
    alert_id = answer["matches"][0]["alert_id"]
    async with desk_socket(client, token(desks.social)) as ws:  # MOSVY: not routed
        await ws.send_json({"type": "ack", "alert_id": alert_id})
        error = await next_of(ws, "error")
        assert error["alert_id"] == alert_id
