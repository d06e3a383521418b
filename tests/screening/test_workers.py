"""``alertd serve --workers N``: several server processes on one port, each a full node.

A real multi-process test (smoke tier) on a PostgreSQL database of its own: the workers
share the port (the parent deals connections to them in turn), an entry published
through one worker is matched by all of them, and SIGTERM stops the whole set cleanly.
SQLite, whose broker lives inside one process, is refused.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
from collections.abc import Mapping
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from alertd.cli import main
from tests.channels.helpers import SOK
from tests.channels.test_nodes import (
    Node,
    free_port,
    node_database,  # noqa: F401 (a fixture)
    node_environment,
    publish,
    seed,
    sign_in,
)
from tests.conftest import ALERTD_EXECUTABLE

pytestmark = pytest.mark.smoke

WORKERS = 2
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
POLL_SECONDS = 0.2
# Fresh connections: with two workers, the chance that every one lands on the same
# worker is 2**-(n-1).
FRESH_CONNECTIONS = 24
CROSSINGS_ANSWERED = re.compile(
    r'^alertd_http_requests_total\{[^}]*route="/api/v1/crossings"[^}]*\} (\S+)$', re.M
)
HEALTH_CHECKS_ANSWERED = re.compile(
    r'^alertd_http_requests_total\{[^}]*route="/healthz"[^}]*\} (\S+)$', re.M
)


async def start_workers(env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        str(ALERTD_EXECUTABLE),
        "serve",
        "--workers",
        str(WORKERS),
        env=env | {"ALERTD_PORT": str(port)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(START_TIMEOUT), aiohttp.ClientSession() as session:
        while len(worker_pids(process.pid)) < WORKERS or not await _ready(session, port):
            assert process.returncode is None, "alertd serve --workers exited"
            await asyncio.sleep(0.2)
    return process


def worker_pids(parent: int) -> list[int]:
    """The parent's worker processes (not multiprocessing's own resource tracker)."""
    children = Path(f"/proc/{parent}/task/{parent}/children")
    pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    return [pid for pid in pids if b"spawn_main" in _command_line(pid)]


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it has just exited
        return b""


async def _ready(session: aiohttp.ClientSession, port: int) -> bool:
    try:
        async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
            return response.status == 200
    except aiohttp.ClientConnectionError:
        return False


async def on_a_fresh_connection(method: str, url: str, **kwargs: object) -> tuple[int, str]:
    """A request on a connection of its own, so the kernel picks a worker for it anew."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.request(method, url, **kwargs) as response,  # type: ignore[arg-type]
    ):
        return response.status, await response.text()


async def test_workers_share_the_port_and_every_one_matches_a_new_entry(
    node_database: str,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    env = node_environment(node_database, tmp_path / "data")
    secrets = await seed(env)
    port = free_port()
    process = await start_workers(env, port)
    node = Node(f"http://127.0.0.1:{port}", process)
    try:
        async with aiohttp.ClientSession() as session:
            people = await sign_in(session, node, secrets)
            await publish(session, node, people)
        crossing = {"checkpoint": "POI", "direction": "entry", "traveller": SOK}
        outcomes, posted = [], 0
        for _ in range(FRESH_CONNECTIONS):
            outcome, attempts = await _outcome_within_a_second(node, people.officer, crossing)
            outcomes.append(outcome)
            posted += attempts
        assert outcomes == ["hit"] * FRESH_CONNECTIONS
        answered = set()
        for _ in range(FRESH_CONNECTIONS):
            status, text = await on_a_fresh_connection("GET", f"{node.url}/metrics")
            assert status == 200
            answered.add(sum(float(n) for n in CROSSINGS_ANSWERED.findall(text)))
        # Each worker counts only what it answered: both answered some (a worker that
        # answered none reports 0), and their two counts add up to the whole (an even
        # split shows one value twice).
        assert 0 not in answered, answered
        assert sum(answered) == posted or answered == {posted / 2}, (answered, posted)
        workers = worker_pids(process.pid)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), STOP_TIMEOUT)
        assert process.returncode == 0, stderr.decode()
        assert not any(_command_line(pid) for pid in workers), "a worker outlived the parent"
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_connections_are_dealt_to_the_workers_in_turn(
    node_database: str,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    """Kept-alive connections split evenly (a hash of the addresses, as SO_REUSEPORT
    spreads them, would split 8 connections 4/4 only about a quarter of the time)."""
    env = node_environment(node_database, tmp_path / "data")
    await seed(env)
    port = free_port()
    process = await start_workers(env, port)
    url = f"http://127.0.0.1:{port}"
    try:
        sessions = [aiohttp.ClientSession() for _ in range(2 * 4)]
        try:
            for session in sessions:  # one connection each, dealt one after the other
                async with session.get(f"{url}/healthz") as response:
                    assert response.status == 200
            # The next two fresh connections go to one worker each.
            counts = []
            for _ in range(WORKERS):
                status, text = await on_a_fresh_connection("GET", f"{url}/metrics")
                assert status == 200
                counts.append(sum(float(n) for n in HEALTH_CHECKS_ANSWERED.findall(text)))
        finally:
            for session in sessions:
                await session.close()
        assert counts == [4.0, 4.0]
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), STOP_TIMEOUT)


async def test_workers_stop_when_their_parent_is_killed(
    node_database: str,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    """A supervisor's SIGKILL skips the parent's graceful stop: the workers notice they
    are orphans and stop by themselves, releasing the port and the database."""
    env = node_environment(node_database, tmp_path / "data")
    await seed(env)
    process = await start_workers(env, free_port())
    workers = worker_pids(process.pid)
    assert len(workers) == WORKERS
    process.kill()
    await process.wait()
    for _ in range(int(STOP_TIMEOUT / POLL_SECONDS)):
        if not any(_command_line(pid) for pid in workers):
            return
        await asyncio.sleep(POLL_SECONDS)
    pytest.fail("the workers outlived their killed parent")


async def _outcome_within_a_second(
    node: Node, officer: dict[str, str], crossing: Mapping[str, object]
) -> tuple[str, int]:
    """The worker that did not take the publication learns of it through the broker;
    the outcome, and how many crossings were posted to get it."""
    attempts = 0
    async with asyncio.timeout(1.0):
        while True:
            status, text = await on_a_fresh_connection(
                "POST", f"{node.url}/api/v1/crossings", json=crossing, headers=officer
            )
            attempts += 1
            assert status == 201, text
            outcome = str(json.loads(text)["outcome"])
            if outcome == "hit":
                return outcome, attempts
            await asyncio.sleep(0.05)


def test_several_workers_are_refused_on_sqlite(tmp_path: Path) -> None:
    env = {"ALERTD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/alertd.db"}
    result = CliRunner().invoke(main, ["serve", "--workers", "2"], env=env)
    assert result.exit_code != 0
    assert "several workers need PostgreSQL" in result.output
