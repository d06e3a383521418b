"""Fixtures for screening: a published watchlist and the people at the counter and desks.

Desk ids follow the shared ``world`` fixture: headquarters desks 1-6 (GDI, GCNP, GDCE,
MOSVY, NCCT, IOM, all handling any work), 7 GDI Poipet (all), 8 GCNP Poipet (suspects
only); this module adds 9, NCCT Poipet, a suspects-only desk, so victim routing has a
desk to avoid.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import identity
from alertd.clock import FrozenClock
from alertd.roles import Role
from alertd.tables import agencies, alert_routes, audit_events
from tests.conftest import SETUP, Client, MakeUser, TestUser, bearer, login
from tests.watchlist.helpers import entry_body

GDI_HQ, GCNP_HQ, GDCE_HQ, MOSVY_HQ, NCCT_HQ, IOM_HQ = 1, 2, 3, 4, 5, 6
GDI_POIPET, GCNP_POIPET, NCCT_POIPET = 7, 8, 9
ALL_AGENCIES = ["GDI", "GCNP", "GDCE", "MOSVY", "NCCT", "IOM"]

# A traveller who is the ``entry_body`` entry (SOK Chan, 1985-03-02, passport N01234567).
SOK: dict[str, Any] = {
    "names": [{"full": "Chan Sok"}],
    "date_of_birth": "1985-03-02",
    "nationality": "KHM",
    "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
}
NOBODY: dict[str, Any] = {
    "names": [{"full": "Maria Gonzalez"}],
    "date_of_birth": "1990-01-01",
    "nationality": "ESP",
    "documents": [{"type": "passport", "number": "X7654321", "country": "ESP"}],
}


@dataclass(frozen=True)
class Desks:
    officer: dict[str, str]  # GDI checkpoint officer at Poipet
    police: dict[str, str]  # GCNP desk officer, Poipet desk (suspects only)
    immigration: dict[str, str]  # GDI desk officer, no desk: sees all of GDI
    social: dict[str, str]  # MOSVY desk officer, HQ desk
    customs: dict[str, str]  # GDCE desk officer
    ncct_hq: dict[str, str]  # NCCT desk officer, HQ desk
    ncct_poipet: dict[str, str]  # NCCT desk officer, Poipet desk (suspects only)
    iom: dict[str, str]  # IOM desk officer (a partner: never routed by default)
    editor: dict[str, str]  # NCCT watchlist editor: NCCT owns what the tests publish
    approver: dict[str, str]
    people: dict[str, TestUser]

    def by_agency(self) -> dict[str, dict[str, str]]:
        """One desk officer per agency who sees everything routed to that agency."""
        return {
            "GDI": self.immigration,
            "GCNP": self.police,
            "GDCE": self.customs,
            "MOSVY": self.social,
            "NCCT": self.ncct_hq,
            "IOM": self.iom,
        }


@pytest.fixture
async def desks(
    client: Client, make_user: MakeUser, engine: AsyncEngine, clock: FrozenClock
) -> Desks:
    async with engine.begin() as conn:
        await identity.add_desk(
            conn,
            SETUP,
            clock.now(),
            agency="NCCT",
            name="NCCT Poipet",
            checkpoint="POI",
            handles="suspects",
        )
    desk = Role.DESK_OFFICER
    made = {
        "officer": await make_user(
            "poipet-officer", Role.CHECKPOINT_OFFICER, agency="GDI", checkpoints=("POI",)
        ),
        "police": await make_user("gcnp-poipet", desk, agency="GCNP", desk=GCNP_POIPET),
        "immigration": await make_user("gdi-desk", desk, agency="GDI"),
        "social": await make_user("mosvy-hq", desk, agency="MOSVY", desk=MOSVY_HQ),
        "customs": await make_user("gdce-desk", desk, agency="GDCE"),
        "ncct_hq": await make_user("ncct-hq", desk, agency="NCCT", desk=NCCT_HQ),
        "ncct_poipet": await make_user("ncct-poipet", desk, agency="NCCT", desk=NCCT_POIPET),
        "iom": await make_user("iom-desk", desk, agency="IOM"),
        "editor": await make_user("ncct-editor", Role.WATCHLIST_EDITOR, agency="NCCT"),
        "approver": await make_user("ncct-approver", Role.WATCHLIST_APPROVER, agency="NCCT"),
    }
    # Sign-ins verify argon2 hashes in threads: side by side they take half the time.
    signed_in = await asyncio.gather(*(login(client, user, clock) for user in made.values()))
    tokens = {name: bearer(pair) for name, pair in zip(made, signed_in, strict=True)}
    return Desks(**tokens, people=made)


async def publish(client: Client, desks: Desks, body: dict[str, Any]) -> int:
    response = await client.post("/api/v1/watchlist/entries", json=body, headers=desks.editor)
    assert response.status == 201, await response.text()
    entry_id = int((await response.json())["id"])
    base = f"/api/v1/watchlist/entries/{entry_id}"
    assert (await client.post(f"{base}/submit", headers=desks.editor)).status == 200
    response = await client.post(f"{base}/approve", headers=desks.approver)
    assert response.status == 200, await response.text()
    return entry_id


def crossing(checkpoint: str = "POI", **traveller: Any) -> dict[str, Any]:
    return {"checkpoint": checkpoint, "direction": "entry", "traveller": traveller}


async def cross(
    client: Client, desks: Desks, traveller: dict[str, Any] | None = None, **extra: str
) -> dict[str, Any]:
    """Submit a crossing at Poipet as the officer; the 201 answer."""
    body = crossing(**(traveller or SOK))
    response = await client.post("/api/v1/crossings", json=body, headers=desks.officer | extra)
    assert response.status == 201, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def alerts_for(client: Client, headers: dict[str, str], **query: str) -> list[Any]:
    response = await client.get("/api/v1/alerts", params=query, headers=headers)
    assert response.status == 200, await response.text()
    found: list[Any] = (await response.json())["alerts"]
    return found


async def count_rows(engine: AsyncEngine, table: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def routes_of(engine: AsyncEngine, alert_id: int) -> dict[str, Any]:
    """The alert's routes by agency code, straight from the database."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(alert_routes, agencies.c.code)
            .join(agencies, agencies.c.id == alert_routes.c.agency_id)
            .where(alert_routes.c.alert_id == alert_id)
        )
        return {row.code: row for row in rows}


async def audit_actions(engine: AsyncEngine, action: str) -> list[Any]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(audit_events).where(audit_events.c.action == action).order_by(audit_events.c.seq)
        )
        return list(rows)


@pytest.fixture
async def wanted(client: Client, desks: Desks, clock: FrozenClock) -> int:
    return await publish(client, desks, entry_body(clock))
