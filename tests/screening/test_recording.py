"""Writing batches of crossings (alertd.recording), on either path (PostgreSQL writes
batches without matches on its driver: in one statement, or with Idempotency-Keys in a
transaction that claims them): each crossing of a batch gets its own row, answer and
audit event; a batch that fails leaves nothing behind and fails with an error that has
the batcher write each crossing alone."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import audit
from alertd.alerts import Deadlines
from alertd.batching import RETRYABLE_ALONE, Batcher
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.matching import MatchIndex
from alertd.principal import Principal
from alertd.recording import CrossingWriter, PendingCrossing, Written
from alertd.roles import Role
from alertd.routing import load_policy
from alertd.screening import CrossingBody, Screener, build_subject
from alertd.tables import audit_events, crossings, users
from tests.conftest import MakeUser
from tests.screening.conftest import count_rows

OFFICER = Principal(
    user_id=1,
    username="poipet-officer",
    agency="GDI",
    agency_id=1,
    desk_id=None,
    roles=frozenset({Role.CHECKPOINT_OFFICER}),
    checkpoints=frozenset({"POI"}),
    session_id="session",
)
PEOPLE = ("Dara Sok", "Sophea Chan", "Vuthy Kim", "Minh Tran", "Wei Zhang")
UNKNOWN_CHECKPOINT = "ZZZ"  # no such row: the insert fails (NOT NULL checkpoint_id)


@pytest.fixture
async def write(
    world: None, engine: AsyncEngine, settings: Settings
) -> AsyncIterator[Batcher[PendingCrossing, Written | None]]:
    day = timedelta(days=1)
    screener = Screener(MatchIndex(), load_policy(settings.policy_file), Deadlines(day, day, day))
    writer = CrossingWriter(engine, screener)
    yield Batcher(writer, max_batch=64)
    await writer.close()


def pending(
    clock: FrozenClock,
    name: str,
    checkpoint: str = "POI",
    key: str | None = None,
    officer: Principal = OFFICER,
) -> PendingCrossing:
    body = CrossingBody.model_validate(
        {"checkpoint": checkpoint, "direction": "entry", "traveller": {"names": [{"full": name}]}}
    )
    subject = build_subject(body.traveller, clock.now().date())
    return PendingCrossing(officer, officer.actor("req"), clock.now(), body, subject, (), key, "")


@pytest.mark.parametrize("keyed", [False, True], ids=["without keys", "with keys"])
async def test_each_crossing_of_a_batch_gets_its_own_row_answer_and_audit_event(
    write: Batcher[PendingCrossing, Written | None],
    engine: AsyncEngine,
    clock: FrozenClock,
    keyed: bool,
    make_user: MakeUser,
) -> None:
    # A key is claimed for its user: the officer must exist.
    await make_user(OFFICER.username, Role.CHECKPOINT_OFFICER, checkpoints=("POI",))
    async with engine.connect() as conn:
        found = await conn.execute(select(users.c.id).where(users.c.username == OFFICER.username))
        officer = replace(OFFICER, user_id=found.scalar_one())
    keys = [f"key-{n}" if keyed else None for n in range(len(PEOPLE))]
    written = await asyncio.gather(
        *(
            write.do(pending(clock, name, key=key, officer=officer))
            for name, key in zip(PEOPLE, keys, strict=True)
        )
    )
    ids = [w.answer["crossing_id"] for w in written if w is not None]
    assert len(set(ids)) == len(PEOPLE)
    assert all(w is not None and w.answer["outcome"] == "clear" for w in written)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(crossings.c.id, crossings.c.traveller))).all()
        travellers = {row.id: json.loads(row.traveller)["names"][0]["full"] for row in rows}
        assert [travellers[i] for i in ids] == list(PEOPLE)  # each answer names its own row
        events = await conn.execute(
            select(audit_events.c.subject, audit_events.c.details).where(
                audit_events.c.action == "crossing.screen"
            )
        )
        screened = {row.subject: json.loads(row.details)["crossing"] for row in events}
        assert screened == {f"crossing:{i}": i for i in ids}
        assert (await audit.verify(conn)).ok


async def test_a_failed_batch_leaves_nothing_and_each_is_written_again_alone(
    write: Batcher[PendingCrossing, Written | None], engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with engine.connect() as conn:
        events_before = await audit.count_events(conn)
    doomed = pending(clock, "Nobody Anywhere", checkpoint=UNKNOWN_CHECKPOINT)
    # Queued together, the three are one batch (the first leads it): it fails on the
    # second, and each is then written alone.
    results = await asyncio.gather(
        write.do(pending(clock, PEOPLE[0])),
        write.do(doomed),
        write.do(pending(clock, PEOPLE[1])),
        return_exceptions=True,
    )
    assert isinstance(results[1], RETRYABLE_ALONE)
    assert all(isinstance(r, Written) for r in (results[0], results[2]))
    assert await count_rows(engine, crossings) == 2
    async with engine.connect() as conn:
        assert await audit.count_events(conn) == events_before + 2
        assert (await audit.verify(conn)).ok
