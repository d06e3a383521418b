"""Errors translated at the boundary: a busy SQLite is a 503 to retry, not a 500; the
signing key is created whole and shared by every start on one data directory."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.exc import DBAPIError, OperationalError

from alertd.api.problems import problems, request_context
from alertd.metrics import Metrics
from alertd.state import METRICS
from alertd.tokens import KEY_FILE_NAME, load_or_create_signing_key


def failing_app(error: Exception) -> web.Application:
    async def handler(_request: web.Request) -> web.Response:
        raise error

    app = web.Application(middlewares=[request_context, problems])
    app[METRICS] = Metrics()
    app.router.add_get("/fail", handler)
    return app


async def test_a_busy_database_is_a_503_with_retry_after(
    aiohttp_client: Callable[..., Awaitable[TestClient[Any, Any]]],
) -> None:
    busy = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
    client = await aiohttp_client(failing_app(busy))
    response = await client.get("/fail")
    assert response.status == 503
    assert response.headers["Retry-After"] == "1"
    assert (await response.json())["type"].endswith("/busy")


async def test_another_database_error_is_a_logged_500(
    aiohttp_client: Callable[..., Awaitable[TestClient[Any, Any]]],
) -> None:
    broken = OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))
    client = await aiohttp_client(failing_app(broken))
    response = await client.get("/fail")
    assert response.status == 500
    assert (await response.json())["request_id"]


async def test_a_lost_database_connection_is_a_503_with_retry_after(
    aiohttp_client: Callable[..., Awaitable[TestClient[Any, Any]]],
) -> None:
    lost = DBAPIError("SELECT", {}, ConnectionError("connection is closed"))
    lost.connection_invalidated = True
    client = await aiohttp_client(failing_app(lost))
    response = await client.get("/fail")
    assert response.status == 503
    assert response.headers["Retry-After"] == "1"


def test_the_signing_key_is_made_once_and_reused(tmp_path: Path) -> None:
    first = load_or_create_signing_key(tmp_path)
    second = load_or_create_signing_key(tmp_path)
    assert first.kid == second.kid
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]
    assert (tmp_path / KEY_FILE_NAME).stat().st_mode & 0o777 == 0o600
