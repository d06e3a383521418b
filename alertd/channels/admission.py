"""Sign-ins and replays of many sockets at once, in a handful of queries.

A reconnect storm (2,000 desks after a restart) used to cost every socket its own
pooled connection and some twenty database round trips: the session check, the desk,
then its replay. Here the sockets' requests queue up, and one worker answers everything
waiting with one connection: the sign-in rows of all the tokens in four queries, then,
per agency, the alerts after the lowest resume point in three, filtered for each reader
by ``AlertReader.sees_snapshot`` (the rule of the REST list) and serialised once per
alert. The busier the node, the larger the batches: the cost per socket falls as the
storm grows, and the officers' crossings keep the rest of the pool.

Replays still read the database, never a memory buffer: a batch reads after every socket
in it registered with the hub, which is what the replay/live switch relies on.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd.alerts import AlertReader, AlertSnapshot, load_snapshots
from alertd.auth import principals_for_claims
from alertd.errors import NotAuthenticated
from alertd.policy import DeskInfo
from alertd.principal import Principal
from alertd.tables import alert_routes, alerts, desks
from alertd.tokens import AccessClaims

log = logging.getLogger("alertd.channels")
# Requests answered by one batch; SQLite caps the bound parameters of a statement.
BATCH_MAX = 400
# Alerts sent to a socket per replay page, and alerts of one agency read per batch.
REPLAY_PAGE = 200
SCAN_ROWS = 500


class AdmissionFailed(Exception):
    """The database could not serve the batch this request was in: try again later."""


@dataclass(frozen=True)
class Admitted:
    who: Principal
    desk: DeskInfo | None


@dataclass(frozen=True)
class ReplayPage:
    """Alert messages for one socket in seq order; ask again ``after=cursor`` unless done."""

    texts: tuple[str, ...]
    last_seq: int | None  # the seq of the last message, None if there is none
    cursor: int
    done: bool


@dataclass(eq=False)
class _SignIn:
    claims: AccessClaims
    future: asyncio.Future[Admitted] = field(repr=False)


@dataclass(eq=False)
class _Replay:
    reader: AlertReader
    after: int
    future: asyncio.Future[ReplayPage] = field(repr=False)


class Admissions:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._waiting: asyncio.Queue[_SignIn | _Replay] = asyncio.Queue()

    async def sign_in(self, claims: AccessClaims) -> Admitted:
        """The principal of a verified token and its desk; NotAuthenticated if its session
        ended or its user was disabled (``auth.principals_for_claims``: the REST rule)."""
        request = _SignIn(claims, asyncio.get_running_loop().create_future())
        self._waiting.put_nowait(request)
        return await request.future

    async def replay_page(self, reader: AlertReader, after: int) -> ReplayPage:
        request = _Replay(reader, after, asyncio.get_running_loop().create_future())
        self._waiting.put_nowait(request)
        return await request.future

    async def run(self) -> None:
        while True:
            batch = [await self._waiting.get()]
            while len(batch) < BATCH_MAX and not self._waiting.empty():
                batch.append(self._waiting.get_nowait())
            await self._answer(batch)

    async def _answer(self, batch: Sequence[_SignIn | _Replay]) -> None:
        sign_ins = [r for r in batch if isinstance(r, _SignIn) and not r.future.done()]
        replays = [r for r in batch if isinstance(r, _Replay) and not r.future.done()]
        later: list[_Replay] = []
        try:
            async with self._engine.connect() as conn:
                if sign_ins:
                    await _answer_sign_ins(conn, sign_ins)
                for group in _by_agency(replays).values():
                    later += _answer_replays(group, await _scan(conn, group))
        except (SQLAlchemyError, OSError):
            log.warning("admission batch failed: database unavailable", exc_info=True)
            later = []
        finally:
            # Whatever happened, no socket waits forever for its answer.
            for request in batch:
                if not request.future.done() and request not in later:
                    request.future.set_exception(AdmissionFailed("database unavailable"))
        for request in later:  # their resume points are past this scan: the next batch
            self._waiting.put_nowait(request)


def _by_agency(replays: Sequence[_Replay]) -> dict[int, list[_Replay]]:
    groups: dict[int, list[_Replay]] = {}
    for request in replays:
        groups.setdefault(request.reader.who.agency_id, []).append(request)
    return groups


def _answer_replays(group: Sequence[_Replay], scan: _Scan) -> list[_Replay]:
    """Answer the requests this scan covers; returns those it does not reach yet."""
    later = []
    for request in group:
        page = scan.page_for(request.reader, request.after)
        if page is None:
            later.append(request)
        else:
            request.future.set_result(page)
    return later


# --- replay ------------------------------------------------------------------------------


@dataclass
class _Scan:
    """One agency's alerts after a point, in seq order, with their messages serialised
    once (an alert renders the same for every reader of an agency)."""

    snapshots: Sequence[AlertSnapshot]
    full: bool  # SCAN_ROWS were read: more may follow the last one
    texts: dict[int, str] = field(default_factory=dict)

    def page_for(self, reader: AlertReader, after: int) -> ReplayPage | None:
        """The reader's page after ``after``, or None if this scan ends at or before it."""
        end = self.snapshots[-1].seq if self.snapshots else after
        if self.full and end <= after:
            return None
        seen = [s for s in self.snapshots if s.seq > after and reader.sees_snapshot(s)]
        if len(seen) >= REPLAY_PAGE:
            seen = seen[:REPLAY_PAGE]
            return ReplayPage(self._texts(reader, seen), seen[-1].seq, seen[-1].seq, done=False)
        last = seen[-1].seq if seen else None
        return ReplayPage(self._texts(reader, seen), last, max(after, end), done=not self.full)

    def _texts(self, reader: AlertReader, seen: Sequence[AlertSnapshot]) -> tuple[str, ...]:
        return tuple(self._text(reader, snapshot) for snapshot in seen)

    def _text(self, reader: AlertReader, snapshot: AlertSnapshot) -> str:
        text = self.texts.get(snapshot.seq)
        if text is None:
            message = {"type": "alert", "seq": snapshot.seq, "alert": reader.render(snapshot)}
            text = self.texts[snapshot.seq] = json.dumps(message)
        return text


async def _scan(conn: AsyncConnection, group: Sequence[_Replay]) -> _Scan:
    """The alerts routed to the group's agency after its lowest resume point: the query
    of ``AlertReader.visible``, once for the whole group."""
    agency_id = group[0].reader.who.agency_id
    start = min(request.after for request in group)
    ids = (
        (
            await conn.execute(
                select(alerts.c.id)
                .join(alert_routes, alert_routes.c.alert_id == alerts.c.id)
                .where(alert_routes.c.agency_id == agency_id, alerts.c.seq > start)
                .order_by(alerts.c.seq)
                .limit(SCAN_ROWS)
            )
        )
        .scalars()
        .all()
    )
    return _Scan(await load_snapshots(conn, list(ids)), full=len(ids) == SCAN_ROWS)


# --- sign-in -----------------------------------------------------------------------------


async def _answer_sign_ins(conn: AsyncConnection, requests: Sequence[_SignIn]) -> None:
    """``principals_for_claims`` (the rule of every REST request) for many verified
    tokens at once, and the desks of those who hold one: a session that was revoked, or
    whose user was disabled, is refused."""
    principals = await principals_for_claims(conn, [r.claims for r in requests])
    desk_infos = await _desks(conn, [who.desk_id for who in principals.values()])
    for request in requests:
        who = principals.get(request.claims.session_id)
        if who is None:
            request.future.set_exception(NotAuthenticated("the session has ended; sign in again"))
            continue
        desk = desk_infos.get(who.desk_id) if who.desk_id is not None else None
        request.future.set_result(Admitted(who, desk))


async def _desks(conn: AsyncConnection, desk_ids: Sequence[int | None]) -> dict[int, DeskInfo]:
    wanted = sorted({d for d in desk_ids if d is not None})
    if not wanted:
        return {}
    rows = await conn.execute(select(desks).where(desks.c.id.in_(wanted)))
    return {
        r.id: DeskInfo(r.id, r.agency_id, r.checkpoint_id, r.is_headquarters, r.handles)
        for r in rows
    }
