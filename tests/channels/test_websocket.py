"""The alert channel through a real WebSocket client against the real app."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import WSMsgType

from alertd.channels import protocol
from tests.conftest import Client
from tests.screening.conftest import Desks, crossing

SOK = {
    "names": [{"full": "Chan Sok"}],
    "date_of_birth": "1985-03-02",
    "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
}


def token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def next_of(ws: Any, kind: str) -> dict[str, Any]:
    """The next message of ``kind`` (others are skipped), within five seconds."""
    async with asyncio.timeout(5):
        while True:
            message: dict[str, Any] = await ws.receive_json()
            if message["type"] == kind:
                return message


async def test_auth_timeout_closes_with_4401(client: Client, desks: Desks) -> None:
    async with client.ws_connect("/api/v1/ws") as ws:
        message = await ws.receive(timeout=protocol.AUTH_TIMEOUT_SECONDS + 3)
        assert message.type == WSMsgType.CLOSE
        assert message.data == protocol.CLOSE_UNAUTHENTICATED


async def test_bad_token_closes_with_4401(client: Client, desks: Desks) -> None:
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": "nonsense"})
        message = await ws.receive(timeout=5)
        assert message.data == protocol.CLOSE_UNAUTHENTICATED


async def test_live_alert_and_resume(client: Client, desks: Desks, wanted: int) -> None:
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": token(desks.police)})
        ready = await next_of(ws, "ready")
        assert ready["user"]["agency"] == "GCNP"
        await ws.send_json({"type": "resume", "after_seq": 0})
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
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": token(desks.police)})
        await next_of(ws, "ready")
        await ws.send_json({"type": "resume", "after_seq": 0})
        replayed = await next_of(ws, "alert")
        assert replayed["seq"] == pushed["seq"]


async def test_logout_closes_the_socket(client: Client, desks: Desks) -> None:
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": token(desks.police)})
        await next_of(ws, "ready")
        await client.post("/api/v1/auth/logout", headers=desks.police)
        while True:
            message = await ws.receive(timeout=3)
            if message.type == WSMsgType.CLOSE:
                break
        assert message.data == protocol.CLOSE_UNAUTHENTICATED
