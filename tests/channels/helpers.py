"""Helpers for channel tests: a desk's WebSocket, reading it, and raising alerts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientWebSocketResponse, WSMsgType, web
from sqlalchemy import select

from alertd.alerts import AlertNotice, NewAlert, raise_alert
from alertd.state import CLOCK, ENGINE, NOTIFIER, SCREENER
from alertd.tables import alerts
from tests.conftest import SETUP, Client
from tests.screening.conftest import Desks, crossing

SOK = {
    "names": [{"full": "Chan Sok"}],
    "date_of_birth": "1985-03-02",
    "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
}
# How long a test waits for something the server should do within about a second.
PROMPTLY = 2.5


def token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def next_of(ws: ClientWebSocketResponse, *kinds: str, within: float = 5) -> dict[str, Any]:
    """The next message of one of ``kinds`` (others are skipped)."""
    async with asyncio.timeout(within):
        while True:
            message = await ws.receive()
            assert message.type == WSMsgType.TEXT, f"wanted {kinds}, got {message}"
            data: dict[str, Any] = json.loads(message.data)
            if data["type"] in kinds:
                return data


async def close_code(ws: ClientWebSocketResponse, within: float = PROMPTLY) -> int:
    """Read until the server closes; its close code."""
    async with asyncio.timeout(within):
        while True:
            message = await ws.receive()
            if message.type == WSMsgType.CLOSE:
                return int(message.data)
            if message.type in (WSMsgType.CLOSED, WSMsgType.ERROR):
                return int(ws.close_code or 0)


async def stays_open(ws: ClientWebSocketResponse, seconds: float) -> bool:
    """Whether the socket is still open after ``seconds`` (messages are read and dropped)."""
    try:
        await close_code(ws, seconds)
    except TimeoutError:
        return True
    return False


@asynccontextmanager
async def desk_socket(
    client: Client, access_token: str, after_seq: int | None = None
) -> AsyncIterator[ClientWebSocketResponse]:
    """An authenticated desk connection; with ``after_seq`` it has asked to resume."""
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": access_token})
        await next_of(ws, "ready")
        if after_seq is not None:
            await ws.send_json({"type": "resume", "after_seq": after_seq})
        yield ws


class Inbox:
    """Every alert a desk connection received, by kind, in the order received."""

    def __init__(self) -> None:
        self.alerts: list[dict[str, Any]] = []  # {"type": "alert", ...} messages
        self.latest: dict[int, dict[str, Any]] = {}  # alert id -> last version received
        self.replayed_at: int | None = None  # how many alerts came before "replayed"

    @property
    def seqs(self) -> list[int]:
        return [message["seq"] for message in self.alerts]

    def take(self, data: dict[str, Any]) -> None:
        if data["type"] == "alert":
            self.alerts.append(data)
        if data["type"] in ("alert", "alert_update"):
            self.latest[data["alert"]["id"]] = data["alert"]
        if data["type"] == "replayed":
            self.replayed_at = len(self.alerts)


async def read_into(ws: ClientWebSocketResponse, inbox: Inbox) -> None:
    """Read the socket into ``inbox`` until it closes (run it as a task; cancel to stop)."""
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            inbox.take(json.loads(message.data))


async def until(condition: Any, within: float = 10, step: float = 0.02) -> None:
    """Wait for ``condition()`` to hold."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 (polls state other tasks change)
            await asyncio.sleep(step)


async def listed(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every alert ``GET /api/v1/alerts`` shows this user, paging through ``after_seq``."""
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        response = await client.get(
            "/api/v1/alerts", params={"after_seq": after, "limit": 200}, headers=headers
        )
        assert response.status == 200, await response.text()
        page = (await response.json())["alerts"]
        found.extend(page)
        if len(page) < 200:
            return found
        after = page[-1]["seq"]


@dataclass(frozen=True)
class Specimen:
    """A real crossing, match and entry that synthetic alerts hang from (foreign keys)."""

    crossing_id: int
    match_id: int
    entry_id: int
    entry_version: int
    owner_agency_id: int
    checkpoint_id: int
    payload: dict[str, Any]


async def specimen(client: Client, desks: Desks) -> Specimen:
    """Screen SOK at Poipet (the ``wanted`` entry must be published) for a real alert."""
    response = await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
    assert response.status == 201, await response.text()
    alert_id = (await response.json())["matches"][0]["alert_id"]
    async with client.server.app[ENGINE].connect() as conn:
        row = (await conn.execute(select(alerts.c).where(alerts.c.id == alert_id))).one()
    return Specimen(
        row.crossing_id,
        row.match_id,
        row.entry_id,
        row.entry_version,
        row.owner_agency_id,
        row.checkpoint_id,
        json.loads(row.payload),
    )


@dataclass(frozen=True)
class AlertSpec:
    category: str
    owner: str
    release_to: tuple[str, ...]
    checkpoint_id: int
    padding: int = 0  # extra characters in the payload: big alerts fill buffers sooner


async def raise_alerts(app: web.Application, base: Specimen, specs: list[AlertSpec]) -> list[int]:
    """Raise alerts as screening does (one transaction, then tell the notifier); their seqs.

    Routing follows each spec's category, owner and release_to through the real policy:
    only the foreign keys are borrowed from ``base``.
    """
    screener = app[SCREENER]
    notices = []
    async with app[ENGINE].begin() as conn:
        for spec in specs:
            new = NewAlert(
                crossing_id=base.crossing_id,
                match_id=base.match_id,
                entry_id=base.entry_id,
                entry_version=base.entry_version,
                owner_agency_id=base.owner_agency_id,
                owner=spec.owner,
                release_to=spec.release_to,
                category=spec.category,
                band="hit",
                score=0.97,
                checkpoint_id=spec.checkpoint_id,
                retro=False,
                payload=base.payload | ({"padding": "." * spec.padding} if spec.padding else {}),
            )
            raised = await raise_alert(
                conn, SETUP, app[CLOCK].now(), new, screener.routing, screener.deadlines
            )
            if raised:
                notices.append(AlertNotice("alert", *raised))
    app[NOTIFIER].alerts_changed(notices)
    return [notice.seq for notice in notices]
