"""Fixtures for screening: a published watchlist and the people at the counter and desks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from alertd.clock import FrozenClock
from alertd.roles import Role
from tests.conftest import Client, MakeUser, bearer, login
from tests.watchlist.helpers import entry_body


@dataclass(frozen=True)
class Desks:
    officer: dict[str, str]  # GDI checkpoint officer at Poipet
    police: dict[str, str]  # GCNP desk officer, Poipet desk (suspects only)
    immigration: dict[str, str]  # GDI desk officer, no desk: sees all of GDI
    social: dict[str, str]  # MOSVY desk officer, HQ desk
    customs: dict[str, str]  # GDCE desk officer
    editor: dict[str, str]
    approver: dict[str, str]


@pytest.fixture
async def desks(client: Client, make_user: MakeUser, clock: FrozenClock) -> Desks:
    made = {
        "officer": await make_user(
            "poipet-officer", Role.CHECKPOINT_OFFICER, agency="GDI", checkpoints=("POI",)
        ),
        "police": await make_user("gcnp-poipet", Role.DESK_OFFICER, agency="GCNP", desk=8),
        "immigration": await make_user("gdi-desk", Role.DESK_OFFICER, agency="GDI"),
        "social": await make_user("mosvy-hq", Role.DESK_OFFICER, agency="MOSVY", desk=4),
        "customs": await make_user("gdce-desk", Role.DESK_OFFICER, agency="GDCE"),
        "editor": await make_user("ncct-editor", Role.WATCHLIST_EDITOR, agency="NCCT"),
        "approver": await make_user("ncct-approver", Role.WATCHLIST_APPROVER, agency="NCCT"),
    }
    tokens = {name: bearer(await login(client, user, clock)) for name, user in made.items()}
    return Desks(**tokens)


async def publish(client: Client, desks: Desks, body: dict[str, Any]) -> int:
    response = await client.post("/api/v1/watchlist/entries", json=body, headers=desks.editor)
    assert response.status == 201, await response.text()
    entry_id = int((await response.json())["id"])
    base = f"/api/v1/watchlist/entries/{entry_id}"
    assert (await client.post(f"{base}/submit", headers=desks.editor)).status == 200
    response = await client.post(f"{base}/approve", headers=desks.approver)
    assert response.status == 200, await response.text()
    return entry_id


def crossing(**traveller: Any) -> dict[str, Any]:
    return {"checkpoint": "POI", "direction": "entry", "traveller": traveller}


@pytest.fixture
async def wanted(client: Client, desks: Desks, clock: FrozenClock) -> int:
    return await publish(client, desks, entry_body(clock))
