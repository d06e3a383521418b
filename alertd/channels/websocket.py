"""``GET /api/v1/ws``: authenticate, optionally resume from the database, then push live.

Replay and live meet without a gap or a duplicate: the connection is registered with the
hub (live pushes queue up) before the replay reads the database, and the sender skips
any queued alert whose seq the replay already sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiohttp import WSMsgType, web
from sqlalchemy.exc import SQLAlchemyError

from alertd import alerts
from alertd.alerts import AlertReader
from alertd.api.context import request_id
from alertd.api.openapi import operation
from alertd.channels import protocol
from alertd.channels.admission import AdmissionFailed
from alertd.channels.connection import Connection
from alertd.errors import AlertdError, NotAuthenticated, PermissionDenied
from alertd.policy import Permission, allows, require
from alertd.principal import Principal
from alertd.roles import Role
from alertd.state import (
    AUTHENTICATOR,
    CLOCK,
    ENGINE,
    HUB,
    NOTIFIER,
    ROUTING,
    SETTINGS,
)

log = logging.getLogger("alertd.channels")
routes = web.RouteTableDef()
T = TypeVar("T")
# How long a socket waits for its batched sign-in or replay page before giving up (1013).
ADMISSION_WAIT_SECONDS = 30.0
# How long a closing handshake may wait for the client to read: a client that stopped
# reading (the slow consumer closed with 4429) must not hold a handler forever.
CLOSE_TIMEOUT_SECONDS = 5.0


class ProtocolError(Exception):
    """A client message that is not part of the protocol."""


def _parse(message: Any) -> dict[str, Any]:
    if message.type != WSMsgType.TEXT:
        raise ProtocolError("send JSON text messages")
    try:
        data = json.loads(message.data)
    except json.JSONDecodeError:
        raise ProtocolError("not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError("a message is a JSON object with a 'type'")
    return data


@routes.get("/api/v1/ws")
@operation(
    "WebSocket alert channel (see alertd/channels/protocol.py)",
    tag="alerts",
    roles=(Role.DESK_OFFICER,),
    responses={101: "Switching protocols"},
)
async def alert_channel(request: web.Request) -> web.WebSocketResponse:
    # No permessage-deflate: an alert is serialised once for every desk that receives it,
    # but compressed once per socket (each keeps its own deflate context), which would
    # put a per-connection CPU cost back on the fan-out. Alert messages are small.
    ws = web.WebSocketResponse(
        max_msg_size=protocol.MAX_MESSAGE_BYTES, autoping=True, compress=False
    )
    await ws.prepare(request)
    app = request.app
    try:
        connection = await _authenticate(ws, request)
    except (NotAuthenticated, ProtocolError, TimeoutError) as exc:
        await _close(ws, request, protocol.CLOSE_UNAUTHENTICATED, _reason(exc))
        return ws
    except PermissionDenied as exc:
        await _close(ws, request, protocol.CLOSE_FORBIDDEN, _reason(exc))
        return ws
    except AdmissionFailed:
        await _close(ws, request, protocol.CLOSE_TRY_AGAIN, b"database busy: reconnect later")
        return ws
    hub = app[HUB]
    hub.register(connection)
    try:
        await _serve(ws, request, connection)
    except AdmissionFailed:
        connection.request_close(protocol.CLOSE_TRY_AGAIN, "database busy: reconnect and resume")
    except SQLAlchemyError:  # an ack the database could not take
        log.warning("alert channel failed: database unavailable", exc_info=True)
        connection.request_close(protocol.CLOSE_TRY_AGAIN, "database busy: reconnect and resume")
    finally:
        hub.unregister(connection)
        code = connection.close_code or protocol.CLOSE_GOING_AWAY
        await _close(ws, request, code, connection.close_reason.encode()[:120])
    return ws


async def _close(
    ws: web.WebSocketResponse, request: web.Request, code: int, message: bytes
) -> None:
    """Close, waiting a bounded time for the client to take the close frame; past it the
    connection is reset, so a client that stopped reading costs no socket afterwards."""
    if ws.closed:
        return
    try:
        async with asyncio.timeout(CLOSE_TIMEOUT_SECONDS):
            await ws.close(code=code, message=message)
    except TimeoutError:
        if request.transport is not None:
            request.transport.abort()
    except ConnectionResetError:
        pass


def _reason(exc: Exception) -> bytes:
    text = exc.detail if isinstance(exc, AlertdError) else str(exc) or "authentication timed out"
    return text.encode()[:120]


async def _authenticate(ws: web.WebSocketResponse, request: web.Request) -> Connection:
    first = _parse(await asyncio.wait_for(ws.receive(), protocol.AUTH_TIMEOUT_SECONDS))
    token = first.get("token")
    if first["type"] != "auth" or not isinstance(token, str):
        raise ProtocolError('the first message must be {"type": "auth", "token": ...}')
    app = request.app
    claims = app[AUTHENTICATOR].claims_of(token)
    admitted = await _admission(app[HUB].admissions.sign_in(claims))
    require(admitted.who, Permission.HANDLE_ALERTS)
    reader = AlertReader(admitted.who, admitted.desk, app[ROUTING])
    return Connection(
        reader, admitted.who.session_id, claims.expires_at, app[SETTINGS].ws_send_queue_size
    )


async def _admission(answer: Awaitable[T]) -> T:
    """A batched sign-in or replay page; a batch the database could not serve, or that
    took too long, closes the socket with 1013 (reconnect later and resume)."""
    try:
        async with asyncio.timeout(ADMISSION_WAIT_SECONDS):
            return await answer
    except TimeoutError:
        raise AdmissionFailed("the node is too busy") from None


async def _serve(ws: web.WebSocketResponse, request: web.Request, connection: Connection) -> None:
    app = request.app
    settings = app[SETTINGS]
    who = connection.reader.who
    await ws.send_json(
        {
            "type": "ready",
            "user": {"username": who.username, "agency": who.agency, "desk": who.desk_id},
            "last_seq": connection.start_seq,
            "ping_interval": settings.ws_ping_interval_seconds,
        }
    )
    last_seq = await _maybe_resume(ws, request, connection)
    connection.last_seq = last_seq
    connection.socket = _TransportSocket(ws, request)
    connection.start_pings(settings.ws_ping_interval_seconds)
    sender = asyncio.create_task(_send(ws, connection))
    receiver = asyncio.create_task(_receive(ws, request, connection))
    closing = asyncio.create_task(connection.closing.wait())
    try:
        await asyncio.wait({sender, receiver, closing}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, receiver, closing):
            task.cancel()
        await asyncio.gather(sender, receiver, closing, return_exceptions=True)


async def _maybe_resume(
    ws: web.WebSocketResponse, request: web.Request, connection: Connection
) -> int:
    """Replay from the database if the client's next message is a resume."""
    wait = request.app[SETTINGS].ws_resume_wait_seconds
    try:
        message = await asyncio.wait_for(ws.receive(), wait)
    except TimeoutError:
        return connection.start_seq
    if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
        connection.request_close(1000, "client closed")
        return 0
    connection.heard()
    try:
        data = _parse(message)
    except ProtocolError as exc:
        await ws.send_json({"type": "error", "detail": str(exc)})
        return connection.start_seq
    after = data.get("after_seq")
    if data["type"] != "resume":
        await _answer(ws, request, connection, data)
        return connection.start_seq
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        connection.request_close(protocol.CLOSE_PROTOCOL, "after_seq must be a whole number")
        return 0
    return await _replay(ws, request, connection, after)


async def _replay(
    ws: web.WebSocketResponse, request: web.Request, connection: Connection, after: int
) -> int:
    admissions = request.app[HUB].admissions
    last, cursor = after, after
    while True:
        page = await _admission(admissions.replay_page(connection.reader, cursor))
        for text in page.texts:
            await ws.send_str(text)
        last, cursor = page.last_seq or last, page.cursor
        if page.done:
            break
    await ws.send_json({"type": "replayed", "last_seq": last})
    return last


async def _send(ws: web.WebSocketResponse, connection: Connection) -> None:
    """Drain the queue (what came during the replay, or while the client lagged) at the
    client's pace, then let the hub write straight to the socket until something is
    queued again. Nothing is written directly while the queue holds anything, so pushes
    reach the client in the order offered."""
    while True:
        connection.queued.clear()
        while (push := connection.next_queued()) is not None:
            if connection.wants(push):
                await ws.send_str(push.text)
                connection.sent(push)
        connection.direct = True
        await connection.queued.wait()


class _TransportSocket:
    """The WebSocket's transport, written to by the hub in whole frames (as aiohttp does
    for uncompressed frames, so theirs and ours never interleave)."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        self._ws = ws
        self._transport = request.transport

    def write(self, frame: bytes) -> None:
        if self._transport is not None:
            self._transport.write(frame)

    def unsent(self) -> int:
        return self._transport.get_write_buffer_size() if self._transport else 0

    def is_closing(self) -> bool:
        return self._ws.closed or self._transport is None or self._transport.is_closing()


async def _receive(ws: web.WebSocketResponse, request: web.Request, connection: Connection) -> None:
    async for message in ws:
        connection.heard()
        try:
            data = _parse(message)
        except ProtocolError as exc:
            await ws.send_json({"type": "error", "detail": str(exc)})
        else:
            await _answer(ws, request, connection, data)


async def _answer(
    ws: web.WebSocketResponse, request: web.Request, connection: Connection, data: dict[str, Any]
) -> None:
    """Handle a message after auth; a bad one is answered with an error, not a close."""
    try:
        await _handle(ws, request, connection, data)
    except ProtocolError as exc:
        await ws.send_json({"type": "error", "detail": str(exc)})


async def _handle(
    ws: web.WebSocketResponse, request: web.Request, connection: Connection, data: dict[str, Any]
) -> None:
    kind = data["type"]
    if kind == "pong":
        return
    if kind == "ack":
        await _ack(ws, request, connection, data.get("alert_id"))
    elif kind == "auth":
        await _renew(ws, request, connection, data.get("token"))
    elif kind == "resume":
        raise ProtocolError("resume is only accepted right after the first auth")
    else:
        raise ProtocolError(f"unknown message type {kind!r}")


async def _ack(
    ws: web.WebSocketResponse, request: web.Request, connection: Connection, alert_id: Any
) -> None:
    if not isinstance(alert_id, int) or isinstance(alert_id, bool):
        raise ProtocolError("ack needs an integer alert_id")
    app = request.app
    reader = connection.reader
    try:
        async with app[ENGINE].begin() as conn:
            alert, notice = await alerts.acknowledge(
                conn, reader, reader.who.actor(request_id(request)), app[CLOCK].now(), alert_id
            )
    except AlertdError as exc:
        await ws.send_json({"type": "error", "detail": exc.detail, "alert_id": alert_id})
        return
    app[NOTIFIER].alerts_changed([notice] if notice else [])
    await ws.send_json({"type": "ack_result", "alert_id": alert_id, "status": alert["status"]})


async def _renew(
    ws: web.WebSocketResponse, request: web.Request, connection: Connection, token: Any
) -> None:
    if not isinstance(token, str):
        raise ProtocolError("auth needs a token")
    authenticator = request.app[AUTHENTICATOR]
    try:
        who = await authenticator.principal_for_token(token)
    except NotAuthenticated as exc:
        connection.request_close(protocol.CLOSE_UNAUTHENTICATED, exc.detail)
        return
    if not allows(who, Permission.HANDLE_ALERTS):
        connection.request_close(protocol.CLOSE_FORBIDDEN, "your roles no longer allow alerts")
        return
    if who.user_id != connection.reader.who.user_id:
        connection.request_close(protocol.CLOSE_UNAUTHENTICATED, "a token for another user")
        return
    if _post_of(who) != _post_of(connection.reader.who):
        # What this socket may see was decided at sign-in (replay included): a user who
        # changed agency or desk reconnects and resumes under the new rule.
        connection.request_close(protocol.CLOSE_UNAUTHENTICATED, "sign in again: your post changed")
        return
    claims = authenticator.claims_of(token)
    connection.session_id, connection.expires_at = who.session_id, claims.expires_at
    with contextlib.suppress(ConnectionResetError):
        await ws.send_json({"type": "authenticated", "expires_at": claims.expires_at.isoformat()})


def _post_of(who: Principal) -> tuple[int, int | None]:
    return who.agency_id, who.desk_id
