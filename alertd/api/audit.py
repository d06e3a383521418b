"""The audit log for auditors: search, export as JSON Lines, and verify the hash chain."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy import Select, select

from alertd import audit
from alertd.api.context import actor, principal
from alertd.api.openapi import operation
from alertd.audit import AuditEvent
from alertd.clock import isoformat
from alertd.errors import FieldError, ValidationFailed
from alertd.policy import Permission
from alertd.roles import Role
from alertd.state import CLOCK, ENGINE, READ_ENGINE
from alertd.tables import audit_events

routes = web.RouteTableDef()
AUDITOR = (Role.AUDITOR,)
MAX_PAGE = 500
EXPORT_BATCH = 2000


def _filters(request: web.Request) -> tuple[Select[Any], dict[str, Any]]:
    query: Select[Any] = select(audit_events)
    used: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name in ("actor", "action", "subject"):
        value = request.query.get(name)
        if value:
            query = query.where(getattr(audit_events.c, name) == value)
            used[name] = value
    for name, op in (("since", "__ge__"), ("until", "__lt__")):
        raw = request.query.get(name)
        if raw:
            try:
                moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                errors.append(
                    FieldError(name, "must be an RFC 3339 time, e.g. 2026-11-25T00:00:00Z")
                )
                continue
            if moment.tzinfo is None:
                errors.append(FieldError(name, "needs a time zone (use Z for UTC)"))
                continue
            query = query.where(getattr(audit_events.c.occurred_at, op)(moment))
            used[name] = raw
    after = request.query.get("after_seq", "")
    if after and not after.isdigit():
        errors.append(FieldError("after_seq", "must be a whole number"))
    elif after:
        query = query.where(audit_events.c.seq > int(after))
        used["after_seq"] = int(after)
    if errors:
        raise ValidationFailed(errors)
    return query.order_by(audit_events.c.seq), used


def _event(row: Any) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "occurred_at": isoformat(row.occurred_at),
        "actor": row.actor,
        "agency": row.agency,
        "action": row.action,
        "subject": row.subject,
        "outcome": row.outcome,
        "request_id": row.request_id,
        "details": json.loads(row.details),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


@routes.get("/api/v1/audit")
@operation(
    "Search the audit log (actor, action, subject, since, until, after_seq, limit)",
    tag="audit",
    roles=AUDITOR,
)
async def search(request: web.Request) -> web.Response:
    who = await principal(request, Permission.READ_AUDIT)
    query, used = _filters(request)
    limit_raw = request.query.get("limit", "100")
    if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= MAX_PAGE:
        raise ValidationFailed(
            [FieldError("limit", f"must be a whole number from 1 to {MAX_PAGE}")]
        )
    now = request.app[CLOCK].now()
    async with request.app[ENGINE].begin() as conn:
        rows = (await conn.execute(query.limit(int(limit_raw)))).all()
        await audit.record(
            conn,
            actor(request, who),
            AuditEvent("audit.search", None, "success", used | {"returned": len(rows)}),
            now,
        )
    events = [_event(row) for row in rows]
    return web.json_response({"events": events, "last_seq": events[-1]["seq"] if events else None})


@routes.get("/api/v1/audit/export")
@operation("Export the (filtered) audit log as JSON Lines", tag="audit", roles=AUDITOR)
async def export(request: web.Request) -> web.StreamResponse:
    who = await principal(request, Permission.READ_AUDIT)
    query, used = _filters(request)
    async with request.app[ENGINE].begin() as conn:
        await audit.record(
            conn,
            actor(request, who),
            AuditEvent("audit.export", None, "success", used),
            request.app[CLOCK].now(),
        )
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    # The read engine: a slow client must never hold SQLite's write lock.
    async with request.app[READ_ENGINE].connect() as conn:
        result = await conn.stream(query)
        async for rows in result.partitions(EXPORT_BATCH):
            lines = (json.dumps(_event(row), ensure_ascii=False) + "\n" for row in rows)
            await response.write("".join(lines).encode())
    await response.write_eof()
    return response


@routes.get("/api/v1/audit/verify")
@operation(
    "Recompute the hash chain: {ok, events, head}, and the first broken seq if any",
    tag="audit",
    roles=AUDITOR,
)
async def verify(request: web.Request) -> web.Response:
    who = await principal(request, Permission.READ_AUDIT)
    async with request.app[READ_ENGINE].connect() as conn:
        report = await audit.verify(conn)
    async with request.app[ENGINE].begin() as conn:
        await audit.record(
            conn,
            actor(request, who),
            AuditEvent("audit.verify", None, "success", report.to_dict()),
            request.app[CLOCK].now(),
        )
    return web.json_response(report.to_dict())
