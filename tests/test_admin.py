"""Admin endpoints: only admins manage identity; everyone else 403, nobody 401."""

from __future__ import annotations

import json
from typing import Any

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.clock import FrozenClock
from alertd.roles import Role
from alertd.tables import audit_events
from tests.conftest import Client, MakeUser, TestUser, bearer, login

ADMIN_API = "/api/v1/admin"
NEW_PASSWORD = "a long enough password"

# Every admin endpoint, with a body that would be valid.
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/agencies", None),
    ("POST", "/agencies", {"code": "UNODC", "name": "UN Office on Drugs and Crime"}),
    ("GET", "/checkpoints", None),
    ("POST", "/checkpoints", {"code": "KOH", "name": "Koh Kong"}),
    ("GET", "/desks", None),
    ("POST", "/desks", {"agency": "GDI", "name": "GDI Bavet", "checkpoint": "BAV"}),
    ("GET", "/users", None),
    (
        "POST",
        "/users",
        {"username": "newbie", "agency": "GDI", "roles": ["desk_officer"], "password": "x" * 12},
    ),
    ("POST", "/users/target/disable", None),
    ("PUT", "/users/target/roles", {"roles": ["desk_officer"]}),
]


async def call(
    client: Client, method: str, path: str, body: dict[str, Any] | None, tokens: Any = None
) -> Any:
    headers = bearer(tokens) if tokens else {}
    return await client.request(method, ADMIN_API + path, json=body, headers=headers)


@pytest.fixture
async def people(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> dict[Role, dict[str, Any]]:
    """One signed-in user per role, plus a 'target' account to act on."""
    await make_user("target", Role.CHECKPOINT_OFFICER)
    tokens = {}
    for role in Role:
        user = await make_user(f"user-{role.value.replace('_', '-')}", role)
        tokens[role] = await login(client, user, clock)
    return tokens


async def test_only_admins_may_call_admin_endpoints(
    client: Client, people: dict[Role, dict[str, Any]], engine: AsyncEngine
) -> None:
    refused = {}
    for method, path, body in ENDPOINTS:
        response = await call(client, method, path, body)
        assert response.status == 401, (method, path)
        for role in Role:
            if role is Role.ADMIN:
                continue
            response = await call(client, method, path, body, people[role])
            if response.status != 403:
                refused[(method, path, role.value)] = response.status
    assert refused == {}, f"non-admins not refused with 403: {refused}"

    async with engine.connect() as conn:
        before = len((await conn.execute(select(audit_events.c.seq))).all())
    for method, path, body in ENDPOINTS:
        response = await call(client, method, path, body, people[Role.ADMIN])
        assert response.status in (200, 201), (method, path, await response.text())
    async with engine.connect() as conn:
        admin_events = (
            await conn.execute(
                select(audit_events.c.action, audit_events.c.actor).where(
                    audit_events.c.seq > before
                )
            )
        ).all()
    assert {tuple(event) for event in admin_events} == {
        ("agency.create", "user-admin"),
        ("checkpoint.create", "user-admin"),
        ("desk.create", "user-admin"),
        ("user.create", "user-admin"),
        ("user.list", "user-admin"),  # accounts are personal data: reading them is audited
        ("user.disable", "user-admin"),
        ("user.set_roles", "user-admin"),
    }


async def test_a_refused_caller_with_a_bad_body_gets_401_not_422(client: Client) -> None:
    response = await call(client, "POST", "/agencies", {"nonsense": True})
    assert response.status == 401


@pytest.fixture
async def admin(client: Client, make_user: MakeUser, clock: FrozenClock) -> dict[str, Any]:
    return await login(client, await make_user("admin1", Role.ADMIN), clock)


async def test_adding_a_user_who_needs_totp_returns_a_working_uri(
    client: Client, admin: dict[str, Any], clock: FrozenClock
) -> None:
    body = {"username": "approver2", "agency": "NCCT", "roles": ["watchlist_approver"]}
    response = await call(client, "POST", "/users", body | {"password": NEW_PASSWORD}, admin)
    assert response.status == 201
    created = await response.json()
    assert created["roles"] == ["watchlist_approver"]
    totp = pyotp.parse_uri(created["totp_uri"])
    assert created["totp_uri"].startswith("otpauth://totp/")
    new_user = TestUser("approver2", NEW_PASSWORD, totp.secret, "NCCT")
    tokens = await login(client, new_user, clock)
    assert tokens["user"]["roles"] == ["watchlist_approver"]


async def test_a_user_without_a_second_factor_role_gets_no_uri(
    client: Client, admin: dict[str, Any]
) -> None:
    body = {"username": "officer9", "agency": "GDI", "roles": ["checkpoint_officer"]}
    response = await call(client, "POST", "/users", body | {"password": NEW_PASSWORD}, admin)
    assert response.status == 201
    assert (await response.json())["totp_uri"] is None


async def test_passwords_keep_their_spaces(client: Client, admin: dict[str, Any]) -> None:
    """A password is a secret, not a name: it must be stored exactly as typed."""
    spaced = "  spaces around me  "
    body = {"username": "spacey", "agency": "GDI", "roles": ["desk_officer"], "password": spaced}
    assert (await call(client, "POST", "/users", body, admin)).status == 201
    exact = await client.post("/api/v1/auth/login", json={"username": "spacey", "password": spaced})
    assert exact.status == 200
    stripped = {"username": "spacey", "password": spaced.strip()}
    assert (await client.post("/api/v1/auth/login", json=stripped)).status == 401


async def test_a_short_password_is_422_naming_the_field(
    client: Client, admin: dict[str, Any]
) -> None:
    body = {"username": "shorty", "agency": "GDI", "roles": ["desk_officer"], "password": "short"}
    response = await call(client, "POST", "/users", body, admin)
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "password"


BAD_USER_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"roles": ["pope"]}, "roles.0"),
    ({"roles": []}, "roles"),
    ({"username": "Has Spaces"}, "username"),
    ({"agency": "lowercase"}, "agency"),
    ({"desk": "1"}, "desk"),
    ({"desk": 10**30}, "desk"),
    ({"desk": -1}, "desk"),
    ({"password": 123456789012}, "password"),
    ({"is_admin": True}, "is_admin"),
]


async def test_bad_user_bodies_are_422_naming_the_field(
    client: Client, admin: dict[str, Any]
) -> None:
    valid = {"username": "someone", "agency": "GDI", "roles": ["desk_officer"]}
    valid |= {"password": NEW_PASSWORD}
    wrong = {}
    for change, field in BAD_USER_FIELDS:
        response = await call(client, "POST", "/users", valid | change, admin)
        body = await response.json()
        fields = [error["field"] for error in body.get("errors", [])]
        if response.status != 422 or field not in fields:
            wrong[field + " " + json.dumps(change)] = (response.status, body["detail"])
    assert wrong == {}


async def test_references_to_nothing_are_4xx(client: Client, admin: dict[str, Any]) -> None:
    base = {"username": "someone", "roles": ["desk_officer"], "password": NEW_PASSWORD}
    for body in (base | {"agency": "NOPE"}, base | {"agency": "GDI", "desk": 9999}):
        response = await call(client, "POST", "/users", body, admin)
        assert response.status in (404, 409, 422), await response.text()
    desk = {"agency": "GDI", "name": "Nowhere", "checkpoint": "ZZZ"}
    assert (await call(client, "POST", "/desks", desk, admin)).status in (404, 422)


async def test_a_desk_of_another_agency_is_a_conflict(
    client: Client, admin: dict[str, Any]
) -> None:
    desks = await (await call(client, "GET", "/desks", None, admin)).json()
    gcnp_desk = next(d["id"] for d in desks["desks"] if d["agency"] == "GCNP")
    body = {"username": "mixed", "agency": "GDI", "roles": ["desk_officer"], "desk": gcnp_desk}
    response = await call(client, "POST", "/users", body | {"password": NEW_PASSWORD}, admin)
    assert response.status == 409


async def test_duplicates_are_409(client: Client, admin: dict[str, Any]) -> None:
    response = await call(client, "POST", "/agencies", {"code": "GDI", "name": "again"}, admin)
    assert response.status == 409
    assert (await response.json())["type"].endswith("/conflict")
    body = {"username": "admin1", "agency": "GDI", "roles": ["admin"], "password": NEW_PASSWORD}
    assert (await call(client, "POST", "/users", body, admin)).status == 409


async def test_acting_on_a_missing_user_is_404(client: Client, admin: dict[str, Any]) -> None:
    wrong = {}
    for username in ("nobody", "a%00b", "x" * 300, "%F0%9F%98%80", "..", "ADMIN1"):
        disable = await call(client, "POST", f"/users/{username}/disable", None, admin)
        roles = await call(client, "PUT", f"/users/{username}/roles", {"roles": ["auditor"]}, admin)
        if (disable.status, roles.status) != (404, 404):
            wrong[username] = (disable.status, roles.status)
    assert wrong == {}


async def test_disabling_by_api_revokes_at_once(
    client: Client, admin: dict[str, Any], make_user: MakeUser
) -> None:
    officer = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    assert (await client.get("/api/v1/me", headers=bearer(officer))).status == 200
    response = await call(client, "POST", "/users/officer1/disable", None, admin)
    assert response.status == 200
    assert (await response.json())["disabled"] is True
    assert (await client.get("/api/v1/me", headers=bearer(officer))).status == 401


async def test_changing_roles_ends_sessions_and_grants_the_new_roles(
    client: Client, admin: dict[str, Any], make_user: MakeUser
) -> None:
    officer = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    body = {"roles": ["desk_officer", "watchlist_editor"]}
    response = await call(client, "PUT", "/users/officer1/roles", body, admin)
    assert response.status == 200
    assert (await client.get("/api/v1/me", headers=bearer(officer))).status == 401
    again = await client.post(
        "/api/v1/auth/login", json={"username": "officer1", "password": "correct horse battery"}
    )
    assert (await again.json())["user"]["roles"] == ["desk_officer", "watchlist_editor"]


async def test_promoting_to_a_second_factor_role_provisions_totp(
    client: Client, admin: dict[str, Any], make_user: MakeUser, clock: FrozenClock
) -> None:
    """Otherwise the promoted user could never sign in again (no secret to make a code)."""
    user = await make_user("officer1", Role.CHECKPOINT_OFFICER)
    response = await call(client, "PUT", "/users/officer1/roles", {"roles": ["auditor"]}, admin)
    assert response.status == 200
    uri = (await response.json()).get("totp_uri")
    assert uri, "the answer must carry the new provisioning URI"
    promoted = TestUser(user.username, user.password, pyotp.parse_uri(uri).secret, user.agency)
    tokens = await login(client, promoted, clock)
    assert tokens["user"]["roles"] == ["auditor"]


async def test_an_admin_reads_no_watchlist_alerts_or_audit(
    client: Client, admin: dict[str, Any]
) -> None:
    """An admin manages accounts; watchlist content, alerts and the audit log (auditors
    watch admins too) are not theirs to read."""
    paths = [
        "/api/v1/watchlist/entries",
        "/api/v1/watchlist/entries/1",
        "/api/v1/watchlist/entries/1/history",
        "/api/v1/watchlist/export",
        "/api/v1/alerts",
        "/api/v1/audit",
        "/api/v1/audit/export",
        "/api/v1/audit/verify",
    ]
    answers = {path: (await client.get(path, headers=bearer(admin))).status for path in paths}
    assert answers == dict.fromkeys(paths, 403)
