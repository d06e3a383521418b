"""Sign-in, refresh rotation, reuse detection, logout and disable revocation."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import identity
from alertd.clock import FrozenClock
from alertd.config import load_settings
from alertd.logs import JsonFormatter
from alertd.passwords import Passwords
from alertd.roles import Role
from alertd.tables import audit_events, refresh_tokens, users
from tests.conftest import SETUP, Client, MakeUser, TestUser, bearer, login, run_alertd

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/me"


async def officer(make_user: MakeUser, name: str = "officer1") -> TestUser:
    return await make_user(name, Role.CHECKPOINT_OFFICER, checkpoints=("POI",))


async def status_of_me(client: Client, tokens: dict[str, Any]) -> int:
    response = await client.get(ME, headers=bearer(tokens))
    return response.status


async def refresh(client: Client, refresh_token: str) -> tuple[int, dict[str, Any]]:
    response = await client.post(REFRESH, json={"refresh_token": refresh_token})
    return response.status, await response.json()


def without_request_id(problem: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in problem.items() if k != "request_id"}


async def test_good_login_returns_the_contracted_pair(client: Client, make_user: MakeUser) -> None:
    user = await officer(make_user)
    tokens = await login(client, user)
    assert tokens["token_type"] == "Bearer"
    assert 0 < tokens["expires_in"] <= 15 * 60
    assert tokens["refresh_token"] != tokens["access_token"]
    assert tokens["user"] == {
        "username": "officer1",
        "agency": "GDI",
        "desk": None,
        "roles": ["checkpoint_officer"],
    }
    response = await client.get(ME, headers=bearer(tokens))
    assert response.status == 200
    assert await response.json() == {
        "username": "officer1",
        "agency": "GDI",
        "desk": None,
        "roles": ["checkpoint_officer"],
        "checkpoints": ["POI"],
    }


async def test_unknown_user_gets_the_same_answer_as_a_wrong_password(
    client: Client, make_user: MakeUser
) -> None:
    await officer(make_user)
    wrong = await client.post(LOGIN, json={"username": "officer1", "password": "not the password"})
    unknown = await client.post(LOGIN, json={"username": "nobody", "password": "not the password"})
    assert wrong.status == unknown.status == 401
    assert wrong.content_type == unknown.content_type == "application/problem+json"
    assert without_request_id(await wrong.json()) == without_request_id(await unknown.json())
    assert wrong.headers.get("WWW-Authenticate") == unknown.headers.get("WWW-Authenticate")


async def test_a_disabled_user_cannot_sign_in_and_learns_nothing(
    client: Client, make_user: MakeUser, engine: AsyncEngine, clock: FrozenClock
) -> None:
    user = await officer(make_user)
    async with engine.begin() as conn:
        await identity.disable_user(conn, SETUP, clock.now(), user.username)
    disabled = await client.post(LOGIN, json={"username": user.username, "password": user.password})
    unknown = await client.post(LOGIN, json={"username": "nobody", "password": user.password})
    assert disabled.status == 401
    assert without_request_id(await disabled.json()) == without_request_id(await unknown.json())


async def test_logins_good_and_bad_are_audited(
    client: Client, make_user: MakeUser, engine: AsyncEngine
) -> None:
    user = await officer(make_user)
    await client.post(LOGIN, json={"username": user.username, "password": "wrong password"})
    await login(client, user)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(audit_events.c.action, audit_events.c.outcome, audit_events.c.subject)
                .where(audit_events.c.action == "auth.login")
                .order_by(audit_events.c.seq)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("auth.login", "failure", "user:officer1"),
        ("auth.login", "success", "user:officer1"),
    ]


async def test_refresh_rotates_and_the_old_token_dies(client: Client, make_user: MakeUser) -> None:
    first = await login(client, await officer(make_user))
    status, second = await refresh(client, first["refresh_token"])
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert await status_of_me(client, second) == 200
    status, _ = await refresh(client, second["refresh_token"])
    assert status == 200


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(
    client: Client, make_user: MakeUser, engine: AsyncEngine
) -> None:
    user = await officer(make_user)
    first = await login(client, user)
    other_session = await login(client, user)
    status, second = await refresh(client, first["refresh_token"])
    assert status == 200

    status, problem = await refresh(client, first["refresh_token"])  # replayed
    assert status == 401
    assert problem["type"].endswith("/not-authenticated")

    status, _ = await refresh(client, second["refresh_token"])
    assert status == 401, "the newer refresh token of the family must die too"
    assert await status_of_me(client, second) == 401, "and so must its access token"
    assert await status_of_me(client, other_session) == 200, "other sessions are untouched"
    async with engine.connect() as conn:
        actions = (await conn.execute(select(audit_events.c.action))).scalars().all()
    assert "auth.refresh_reuse" in actions


async def test_refresh_tokens_are_stored_hashed(
    client: Client, make_user: MakeUser, engine: AsyncEngine
) -> None:
    tokens = await login(client, await officer(make_user))
    async with engine.connect() as conn:
        stored = (await conn.execute(select(refresh_tokens.c.token_hash))).scalars().all()
    assert len(stored) == 1
    assert tokens["refresh_token"] not in stored[0]


async def test_an_unknown_refresh_token_is_refused(client: Client, make_user: MakeUser) -> None:
    status, problem = await refresh(client, "rt_made-up")
    assert status == 401
    assert problem["status"] == 401


async def test_refresh_token_expires(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    tokens = await login(client, await officer(make_user))
    clock.advance(8 * 3600 + 1)
    status, _ = await refresh(client, tokens["refresh_token"])
    assert status == 401


async def test_access_token_expires_with_the_clock(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    tokens = await login(client, await officer(make_user))
    clock.advance(tokens["expires_in"] - 1)
    assert await status_of_me(client, tokens) == 200
    clock.advance(60)
    assert await status_of_me(client, tokens) == 401


async def test_logout_revokes_the_access_and_refresh_tokens(
    client: Client, make_user: MakeUser
) -> None:
    tokens = await login(client, await officer(make_user))
    response = await client.post(LOGOUT, headers=bearer(tokens))
    assert response.status == 204
    assert await status_of_me(client, tokens) == 401
    status, _ = await refresh(client, tokens["refresh_token"])
    assert status == 401
    assert (await client.post(LOGOUT, headers=bearer(tokens))).status == 401


async def test_cli_user_disable_revokes_at_once(
    client: Client, make_user: MakeUser, settings: Any
) -> None:
    tokens = await login(client, await officer(make_user))
    assert await status_of_me(client, tokens) == 200
    result = await run_alertd(settings, "user", "disable", "officer1")
    assert result.exit_code == 0, result.stderr
    assert await status_of_me(client, tokens) == 401
    status, _ = await refresh(client, tokens["refresh_token"])
    assert status == 401


async def test_missing_or_malformed_bearer_is_401(client: Client) -> None:
    headers: list[str | None] = [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic b2ZmaWNlcjE6eA==",
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Bearer \u00e9\u00e9.\u00e9.\u00e9",
        "Bearer " + "A" * 8_000,  # aiohttp's own header limit (8190) answers beyond
    ]
    for header in headers:
        response = await client.get(ME, headers={} if header is None else {"Authorization": header})
        assert response.status == 401, (header or "")[:40]
        assert response.content_type == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_the_bearer_scheme_is_case_insensitive(client: Client, make_user: MakeUser) -> None:
    # RFC 7235: the authentication scheme is case-insensitive.
    tokens = await login(client, await officer(make_user))
    response = await client.get(ME, headers={"Authorization": f"bearer {tokens['access_token']}"})
    assert response.status == 200


async def test_logs_never_contain_passwords_or_tokens(
    client: Client, make_user: MakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    user = await officer(make_user)
    caplog.set_level(logging.DEBUG)
    await client.post(LOGIN, json={"username": user.username, "password": "a wrong password"})
    tokens = await login(client, user)
    await client.get(ME, headers=bearer(tokens))
    _, renewed = await refresh(client, tokens["refresh_token"])
    await client.post(LOGOUT, headers=bearer(renewed))
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert '"route": "/api/v1/auth/login"' in logged, "the capture saw the requests"
    secrets = [user.password, "a wrong password"]
    secrets += [tokens["access_token"], tokens["refresh_token"]]
    secrets += [renewed["access_token"], renewed["refresh_token"]]
    for secret in secrets:
        assert secret not in logged


@pytest.mark.parametrize("settings_overrides", [{"argon2_time_cost": "3"}])
async def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(
    client: Client, engine: AsyncEngine, clock: FrozenClock, world: None
) -> None:
    """Raising argon2 costs in the settings reaches existing accounts at their next login."""
    old_hash = Passwords(load_settings({})).hash("an old enough password")
    assert "t=2" in old_hash
    new = identity.NewUser("veteran", "GDI", (Role.DESK_OFFICER,), old_hash)
    async with engine.begin() as conn:
        await identity.add_user(conn, SETUP, clock.now(), new, with_totp=False)
    body = {"username": "veteran", "password": "an old enough password"}
    assert (await client.post(LOGIN, json=body)).status == 200
    async with engine.connect() as conn:
        stored = (
            await conn.execute(select(users.c.password_hash).where(users.c.username == "veteran"))
        ).scalar_one()
    assert "t=3" in stored
    assert (await client.post(LOGIN, json=body)).status == 200, "the new hash verifies"
