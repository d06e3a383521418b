"""Operations: health, readiness, metrics, the OpenAPI document, and the real server
process (start, sign in over HTTP, SIGTERM, clean exit)."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from alertd.api.openapi import operation_of
from alertd.config import Settings
from alertd.roles import Role
from tests.conftest import ALERTD_EXECUTABLE, Client, MakeUser, bearer, cli_environment, login

SERVER_START_TIMEOUT = 30.0
SERVER_STOP_TIMEOUT = 20.0


async def test_healthz(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}
    assert response.headers["X-Request-Id"]


async def test_readyz_when_ready(client: Client) -> None:
    response = await client.get("/readyz")
    assert response.status == 200
    assert (await response.json())["status"] == "ready"


def request_counts(exposition: str) -> dict[tuple[str, str, str], float]:
    counts = {}
    for family in text_string_to_metric_families(exposition):
        if family.name != "alertd_http_requests":
            continue
        for sample in family.samples:
            if sample.name == "alertd_http_requests_total":
                labels = sample.labels
                counts[(labels["route"], labels["method"], labels["status"])] = sample.value
    return counts


async def test_metrics_count_requests_by_route_template(
    client: Client, make_user: MakeUser
) -> None:
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    await client.get("/healthz")
    await client.get("/healthz")
    await client.get("/api/v1/me")
    await client.get("/api/v1/me", headers=bearer(tokens))
    await client.post("/api/v1/admin/users/anyone/disable")
    await client.get("/no/such/path/1")
    await client.get("/no/such/path/2")

    response = await client.get("/metrics")
    assert response.status == 200
    assert response.content_type == "text/plain"
    text = await response.text()
    counts = request_counts(text)
    assert counts[("/healthz", "GET", "200")] == 2
    assert counts[("/api/v1/me", "GET", "401")] == 1
    assert counts[("/api/v1/me", "GET", "200")] == 1
    assert counts[("/api/v1/auth/login", "POST", "200")] == 1
    assert counts[("/api/v1/admin/users/{username}/disable", "POST", "401")] == 1
    assert counts[("unmatched", "GET", "404")] == 2, "unmatched paths share one label"
    assert not any("/no/such" in route for route, _, _ in counts)


async def test_latency_histograms_by_route(client: Client) -> None:
    await client.get("/healthz")
    text = await (await client.get("/metrics")).text()
    families = {family.name: family for family in text_string_to_metric_families(text)}
    histogram = families["alertd_http_request_duration_seconds"]
    counts = [
        s.value
        for s in histogram.samples
        if s.name.endswith("_count") and s.labels == {"route": "/healthz", "method": "GET"}
    ]
    assert counts == [1.0]


async def test_every_route_is_in_the_openapi_document(client: Client) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    undocumented = []
    for route in client.app.router.routes():
        if route.method == "HEAD" or route.resource is None:
            continue
        if operation_of(route.handler) is None:
            undocumented.append(f"{route.method} {route.resource.canonical}")
            continue
        assert route.method.lower() in document["paths"][route.resource.canonical]
    assert undocumented == []


async def test_every_protected_route_answers_401_without_a_token(client: Client) -> None:
    """No handler forgets to ask for the caller, and none answers 500 to a stranger."""
    document = await (await client.get("/api/v1/openapi.json")).json()
    wrong = {}
    for path, operations in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)  # /entries/{entry_id} -> /entries/1
        for method, operation in operations.items():
            if "security" not in operation:
                continue
            response = await client.request(method.upper(), concrete, json={})
            expected = {401} if path != "/api/v1/ws" else {400, 401, 426}
            if response.status not in expected:
                wrong[f"{method.upper()} {path}"] = response.status
    assert wrong == {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def wait_until_serving(base: str, process: asyncio.subprocess.Process) -> None:
    deadline = asyncio.get_running_loop().time() + SERVER_START_TIMEOUT
    async with aiohttp.ClientSession() as session:
        while asyncio.get_running_loop().time() < deadline:
            assert process.returncode is None, "the server exited during start-up"
            try:
                async with session.get(base + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the server did not answer /healthz in time")


async def test_the_real_server_serves_and_stops_cleanly_on_sigterm(
    make_user: MakeUser, settings: Settings
) -> None:
    user = await make_user("officer1", Role.CHECKPOINT_OFFICER)
    port = free_port()
    env = cli_environment(settings) | {"ALERTD_PORT": str(port), "ALERTD_LOG_LEVEL": "INFO"}
    process = await asyncio.create_subprocess_exec(
        str(ALERTD_EXECUTABLE),
        "serve",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(base, process)
        async with aiohttp.ClientSession() as session:
            body = {"username": user.username, "password": user.password}
            async with session.post(base + "/api/v1/auth/login", json=body) as response:
                assert response.status == 200
                tokens: dict[str, Any] = await response.json()
            async with session.get(base + "/api/v1/me", headers=bearer(tokens)) as response:
                assert response.status == 200
                assert (await response.json())["username"] == "officer1"
                request_id = response.headers["X-Request-Id"]
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), SERVER_STOP_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()

    log = stderr.decode()
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(entry.get("request_id") == request_id for entry in entries), log
    for secret in (user.password, tokens["access_token"], tokens["refresh_token"]):
        assert secret not in log
