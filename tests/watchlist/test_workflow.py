"""The four-eyes workflow through the real API, including the forbidden paths."""

from __future__ import annotations

from typing import Any

import pytest

from alertd.clock import FrozenClock
from alertd.roles import Role
from tests.conftest import Client, MakeUser, TestUser, bearer, login
from tests.watchlist.helpers import entry_body


@pytest.fixture
async def people(client: Client, make_user: MakeUser, clock: FrozenClock) -> dict[str, Any]:
    users: dict[str, TestUser] = {
        "editor": await make_user("ncct-editor", Role.WATCHLIST_EDITOR, agency="NCCT"),
        "editor2": await make_user("ncct-editor2", Role.WATCHLIST_EDITOR, agency="NCCT"),
        "approver": await make_user("ncct-approver", Role.WATCHLIST_APPROVER, agency="NCCT"),
        "approver2": await make_user("ncct-approver2", Role.WATCHLIST_APPROVER, agency="NCCT"),
        "both": await make_user(
            "ncct-both", Role.WATCHLIST_EDITOR, Role.WATCHLIST_APPROVER, agency="NCCT"
        ),
        "gdi_approver": await make_user("gdi-approver", Role.WATCHLIST_APPROVER, agency="GDI"),
    }
    return {name: bearer(await login(client, user, clock)) for name, user in users.items()}


async def create(client: Client, headers: dict[str, str], body: dict[str, Any]) -> int:
    response = await client.post("/api/v1/watchlist/entries", json=body, headers=headers)
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["status"] == "draft"
    return int(created["id"])


async def post(client: Client, path: str, headers: dict[str, str], **body: Any) -> Any:
    return await client.post(path, json=body or None, headers=headers)


async def test_draft_submit_approve_publishes(
    client: Client, people: dict[str, Any], clock: FrozenClock
) -> None:
    entry_id = await create(client, people["editor"], entry_body(clock))
    base = f"/api/v1/watchlist/entries/{entry_id}"
    response = await client.post(f"{base}/submit", headers=people["editor"])
    assert (await response.json())["status"] == "pending"
    response = await client.post(f"{base}/approve", headers=people["approver"])
    assert response.status == 200, await response.text()
    assert (await response.json())["status"] == "published"
    detail = await (await client.get(base, headers=people["editor"])).json()
    assert detail["status"] == "published"
    assert detail["entry"]["reason"].startswith("Arrest warrant")
    history = await (await client.get(f"{base}/history", headers=people["editor"])).json()
    assert [e["action"] for e in history["events"]] == ["create", "submit", "approve"]


async def test_author_cannot_approve_own_entry(
    client: Client, people: dict[str, Any], clock: FrozenClock
) -> None:
    entry_id = await create(client, people["both"], entry_body(clock))
    base = f"/api/v1/watchlist/entries/{entry_id}"
    await client.post(f"{base}/submit", headers=people["both"])
    response = await client.post(f"{base}/approve", headers=people["both"])
    assert response.status == 403
    assert (await response.json())["detail"].startswith("four eyes")


async def test_approver_of_another_agency_cannot_see_or_approve(
    client: Client, people: dict[str, Any], clock: FrozenClock
) -> None:
    entry_id = await create(client, people["editor"], entry_body(clock))
    base = f"/api/v1/watchlist/entries/{entry_id}"
    await client.post(f"{base}/submit", headers=people["editor"])
    response = await client.post(f"{base}/approve", headers=people["gdi_approver"])
    assert response.status == 404  # a pending entry of NCCT is not released to GDI


async def test_edit_of_published_entry_is_pending_and_old_version_stays(
    client: Client, people: dict[str, Any], clock: FrozenClock
) -> None:
    entry_id = await create(client, people["editor"], entry_body(clock))
    base = f"/api/v1/watchlist/entries/{entry_id}"
    await client.post(f"{base}/submit", headers=people["editor"])
    await client.post(f"{base}/approve", headers=people["approver"])
    changed = entry_body(clock, instructions="Detain; notify NCCT")
    response = await client.put(base, json=changed, headers=people["editor2"])
    assert (await response.json()) == {"id": entry_id, "version": 2, "status": "pending"}
    detail = await (await client.get(base, headers=people["gdi_approver"])).json()
    assert detail["version"] == 1 and "reason" not in detail["entry"]
    response = await client.post(f"{base}/approve", headers=people["approver"])
    assert (await response.json())["version"] == 2


async def test_withdrawal_needs_second_person_and_blocks_editing(
    client: Client, people: dict[str, Any], clock: FrozenClock
) -> None:
    entry_id = await create(client, people["editor"], entry_body(clock))
    base = f"/api/v1/watchlist/entries/{entry_id}"
    await client.post(f"{base}/submit", headers=people["editor"])
    await client.post(f"{base}/approve", headers=people["approver"])
    response = await post(client, f"{base}/withdraw", people["approver"], reason="Arrested")
    assert (await response.json())["status"] == "pending_withdrawal"
    assert (await client.post(f"{base}/approve", headers=people["approver"])).status == 403
    response = await client.post(f"{base}/approve", headers=people["approver2"])
    assert (await response.json())["status"] == "withdrawn"
    response = await client.put(base, json=entry_body(clock), headers=people["editor"])
    assert response.status == 409
