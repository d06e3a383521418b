"""Alert endpoints for desk officers: list, show, acknowledge, resolve (for one's own
agency)."""

from __future__ import annotations

import re
from typing import Annotated

from aiohttp import web
from pydantic import Field

from alertd import alerts, audit
from alertd.alerts import AlertReader, Resolution
from alertd.api.bodies import WireModel, read_body
from alertd.api.context import actor, principal
from alertd.api.openapi import operation
from alertd.audit import AuditEvent
from alertd.errors import FieldError, NotFound, ValidationFailed
from alertd.policy import Permission
from alertd.roles import Role
from alertd.state import CLOCK, ENGINE, NOTIFIER, ROUTING

routes = web.RouteTableDef()
DESK = (Role.DESK_OFFICER,)
STATUSES = ("new", "acknowledged", "resolved")
MAX_ID = 2**63 - 1  # the largest BIGINT either database stores
MAX_DIGITS = 19
ASCII_DIGITS = re.compile(r"[0-9]+")


class ResolveBody(WireModel):
    resolution: Resolution
    note: Annotated[str, Field(max_length=2000)] = ""


async def _reader(request: web.Request) -> AlertReader:
    who = await principal(request, Permission.HANDLE_ALERTS)
    async with request.app[ENGINE].connect() as conn:
        desk = await alerts.desk_of(conn, who.desk_id)
    return AlertReader(who, desk, request.app[ROUTING])


@routes.get("/api/v1/alerts")
@operation(
    "Alerts routed to your agency and desk, oldest first (status, after_seq, limit)",
    tag="alerts",
    roles=DESK,
)
async def list_alerts(request: web.Request) -> web.Response:
    reader = await _reader(request)
    status, after_seq, limit = _query(request)
    now = request.app[CLOCK].now()
    async with request.app[ENGINE].begin() as conn:
        found = await reader.visible(conn, after_seq=after_seq, status=status, limit=limit)
        details = {"status": status, "after_seq": after_seq, "returned": len(found)}
        await audit.record(
            conn,
            actor(request, reader.who),
            AuditEvent("alert.list", None, "success", details),
            now,
        )
    last = found[-1]["seq"] if found else after_seq
    return web.json_response({"alerts": found, "last_seq": last})


def _query(request: web.Request) -> tuple[str | None, int, int]:
    errors = []
    status = request.query.get("status") or None
    if status is not None and status not in STATUSES:
        errors.append(FieldError("status", f"must be one of {', '.join(STATUSES)}"))
    numbers = {}
    for name, default, low, high in (
        ("after_seq", 0, 0, MAX_ID),
        ("limit", 50, 1, alerts.MAX_PAGE),
    ):
        raw = request.query.get(name, "")
        number = _whole_number(raw) if raw else default
        if number is None or not low <= number <= high:
            errors.append(FieldError(name, f"must be a whole number from {low} to {high}"))
        numbers[name] = number or default
    if errors:
        raise ValidationFailed(errors)
    return status, numbers["after_seq"], numbers["limit"]


def _whole_number(raw: str) -> int | None:
    """ASCII digits only: ``str.isdigit`` would take "١٢" (and int() would read it)."""
    return int(raw) if ASCII_DIGITS.fullmatch(raw) and len(raw) <= MAX_DIGITS else None


def _alert_id(request: web.Request) -> int:
    """The path's alert id; one no database could hold is simply not found."""
    number = _whole_number(request.match_info["alert_id"])
    if number is None or number > MAX_ID:
        raise NotFound(f"alert {request.match_info['alert_id'][:30]} does not exist")
    return number


@routes.get(r"/api/v1/alerts/{alert_id:[0-9]+}")
@operation("One alert routed to your agency and desk (404 for any other)", tag="alerts", roles=DESK)
async def show_alert(request: web.Request) -> web.Response:
    reader = await _reader(request)
    alert_id = _alert_id(request)
    async with request.app[ENGINE].begin() as conn:
        found = await reader.visible(conn, alert_ids=[alert_id], limit=1)
        # Audited whether or not it was found: probing for alert ids is itself a fact.
        await audit.record(
            conn,
            actor(request, reader.who),
            AuditEvent("alert.read", f"alert:{alert_id}", "success" if found else "failure"),
            request.app[CLOCK].now(),
        )
    if not found:
        # The same answer for "no such alert" and "not yours": need-to-know.
        raise NotFound(f"alert {alert_id} does not exist")
    return web.json_response(found[0])


@routes.post(r"/api/v1/alerts/{alert_id:[0-9]+}/ack")
@operation("Acknowledge for your agency (idempotent)", tag="alerts", roles=DESK)
async def acknowledge(request: web.Request) -> web.Response:
    reader = await _reader(request)
    async with request.app[ENGINE].begin() as conn:
        alert, notice = await alerts.acknowledge(
            conn,
            reader,
            actor(request, reader.who),
            request.app[CLOCK].now(),
            _alert_id(request),
        )
    request.app[NOTIFIER].alerts_changed([notice] if notice else [])
    return web.json_response(alert)


@routes.post(r"/api/v1/alerts/{alert_id:[0-9]+}/resolve")
@operation(
    "Resolve for your agency: confirmed, false_positive, referred or no_action",
    tag="alerts",
    body=ResolveBody,
    roles=DESK,
)
async def resolve(request: web.Request) -> web.Response:
    reader = await _reader(request)
    body = await read_body(request, ResolveBody)
    async with request.app[ENGINE].begin() as conn:
        alert, notice = await alerts.resolve(
            conn,
            reader,
            actor(request, reader.who),
            request.app[CLOCK].now(),
            _alert_id(request),
            body.resolution,
            body.note,
        )
    request.app[NOTIFIER].alerts_changed([notice] if notice else [])
    return web.json_response(alert)
