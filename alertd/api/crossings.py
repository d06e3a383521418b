"""Screening endpoints: crossings (recorded, alerting) and pre-arrival screenings."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from aiohttp import web

from alertd import audit, idempotency, policy, recording, screening
from alertd.api.bodies import read_raw
from alertd.api.context import actor, principal
from alertd.api.openapi import operation
from alertd.audit import AuditEvent
from alertd.batching import Batcher
from alertd.errors import Conflict
from alertd.policy import Permission
from alertd.principal import Principal
from alertd.roles import Role
from alertd.screening import CrossingBody, ScreeningBody
from alertd.state import CLOCK, ENGINE, NOTIFIER, READ_ENGINE, SCREENER, STATEMENT_READS
from alertd.wire import ModelT, parse_json

routes = web.RouteTableDef()
# Crossings are written in batches: concurrent requests share a transaction and its
# durable commit (alertd.batching); made by the app with the screener.
CROSSING_WRITER = web.AppKey(
    "crossing_writer", Batcher[recording.PendingCrossing, recording.Written | None]
)
OFFICER = (Role.CHECKPOINT_OFFICER,)
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


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
    who = await principal(request, Permission.SCREEN)
    raw, body = await _body(request, CrossingBody)
    policy.require_checkpoint(who, body.checkpoint)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None:
        idempotency.check_key(key)
    # Only a keyed submission is ever compared with an earlier one.
    digest = screening.request_hash(raw) if key is not None else ""
    answer = await _record(request, who, body, key, digest)
    if answer is None:  # the key was claimed before: by this request's first try, or a twin
        async with request.app[READ_ENGINE].connect() as conn:
            earlier = await idempotency.stored_answer(conn, who.user_id, key or "", digest)
        if earlier is None:
            raise Conflict("a submission with this Idempotency-Key is still in progress")
        return _crossing_response(earlier, started, replayed=True)
    return _crossing_response(answer, started, replayed=False)


async def _record(
    request: web.Request, who: Principal, body: CrossingBody, key: str | None, digest: str
) -> dict[str, Any] | None:
    """Screen, then record in a short transaction shared with concurrent crossings; None
    if another submission holds the key.

    The matching and the reads it needs happen first, outside the write transaction:
    on SQLite the write lock, and on PostgreSQL the audit chain's lock, are then held
    only for the few inserts and the commit, not while the traveller is scored.
    """
    clock, screener = request.app[CLOCK], request.app[SCREENER]
    now = clock.now()
    subject = screener.subject(body.traveller, now.date())
    screened = await _assess(request, subject, now)
    pending = recording.PendingCrossing(
        who, actor(request, who), now, body, subject, tuple(screened), key, digest
    )
    written = await request.app[CROSSING_WRITER].do(pending)
    if written is None:
        return None
    request.app[NOTIFIER].alerts_changed(written.notices)
    return written.answer


async def _assess(
    request: web.Request, subject: screening.Subject, now: datetime
) -> list[screening.ScreenedMatch]:
    screener = request.app[SCREENER]
    found = screener.search(subject, now)
    if not found:  # most travellers: no database read at all
        return []
    # The entries' metadata and the clearances are independent reads of one statement
    # each: no transaction around them (on PostgreSQL a BEGIN and a ROLLBACK less).
    async with request.app[STATEMENT_READS].connect() as conn:
        return await screener.assess(conn, subject, found)


def _crossing_response(answer: dict[str, Any], started: float, *, replayed: bool) -> web.Response:
    timed = answer | {"screened_in_ms": _elapsed_ms(started)}
    headers = {REPLAYED_HEADER: "true"} if replayed else None
    return web.json_response(timed, status=201, headers=headers)


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
    _, body = await _body(request, ScreeningBody)
    screener = request.app[SCREENER]
    now = request.app[CLOCK].now()
    subject = screener.subject(body.traveller, now.date())
    screened = await _assess(request, subject, now)
    outcome = screening.outcome_of(screened)
    async with request.app[ENGINE].begin() as conn:
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
        "warnings": list(subject.traveller.mrz_warnings),
        "screened_in_ms": _elapsed_ms(started),
    }
    return web.json_response(answer)


async def _body(request: web.Request, model: type[ModelT]) -> tuple[bytes, ModelT]:
    raw = await read_raw(request)
    return raw, parse_json(model, raw)  # parse_json also refuses NUL characters


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
