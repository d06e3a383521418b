"""The auditor's REST view of the audit log: search, export, verify; nobody else's."""

from __future__ import annotations

import json

from alertd.clock import FrozenClock
from alertd.roles import Role
from tests.conftest import Client, MakeUser, bearer, login


async def test_auditor_searches_exports_and_verifies(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    auditor = await make_user("auditor1", Role.AUDITOR)
    officer = await make_user("officer1", Role.CHECKPOINT_OFFICER, checkpoints=("POI",))
    await login(client, officer)
    headers = bearer(await login(client, auditor, clock))

    found = await client.get("/api/v1/audit", params={"action": "auth.login"}, headers=headers)
    assert found.status == 200
    events = (await found.json())["events"]
    assert [e["subject"] for e in events] == ["user:officer1", "user:auditor1"]
    assert all(e["outcome"] == "success" for e in events)

    exported = await client.get("/api/v1/audit/export", headers=headers)
    assert exported.headers["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in (await exported.text()).splitlines()]
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    # reading the log is itself recorded, the export before it streams
    assert [e["action"] for e in lines[-2:]] == ["audit.search", "audit.export"]

    verified = await (await client.get("/api/v1/audit/verify", headers=headers)).json()
    assert verified["ok"] is True
    assert verified["events"] >= len(lines)


async def test_bad_filters_are_422_naming_the_field(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    auditor = await make_user("auditor1", Role.AUDITOR)
    headers = bearer(await login(client, auditor, clock))
    response = await client.get("/api/v1/audit", params={"since": "yesterday"}, headers=headers)
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "since"


async def test_only_auditors_read_the_log(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    for role in set(Role) - {Role.AUDITOR}:
        user = await make_user(f"user-{role.value}".replace("_", "-"), role)
        headers = bearer(await login(client, user, clock))
        for path in ("/api/v1/audit", "/api/v1/audit/export", "/api/v1/audit/verify"):
            response = await client.get(path, headers=headers)
            assert response.status == 403, (role, path)
    assert (await client.get("/api/v1/audit")).status == 401
