"""Pushed ⇔ listed, as a property: for random desk officers (any agency, any desk, HQ,
suspects-only and victims desks, no desk) and random alerts (any category, owner,
release_to and checkpoint), every connection receives exactly the alerts that
``GET /api/v1/alerts`` lists for its user, with the same JSON, in seq order."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import alerts, identity
from alertd.clock import FrozenClock
from alertd.roles import Role
from alertd.state import NOTIFIER, ROUTING
from alertd.tables import checkpoints, desks
from tests.channels.helpers import (
    AlertSpec,
    Inbox,
    desk_socket,
    listed,
    raise_alerts,
    read_into,
    specimen,
    until,
)
from tests.conftest import SETUP, Client, MakeUser, bearer, login
from tests.screening.conftest import Desks

AGENCIES = ("GDI", "GCNP", "GDCE", "MOSVY", "NCCT", "IOM")
# Desks beyond the shared world: place-bound desks of every kind of work.
MORE_DESKS = (
    ("MOSVY", "MOSVY Poipet", "POI", "victims"),
    ("NCCT", "NCCT Bavet", "BAV", "victims"),
    ("GCNP", "GCNP Bavet", "BAV", "suspects"),
    ("GDI", "GDI Airport", "PNH", "all"),
    ("GDCE", "GDCE Poipet", "POI", "suspects"),
    ("IOM", "IOM Poipet", "POI", "victims"),
)
OFFICERS = 18
ALERTS = 45
ACKS_PER_OFFICER = 2
# Past the high-severity escalation deadline (120 s), within the tokens' life (600 s).
ESCALATION_WAIT_SECONDS = 130


@dataclass(frozen=True)
class Officer:
    username: str
    headers: dict[str, str]
    access_token: str


async def add_desks(engine: AsyncEngine, clock: FrozenClock) -> dict[str, list[int | None]]:
    """Every agency's desks (and None: an officer with no desk)."""
    async with engine.begin() as conn:
        for agency, name, checkpoint, handles in MORE_DESKS:
            await identity.add_desk(
                conn,
                SETUP,
                clock.now(),
                agency=agency,
                name=name,
                checkpoint=checkpoint,
                handles=handles,  # type: ignore[arg-type]
            )
        rows = (await conn.execute(select(desks.c.id, desks.c.agency_id))).all()
        agency_ids = {a.code: a.id for a in await identity.list_agencies(conn)}
    by_agency: dict[str, list[int | None]] = {code: [None] for code in AGENCIES}
    for code, agency_id in agency_ids.items():
        by_agency[code] += [r.id for r in rows if r.agency_id == agency_id]
    return by_agency


async def random_officers(
    rng: random.Random,
    client: Client,
    make_user: MakeUser,
    clock: FrozenClock,
    desks_by_agency: dict[str, list[int | None]],
) -> list[Officer]:
    officers = []
    for number in range(OFFICERS):
        agency = rng.choice(AGENCIES)
        desk = rng.choice(desks_by_agency[agency])
        user = await make_user(f"desk-{number}", Role.DESK_OFFICER, agency=agency, desk=desk)
        tokens = await login(client, user, clock)
        officers.append(Officer(user.username, bearer(tokens), tokens["access_token"]))
    return officers


def random_specs(
    rng: random.Random, categories: list[str], checkpoint_ids: list[int]
) -> list[AlertSpec]:
    specs = []
    for _ in range(ALERTS):
        owner = rng.choice(AGENCIES)
        release_to = tuple(rng.sample(AGENCIES, rng.randint(0, len(AGENCIES))))
        specs.append(
            AlertSpec(rng.choice(categories), owner, release_to, rng.choice(checkpoint_ids))
        )
    return specs


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_every_connection_gets_exactly_what_its_user_lists(
    seed: int,
    client: Client,
    desks: Desks,
    wanted: int,
    make_user: MakeUser,
    engine: AsyncEngine,
    clock: FrozenClock,
) -> None:
    rng = random.Random(seed)
    app = client.server.app
    base = await specimen(client, desks)
    desks_by_agency = await add_desks(engine, clock)
    officers = await random_officers(rng, client, make_user, clock, desks_by_agency)
    async with engine.connect() as conn:
        checkpoint_ids = list((await conn.execute(select(checkpoints.c.id))).scalars())
    categories = sorted(app[ROUTING].categories)
    inboxes = [Inbox() for _ in officers]
    async with _all_connected(client, officers, inboxes) as readers:
        specs = random_specs(rng, categories, checkpoint_ids)
        for start in range(0, ALERTS, 5):  # several commits, several dispatches
            await raise_alerts(app, base, specs[start : start + 5])
        await _random_acks(rng, client, officers)
        await _escalate_the_rest(app, engine, clock)
        expected = [await listed(client, officer.headers) for officer in officers]
        with contextlib.suppress(TimeoutError):  # the assertions below say what differs
            await until(
                lambda: all(_caught_up(i, e) for i, e in zip(inboxes, expected, strict=True)),
                within=5,
            )
        assert all(not reader.done() for reader in readers)
    assert sum(len(e) for e in expected) > OFFICERS, "the draw must route alerts to desks"
    for officer, inbox, wanted_alerts in zip(officers, inboxes, expected, strict=True):
        assert inbox.seqs == [a["seq"] for a in wanted_alerts], officer.username
        assert inbox.latest == {a["id"]: a for a in wanted_alerts}, officer.username


def _caught_up(inbox: Inbox, wanted_alerts: list[dict[str, Any]]) -> bool:
    return inbox.latest == {a["id"]: a for a in wanted_alerts} and len(inbox.alerts) >= len(
        wanted_alerts
    )


@asynccontextmanager
async def _all_connected(
    client: Client, officers: list[Officer], inboxes: list[Inbox]
) -> AsyncIterator[list[asyncio.Task[None]]]:
    """Every officer connected and resumed from 0 (nothing raised yet), reading."""
    async with AsyncExitStack() as stack:
        readers = []
        for officer, inbox in zip(officers, inboxes, strict=True):
            ws = await stack.enter_async_context(
                desk_socket(client, officer.access_token, after_seq=0)
            )
            readers.append(asyncio.create_task(read_into(ws, inbox)))
        await until(lambda: all(i.replayed_at is not None for i in inboxes))
        try:
            yield readers
        finally:
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)


async def _random_acks(rng: random.Random, client: Client, officers: list[Officer]) -> None:
    """Some officers acknowledge some of their alerts: every reader sees the change."""
    for officer in rng.sample(officers, len(officers)):
        mine = await listed(client, officer.headers)
        for alert in rng.sample(mine, min(len(mine), ACKS_PER_OFFICER)):
            response = await client.post(
                f"/api/v1/alerts/{alert['id']}/ack", headers=officer.headers
            )
            assert response.status == 200, await response.text()


async def _escalate_the_rest(app: Any, engine: AsyncEngine, clock: FrozenClock) -> None:
    """High-severity alerts nobody acknowledged go to headquarters desks: an update."""
    clock.advance(ESCALATION_WAIT_SECONDS)
    async with engine.begin() as conn:
        notices = await alerts.escalate_due(conn, clock.now(), app[ROUTING])
    app[NOTIFIER].alerts_changed(notices)
