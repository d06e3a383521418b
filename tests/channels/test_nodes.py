"""Two real ``alertd serve`` processes on one PostgreSQL database (smoke tier).

Node A takes the officers' crossings and the committee's watchlist changes; a desk is
connected to node B. An alert raised on A reaches the desk on B within a second, an
entry published on A is matched on B within a second, and after every database
connection of the nodes is cut, they reconnect and catch up by themselves.

Needs the PostgreSQL server of ``ALERTD_TEST_DATABASE_URL`` (or the default local one);
each run creates and drops its own database.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pyotp
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from alertd import identity
from alertd.audit import Actor
from alertd.channels.broker import asyncpg_dsn
from alertd.clock import FrozenClock
from alertd.config import ENV_PREFIX
from alertd.db import create_engine
from tests.channels.helpers import SOK, Inbox
from tests.conftest import ALERTD_EXECUTABLE, CLI_TIMEOUT_SECONDS, PASSWORD
from tests.databases import (
    DEFAULT_POSTGRES_URL,
    TEST_DATABASE_ENV,
    create_postgres_database,
    drop_postgres_database,
)
from tests.watchlist.helpers import entry_body

pytestmark = pytest.mark.smoke

WITHIN_A_SECOND = 1.0
# After its connections are cut a node reconnects (back-off from 0.5 s) and catches up
# (the hub's safety net runs every 2 s): a few seconds, not a second.
AFTER_RECOVERY = 8.0
START_TIMEOUT = 30.0
SINGLE_LINE_TRAVELLER = {
    "names": [{"full": "Vanna Kim"}],
    "date_of_birth": "1979-11-23",
    "documents": [{"type": "passport", "number": "P76543210", "country": "KHM"}],
}


def postgres_server() -> str:
    url = os.environ.get(TEST_DATABASE_ENV, "")
    return url if url.startswith("postgresql") else DEFAULT_POSTGRES_URL


@pytest.fixture
def node_database() -> Iterator[str]:
    server = postgres_server()
    try:
        name = create_postgres_database(server, prefix="alertd_nodes_")
    except (OSError, SQLAlchemyError) as exc:
        pytest.skip(f"no PostgreSQL server for the multi-node test: {exc}")
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    drop_postgres_database(server, name)


def node_environment(database_url: str, data_dir: Path, port: int = 8080) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    return env | {
        "ALERTD_DATABASE_URL": database_url,
        "ALERTD_DATA_DIR": str(data_dir),  # shared: both nodes sign with the same key
        "ALERTD_LOG_LEVEL": "WARNING",
        "ALERTD_PORT": str(port),
    }


async def alertd(env: dict[str, str], *args: str, stdin: str = "") -> str:
    process = await asyncio.create_subprocess_exec(
        str(ALERTD_EXECUTABLE),
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), CLI_TIMEOUT_SECONDS)
    assert process.returncode == 0, f"alertd {' '.join(args)}: {err.decode()}"
    return out.decode()


@dataclass(frozen=True)
class Node:
    url: str
    process: asyncio.subprocess.Process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_node(env: dict[str, str], session: aiohttp.ClientSession) -> Node:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        str(ALERTD_EXECUTABLE),
        "serve",
        env=env | {"ALERTD_PORT": str(port)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    async with asyncio.timeout(START_TIMEOUT):
        while True:
            assert process.returncode is None, "alertd serve exited"
            try:
                async with session.get(f"{url}/readyz") as response:
                    if response.status == 200:
                        return Node(url, process)
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.2)


async def stop_node(node: Node) -> None:
    if node.process.returncode is None:
        node.process.terminate()
        await asyncio.wait_for(node.process.wait(), 15)


@dataclass(frozen=True)
class People:
    officer: dict[str, str]
    police: str  # the desk officer's access token
    editor: dict[str, str]
    approver: dict[str, str]


async def seed(env: dict[str, str]) -> dict[str, str | None]:
    """Agencies, a checkpoint and users, through the ``alertd`` CLI; TOTP secrets."""
    await alertd(env, "db", "upgrade")
    await _places(env["ALERTD_DATABASE_URL"])
    users = {
        "officer": ("GDI", "checkpoint_officer", ("--checkpoint", "POI")),
        "police": ("GCNP", "desk_officer", ()),
        "editor": ("NCCT", "watchlist_editor", ()),
        "approver": ("NCCT", "watchlist_approver", ()),
    }
    outputs = await asyncio.gather(
        *(
            alertd(
                env,
                "user",
                "add",
                "--username",
                name,
                "--agency",
                agency,
                "--role",
                role,
                *extra,
                "--password-stdin",
                stdin=PASSWORD + "\n",
            )
            for name, (agency, role, extra) in users.items()
        )
    )
    return {
        name: pyotp.parse_uri(out.strip()).secret if out.startswith("otpauth://") else None
        for name, out in zip(users, outputs, strict=True)
    }


async def _places(database_url: str) -> None:
    """Agencies and the checkpoint, in-process (one CLI start per row costs seconds)."""
    engine = create_engine(database_url)
    actor = Actor(username="test-setup")
    now = datetime.now(UTC)
    try:
        async with engine.begin() as conn:
            for code in ("GDI", "GCNP", "NCCT"):
                await identity.add_agency(conn, actor, now, code, f"{code} agency")
            await identity.add_checkpoint(conn, actor, now, "POI", "Poipet")
    finally:
        await engine.dispose()


async def sign_in(
    session: aiohttp.ClientSession, node: Node, secrets: dict[str, str | None]
) -> People:
    tokens = {}
    for name, secret in secrets.items():
        body = {"username": name, "password": PASSWORD}
        if secret:
            body["totp"] = pyotp.TOTP(secret).now()
        async with session.post(f"{node.url}/api/v1/auth/login", json=body) as response:
            assert response.status == 200, await response.text()
            tokens[name] = (await response.json())["access_token"]
    headers = {name: {"Authorization": f"Bearer {t}"} for name, t in tokens.items()}
    return People(headers["officer"], tokens["police"], headers["editor"], headers["approver"])


async def publish(session: aiohttp.ClientSession, node: Node, people: People, **over: Any) -> int:
    body = entry_body(FrozenClock(datetime.now(UTC)), **over)
    base = f"{node.url}/api/v1/watchlist/entries"
    async with session.post(base, json=body, headers=people.editor) as response:
        assert response.status == 201, await response.text()
        entry_id = int((await response.json())["id"])
    async with session.post(f"{base}/{entry_id}/submit", headers=people.editor) as response:
        assert response.status == 200, await response.text()
    async with session.post(f"{base}/{entry_id}/approve", headers=people.approver) as response:
        assert response.status == 200, await response.text()
    return entry_id


async def screen(
    session: aiohttp.ClientSession, node: Node, people: People, traveller: dict[str, Any]
) -> dict[str, Any]:
    body = {"checkpoint": "POI", "direction": "entry", "traveller": traveller}
    async with session.post(
        f"{node.url}/api/v1/crossings", json=body, headers=people.officer
    ) as response:
        assert response.status == 201, await response.text()
        answer: dict[str, Any] = await response.json()
        return answer


async def _read(
    ws: aiohttp.ClientWebSocketResponse, inbox: Inbox, arrivals: dict[int, float]
) -> None:
    async for message in ws:
        if message.type == aiohttp.WSMsgType.TEXT:
            data = message.json()
            if data["type"] == "ping":
                await ws.send_json({"type": "pong"})
            if data["type"] == "alert":
                arrivals[data["alert"]["id"]] = time.monotonic()
            inbox.take(data)


async def wait_for_alert(arrivals: dict[int, float], alert_id: int, within: float) -> float:
    """Seconds from now until ``alert_id`` arrived (it may have arrived already)."""
    start = time.monotonic()
    async with asyncio.timeout(within):
        while alert_id not in arrivals:  # noqa: ASYNC110 (another task fills it)
            await asyncio.sleep(0.01)
    return max(0.0, arrivals[alert_id] - start)


async def cut_database_connections(database_url: str) -> int:
    """Terminate every backend of the nodes' database (the brokers' LISTEN ones too)."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        name = make_url(database_url).database
        rows = await connection.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        return len(rows)
    finally:
        await connection.close()


async def listening_backends(database_url: str) -> int:
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return int(
            await connection.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 "
                "AND (query LIKE 'LISTEN%' OR query LIKE 'SELECT pg_notify%')",
                make_url(database_url).database,
            )
        )
    finally:
        await connection.close()


async def test_two_nodes_share_alerts_and_watchlist_changes_and_recover(
    node_database: str, tmp_path: Path
) -> None:
    env = node_environment(node_database, tmp_path / "data")
    secrets = await seed(env)
    async with aiohttp.ClientSession() as session:
        a = await start_node(env, session)
        b = await start_node(env, session)
        try:
            await _exchange(session, a, b, secrets, node_database)
        finally:
            await stop_node(a)
            await stop_node(b)


async def _exchange(
    session: aiohttp.ClientSession, a: Node, b: Node, secrets: dict[str, str | None], db: str
) -> None:
    people = await sign_in(session, a, secrets)
    await publish(session, a, people)  # SOK, before the desk connects
    inbox, arrivals = Inbox(), dict[int, float]()
    async with session.ws_connect(f"{b.url}/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": people.police})
        await ws.send_json({"type": "resume", "after_seq": 0})
        reader = asyncio.create_task(_read(ws, inbox, arrivals))
        try:
            # 1. An alert raised through node A reaches the desk on node B within a second.
            answer = await screen(session, a, people, SOK)
            alert_id = answer["matches"][0]["alert_id"]
            assert await wait_for_alert(arrivals, alert_id, WITHIN_A_SECOND) < WITHIN_A_SECOND

            # 2. An entry published through node A is matched by node B within a second.
            await publish(
                session,
                a,
                people,
                external_ref="UN-NODES.2",
                names=[{"full": "KIM Vanna", "family": "KIM", "given": "Vanna"}],
                dates_of_birth=["1979-11-23"],
                documents=[{"type": "passport", "number": "P76543210", "country": "KHM"}],
            )
            assert await _matched_after(session, b, people) < WITHIN_A_SECOND

            # 3. Every database connection is cut: the nodes reconnect and catch up.
            assert await listening_backends(db) >= 2
            assert await cut_database_connections(db) >= 2
            answer = await _screen_retrying(session, a, people)
            alert_id = answer["matches"][0]["alert_id"]
            await wait_for_alert(arrivals, alert_id, AFTER_RECOVERY)
            async with asyncio.timeout(AFTER_RECOVERY):
                while await listening_backends(db) < 2:  # noqa: ASYNC110 (polls PostgreSQL)
                    await asyncio.sleep(0.2)
            # Once listening again, it is back to within a second.
            answer = await screen(session, a, people, SOK)
            alert_id = answer["matches"][0]["alert_id"]
            assert await wait_for_alert(arrivals, alert_id, WITHIN_A_SECOND) < WITHIN_A_SECOND
            assert not reader.done()
            await asyncio.sleep(0.3)  # nothing else is on its way
            async with session.get(
                f"{b.url}/api/v1/alerts",
                headers={"Authorization": f"Bearer {people.police}"},
            ) as response:
                listed = [alert["seq"] for alert in (await response.json())["alerts"]]
            assert inbox.seqs == listed  # every alert once, in order, over the outage too
        finally:
            reader.cancel()


async def _matched_after(session: aiohttp.ClientSession, node: Node, people: People) -> float:
    """Seconds from now until a screening on ``node`` hits the new entry, counted to the
    start of the first screening that hit (the entry was in the index by then)."""
    published_at = time.monotonic()
    async with asyncio.timeout(AFTER_RECOVERY):
        while True:
            asked_at = time.monotonic()
            if (await screen(session, node, people, SINGLE_LINE_TRAVELLER))["outcome"] == "hit":
                return asked_at - published_at
            await asyncio.sleep(0.05)


async def _screen_retrying(
    session: aiohttp.ClientSession, node: Node, people: People
) -> dict[str, Any]:
    """The first request after the cut may meet a dead pooled connection: retry once."""
    try:
        return await screen(session, node, people, SOK)
    except AssertionError:
        await asyncio.sleep(0.5)
        return await screen(session, node, people, SOK)
