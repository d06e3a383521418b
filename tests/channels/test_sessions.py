"""Who may hold an alert channel open: authentication, expiry, logout, disabling, renewal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import identity
from alertd.channels import protocol
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.roles import Role
from tests.channels.helpers import (
    PROMPTLY,
    close_code,
    desk_socket,
    next_of,
    stays_open,
    token,
)
from tests.conftest import SETUP, Client, MakeUser, login, run_alertd
from tests.screening.conftest import Desks

ACCESS_TTL = 600  # the default access_token_ttl_seconds


async def refused_with(client: Client, access_token: str) -> int:
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_json({"type": "auth", "token": access_token})
        return await close_code(ws)


async def test_no_auth_message_in_time_closes_with_4401(client: Client) -> None:
    async with client.ws_connect("/api/v1/ws") as ws:
        code = await close_code(ws, within=protocol.AUTH_TIMEOUT_SECONDS + 2)
    assert code == protocol.CLOSE_UNAUTHENTICATED


@pytest.mark.parametrize(
    "first",
    [
        '{"type": "auth", "token": "garbage"}',
        '{"type": "auth", "token": 12}',
        '{"type": "resume", "after_seq": 0}',
        "not json at all",
    ],
)
async def test_a_bad_first_message_closes_with_4401(client: Client, first: str) -> None:
    async with client.ws_connect("/api/v1/ws") as ws:
        await ws.send_str(first)
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


async def test_an_expired_token_is_refused(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    clock.advance(ACCESS_TTL + 1)
    assert await refused_with(client, token(desks.police)) == protocol.CLOSE_UNAUTHENTICATED


async def test_a_refresh_token_is_not_an_access_token(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    user = await make_user("gcnp-hq", Role.DESK_OFFICER, agency="GCNP")
    tokens = await login(client, user, clock)
    refused = await refused_with(client, tokens["refresh_token"])
    assert refused == protocol.CLOSE_UNAUTHENTICATED


async def test_a_checkpoint_officer_is_forbidden(client: Client, desks: Desks) -> None:
    assert await refused_with(client, token(desks.officer)) == protocol.CLOSE_FORBIDDEN


async def test_the_socket_closes_when_the_token_expires(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        assert await stays_open(ws, 0.3)
        clock.advance(ACCESS_TTL + 1)
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


async def test_logout_closes_the_socket(client: Client, desks: Desks) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        response = await client.post("/api/v1/auth/logout", headers=desks.police)
        assert response.status in (200, 204)
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


async def test_disabling_the_user_closes_the_socket(
    client: Client, desks: Desks, engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        async with engine.begin() as conn:
            await identity.disable_user(conn, SETUP, clock.now(), "gcnp-poipet")
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


@pytest.mark.smoke
async def test_alertd_user_disable_closes_the_socket(
    client: Client, desks: Desks, settings: Settings
) -> None:
    async with desk_socket(client, token(desks.immigration)) as ws:
        result = await run_alertd(settings, "user", "disable", "gdi-desk")
        assert result.exit_code == 0, result.stderr
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


async def test_disabling_someone_else_leaves_the_socket_open(
    client: Client, desks: Desks, engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        async with engine.begin() as conn:
            await identity.disable_user(conn, SETUP, clock.now(), "gdi-desk")
        assert await stays_open(ws, PROMPTLY)


async def test_a_renewed_token_keeps_the_socket_open_past_the_old_expiry(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    user = await make_user("gcnp-hq", Role.DESK_OFFICER, agency="GCNP")
    first = await login(client, user, clock)
    async with desk_socket(client, first["access_token"]) as ws:
        clock.advance(ACCESS_TTL - 10)
        second = await login(client, user, clock)
        await ws.send_json({"type": "auth", "token": second["access_token"]})
        renewed = await next_of(ws, "authenticated")
        expires_at = datetime.fromisoformat(renewed["expires_at"])
        assert expires_at == clock.now() + timedelta(seconds=ACCESS_TTL)
        clock.advance(20)  # the first token has expired, the second has not
        assert await stays_open(ws, PROMPTLY)
        clock.advance(ACCESS_TTL)
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


async def test_renewing_with_another_users_token_closes_the_socket(
    client: Client, desks: Desks
) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        await ws.send_json({"type": "auth", "token": token(desks.immigration)})
        assert await close_code(ws) == protocol.CLOSE_UNAUTHENTICATED


async def test_a_bad_message_after_auth_is_answered_and_the_socket_stays_open(
    client: Client, desks: Desks
) -> None:
    async with desk_socket(client, token(desks.police)) as ws:
        await ws.send_str('{"type": "dance"}')
        error = await next_of(ws, "error")
        assert "dance" in error["detail"]
        await ws.send_str("[1, 2]")
        await next_of(ws, "error")
        assert await stays_open(ws, 0.3)
