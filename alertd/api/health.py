"""Operations endpoints: liveness, readiness, Prometheus metrics, the OpenAPI document."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from alertd.api.openapi import build_document, operation
from alertd.db import schema_state
from alertd.errors import NotReady
from alertd.state import METRICS, READ_ENGINE

routes = web.RouteTableDef()


@routes.get("/healthz")
@operation("Liveness: the process answers", tag="operations", roles=None)
async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
@operation(
    "Readiness: the database answers and its schema is current",
    tag="operations",
    roles=None,
    responses={200: "Ready", 503: "Not ready"},
)
async def readyz(request: web.Request) -> web.Response:
    try:
        # The read engine: on SQLite a readiness probe must not queue for the write lock.
        state = await schema_state(request.app[READ_ENGINE])
    except (SQLAlchemyError, OSError) as exc:
        raise NotReady(f"the database is unreachable: {type(exc).__name__}") from None
    if not state.up_to_date:
        raise NotReady(f"the database schema is at {state.current}, the code needs {state.head}")
    return web.json_response({"status": "ready", "schema": state.current})


@routes.get("/metrics")
@operation("Prometheus metrics (text exposition format)", tag="operations", roles=None)
async def metrics(request: web.Request) -> web.Response:
    body = request.app[METRICS].exposition()
    return web.Response(
        body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}
    )


@routes.get("/api/v1/openapi.json")
@operation("This API's OpenAPI document", tag="operations", roles=None)
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(build_document(request.app))
