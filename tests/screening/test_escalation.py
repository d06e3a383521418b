"""Escalation: an agency that has not acknowledged in time has the alert escalated to
its headquarters desk, exactly once, even with two nodes sweeping the same database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import alerts
from alertd.alerts import AlertNotice
from alertd.app import create_app
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.roles import Role
from alertd.state import ENGINE, ROUTING
from tests.conftest import Client, MakeUser, bearer, login
from tests.screening.conftest import GDI_HQ, Desks, alerts_for, audit_actions, cross, routes_of

# The background sweep must not run on its own during these tests: they run it by hand.
pytestmark = pytest.mark.parametrize(
    "settings_overrides", [{"escalation_sweep_interval_seconds": "3600"}]
)
HIGH_DEADLINE_SECONDS = 120  # the default for high severity (wanted_person)


async def _sweep(app: web.Application, clock: FrozenClock) -> list[AlertNotice]:
    async with app[ENGINE].begin() as conn:
        return await alerts.escalate_due(conn, clock.now(), app[ROUTING])


async def test_escalation_happens_once_across_two_nodes(
    client: Client,
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    clock: FrozenClock,
    desks: Desks,
    engine: AsyncEngine,
    wanted: int,
) -> None:
    other = await aiohttp_client(create_app(settings, clock))
    nodes = (client.app, other.app)
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=desks.police)
    assert await asyncio.gather(*(_sweep(app, clock) for app in nodes)) == [[], []]
    clock.advance(HIGH_DEADLINE_SECONDS - 1)
    assert await asyncio.gather(*(_sweep(app, clock) for app in nodes)) == [[], []]
    clock.advance(2)
    swept = await asyncio.gather(*(_sweep(app, clock) for app in nodes))
    assert sorted(len(notices) for notices in swept) == [0, 1]
    assert [n.alert_id for notices in swept for n in notices] == [alert_id]
    routes = await routes_of(engine, alert_id)
    assert routes["GDI"].escalated_at is not None and routes["GDI"].escalated_desk_id == GDI_HQ
    assert routes["GCNP"].escalated_at is None  # the police acknowledged in time
    assert len(await audit_actions(engine, "alert.escalate")) == 1
    clock.advance(HIGH_DEADLINE_SECONDS * 10)
    again = await asyncio.gather(*(_sweep(app, clock) for app in nodes))
    assert again == [[], []]
    assert len(await audit_actions(engine, "alert.escalate")) == 1


async def test_an_escalated_alert_reaches_the_headquarters_desk(
    client: Client,
    hq_desk: dict[str, str],
    clock: FrozenClock,
    desks: Desks,
    wanted: int,
) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    clock.advance(HIGH_DEADLINE_SECONDS + 1)
    assert len(await _sweep(client.app, clock)) == 2  # neither agency acknowledged
    (alert,) = await alerts_for(client, hq_desk)
    assert alert["id"] == alert_id and alert["escalated"] is True
    gdi = next(a for a in alert["agencies"] if a["agency"] == "GDI")
    assert gdi["escalated_desk"] == GDI_HQ and gdi["status"] == "new"
    acked = await client.post(f"/api/v1/alerts/{alert_id}/ack", headers=hq_desk)
    assert (await acked.json())["status"] == "acknowledged"


@pytest.fixture
async def hq_desk(
    client: Client, make_user: MakeUser, clock: FrozenClock, desks: Desks
) -> dict[str, str]:
    """A GDI desk officer on the headquarters desk."""
    user = await make_user("gdi-hq", Role.DESK_OFFICER, agency="GDI", desk=GDI_HQ)
    return bearer(await login(client, user, clock))
