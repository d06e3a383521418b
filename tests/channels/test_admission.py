"""Batched admission: many desks signing in and resuming at once (a reconnect storm) get
what they would get one by one: the principal ``Authenticator.principal_for_token``
gives, and every alert the REST list shows them after their resume point, once, in
order, across replay pages and scans that end before some of the resume points."""

from __future__ import annotations

import asyncio
import contextlib
import random

import pytest

from alertd.channels import admission
from alertd.errors import NotAuthenticated
from alertd.state import AUTHENTICATOR, HUB
from tests.channels.helpers import (
    AlertSpec,
    Inbox,
    desk_socket,
    listed,
    raise_alerts,
    read_into,
    specimen,
    token,
    until,
)
from tests.conftest import Client
from tests.screening.conftest import Desks

# Small pages and scans, so a backlog of a few dozen alerts takes several of each.
REPLAY_PAGE, SCAN_ROWS = 4, 7
BACKLOG_ROUNDS = 6
SOCKETS_PER_DESK = 3


async def test_batched_sign_ins_agree_with_the_authenticator(client: Client, desks: Desks) -> None:
    app = client.server.app
    authenticator, admissions = app[AUTHENTICATOR], app[HUB].admissions
    people = list(desks.by_agency().values())
    tokens = [token(headers) for headers in people]
    response = await client.post("/api/v1/auth/logout", headers=desks.customs)
    assert response.status in (200, 204), await response.text()

    claims = [authenticator.claims_of(t) for t in tokens]
    batched = await asyncio.gather(*(admissions.sign_in(c) for c in claims), return_exceptions=True)
    for access_token, answer in zip(tokens, batched, strict=True):
        try:
            expected = await authenticator.principal_for_token(access_token)
        except NotAuthenticated:
            assert isinstance(answer, NotAuthenticated)
            continue
        assert isinstance(answer, admission.Admitted), answer
        assert answer.who == expected
        assert (answer.desk.id if answer.desk else None) == expected.desk_id
    assert sum(isinstance(a, NotAuthenticated) for a in batched) == 1  # customs logged out


async def test_a_storm_of_resumes_gets_exactly_what_each_desk_lists(
    client: Client, desks: Desks, wanted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admission, "REPLAY_PAGE", REPLAY_PAGE)
    monkeypatch.setattr(admission, "SCAN_ROWS", SCAN_ROWS)
    rng = random.Random(11)
    app = client.server.app
    base = await specimen(client, desks)
    mixed = [
        AlertSpec("wanted_person", "GCNP", ("GCNP", "GDI"), base.checkpoint_id),
        AlertSpec("trafficking_suspect", "NCCT", ("NCCT", "GCNP", "GDI"), base.checkpoint_id),
        AlertSpec("potential_victim", "NCCT", (), base.checkpoint_id),
        AlertSpec("potential_victim", "NCCT", (), base.checkpoint_id),
        AlertSpec("smuggling_suspect", "GDCE", ("GCNP",), base.checkpoint_id),
    ]
    for _ in range(BACKLOG_ROUNDS):
        await raise_alerts(app, base, mixed)
    # Readers who see only part of their agency's alerts (a suspects-only desk among
    # victim alerts): a scan then ends with fewer than a page for them, not done.
    people = desks.by_agency() | {"NCCT Poipet": desks.ncct_poipet}
    expected = {who: [a["seq"] for a in await listed(client, h)] for who, h in people.items()}
    newest = max(max(seqs, default=0) for seqs in expected.values())

    joiners = [(who, rng.randint(0, newest)) for who in people for _ in range(SOCKETS_PER_DESK)]
    async with contextlib.AsyncExitStack() as stack:
        sockets = await asyncio.gather(
            *(
                stack.enter_async_context(desk_socket(client, token(people[who]), after))
                for who, after in joiners
            )
        )
        inboxes = [Inbox() for _ in sockets]
        readers = [
            asyncio.create_task(read_into(ws, inbox))
            for ws, inbox in zip(sockets, inboxes, strict=True)
        ]
        with contextlib.suppress(TimeoutError):  # the assertions below say what differs
            await until(lambda: all(i.replayed_at is not None for i in inboxes), within=10)
        for reader in readers:
            reader.cancel()
    for (who, after), inbox in zip(joiners, inboxes, strict=True):
        assert inbox.seqs == [s for s in expected[who] if s > after], f"{who} after {after}"
