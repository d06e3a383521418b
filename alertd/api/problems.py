"""The one place that turns errors into RFC 9457 ``application/problem+json`` answers."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.exc import DBAPIError, OperationalError

from alertd.errors import PROBLEM_BASE, AlertdError
from alertd.logs import request_id_var
from alertd.state import METRICS, REQUEST_ID

log = logging.getLogger("alertd.http")

PROBLEM_CONTENT_TYPE = "application/problem+json"
REQUEST_ID_HEADER = "X-Request-Id"
# Stable slugs for errors that aiohttp raises itself (routing, methods, body limits).
HTTP_SLUGS = {
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    request_id: str | None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if request_id:
        body["request_id"] = request_id
    body |= extra or {}
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def _request_id(request: web.Request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    # Accept a caller's id only if it is short and plain ASCII, so it is safe to log
    # and to store (str.isalnum alone would let any Unicode letter or digit through).
    if 0 < len(offered) <= 64 and offered.isascii() and offered.replace("-", "").isalnum():
        return offered
    return uuid.uuid4().hex


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Request id, metrics and the access log line around every request."""
    request_id = _request_id(request)
    token = request_id_var.set(request_id)
    request[REQUEST_ID] = request_id
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
    finally:
        elapsed = time.perf_counter() - started
        route = request.match_info.route.resource
        template = route.canonical if route is not None else "unmatched"
        request.app[METRICS].observe(template, request.method, status, elapsed)
        log.info(
            "request",
            extra={
                "method": request.method,
                "route": template,
                "status": status,
                "ms": round(elapsed * 1000, 2),
            },
        )
        request_id_var.reset(token)


@web.middleware
async def problems(request: web.Request, handler: Handler) -> web.StreamResponse:
    request_id = request.get(REQUEST_ID)
    try:
        return await handler(request)
    except AlertdError as exc:
        return problem_response(
            exc.status, exc.slug, exc.title, exc.detail, request_id, dict(exc.extra), exc.headers()
        )
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        slug = HTTP_SLUGS.get(exc.status, "http-error")
        headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        return problem_response(exc.status, slug, exc.reason, exc.reason, request_id, None, headers)
    except DBAPIError as exc:
        return _database_problem(exc, request_id)
    except Exception:  # the boundary: anything else is a bug, logged and answered 500
        log.exception("unhandled error")
        return _internal_error(request_id)


def _internal_error(request_id: str | None) -> web.Response:
    return problem_response(
        500,
        "internal-error",
        "Internal error",
        "an internal error occurred; it was logged",
        request_id,
    )


def _database_problem(exc: DBAPIError, request_id: str | None) -> web.Response:
    """503 (retry) when nothing was written and a retry will do; otherwise a logged 500."""
    if exc.connection_invalidated:
        # The connection died under the request (a database restart or failover): the
        # transaction was lost with it and the pool now hands out fresh connections.
        log.warning("database connection lost; answered 503")
        return _retry_later(request_id, "the database connection was lost; retry shortly")
    if isinstance(exc, OperationalError) and _is_busy(exc):
        # SQLite's single writer stayed busy past the busy timeout: nothing was written.
        log.warning("database busy; answered 503")
        return _retry_later(request_id, "the database is busy; retry shortly")
    log.exception("database error")
    return _internal_error(request_id)


def _retry_later(request_id: str | None, detail: str) -> web.Response:
    return problem_response(503, "busy", "Busy", detail, request_id, None, {"Retry-After": "1"})


def _is_busy(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig)
