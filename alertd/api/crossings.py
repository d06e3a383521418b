"""Screening endpoints: crossings (recorded, alerting) and pre-arrival screenings."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from alertd import audit, idempotency, policy, screening
from alertd.api.bodies import read_raw
from alertd.api.context import actor, principal
from alertd.api.openapi import operation
from alertd.audit import AuditEvent
from alertd.errors import Conflict
from alertd.policy import Permission
from alertd.roles import Role
from alertd.screening import CrossingBody, ScreeningBody
from alertd.state import CLOCK, ENGINE, NOTIFIER, SCREENER
from alertd.wire import parse_json

routes = web.RouteTableDef()
OFFICER = (Role.CHECKPOINT_OFFICER,)


@routes.post("/api/v1/crossings")
@operation(
    "Screen and record a crossing; the answer says what to do. Honours Idempotency-Key.",
    tag="screening",
    body=CrossingBody,
    roles=OFFICER,
    responses={201: "The crossing, its outcome and matches", 409: "Key reused differently"},
)
async def create_crossing(request: web.Request) -> web.Response:
    started = time.perf_counter()
    who = await principal(request)
    raw = await read_raw(request)
    body = parse_json(CrossingBody, raw)
    policy.require_checkpoint(who, body.checkpoint)
    key = request.headers.get("Idempotency-Key")
    digest = screening.request_hash(raw)
    engine, clock, screener = request.app[ENGINE], request.app[CLOCK], request.app[SCREENER]
    if key is not None:
        idempotency.check_key(key)
        async with engine.connect() as conn:
            earlier = await idempotency.stored_answer(conn, who.user_id, key, digest)
        if earlier is not None:
            return web.json_response(earlier, status=201)
    now = clock.now()
    subject = screener.subject(body.traveller, now.date())
    async with engine.begin() as conn:
        if key is not None and not await idempotency.claim(conn, who.user_id, key, digest, now):
            earlier = await idempotency.stored_answer(conn, who.user_id, key, digest)
            if earlier is None:
                raise Conflict("a submission with this Idempotency-Key is still in progress")
            return web.json_response(earlier, status=201)
        screened = await screener.screen(conn, subject, now)
        crossing_id, with_alerts, notices = await screening.record_crossing(
            conn, screener, who, actor(request, who), now, body, subject, screened
        )
        answer: dict[str, Any] = {
            "crossing_id": crossing_id,
            "outcome": screening.outcome_of(screened),
            "matches": [
                screening.officer_view(who, item, screener.routing, alert_id)
                for item, alert_id in with_alerts
            ],
        }
        if key is not None:
            await idempotency.remember(conn, who.user_id, key, answer)
    request.app[NOTIFIER].alerts_changed(notices)
    answer["screened_in_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return web.json_response(answer, status=201)


@routes.post("/api/v1/screenings")
@operation(
    "Screen a traveller without recording a crossing (pre-arrival); audited",
    tag="screening",
    body=ScreeningBody,
    roles=OFFICER,
    responses={200: "The outcome and matches"},
)
async def create_screening(request: web.Request) -> web.Response:
    started = time.perf_counter()
    who = await principal(request, Permission.SCREEN)
    body = parse_json(ScreeningBody, await read_raw(request))
    screener = request.app[SCREENER]
    now = request.app[CLOCK].now()
    subject = screener.subject(body.traveller, now.date())
    async with request.app[ENGINE].begin() as conn:
        screened = await screener.screen(conn, subject, now)
        outcome = screening.outcome_of(screened)
        details = {
            "query": subject.record,
            "outcome": outcome,
            "matches": [int(s.match.entry_id) for s in screened],
        }
        await audit.record(
            conn, actor(request, who), AuditEvent("screening.query", None, "success", details), now
        )
    answer = {
        "outcome": outcome,
        "matches": [screening.officer_view(who, item, screener.routing, None) for item in screened],
        "screened_in_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return web.json_response(answer)
