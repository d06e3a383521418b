"""Alerts: raised from screening matches, routed to agencies and desks, and handled by
each routed agency on its own (new → acknowledged → resolved), with escalation to the
agency's headquarters desk when nobody acknowledges in time.

Every alert gets a global, gap-free, increasing ``seq`` under the same kind of lock the
audit chain uses, so a desk that resumes "after seq N" misses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import bindparam, func, insert, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit, policy
from alertd.audit import Actor, AuditEvent
from alertd.clock import isoformat
from alertd.errors import Conflict, NotFound
from alertd.matching.documents import normalise_document_number
from alertd.policy import DeskInfo, Permission
from alertd.principal import Principal
from alertd.routing import RoutingPolicy
from alertd.tables import (
    agencies,
    alert_routes,
    alerts,
    checkpoints,
    crossings,
    desks,
    false_positive_clearances,
)

ALERT_SEQ_LOCK_ID = 0x616C657274640002
Resolution = Literal["confirmed", "false_positive", "referred", "no_action"]
MAX_PAGE = 200
ESCALATION_BATCH = 500  # routes per sweep; the next sweep takes the rest


@dataclass(frozen=True)
class NewAlert:
    crossing_id: int
    match_id: int
    entry_id: int
    entry_version: int
    owner_agency_id: int
    owner: str
    release_to: tuple[str, ...]
    category: str
    band: str
    score: float
    checkpoint_id: int
    retro: bool
    payload: dict[str, Any]


@dataclass(frozen=True)
class AlertNotice:
    """What the channels push after commit: an alert raised or changed."""

    kind: Literal["alert", "alert_update"]
    alert_id: int
    seq: int


class AlertNotifier(Protocol):
    """Where committed alert changes go to be pushed (the channels' hub or broker)."""

    def alerts_changed(self, notices: Sequence[AlertNotice]) -> None: ...


@dataclass(frozen=True)
class Deadlines:
    high: timedelta
    medium: timedelta
    low: timedelta

    def after(self, severity: str) -> timedelta:
        deadline: timedelta = getattr(self, severity)
        return deadline


async def raise_alert(
    conn: AsyncConnection,
    actor: Actor,
    now: datetime,
    new: NewAlert,
    routing: RoutingPolicy,
    deadlines: Deadlines,
) -> tuple[int, int] | None:
    """Insert the alert and its routes; returns (alert id, seq), or None if no agency may
    receive it."""
    rule = routing.rule(new.category)
    routed = policy.route_agencies(rule.agencies, new.owner, new.release_to)
    # What only reads comes before the sequence lock: that lock is held until COMMIT and
    # every alert in the system waits for it, so the fewer round trips after it, the
    # better. (The crossing's row stays after it: every writer takes the sequence lock
    # before crossing rows, so a retro-screening of several crossings cannot deadlock.)
    desks_by_agency = await _desks_of_agencies(conn, routed)
    if not desks_by_agency:
        return None
    desk_ids = {
        agency_id: _desk_id(policy.choose_desk(agency_desks, new.checkpoint_id, rule.desks))
        for agency_id, agency_desks in desks_by_agency.items()
    }
    seq = await _next_seq(conn)
    await conn.execute(_MARK_CROSSING_ALERTED, {"crossing_id": new.crossing_id})
    result = await conn.execute(
        _INSERT_ALERT,
        {
            "seq": seq,
            "crossing_id": new.crossing_id,
            "match_id": new.match_id,
            "entry_id": new.entry_id,
            "entry_version": new.entry_version,
            "owner_agency_id": new.owner_agency_id,
            "category": new.category,
            "severity": rule.severity,
            "band": new.band,
            "score": new.score,
            "checkpoint_id": new.checkpoint_id,
            "retro": new.retro,
            "created_at": now,
            "payload": json.dumps(new.payload, ensure_ascii=False),
        },
    )
    alert_id = int(result.scalar_one())
    deadline = now + deadlines.after(rule.severity)
    await conn.execute(
        _INSERT_ROUTES,
        [
            {
                "alert_id": alert_id,
                "agency_id": agency_id,
                "desk_id": desk_id,
                "status": "new",
                "deadline_at": deadline,
            }
            for agency_id, desk_id in desk_ids.items()
        ],
    )
    details = {
        "seq": seq,
        "entry": new.entry_id,
        "version": new.entry_version,
        "category": new.category,
        "band": new.band,
        "agencies": routed,
        "retro": new.retro,
    }
    await audit.record(
        conn, actor, AuditEvent("alert.raise", f"alert:{alert_id}", "success", details), now
    )
    return alert_id, seq


def _desk_id(desk: DeskInfo | None) -> int | None:
    return desk.id if desk else None


async def _next_seq(conn: AsyncConnection) -> int:
    if conn.dialect.name == "postgresql":
        await conn.execute(_SEQ_LOCK, {"id": ALERT_SEQ_LOCK_ID})
    current = (await conn.execute(_MAX_SEQ)).scalar_one()
    return int(current or 0) + 1


# The statements of raising an alert, built once: every alert runs them, and building
# one (and its cache key) costs about as much CPU as executing it.
_SEQ_LOCK = text("SELECT pg_advisory_xact_lock(:id)")
_MAX_SEQ = select(func.max(alerts.c.seq))
_MARK_CROSSING_ALERTED = (
    update(crossings).where(crossings.c.id == bindparam("crossing_id")).values(has_alert=True)
)
_INSERT_ALERT = insert(alerts).returning(alerts.c.id)
_INSERT_ROUTES = insert(alert_routes)


async def _desks_of_agencies(
    conn: AsyncConnection, codes: Sequence[str]
) -> dict[int, list[DeskInfo]]:
    """Each known agency of ``codes`` (by id, in the order of ``codes``) with its desks in
    id order: one query for all of them, where an alert raised for several agencies
    asked once for their ids and once more for each agency's desks."""
    if not codes:
        return {}
    rows = await conn.execute(_DESKS_OF_AGENCIES, {"codes": list(codes)})
    found: dict[str, tuple[int, list[DeskInfo]]] = {}
    for r in rows:
        _, agency_desks = found.setdefault(r.code, (r.agency_id, []))
        if r.id is not None:  # an agency without desks has one row of NULL desk columns
            agency_desks.append(
                DeskInfo(r.id, r.agency_id, r.checkpoint_id, r.is_headquarters, r.handles)
            )
    return dict(found[code] for code in codes if code in found)


# Built once: every alert runs it. Desks are outer-joined so an agency with none is
# still routed (to no desk), as before.
_DESKS_OF_AGENCIES = (
    select(
        agencies.c.code,
        agencies.c.id.label("agency_id"),
        desks.c.id,
        desks.c.checkpoint_id,
        desks.c.is_headquarters,
        desks.c.handles,
    )
    .select_from(agencies)
    .outerjoin(desks, desks.c.agency_id == agencies.c.id)
    .where(agencies.c.code.in_(bindparam("codes", expanding=True)))
    .order_by(desks.c.id)
)


async def agency_desks(conn: AsyncConnection, agency_id: int) -> list[DeskInfo]:
    rows = await conn.execute(
        select(desks).where(desks.c.agency_id == agency_id).order_by(desks.c.id)
    )
    return [
        DeskInfo(r.id, r.agency_id, r.checkpoint_id, r.is_headquarters, r.handles) for r in rows
    ]


async def desk_of(conn: AsyncConnection, desk_id: int | None) -> DeskInfo | None:
    if desk_id is None:
        return None
    row = (await conn.execute(select(desks).where(desks.c.id == desk_id))).first()
    if row is None:
        return None
    return DeskInfo(row.id, row.agency_id, row.checkpoint_id, row.is_headquarters, row.handles)


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertSnapshot:
    """An alert with every agency's route, loaded once and rendered per reader: the REST
    list and the WebSocket fan-out both go through it."""

    row: Any
    routes: tuple[Any, ...]

    @property
    def seq(self) -> int:
        return int(self.row.seq)

    def route_of(self, agency_id: int) -> Any | None:
        return next((r for r in self.routes if r.agency_id == agency_id), None)

    def render_for(self, agency_id: int) -> dict[str, Any]:
        """The alert as one routed agency sees it: its own status, every agency's below."""
        row = self.row
        own = self.route_of(agency_id)
        payload: dict[str, Any] = json.loads(row.payload)
        return {
            "id": row.id,
            "seq": row.seq,
            "category": row.category,
            "severity": row.severity,
            "band": row.band,
            "score": row.score,
            "retro": row.retro,
            "checkpoint": row.checkpoint,
            "created_at": isoformat(row.created_at),
            "status": own.status if own is not None else None,
            "escalated": own is not None and own.escalated_at is not None,
            "agencies": [_route_view(r) for r in self.routes],
        } | payload


async def load_snapshots(conn: AsyncConnection, alert_ids: Sequence[int]) -> list[AlertSnapshot]:
    """Snapshots of these alerts, in seq order (two queries, whatever the count)."""
    if not alert_ids:
        return []
    rows = (
        await conn.execute(
            select(alerts, checkpoints.c.code.label("checkpoint"))
            .join(checkpoints, checkpoints.c.id == alerts.c.checkpoint_id)
            .where(alerts.c.id.in_(alert_ids))
            .order_by(alerts.c.seq)
        )
    ).all()
    routes = (
        await conn.execute(
            select(alert_routes, agencies.c.code)
            .join(agencies, agencies.c.id == alert_routes.c.agency_id)
            .where(alert_routes.c.alert_id.in_(alert_ids))
            .order_by(agencies.c.code)
        )
    ).all()
    by_alert: dict[int, list[Any]] = {}
    for route in routes:
        by_alert.setdefault(route.alert_id, []).append(route)
    return [AlertSnapshot(row, tuple(by_alert.get(row.id, ()))) for row in rows]


class AlertReader:
    """Decides, with ``policy.can_see_alert``, which alerts a desk officer sees: the same
    rule and the same JSON for REST lists and WebSocket pushes."""

    def __init__(self, who: Principal, own_desk: DeskInfo | None, routing: RoutingPolicy):
        self.who = who
        self.own_desk = own_desk
        self.routing = routing

    def sees(self, category: str, route: Any) -> bool:
        work = self.routing.rule(category).desks
        return policy.can_see_alert(
            self.who, self.own_desk, route.agency_id, (route.desk_id, route.escalated_desk_id), work
        )

    def sees_snapshot(self, snapshot: AlertSnapshot) -> bool:
        route = snapshot.route_of(self.who.agency_id)
        return route is not None and self.sees(snapshot.row.category, route)

    def render(self, snapshot: AlertSnapshot) -> dict[str, Any]:
        return snapshot.render_for(self.who.agency_id)

    async def visible(
        self,
        conn: AsyncConnection,
        *,
        after_seq: int = 0,
        status: str | None = None,
        limit: int = 50,
        alert_ids: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        policy.require(self.who, Permission.HANDLE_ALERTS)
        found: list[dict[str, Any]] = []
        cursor = after_seq
        while len(found) < limit:
            query = (
                select(alerts.c.id, alerts.c.seq)
                .join(alert_routes, alert_routes.c.alert_id == alerts.c.id)
                .where(alert_routes.c.agency_id == self.who.agency_id, alerts.c.seq > cursor)
                .order_by(alerts.c.seq)
                .limit(MAX_PAGE)
            )
            if status:
                query = query.where(alert_routes.c.status == status)
            if alert_ids is not None:
                query = query.where(alerts.c.id.in_(alert_ids))
            page = (await conn.execute(query)).all()
            for snapshot in await load_snapshots(conn, [r.id for r in page]):
                if self.sees_snapshot(snapshot) and len(found) < limit:
                    found.append(self.render(snapshot))
            if len(page) < MAX_PAGE:
                break
            cursor = page[-1].seq
        return found


def _route_view(route: Any) -> dict[str, Any]:
    return {
        "agency": route.code,
        "desk": route.desk_id,
        "status": route.status,
        "acknowledged_by": route.acknowledged_by,
        "acknowledged_at": isoformat(route.acknowledged_at) if route.acknowledged_at else None,
        "resolved_by": route.resolved_by,
        "resolved_at": isoformat(route.resolved_at) if route.resolved_at else None,
        "resolution": route.resolution,
        "note": route.note,
        "escalated": route.escalated_at is not None,
        "escalated_desk": route.escalated_desk_id,
    }


# --- acting ------------------------------------------------------------------------------


async def acknowledge(
    conn: AsyncConnection, reader: AlertReader, actor: Actor, now: datetime, alert_id: int
) -> tuple[dict[str, Any], AlertNotice | None]:
    row = await _own_route(conn, reader, alert_id)
    notice = None
    if row.status == "new":
        await conn.execute(
            update(alert_routes)
            .where(
                alert_routes.c.alert_id == alert_id,
                alert_routes.c.agency_id == reader.who.agency_id,
            )
            .values(status="acknowledged", acknowledged_by=reader.who.username, acknowledged_at=now)
        )
        await audit.record(conn, actor, AuditEvent("alert.ack", f"alert:{alert_id}"), now)
        notice = AlertNotice("alert_update", alert_id, row.seq)
    return await _fresh(conn, reader, alert_id), notice


async def resolve(
    conn: AsyncConnection,
    reader: AlertReader,
    actor: Actor,
    now: datetime,
    alert_id: int,
    resolution: Resolution,
    note: str,
) -> tuple[dict[str, Any], AlertNotice | None]:
    row = await _own_route(conn, reader, alert_id)
    if row.status == "resolved":
        if row.resolution != resolution:
            raise Conflict(f"alert {alert_id} is already resolved as {row.resolution}")
        return await _fresh(conn, reader, alert_id), None
    await conn.execute(
        update(alert_routes)
        .where(
            alert_routes.c.alert_id == alert_id, alert_routes.c.agency_id == reader.who.agency_id
        )
        .values(
            status="resolved",
            resolved_by=reader.who.username,
            resolved_at=now,
            resolution=resolution,
            note=note,
            acknowledged_by=func.coalesce(alert_routes.c.acknowledged_by, reader.who.username),
            acknowledged_at=func.coalesce(alert_routes.c.acknowledged_at, now),
        )
    )
    if resolution == "false_positive":
        await _remember_false_positive(conn, reader.who, now, row)
    details = {"resolution": resolution, "note": note}
    await audit.record(
        conn, actor, AuditEvent("alert.resolve", f"alert:{alert_id}", "success", details), now
    )
    return await _fresh(conn, reader, alert_id), AlertNotice("alert_update", alert_id, row.seq)


async def _own_route(conn: AsyncConnection, reader: AlertReader, alert_id: int) -> Any:
    """The caller's agency's route of the alert, locked for this transaction.

    The row lock (PostgreSQL; SQLite's write lock already serialises) makes a
    concurrent acknowledgement or resolution by the same agency wait and then see this
    one's outcome: one audit event, and a second, different resolution is a 409.
    It is taken before the audit chain's lock, as every writer of routes does.
    """
    policy.require(reader.who, Permission.HANDLE_ALERTS)
    row = (
        await conn.execute(
            select(alerts, alert_routes)
            .join(alert_routes, alert_routes.c.alert_id == alerts.c.id)
            .where(alerts.c.id == alert_id, alert_routes.c.agency_id == reader.who.agency_id)
            .with_for_update(of=alert_routes)
        )
    ).first()
    if row is None or not reader.sees(row.category, row):
        raise NotFound(f"alert {alert_id} does not exist")
    return row


async def _fresh(conn: AsyncConnection, reader: AlertReader, alert_id: int) -> dict[str, Any]:
    found = await reader.visible(conn, alert_ids=[alert_id], limit=1)
    return found[0]


async def _remember_false_positive(
    conn: AsyncConnection, who: Principal, now: datetime, row: Any
) -> None:
    """Later crossings of this traveller (same document) against this entry version come
    back as "possible" with a note, instead of raising the same hit again.

    Two agencies may clear the same traveller at once: the first clearance is kept and
    the other is a no-op (ON CONFLICT DO NOTHING), never a unique-key error.
    """
    traveller = json.loads(
        (
            await conn.execute(
                select(crossings.c.traveller).where(crossings.c.id == row.crossing_id)
            )
        ).scalar_one()
    )
    keys = document_memory_keys(traveller.get("documents", []))
    if not keys:
        return
    dialect_insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    await conn.execute(
        dialect_insert(false_positive_clearances)
        .values(
            [
                {
                    "entry_id": row.entry_id,
                    "entry_version": row.entry_version,
                    "document_key": key,
                    "cleared_by": who.username,
                    "cleared_agency": who.agency,
                    "cleared_at": now,
                    "alert_id": row.id,
                }
                for key in dict.fromkeys(keys)
            ]
        )
        .on_conflict_do_nothing()
    )


def document_memory_keys(documents: Sequence[Mapping[str, Any]]) -> list[str]:
    """One key per travel document: its normalised number and issuing country."""
    return [
        f"{normalise_document_number(d['number'])}:{d.get('country') or ''}"
        for d in documents
        if d.get("number")
    ]


async def escalate_due(
    conn: AsyncConnection, now: datetime, routing: RoutingPolicy
) -> list[AlertNotice]:
    """Escalate, once, every agency's route that is still new past its deadline.

    One conditional UPDATE flips ``escalated_at`` from NULL for all the due routes: with
    several nodes running the same sweep, a route is flipped by exactly one of them (the
    other waits for the row, re-checks the condition and skips it), and only the
    flipper records it. Flipping them all before the first audit event keeps the lock
    order of every other writer (route rows, then the audit chain): no deadlock with an
    acknowledgement arriving at the same moment.
    """
    due = (
        await conn.execute(
            select(alert_routes.c.alert_id, alert_routes.c.agency_id)
            .where(
                alert_routes.c.status == "new",
                alert_routes.c.escalated_at.is_(None),
                alert_routes.c.deadline_at <= now,
            )
            .order_by(alert_routes.c.alert_id, alert_routes.c.agency_id)
            .limit(ESCALATION_BATCH)
        )
    ).all()
    if not due:
        return []
    flipped = (
        await conn.execute(
            update(alert_routes)
            .where(
                tuple_(alert_routes.c.alert_id, alert_routes.c.agency_id).in_(
                    [(r.alert_id, r.agency_id) for r in due]
                ),
                alert_routes.c.escalated_at.is_(None),
                alert_routes.c.status == "new",
            )
            .values(escalated_at=now)
            .returning(alert_routes.c.alert_id, alert_routes.c.agency_id)
        )
    ).all()
    notices = []
    for route in sorted(flipped):
        notices.append(await _escalate_to_headquarters(conn, now, routing, route))
    return notices


async def _escalate_to_headquarters(
    conn: AsyncConnection, now: datetime, routing: RoutingPolicy, route: Any
) -> AlertNotice:
    alert = (
        await conn.execute(
            select(alerts.c.seq, alerts.c.category).where(alerts.c.id == route.alert_id)
        )
    ).one()
    work = routing.rule(alert.category).desks
    hq = policy.headquarters_desk(await agency_desks(conn, route.agency_id), work)
    await conn.execute(
        update(alert_routes)
        .where(
            alert_routes.c.alert_id == route.alert_id,
            alert_routes.c.agency_id == route.agency_id,
        )
        .values(escalated_desk_id=hq.id if hq else None)
    )
    details = {"agency_id": route.agency_id, "desk": hq.id if hq else None}
    await audit.record(
        conn,
        audit.SYSTEM,
        AuditEvent("alert.escalate", f"alert:{route.alert_id}", "success", details),
        now,
    )
    return AlertNotice("alert_update", route.alert_id, int(alert.seq))
