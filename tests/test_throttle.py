"""Failed sign-ins are throttled per account and per client address (429 + Retry-After)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.clock import FrozenClock
from alertd.roles import Role
from alertd.tables import audit_events
from tests.conftest import Client, MakeUser, TestUser

LOGIN = "/api/v1/auth/login"
LOCKOUT_SECONDS = 120
SMALL_LIMITS = {
    "login_max_failures_per_account": "3",
    "login_max_failures_per_address": "5",
    "login_lockout_seconds": str(LOCKOUT_SECONDS),
    "login_window_seconds": "600",
}


async def attempt(client: Client, username: str, password: str) -> tuple[int, Any, Any]:
    response = await client.post(LOGIN, json={"username": username, "password": password})
    return response.status, response.headers, await response.json()


async def fail(client: Client, username: str, times: int) -> list[int]:
    return [(await attempt(client, username, "wrong password!"))[0] for _ in range(times)]


async def officer(make_user: MakeUser, name: str = "officer1") -> TestUser:
    return await make_user(name, Role.CHECKPOINT_OFFICER)


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_an_account_locks_after_its_limit_and_unlocks_after_the_lockout(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    user = await officer(make_user)
    assert await fail(client, user.username, 3) == [401, 401, 401]

    status, headers, problem = await attempt(client, user.username, user.password)
    assert status == 429, "even the right password is refused while locked"
    assert problem["type"].endswith("/too-many-attempts")
    assert int(headers["Retry-After"]) == LOCKOUT_SECONDS
    assert problem["retry_after"] == LOCKOUT_SECONDS

    clock.advance(LOCKOUT_SECONDS - 20)
    status, headers, _ = await attempt(client, user.username, user.password)
    assert (status, int(headers["Retry-After"])) == (429, 20)

    clock.advance(21)
    status, _, _ = await attempt(client, user.username, user.password)
    assert status == 200


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_an_unknown_account_locks_the_same_way(client: Client, make_user: MakeUser) -> None:
    await officer(make_user)
    assert await fail(client, "ghost", 3) == [401, 401, 401]
    status, headers, _ = await attempt(client, "ghost", "anything at all")
    assert status == 429
    assert "Retry-After" in headers


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_the_account_key_ignores_case(client: Client, make_user: MakeUser) -> None:
    user = await officer(make_user)
    await fail(client, "OFFICER1", 2)
    await fail(client, "Officer1", 1)
    status, _, _ = await attempt(client, user.username, user.password)
    assert status == 429


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_a_success_clears_the_account_count(client: Client, make_user: MakeUser) -> None:
    user = await officer(make_user)
    await fail(client, user.username, 2)
    assert (await attempt(client, user.username, user.password))[0] == 200
    assert await fail(client, user.username, 2) == [401, 401]
    assert (await attempt(client, user.username, user.password))[0] == 200


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_failures_outside_the_window_do_not_add_up(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    user = await officer(make_user)
    await fail(client, user.username, 2)
    clock.advance(601)
    await fail(client, user.username, 2)
    assert (await attempt(client, user.username, user.password))[0] == 200


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_an_address_locks_after_failures_across_accounts(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    """Spraying one password over many accounts from one address is caught too."""
    user = await officer(make_user)
    statuses = [(await attempt(client, f"user{n}", "wrong password!"))[0] for n in range(5)]
    assert statuses == [401] * 5

    status, headers, _ = await attempt(client, user.username, user.password)
    assert status == 429, "the address is locked, whatever the account"
    assert int(headers["Retry-After"]) == LOCKOUT_SECONDS

    clock.advance(LOCKOUT_SECONDS + 1)
    assert (await attempt(client, user.username, user.password))[0] == 200


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_throttled_attempts_are_audited_as_denied(
    client: Client, make_user: MakeUser, engine: AsyncEngine
) -> None:
    user = await officer(make_user)
    await fail(client, user.username, 4)
    async with engine.connect() as conn:
        outcomes = (
            await conn.execute(
                select(audit_events.c.outcome)
                .where(audit_events.c.action == "auth.login")
                .order_by(audit_events.c.seq)
            )
        ).scalars()
        assert list(outcomes) == ["failure", "failure", "failure", "denied"]


@pytest.mark.parametrize("settings_overrides", [SMALL_LIMITS])
async def test_wrong_totp_codes_count_as_failures(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    admin = await make_user("admin1", Role.ADMIN)
    wrong = admin.totp(clock, offset_steps=10)
    for _ in range(3):
        body = {"username": "admin1", "password": admin.password, "totp": wrong}
        assert (await client.post(LOGIN, json=body)).status == 401
    body = {"username": "admin1", "password": admin.password, "totp": admin.totp(clock)}
    assert (await client.post(LOGIN, json=body)).status == 429
