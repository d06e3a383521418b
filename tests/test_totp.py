"""The TOTP second factor: required for approvers, auditors and admins (configurable)."""

from __future__ import annotations

from typing import Any

import pytest

from alertd.clock import FrozenClock
from alertd.roles import Role
from tests.conftest import Client, MakeUser, TestUser, bearer

LOGIN = "/api/v1/auth/login"
TOTP_STEP_SECONDS = 30


async def post_login(client: Client, user: TestUser, totp: str | None) -> tuple[int, Any]:
    body: dict[str, Any] = {"username": user.username, "password": user.password}
    if totp is not None:
        body["totp"] = totp
    response = await client.post(LOGIN, json=body)
    return response.status, await response.json()


@pytest.mark.parametrize("role", [Role.WATCHLIST_APPROVER, Role.AUDITOR, Role.ADMIN])
async def test_privileged_roles_need_a_code(
    client: Client, make_user: MakeUser, clock: FrozenClock, role: Role
) -> None:
    user = await make_user("privileged", role)
    assert user.totp_secret is not None

    status, problem = await post_login(client, user, None)
    assert status == 401
    assert problem["type"].endswith("/totp-required")

    status, problem = await post_login(client, user, user.totp(clock, offset_steps=5))
    assert status == 401
    assert problem["type"].endswith("/not-authenticated")

    status, tokens = await post_login(client, user, user.totp(clock))
    assert status == 200
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status == 200


@pytest.mark.parametrize(
    "role", [Role.CHECKPOINT_OFFICER, Role.DESK_OFFICER, Role.WATCHLIST_EDITOR]
)
async def test_other_roles_sign_in_with_a_password(
    client: Client, make_user: MakeUser, role: Role
) -> None:
    user = await make_user("plain", role)
    assert user.totp_secret is None
    status, _ = await post_login(client, user, None)
    assert status == 200


async def test_the_totp_required_problem_needs_the_right_password_first(
    client: Client, make_user: MakeUser
) -> None:
    """Without the password, a TOTP account answers like any wrong password."""
    user = await make_user("admin1", Role.ADMIN)
    response = await client.post(LOGIN, json={"username": "admin1", "password": "a wrong one"})
    assert response.status == 401
    assert (await response.json())["type"].endswith("/not-authenticated")
    del user


async def test_a_code_cannot_be_replayed(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    user = await make_user("approver1", Role.WATCHLIST_APPROVER)
    code = user.totp(clock)
    assert (await post_login(client, user, code))[0] == 200
    status, problem = await post_login(client, user, code)
    assert status == 401, "the same code twice is a replay"
    assert problem["type"].endswith("/not-authenticated")

    clock.advance(TOTP_STEP_SECONDS)
    assert (await post_login(client, user, user.totp(clock)))[0] == 200


async def test_an_earlier_code_after_a_later_one_is_refused(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    """Drift tolerance must not let an older, unused code in after a newer one."""
    user = await make_user("auditor1", Role.AUDITOR)
    assert (await post_login(client, user, user.totp(clock)))[0] == 200
    status, _ = await post_login(client, user, user.totp(clock, offset_steps=-1))
    assert status == 401


async def test_codes_one_step_of_drift_are_accepted(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    user = await make_user("auditor1", Role.AUDITOR)
    assert (await post_login(client, user, user.totp(clock, offset_steps=-1)))[0] == 200
    assert (await post_login(client, user, user.totp(clock, offset_steps=1)))[0] == 200
    status, _ = await post_login(client, user, user.totp(clock, offset_steps=3))
    assert status == 401


async def test_malformed_codes_are_422_naming_the_field(
    client: Client, make_user: MakeUser
) -> None:
    user = await make_user("admin1", Role.ADMIN)
    for totp in ("12345", "abcdef", "123456789", "", " 123456x"):
        status, problem = await post_login(client, user, totp)
        assert (status, problem["errors"][0]["field"]) == (422, "totp"), totp


@pytest.mark.parametrize("settings_overrides", [{"totp_required_roles": "checkpoint_officer"}])
async def test_the_list_of_roles_is_configurable(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    officer = await make_user("officer1", Role.CHECKPOINT_OFFICER)
    admin = await make_user("admin1", Role.ADMIN)
    assert officer.totp_secret is not None
    assert admin.totp_secret is None
    status, problem = await post_login(client, officer, None)
    assert (status, problem["type"].rsplit("/", 1)[1]) == (401, "totp-required")
    assert (await post_login(client, officer, officer.totp(clock)))[0] == 200
    assert (await post_login(client, admin, None))[0] == 200


@pytest.mark.parametrize("settings_overrides", [{"totp_required_roles": ""}])
async def test_the_list_can_be_empty(client: Client, make_user: MakeUser) -> None:
    admin = await make_user("admin1", Role.ADMIN)
    assert (await post_login(client, admin, None))[0] == 200
