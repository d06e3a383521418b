"""The OpenAPI document, built from the real route table.

Handlers declare themselves with ``@operation``; the document walks the router, so a
route cannot exist undocumented (a test checks every route has an operation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel

from alertd import __version__
from alertd.roles import Role

HandlerT = TypeVar("HandlerT", bound=Callable[..., Any])
OPERATION_ATTR = "__alertd_operation__"


@dataclass(frozen=True)
class Operation:
    summary: str
    body: type[BaseModel] | None
    roles: Sequence[Role] | None  # None: no authentication needed; () any signed-in user
    responses: dict[int, str]
    tag: str


def operation(
    summary: str,
    *,
    tag: str,
    body: type[BaseModel] | None = None,
    roles: Sequence[Role] | None = (),
    responses: dict[int, str] | None = None,
) -> Callable[[HandlerT], HandlerT]:
    def mark(handler: HandlerT) -> HandlerT:
        setattr(handler, OPERATION_ATTR, Operation(summary, body, roles, responses or {}, tag))
        return handler

    return mark


def operation_of(handler: Any) -> Operation | None:
    op = getattr(handler, OPERATION_ATTR, None)
    return op if isinstance(op, Operation) else None


def build_document(app: web.Application) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for route in app.router.routes():
        op = operation_of(route.handler)
        if op is None or route.resource is None or route.method == "HEAD":
            continue
        paths.setdefault(route.resource.canonical, {})[route.method.lower()] = _describe(
            op, schemas
        )
    return {
        "openapi": "3.1.0",
        "info": {"title": "alertd", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


def _describe(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {"summary": op.summary, "tags": [op.tag]}
    if op.roles is not None:
        doc["security"] = [{"bearer": []}]
        if op.roles:
            doc["description"] = "Roles: " + ", ".join(r.value for r in op.roles)
    if op.body is not None:
        schema = op.body.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[op.body.__name__] = schema
        doc["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}
            },
        }
    problem: dict[str, Any] = {"content": {"application/problem+json": {}}}
    responses: dict[str, Any] = {
        str(code): {"description": text} for code, text in op.responses.items()
    }
    if not any(code < 300 for code in op.responses):
        responses["200"] = {"description": "OK"}
    for code, text in ((401, "Not authenticated"), (403, "Not allowed"), (422, "Invalid body")):
        if (code == 422 and op.body is None) or (code in (401, 403) and op.roles is None):
            continue
        responses.setdefault(str(code), {"description": text} | problem)
    doc["responses"] = responses
    return doc
