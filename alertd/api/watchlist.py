"""Watchlist endpoints: entries, the four-eyes workflow, history, imports, export."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated

from aiohttp import web
from aiohttp.http_exceptions import LineTooLong
from pydantic import Field
from sqlalchemy.exc import SQLAlchemyError

from alertd import imports, watchlist, watchlist_read
from alertd.api.bodies import WireModel, read_body
from alertd.api.context import actor, principal
from alertd.api.openapi import operation
from alertd.entries import Category, EntryBody
from alertd.errors import BadRequest, FieldError, PayloadTooLarge, ValidationFailed
from alertd.policy import Permission
from alertd.roles import Role
from alertd.state import CLOCK, ENGINE, LIVE_INDEX, READ_ENGINE, SETTINGS, WATCHLIST_FEED

log = logging.getLogger("alertd.watchlist")
routes = web.RouteTableDef()

EDITOR = (Role.WATCHLIST_EDITOR,)
APPROVER = (Role.WATCHLIST_APPROVER,)
READERS = (Role.WATCHLIST_EDITOR, Role.WATCHLIST_APPROVER, Role.DESK_OFFICER, Role.AUDITOR)
LIST_STATUSES = ("draft", "pending", "published", "withdrawn", "expired", "rejected")
NDJSON = "application/x-ndjson"
# One entry at its schema's limits (50 names, 20 documents, long texts) stays well under.
MAX_IMPORT_LINE_BYTES = 256 * 1024
# Batches up to this size are in this node's matching index when the approval is
# answered (about a second of indexing); larger ones are indexed after the answer.
INDEX_BEFORE_ANSWER_MAX = 2000


class ReasonBody(WireModel):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


def _rules(request: web.Request) -> watchlist.Rules:
    return watchlist.Rules(max_expiry_days=request.app[SETTINGS].watchlist_max_expiry_days)


def _entry_id(request: web.Request) -> int:
    return int(request.match_info["entry_id"])


@routes.post("/api/v1/watchlist/entries")
@operation(
    "Draft a new entry (owned by your agency)",
    tag="watchlist",
    body=EntryBody,
    roles=EDITOR,
    responses={201: "Created as a draft"},
)
async def create_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    body = await read_body(request, EntryBody)
    async with request.app[ENGINE].begin() as conn:
        outcome = await watchlist.create(
            conn, who, actor(request, who), request.app[CLOCK].now(), body, _rules(request)
        )
    return web.json_response(outcome.to_dict(), status=201)


@routes.get("/api/v1/watchlist/entries")
@operation(
    "List the entries you may see (filters: status, category, q, after, limit)",
    tag="watchlist",
    roles=READERS,
)
async def list_entries(request: web.Request) -> web.Response:
    who = await principal(request)
    query = _list_query(request)
    async with request.app[ENGINE].begin() as conn:
        page = await watchlist_read.list_entries(
            conn, who, actor(request, who), request.app[CLOCK].now(), query
        )
    return web.json_response(page)


def _list_query(request: web.Request) -> watchlist_read.ListQuery:
    params, errors = request.query, []
    status, category = params.get("status") or None, params.get("category") or None
    if status is not None and status not in LIST_STATUSES:
        errors.append(FieldError("status", f"must be one of {', '.join(LIST_STATUSES)}"))
    if category is not None and category not in Category._value2member_map_:
        errors.append(FieldError("category", "is not a watchlist category"))
    after = _int_param(params.get("after"), "after", 1, 2**62, errors)
    limit = _int_param(params.get("limit"), "limit", 1, watchlist_read.MAX_PAGE, errors)
    q = params.get("q") or None
    if q is not None and len(q) > 200:
        errors.append(FieldError("q", "must be at most 200 characters"))
    if errors:
        raise ValidationFailed(errors)
    return watchlist_read.ListQuery(status, category, q, after, limit or 50)


def _int_param(
    raw: str | None, name: str, low: int, high: int, errors: list[FieldError]
) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors.append(FieldError(name, f"must be a whole number from {low} to {high}"))
        return None
    return int(raw)


@routes.get(r"/api/v1/watchlist/entries/{entry_id:\d+}")
@operation(
    "One entry, redacted for your agency (an audited read)",
    tag="watchlist",
    roles=READERS,
    responses={200: "The entry", 404: "Absent or not released to you"},
)
async def get_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    async with request.app[ENGINE].begin() as conn:
        detail = await watchlist_read.entry_detail(
            conn, who, actor(request, who), request.app[CLOCK].now(), _entry_id(request)
        )
    return web.json_response(detail)


@routes.put(r"/api/v1/watchlist/entries/{entry_id:\d+}")
@operation(
    "Change an entry: drafts in place; a published entry gets a new pending version",
    tag="watchlist",
    body=EntryBody,
    roles=EDITOR,
)
async def edit_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    body = await read_body(request, EntryBody)
    async with request.app[ENGINE].begin() as conn:
        outcome = await watchlist.edit(
            conn,
            who,
            actor(request, who),
            request.app[CLOCK].now(),
            _entry_id(request),
            body,
            _rules(request),
        )
    return web.json_response(outcome.to_dict())


@routes.get(r"/api/v1/watchlist/entries/{entry_id:\d+}/history")
@operation("Every version of an entry with who did what and when", tag="watchlist", roles=READERS)
async def entry_history(request: web.Request) -> web.Response:
    who = await principal(request)
    async with request.app[ENGINE].begin() as conn:
        history = await watchlist_read.entry_history(
            conn, who, actor(request, who), request.app[CLOCK].now(), _entry_id(request)
        )
    return web.json_response(history)


@routes.post(r"/api/v1/watchlist/entries/{entry_id:\d+}/submit")
@operation("Submit a draft for review", tag="watchlist", roles=EDITOR)
async def submit_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    async with request.app[ENGINE].begin() as conn:
        outcome = await watchlist.submit(
            conn, who, actor(request, who), request.app[CLOCK].now(), _entry_id(request)
        )
    return web.json_response(outcome.to_dict())


@routes.post(r"/api/v1/watchlist/entries/{entry_id:\d+}/approve")
@operation(
    "Approve the pending change (publish it, or withdraw the entry); four eyes",
    tag="watchlist",
    roles=APPROVER,
)
async def approve_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    async with request.app[ENGINE].begin() as conn:
        outcome = await watchlist.approve(
            conn, who, actor(request, who), request.app[CLOCK].now(), _entry_id(request)
        )
    request.app[WATCHLIST_FEED].apply(outcome.changes)
    return web.json_response(outcome.to_dict())


@routes.post(r"/api/v1/watchlist/entries/{entry_id:\d+}/reject")
@operation(
    "Reject the pending change with a reason; four eyes",
    tag="watchlist",
    body=ReasonBody,
    roles=APPROVER,
)
async def reject_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    body = await read_body(request, ReasonBody)
    async with request.app[ENGINE].begin() as conn:
        outcome = await watchlist.reject(
            conn,
            who,
            actor(request, who),
            request.app[CLOCK].now(),
            _entry_id(request),
            body.reason,
        )
    return web.json_response(outcome.to_dict())


@routes.post(r"/api/v1/watchlist/entries/{entry_id:\d+}/withdraw")
@operation(
    "Ask to withdraw (de-list) a published entry; another person approves",
    tag="watchlist",
    body=ReasonBody,
    roles=(Role.WATCHLIST_EDITOR, Role.WATCHLIST_APPROVER),
)
async def withdraw_entry(request: web.Request) -> web.Response:
    who = await principal(request)
    body = await read_body(request, ReasonBody)
    async with request.app[ENGINE].begin() as conn:
        outcome = await watchlist.request_withdrawal(
            conn,
            who,
            actor(request, who),
            request.app[CLOCK].now(),
            _entry_id(request),
            body.reason,
        )
    return web.json_response(outcome.to_dict())


@routes.post("/api/v1/watchlist/imports")
@operation(
    "Import JSON Lines (application/x-ndjson) as one pending batch: all lines or none",
    tag="watchlist",
    roles=EDITOR,
    responses={201: "A pending batch"},
)
async def create_import(request: web.Request) -> web.Response:
    who = await principal(request, Permission.EDIT_WATCHLIST)
    if request.content_type != NDJSON:
        raise BadRequest(f"send the import as {NDJSON}, one entry a line")
    now = request.app[CLOCK].now()
    async with request.app[ENGINE].connect() as conn:
        known = await imports.agency_codes(conn)
    # Lines are validated as they arrive, so only what is stored stays in memory, and
    # the write transaction starts once the whole file is known to be good.
    parser = imports.LineParser(now, _rules(request), known)
    async for number, raw in _numbered_lines(request):
        parser.feed(number, raw)
    lines = parser.finish()
    async with request.app[ENGINE].begin() as conn:
        outcome = await imports.create_batch(conn, who, actor(request, who), now, lines)
    await imports.refresh_statistics(request.app[ENGINE], outcome.count)
    return web.json_response(outcome.to_dict(), status=201)


async def _numbered_lines(request: web.Request) -> AsyncIterator[tuple[int, bytes]]:
    limit, read = request.app[SETTINGS].max_import_bytes, 0
    number = 0
    while True:
        try:
            line = await request.content.readline(max_line_length=MAX_IMPORT_LINE_BYTES)
        except LineTooLong:
            raise PayloadTooLarge(
                f"line {number + 1} is longer than {MAX_IMPORT_LINE_BYTES} bytes"
            ) from None
        if not line:
            return
        read += len(line)
        if read > limit:
            raise PayloadTooLarge(f"the import is larger than the limit of {limit} bytes")
        number += 1
        yield number, line


@routes.get(r"/api/v1/watchlist/imports/{import_id:\d+}")
@operation(
    "An import batch's state, and whether this node matches on it yet (indexed)",
    tag="watchlist",
    roles=EDITOR + APPROVER,
)
async def get_import(request: web.Request) -> web.Response:
    who = await principal(request)
    batch_id = int(request.match_info["import_id"])
    async with request.app[READ_ENGINE].connect() as conn:
        state = await imports.batch_status(conn, who, batch_id)
    # Whether this node's matching index holds the batch (it catches up on large ones).
    indexed = state["status"] == "published" and not request.app[LIVE_INDEX].backlog.holds(batch_id)
    return web.json_response(state | {"indexed": indexed})


@routes.post(r"/api/v1/watchlist/imports/{import_id:\d+}/approve")
@operation(
    "Publish a pending import batch; four eyes. A large batch is indexed for matching "
    "after the answer (indexed: false); GET the import until indexed is true",
    tag="watchlist",
    roles=APPROVER,
)
async def approve_import(request: web.Request) -> web.Response:
    who = await principal(request)
    async with request.app[ENGINE].begin() as conn:
        outcome = await imports.approve_batch(
            conn,
            who,
            actor(request, who),
            request.app[CLOCK].now(),
            int(request.match_info["import_id"]),
        )
    await imports.refresh_statistics(request.app[ENGINE], outcome.count)
    if outcome.count <= INDEX_BEFORE_ANSWER_MAX:
        await _index_batch(request.app, outcome.id)
        return web.json_response(outcome.to_dict() | {"indexed": True})
    # Indexing a large batch takes a while (100,000 entries: tens of seconds); it is
    # published in the database already, so every node's rebuild finds it whatever
    # happens to this task, and the approver need not hold a request open meanwhile.
    request.app[LIVE_INDEX].backlog.start(outcome.id, _index_batch_later(request.app, outcome.id))
    return web.json_response(outcome.to_dict() | {"indexed": False})


async def _index_batch(app: web.Application, batch_id: int) -> None:
    """Feed the approved batch to the change feed, read back from the database a chunk
    at a time, so a large batch neither sits in memory whole nor stalls the event loop
    in one go."""
    count = 0
    async for changes in imports.published_changes(app[READ_ENGINE], batch_id):
        app[WATCHLIST_FEED].apply(changes)
        count += len(changes)
    app[LIVE_INDEX].batch_indexed(count)


async def _index_batch_later(app: web.Application, batch_id: int) -> None:
    try:
        await _index_batch(app, batch_id)
    except (SQLAlchemyError, OSError):
        log.exception("indexing an approved batch failed; rebuilding", extra={"batch": batch_id})
        await app[LIVE_INDEX].rebuild(app[READ_ENGINE], app[CLOCK].now())


@routes.post(r"/api/v1/watchlist/imports/{import_id:\d+}/reject")
@operation(
    "Discard a pending import batch; four eyes", tag="watchlist", body=ReasonBody, roles=APPROVER
)
async def reject_import(request: web.Request) -> web.Response:
    who = await principal(request)
    body = await read_body(request, ReasonBody)
    async with request.app[ENGINE].begin() as conn:
        outcome = await imports.reject_batch(
            conn,
            who,
            actor(request, who),
            request.app[CLOCK].now(),
            int(request.match_info["import_id"]),
            body.reason,
        )
    return web.json_response(outcome.to_dict())


@routes.get("/api/v1/watchlist/export")
@operation(
    "The entries you may see as JSON Lines, redacted (an audited read)",
    tag="watchlist",
    roles=READERS,
)
async def export_entries(request: web.Request) -> web.StreamResponse:
    who = await principal(request)
    now = request.app[CLOCK].now()
    async with request.app[ENGINE].begin() as conn:
        lines = await watchlist_read.export_entries(conn, who, actor(request, who), now)
    response = web.StreamResponse(headers={"Content-Type": NDJSON})
    await response.prepare(request)
    for item in lines:
        await response.write(json.dumps(item, ensure_ascii=False).encode() + b"\n")
    await response.write_eof()
    return response
