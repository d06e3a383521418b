"""Retro-screening (a newly published entry is checked against recent crossings) and
retention (crossings that raised no alert are purged, with an audit event)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import retention
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.state import RETRO
from alertd.tables import alerts, crossing_matches, crossings
from tests.conftest import Client, bearer, login
from tests.screening.conftest import (
    ALL_AGENCIES,
    NOBODY,
    SOK,
    Desks,
    alerts_for,
    audit_actions,
    count_rows,
    cross,
    crossing,
    publish,
)
from tests.watchlist.helpers import entry_body, person

OTHER_PASSPORT = SOK | {"documents": [{"type": "passport", "number": "P9999999", "country": "KHM"}]}


async def _crossing_ids(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(crossings.c.id).order_by(crossings.c.id))).scalars())


async def test_publishing_screens_recent_crossings_and_raises_retro_alerts(
    client: Client, desks: Desks, engine: AsyncEngine, clock: FrozenClock, settings: Settings
) -> None:
    old = await cross(client, desks)
    recent = await cross(client, desks)
    clear = await cross(client, desks, NOBODY)
    assert old["outcome"] == recent["outcome"] == clear["outcome"] == "clear"
    too_old = clock.now() - timedelta(days=settings.retro_screen_days, seconds=1)
    async with engine.begin() as conn:
        await conn.execute(
            update(crossings)
            .where(crossings.c.id == old["crossing_id"])
            .values(recorded_at=too_old)
        )
    entry_id = await publish(client, desks, entry_body(clock))
    await client.app[RETRO].drain()
    async with engine.connect() as conn:
        raised = (await conn.execute(select(alerts))).all()
    assert [(a.crossing_id, a.entry_id, a.retro) for a in raised] == [
        (recent["crossing_id"], entry_id, True)
    ]
    (seen,) = await alerts_for(client, desks.police)
    assert seen["retro"] is True and seen["crossing"]["id"] == recent["crossing_id"]
    assert seen["traveller"]["documents"] == SOK["documents"]
    assert len(await audit_actions(engine, "alert.raise")) == 1
    # A live crossing after publication alerts as usual, not as retro.
    live = await cross(client, desks)
    assert live["outcome"] == "hit"
    assert [a["retro"] for a in await alerts_for(client, desks.police)] == [True, False]


async def test_entries_published_while_retro_screening_runs_are_screened_next(
    client: Client, desks: Desks, engine: AsyncEngine, clock: FrozenClock
) -> None:
    """One worker per node: what is published while it runs waits for its next round,
    and nothing is left unscreened."""
    await cross(client, desks)
    await cross(client, desks, NOBODY)
    sok = await publish(client, desks, entry_body(clock))
    maria = entry_body(
        clock,
        **person("Maria GONZALEZ", "GONZALEZ", "Maria", dates_of_birth=["1990-01-01"]),
        nationalities=["ESP"],
        sex="F",
    )
    gonzalez = await publish(client, desks, maria)  # the first round may still be running
    await client.app[RETRO].drain()
    async with engine.connect() as conn:
        raised = (await conn.execute(select(alerts.c.entry_id, alerts.c.retro))).all()
    assert sorted(raised) == sorted([(sok, True), (gonzalez, True)])


async def test_retro_screening_follows_the_category_rule(
    client: Client, desks: Desks, engine: AsyncEngine, clock: FrozenClock
) -> None:
    """A possible match alerts retroactively for a victim, not for a wanted person."""
    await cross(client, desks, OTHER_PASSPORT)
    await publish(client, desks, entry_body(clock))
    await client.app[RETRO].drain()
    assert await count_rows(engine, alerts) == 0
    victim = entry_body(
        clock, category="potential_victim", external_ref="V-1", release_to=ALL_AGENCIES
    )
    await publish(client, desks, victim)
    await client.app[RETRO].drain()
    (alert,) = await alerts_for(client, desks.social)
    assert alert["retro"] is True and alert["band"] == "possible"
    assert alert["protection"] is True


async def test_retention_purges_crossings_without_alerts_and_keeps_the_rest(
    client: Client,
    desks: Desks,
    engine: AsyncEngine,
    clock: FrozenClock,
    settings: Settings,
    wanted: int,
) -> None:
    clear = await cross(client, desks, NOBODY)
    possible = await cross(client, desks, OTHER_PASSPORT)
    hit = await cross(client, desks)
    assert (clear["outcome"], possible["outcome"], hit["outcome"]) == ("clear", "possible", "hit")
    assert possible["matches"][0]["alert_id"] is None
    clock.advance(2 * 86400)
    officer = bearer(await login(client, desks.people["officer"], clock))
    younger = await client.post("/api/v1/crossings", json=crossing(**NOBODY), headers=officer)
    assert younger.status == 201
    younger_id = (await younger.json())["crossing_id"]
    clock.advance((settings.crossing_retention_days - 1) * 86400)
    async with engine.begin() as conn:
        purged = await retention.purge_crossings(
            conn, clock.now(), settings.crossing_retention_days
        )
    assert purged == 2
    assert await _crossing_ids(engine) == [hit["crossing_id"], younger_id]
    async with engine.connect() as conn:
        kept_matches = (await conn.execute(select(crossing_matches.c.crossing_id))).scalars()
        assert list(kept_matches) == [hit["crossing_id"]]
    (event,) = await audit_actions(engine, "crossing.purge")
    details = json.loads(event.details)
    assert details["count"] == 2 and event.actor == "system"
    assert details["first_id"] == clear["crossing_id"]
    assert details["last_id"] == possible["crossing_id"]
    async with engine.begin() as conn:
        assert (
            await retention.purge_crossings(conn, clock.now(), settings.crossing_retention_days)
            == 0
        )
    assert len(await audit_actions(engine, "crossing.purge")) == 1
