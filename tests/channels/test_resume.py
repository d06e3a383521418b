"""Nothing lost: resume replays from the database, across a restart, and meets the live
stream with no gap and no duplicate while alerts are being raised."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from typing import Any

from alertd.app import create_app
from alertd.clock import FrozenClock
from alertd.config import Settings
from tests.channels.helpers import (
    SOK,
    AlertSpec,
    Inbox,
    desk_socket,
    listed,
    next_of,
    raise_alerts,
    read_into,
    specimen,
    token,
    until,
)
from tests.conftest import Client
from tests.screening.conftest import Desks, crossing

AWAY_ALERTS = 5
CONCURRENT_CROSSINGS = 20
CROSSINGS_IN_FLIGHT = 4
# Alerts committed one per transaction, as fast as the database allows, beside the
# crossings: many commits make the replay/live switch land between two of them.
RAPID_ALERTS = 100
LATE_JOINERS = 16
BACKLOG = 100
JOIN_EVERY_SECONDS = 0.05

AppClient = Callable[..., Awaitable[Client]]


async def post_crossing(client: Client, desks: Desks) -> None:
    response = await client.post("/api/v1/crossings", json=crossing(**SOK), headers=desks.officer)
    assert response.status == 201, await response.text()


async def replay(ws: Any) -> list[dict[str, Any]]:
    """The alerts a resume replays, up to ``replayed``."""
    found = []
    while (message := await next_of(ws, "alert", "replayed"))["type"] == "alert":
        found.append(message)
    return found


async def test_resume_after_a_restart_gets_what_was_raised_while_away(
    aiohttp_client: AppClient,
    client: Client,
    desks: Desks,
    wanted: int,
    settings: Settings,
    clock: FrozenClock,
) -> None:
    async with desk_socket(client, token(desks.police), after_seq=0) as ws:
        await next_of(ws, "replayed")
        await post_crossing(client, desks)
        last_seen = (await next_of(ws, "alert"))["seq"]
    await client.close()  # the node goes down; the desk is away

    second = await aiohttp_client(create_app(settings, clock))  # the same database
    base = await specimen(second, desks)
    for _ in range(AWAY_ALERTS):
        await post_crossing(second, desks)
    # Alerts the police desk may not see, raised in between: never replayed to it.
    await raise_alerts(second.server.app, base, [AlertSpec("potential_victim", "NCCT", (), 1)])
    await second.close()

    third = await aiohttp_client(create_app(settings, clock))
    async with desk_socket(third, token(desks.police), after_seq=last_seen) as ws:
        replayed = await replay(ws)
    missed = [a for a in await listed(third, desks.police) if a["seq"] > last_seen]
    assert len(missed) == AWAY_ALERTS + 1  # the specimen's crossing raised one too
    assert [m["alert"] for m in replayed] == missed
    assert [m["seq"] for m in replayed] == sorted({m["seq"] for m in replayed})


async def test_no_gap_or_duplicate_where_replay_meets_live(
    client: Client, desks: Desks, wanted: int
) -> None:
    """Crossings are posted concurrently while desks connect and resume from random
    points: each desk's replayed + live alerts are exactly the listed ones after its
    resume point, strictly increasing."""
    rng = random.Random(7)
    base = await specimen(client, desks)
    await post_crossing(client, desks)
    wanted_at_poipet = AlertSpec("wanted_person", "GCNP", ("GCNP", "GDI"), base.checkpoint_id)
    # A backlog, so that replays take a while and live alerts arrive while they run.
    await raise_alerts(client.server.app, base, [wanted_at_poipet] * BACKLOG)

    # SQLite makes concurrent writers wait on a busy timeout, not in a queue: a few
    # at a time keeps every crossing well inside it on a loaded machine.
    in_flight = asyncio.Semaphore(CROSSINGS_IN_FLIGHT)

    async def crossing_in_turn() -> None:
        async with in_flight:
            await post_crossing(client, desks)

    async def rapid_alerts() -> None:
        for _ in range(RAPID_ALERTS):
            await raise_alerts(client.server.app, base, [wanted_at_poipet])
            await asyncio.sleep(0)

    people = {"police": desks.police, "immigration": desks.immigration}
    joined: list[tuple[str, int, Inbox]] = []  # who, resumed after, what they received
    readers: list[asyncio.Task[None]] = []
    async with contextlib.AsyncExitStack() as stack:

        async def join(delay: float, who: str) -> None:
            await asyncio.sleep(delay)
            after = rng.randint(0, BACKLOG)
            ws = await stack.enter_async_context(
                desk_socket(client, token(people[who]), after_seq=after)
            )
            inbox = Inbox()
            joined.append((who, after, inbox))
            readers.append(asyncio.create_task(read_into(ws, inbox)))

        await asyncio.gather(
            *(crossing_in_turn() for _ in range(CONCURRENT_CROSSINGS)),
            rapid_alerts(),
            *(join(JOIN_EVERY_SECONDS * n, sorted(people)[n % 2]) for n in range(LATE_JOINERS)),
        )
        expected = {
            who: [a["seq"] for a in await listed(client, headers)]
            for who, headers in people.items()
        }
        wanted_by_joiner = [[s for s in expected[who] if s > after] for who, after, _ in joined]
        inboxes = [(after, inbox) for _, after, inbox in joined]
        with contextlib.suppress(TimeoutError):  # the assertions below say what differs
            await until(
                lambda: all(
                    len(inbox.seqs) >= len(w)
                    for (_, inbox), w in zip(inboxes, wanted_by_joiner, strict=True)
                ),
                within=5,
            )
        for reader in readers:
            reader.cancel()
    assert len(expected["police"]) == 2 + BACKLOG + CONCURRENT_CROSSINGS + RAPID_ALERTS
    for (after, inbox), wanted_seqs in zip(inboxes, wanted_by_joiner, strict=True):
        assert inbox.seqs == wanted_seqs, f"resumed after {after}"
